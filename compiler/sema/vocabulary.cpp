// vocabulary.cpp - declares what roles talk about: scope kinds (and their tree), user types,
// flags, action sets and resources with their permissions. Ids follow declaration order.
#include "sema/context.h"

#include <algorithm>
#include <map>

namespace lattice::sema {
namespace {

/// A scope kind's declaration: a `scope`, or a `resource ... as scope` (under its owners).
struct ScopeSource {
  const ast::Ident *name;
  const std::string *label;
  const std::vector<ast::Ident> *parents;
  SourceRange range;
};

void declareScopes(const std::vector<ast::File> &files, Context &ctx) {
  std::vector<ScopeSource> decls;
  auto declare = [&](const ScopeSource &source) {
    if (ctx.scopeNames.declare(*source.name, ctx.model.scopeKinds.size(), ctx.diags)) {
      ctx.model.scopeKinds.push_back({source.name->name, *source.label, source.name->range, {}});
      decls.push_back(source);
    }
  };
  for (const ast::File &file : files)
    for (const ast::ScopeDecl &decl : file.scopes)
      declare({&decl.name, &decl.label, &decl.parents, decl.range});
  // Resources that are scopes come after every `scope`, so that the ids of the declared ones do
  // not depend on where resources are.
  for (const ast::File &file : files)
    for (const ast::ResourceDecl &decl : file.resources) {
      if (!decl.isScope)
        continue;
      if (decl.owners.empty()) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::ScopeResourceWithoutOwner, decl.name.range,
            fmt::format("resource `{}` is a scope but has no `owned_by`", decl.name.name));
        diag.help = "name the scope kinds its instances sit under: `owned_by KIND as scope`";
        continue;
      }
      declare({&decl.name, &decl.label, &decl.owners, decl.range});
    }
  for (size_t id = 0; id < decls.size(); ++id)
    for (const ast::Ident &parent : *decls[id].parents)
      if (auto parentId = ctx.scopeKind(parent))
        ctx.model.scopeKinds[id].parents.push_back(*parentId);

  // Cycle check (iterative colouring DFS over `under` edges).
  const auto &kinds = ctx.model.scopeKinds;
  std::vector<uint8_t> color(kinds.size(), 0); // 0 new, 1 on stack, 2 done
  for (ScopeKindId root = 0; root < kinds.size(); ++root) {
    if (color[root])
      continue;
    std::vector<std::pair<ScopeKindId, size_t>> stack{{root, 0}};
    color[root] = 1;
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      if (next == kinds[node].parents.size()) {
        color[node] = 2;
        stack.pop_back();
        continue;
      }
      ScopeKindId parent = kinds[node].parents[next++];
      if (parent == node)
        continue; // recursion (`scope folder under organization, folder;`) is no cycle
      if (color[parent] == 1) {
        // Point at the `under` entry that closes the cycle.
        SourceRange at = decls[node].range;
        for (const ast::Ident &name : *decls[node].parents)
          if (name.name == kinds[parent].name)
            at = name.range;
        Diagnostic &diag =
            ctx.diags.report(DiagKind::ScopeCycle, at,
                             fmt::format("placing `{}` under `{}` makes the scope tree a cycle",
                                         kinds[node].name, kinds[parent].name));
        std::vector<std::pair<std::string, SourceRange>> members;
        bool inCycle = false;
        for (auto &[member, unused] : stack)
          if ((inCycle |= member == parent))
            members.emplace_back(kinds[member].name, kinds[member].decl);
        addCycleNotes(diag, members);
        continue;
      }
      if (color[parent] == 0) {
        color[parent] = 1;
        stack.push_back({parent, 0});
      }
    }
  }
}

void declareKinds(const std::vector<ast::File> &files, Context &ctx) {
  for (const ast::File &file : files)
    for (const ast::UserTypeDecl &decl : file.userTypes) {
      if (ctx.model.kinds.size() == 64) {
        ctx.diags.report(DiagKind::TooManyKinds, decl.name.range,
                         "a policy may declare at most 64 user types");
        ctx.kindLimitExceeded = true;
        return;
      }
      if (!ctx.kindNames.declare(decl.name, ctx.model.kinds.size(), ctx.diags))
        continue;
      PrincipalKind kind{decl.name.name, decl.label, decl.name.range, {}};
      bool complete = true;
      for (const ast::Ident &scope : decl.scopes) {
        if (auto id = ctx.scopeKind(scope))
          kind.scopes.push_back(*id);
        else
          complete = false;
      }
      ctx.model.kinds.push_back(std::move(kind));
      ctx.incompleteKinds.push_back(!complete);
    }
}

