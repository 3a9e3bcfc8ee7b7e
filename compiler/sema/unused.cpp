// unused.cpp - warnings for declarations that nothing uses: a flag no condition reads, a user
// type no role is for, a role with nothing in it, an action set never included, an import none
// of whose names are used. Run only on a compilation without errors (an error can be why a
// name looks unused), and only about the policy's own files: a module is a library, and the
// names its importer does not need are no finding (an import of it that brings nothing is).
#include "sema/context.h"

#include <algorithm>
#include <set>

namespace lattice::sema {
namespace {

class UnusedChecker {
public:
  UnusedChecker(const std::vector<ast::File> &files, Context &ctx) : files(files), ctx(ctx) {
    for (const ast::File &file : files)
      if (file.header && file.header->isModule)
        modules.insert(file.fileId);
  }

  void run() {
    const Model &model = ctx.model;
    for (FlagId f = 0; f < model.flags.size(); ++f)
      if (own(model.flags[f].decl) && !ctx.flagsRead[f]) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::UnusedFlag, model.flags[f].decl,
            fmt::format("flag `{}` is never read by a condition", model.flags[f].name));
        diag.help = "use it in a `when` or `require`, or remove the declaration";
      }
    KindMask held = 0;
    for (const Role &role : model.roles)
      held |= role.kinds;
    for (const CustomRole &custom : model.customRoles)
      held |= custom.kinds;
    for (KindId k = 0; k < model.kinds.size(); ++k)
      if (own(model.kinds[k].decl) && !(held >> k & 1)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::UnusedUserType, model.kinds[k].decl,
            fmt::format("no role is for user type `{}`, so it can never be allowed anything",
                        model.kinds[k].name));
        diag.help = fmt::format("add `{}` to the `for` list of its roles, or remove the user type",
                                model.kinds[k].name);
      }
    for (const ast::File &file : files) {
      if (modules.count(file.fileId))
        continue;
      for (const ast::RoleDecl &role : file.roles)
        if (!role.custom && role.rules.empty() && role.extends.empty() && role.assigns.empty()) {
          Diagnostic &diag = ctx.diags.report(
              DiagKind::EmptyRole, role.name.range,
              fmt::format("role `{}` grants nothing: it has no rules, extends no role and "
                          "assigns none",
                          role.name.name));
          diag.help = "give it rules, or remove it";
        }
      for (const ast::Import &import : file.imports)
        checkImport(import);
    }
    for (size_t set = 0; set < ctx.actionSets.size(); ++set) {
      const ast::Ident &name = ctx.actionSets[set]->name;
      if (own(name.range) && !ctx.actionSetsIncluded[set]) {
        Diagnostic &diag =
            ctx.diags.report(DiagKind::UnusedActionSet, name.range,
                             fmt::format("action set `{}` is never included", name.name));
        diag.help = fmt::format("add `include {};` to a resource, or remove the set", name.name);
      }
    }
  }

private:
  /// Declared in a file of the policy itself, not in a module.
  bool own(SourceRange range) const { return range.valid() && !modules.count(range.file); }

  /// The files an import brings: the module and, transitively, what it imports.
  std::set<uint32_t> closure(uint32_t file) const {
    std::set<uint32_t> result;
    std::vector<uint32_t> stack{file};
    while (!stack.empty()) {
      uint32_t next = stack.back();
      stack.pop_back();
      if (next == 0 || !result.insert(next).second)
        continue;
      for (const ast::File &f : files)
        if (f.fileId == next)
          for (const ast::Import &import : f.imports)
            stack.push_back(import.file);
    }
    return result;
  }

  /// An import is used when some name declared by what it brings is used outside of that:
  /// anywhere in the compilation, so that one file may import for the others.
  void checkImport(const ast::Import &import) {
    if (import.file == 0)
      return;
    std::set<uint32_t> brought = closure(import.file);
    for (const Context::Use &use : ctx.uses)
      if (brought.count(declaringFile(use.ns, use.id)) && !brought.count(use.file))
        return;
    Diagnostic &diag = ctx.diags.report(
        DiagKind::UnusedImport, import.module.range,
        fmt::format("nothing that module `{}` declares is used", import.module.str()));
    diag.help = "remove the import";
  }

  uint32_t declaringFile(NameSpace ns, uint32_t id) const {
    const Model &model = ctx.model;
    switch (ns) {
    case NameSpace::ScopeKind:
      return model.scopeKinds[id].decl.file;
    case NameSpace::UserType:
      return model.kinds[id].decl.file;
    case NameSpace::Resource:
      return model.resources[id].decl.file;
    case NameSpace::Role:
      return model.roles[id].decl.file;
    case NameSpace::Flag:
      return model.flags[id].decl.file;
    case NameSpace::ActionSet:
      return ctx.actionSets[id]->name.range.file;
    }
    return 0;
  }

  const std::vector<ast::File> &files;
  Context &ctx;
  std::set<uint32_t> modules; // files with a `module` header
};

} // namespace

void reportUnused(const std::vector<ast::File> &files, Context &ctx) {
  UnusedChecker(files, ctx).run();
}

} // namespace lattice::sema