/// A flag is a property of nodes (on scope kinds) or of principals (on user types): requests
/// and tables keep the two apart (a flag has one side), so a declaration naming both is an
/// error rather than a guess. Reports at the first target of the second category; false.
bool reportMixedFlagTargets(const ast::FlagDecl &decl, Context &ctx) {
  const ast::Ident *scope = nullptr, *kind = nullptr;
  for (const ast::Ident &target : decl.targets) {
    const bool isScope = bool(ctx.scopeNames.find(target.name));
    const bool isKind = bool(ctx.kindNames.find(target.name));
    if (isScope && !isKind && !scope) // a name that is both is L0114's
      scope = &target;
    if (isKind && !isScope && !kind)
      kind = &target;
  }
  const bool scopeFirst = scope->range.begin < kind->range.begin;
  const ast::Ident &second = scopeFirst ? *kind : *scope;
  Diagnostic &diag = ctx.diags.report(
      DiagKind::MixedFlagTargets, second.range,
      fmt::format("a flag is on scope kinds or on user types, not both: `{}` is a {}, `{}` a {}",
                  (scopeFirst ? scope : kind)->name, scopeFirst ? "scope kind" : "user type",
                  second.name, scopeFirst ? "user type" : "scope kind"));
  diag.help = fmt::format("a flag on `{}` is a property of its nodes, one on `{}` a property of "
                          "principals: declare one flag for each",
                          scope->name, kind->name);
  return false;
}

/// The name conditions use for a flag declared as `name` on `side`: `resource.name` and
/// `request.name` for facts, the bare name for principal and node flags.
std::string flagNameOnSide(const std::string &name, ast::FlagDecl::Side side) {
  switch (side) {
  case ast::FlagDecl::Side::Resource:
    return "resource." + name;
  case ast::FlagDecl::Side::Request:
    return "request." + name;
  case ast::FlagDecl::Side::Declared:
    break;
  }
  return name;
}

void declareFlags(const std::vector<ast::File> &files, Context &ctx) {
  for (const ast::File &file : files)
    for (const ast::FlagDecl &decl : file.flags) {
      Flag shape;
      bool complete = true;
      if (decl.side == ast::FlagDecl::Side::Request) {
        shape.side = FlagSide::Request;
      } else if (decl.side == ast::FlagDecl::Side::Resource) {
        shape.side = FlagSide::Resource; // its resources: resolveFactResources
      } else {
        for (const ast::Ident &target : decl.targets) {
          auto scope = ctx.scopeNames.find(target.name);
          auto kind = ctx.kindNames.find(target.name);
          if (scope && kind) {
            ctx.diags.report(DiagKind::AmbiguousFlagTarget, target.range,
                             fmt::format("`{}` is both a scope kind and a user type", target.name));
            complete = false;
            continue;
          }
          if (scope) {
            shape.scopes.push_back(*scope);
            ctx.uses.push_back({NameSpace::ScopeKind, *scope, target.range.file});
          } else if (kind) {
            shape.kinds |= KindMask{1} << *kind;
            ctx.uses.push_back({NameSpace::UserType, *kind, target.range.file});
          } else {
            ctx.reportUnknown({NameSpace::ScopeKind, NameSpace::UserType}, target,
                              DiagKind::UnknownScopeKind,
                              fmt::format("unknown scope kind or user type `{}`", target.name));
            complete = false;
          }
        }
        shape.onScope = !shape.scopes.empty();
        shape.side = shape.onScope ? FlagSide::Node : FlagSide::Principal;
        if (shape.onScope && shape.kinds != 0)
          complete = reportMixedFlagTargets(decl, ctx) && complete;
      }
      for (const ast::Ident &name : decl.names) {
        if (ctx.model.flags.size() == 64) {
          ctx.diags.report(DiagKind::TooManyFlags, name.range,
                           "a policy may declare at most 64 flags");
          ctx.flagLimitExceeded = true;
          return;
        }
        // One name is one flag whatever its side: `archived` and `resource.archived` both
        // declared would make a reader guess which one a rule means.
        if (!ctx.flagDeclNames.declare(name, ctx.model.flags.size(), ctx.diags))
          continue;
        Flag flag = shape;
        flag.name = flagNameOnSide(name.name, decl.side);
        flag.decl = name.range;
        ctx.flagNames.declare(ast::Ident{flag.name, name.range}, ctx.model.flags.size(), ctx.diags);
        ctx.model.flags.push_back(std::move(flag));
        ctx.flagsRead.push_back(false);
        ctx.incompleteFlags.push_back(!complete);
      }
    }
}

/// The resources of each resource fact (`flag archived on resource document, folder;`), once
/// resources are declared; flags were declared before them, so their ids follow the source.
void resolveFactResources(const std::vector<ast::File> &files, Context &ctx) {
  for (const ast::File &file : files)
    for (const ast::FlagDecl &decl : file.flags) {
      if (decl.side != ast::FlagDecl::Side::Resource)
        continue;
      std::vector<ResourceId> resources;
      bool complete = true;
      for (const ast::Ident &target : decl.targets) {
        std::optional<uint32_t> resource = ctx.resource(target);
        if (!resource) {
          complete = false;
          continue;
        }
        if (std::find(resources.begin(), resources.end(), *resource) != resources.end())
          ctx.diags.report(DiagKind::DuplicateName, target.range,
                           fmt::format("`{}` is listed twice", target.name));
        else
          resources.push_back(*resource);
      }
      std::sort(resources.begin(), resources.end());
      for (const ast::Ident &name : decl.names)
        if (std::optional<FlagId> id = ctx.flagNames.find("resource." + name.name);
            id && ctx.model.flags[*id].decl == name.range) {
          ctx.model.flags[*id].resources = resources;
          if (!complete)
            ctx.incompleteFlags[*id] = true;
        }
    }
}

/// An action being added to a resource, remembered with its source offset so that permission
/// ids follow source order even when actions come from groups and includes.
struct PendingAction {
  uint32_t offset;
  const ast::ActionDecl *decl;
  int group;      // index into the resource's groups, -1 for none
  SourceRange at; // where to point diagnostics: the action, or the `include`
};

void declareResource(const ast::ResourceDecl &decl, Context &ctx) {
  ResourceId id = ctx.model.resources.size();
  if (!ctx.resourceNames.declare(decl.name, id, ctx.diags))
    return;
  Resource resource{decl.name.name, decl.label, decl.name.range, {}, {}, {}, std::nullopt};
  for (const ast::Ident &owner : decl.owners)
    if (auto scope = ctx.scopeKind(owner))
      resource.owners.push_back(*scope);
  if (decl.isScope)
    resource.scope = ctx.scopeNames.find(decl.name.name);

  std::vector<PendingAction> pending;
  std::vector<ast::Ident> groupNames;
  bool complete = true;
  for (const ast::ActionDecl &action : decl.actions)
    pending.push_back({action.range.begin, &action, -1, action.range});
  for (const ast::GroupDecl &group : decl.groups) {
    resource.groups.push_back({group.name.name, group.label, group.name.range, {}});
    groupNames.push_back(group.name);
    for (const ast::ActionDecl &action : group.actions)
      pending.push_back(
          {action.range.begin, &action, int(resource.groups.size() - 1), action.range});
  }
  for (const ast::IncludeDecl &include : decl.includes) {
    std::optional<uint32_t> set = ctx.actionSet(include.actionSet);
    if (!set) {
      complete = false;
      continue;
    }
    resource.groups.push_back({include.actionSet.name, "", include.range, {}});
    groupNames.push_back(include.actionSet);
    for (const ast::ActionDecl &action : ctx.actionSets[*set]->actions)
      pending.push_back(
          {include.range.begin, &action, int(resource.groups.size() - 1), include.range});
  }
  std::stable_sort(
      pending.begin(), pending.end(),
      [](const PendingAction &a, const PendingAction &b) { return a.offset < b.offset; });

  ctx.resourceMembers.emplace_back();
  auto &members = ctx.resourceMembers.back();
  llvm::StringMap<SourceRange> declared;
  llvm::StringMap<std::pair<PermissionId, int>> declaredIn; // action -> (id, group or -1)
  // A `group` written by hand (not one an `include` adds), by index into resource.groups.
  auto isGroup = [&](int g) { return g >= 0 && size_t(g) < decl.groups.size(); };
  // Per group: its one "re-declares actions" error, and the actions it names.
  std::map<int, std::pair<Diagnostic *, std::vector<std::string>>> relisting;
  for (const PendingAction &p : pending) {
    SourceRange at = p.at;
    auto [it, inserted] = declared.try_emplace(p.decl->name.name, at);
    if (!inserted) {
      auto [pid, previousGroup] = declaredIn[p.decl->name.name];
      if (isGroup(p.group) != isGroup(previousGroup)) {
        // One of the two is a group listing an action that is declared outside it: the
        // author wants the action in the group. It is put there, so that uses of the group
        // mean what was meant, and the group is one error however many actions it re-lists.
        int group = isGroup(p.group) ? p.group : previousGroup;
        std::vector<PermissionId> &inGroup = resource.groups[group].members;
        if (std::find(inGroup.begin(), inGroup.end(), pid) == inGroup.end())
          inGroup.push_back(pid);
        auto &[diag, names] = relisting[group];
        names.push_back(p.decl->name.name);
        if (diag == nullptr) {
          diag = &ctx.diags.report(DiagKind::Redefinition, at, "");
          diag->help = "an action is declared once, inside its group or outside: move the "
                       "declaration into the group";
        }
        std::string list;
        for (size_t i = 0; i < names.size(); ++i)
          list += fmt::format("{}`{}`",
                              i == 0                  ? ""
                              : i + 1 == names.size() ? " and "
                                                      : ", ",
                              names[i]);
        diag->message = fmt::format("group `{}` re-declares the action{} {} of `{}`",
                                    resource.groups[group].name, names.size() > 1 ? "s" : "", list,
                                    decl.name.name);
        diag->notes.push_back(
            {it->second, fmt::format("`{}` is first declared here", p.decl->name.name)});
        continue;
      }
      Diagnostic &diag = ctx.diags.report(
          DiagKind::Redefinition, at,
          fmt::format("redefinition of action `{}.{}`", decl.name.name, p.decl->name.name));
      diag.notes.push_back({it->second, "previous definition is here"});
      continue;
    }
    PermissionId pid = ctx.model.permissions.size();
    declaredIn[p.decl->name.name] = {pid, p.group};
    Permission permission{decl.name.name + "." + p.decl->name.name,
                          p.decl->name.name,
                          p.decl->label,
                          id,
                          at,
                          ctx.model.allKinds()};
    // With an unknown user type in `for` (reported), nothing is known to be inapplicable.
    bool kindsComplete = true;
    if (!p.decl->forKinds.empty())
      permission.applicableKinds = ctx.kindMask(p.decl->forKinds, &kindsComplete);
    if (!kindsComplete)
      permission.applicableKinds = ctx.model.allKinds();
    ctx.model.permissions.push_back(std::move(permission));
    resource.permissions.push_back(pid);
    members[p.decl->name.name] = {pid};
    if (p.group >= 0)
      resource.groups[p.group].members.push_back(pid);
  }
  for (size_t g = 0; g < resource.groups.size(); ++g) {
    const ast::Ident &name = groupNames[g];
    auto [it, inserted] = declared.try_emplace(name.name, name.range);
    if (!inserted) {
      Diagnostic &diag = ctx.diags.report(
          DiagKind::Redefinition, name.range,
          fmt::format("group `{}` clashes with an action or group of the same name in `{}`",
                      name.name, decl.name.name));
      diag.notes.push_back({it->second, "previous definition is here"});
      continue;
    }
    members[name.name] = resource.groups[g].members;
  }
  ctx.model.resources.push_back(std::move(resource));
  ctx.incompleteResources.push_back(!complete);
}

} // namespace

void declareVocabulary(const std::vector<ast::File> &files, Context &ctx) {
  declareScopes(files, ctx);
  declareKinds(files, ctx);
  declareFlags(files, ctx);
  for (const ast::File &file : files)
    for (const ast::ActionSetDecl &set : file.actionSets)
      if (ctx.actionSetNames.declare(set.name, ctx.actionSets.size(), ctx.diags)) {
        ctx.actionSets.push_back(&set);
        ctx.actionSetsIncluded.push_back(false);
      }
  for (const ast::File &file : files)
    for (const ast::ResourceDecl &resource : file.resources)
      declareResource(resource, ctx);
  resolveFactResources(files, ctx); // after resources: a resource fact names them
}

} // namespace lattice::sema
