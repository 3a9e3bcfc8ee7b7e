// custom_roles.cpp - checks custom role ceilings (`custom role NAME for KINDS { allow ... in
// REACH; created_by ROLES; }`): the most a role tenants build at run time may hold, and its
// creators.
#include "diagnostics/suggest.h"
#include "sema/context.h"

#include <algorithm>
#include <map>

namespace lattice::sema {
namespace {

class CustomRoleChecker {
public:
  CustomRoleChecker(const std::vector<ast::File> &files, Context &ctx)
      : files(files), ctx(ctx), model(ctx.model) {}

  void run() {
    for (const ast::File &file : files)
      for (const ast::RoleDecl &decl : file.roles) {
        if (!decl.custom) {
          for (const ast::CreatedByDecl &createdBy : decl.createdBy) {
            Diagnostic &diag = ctx.diags.report(
                DiagKind::CreatedByOutsideCustomRole, createdBy.range,
                fmt::format("role `{}` is not a custom role: `created_by` has no meaning in it",
                            decl.name.name));
            diag.help = fmt::format("write `custom role {}` to make it a ceiling for roles that "
                                    "tenants build, or give the role with `assigns` in the "
                                    "assigner's role",
                                    decl.name.name);
          }
          continue;
        }
        std::optional<uint32_t> id = ctx.customRoleNames.find(decl.name.name);
        if (!id || ctx.customRoleNames.names()[*id].second != decl.name.range)
          continue; // a second declaration of the name (reported when declared)
        if (std::optional<uint32_t> role = ctx.roleNames.find(decl.name.name)) {
          Diagnostic &diag =
              ctx.diags.report(DiagKind::Redefinition, decl.name.range,
                               fmt::format("redefinition of role `{}`", decl.name.name));
          diag.notes.push_back({model.roles[*role].decl, "previous definition is here"});
          diag.help = "a role and a custom role share one namespace: rename one of them";
          continue;
        }
        check(decl);
      }
  }

private:
  void formError(SourceRange at, std::string message, std::string help) {
    Diagnostic &diag = ctx.diags.report(DiagKind::CustomRoleForm, at, std::move(message));
    diag.help = std::move(help);
  }

  void check(const ast::RoleDecl &decl) {
    CustomRole custom;
    custom.name = decl.name.name;
    custom.label = decl.label;
    custom.decl = decl.name.range;
    bool complete = true;
    custom.kinds = ctx.kindMask(decl.kinds, &complete);
    bool ok = complete;
    const std::string name = decl.name.name;
    if (decl.locked || decl.deprecated) {
      formError(decl.customRange,
                fmt::format("custom role `{}` cannot be `{}`", name,
                            decl.locked ? "locked" : "deprecated"),
                "a ceiling limits roles tenants build; to stop new ones, remove its "
                "`created_by`");
      ok = false;
    }
    if (!decl.extends.empty()) {
      formError(decl.extends.front().range,
                fmt::format("custom role `{}` cannot extend a role", name),
                "list the permissions the ceiling allows with `allow ... in ...;`");
      ok = false;
    }
    for (const ast::AssignsDecl &assigns : decl.assigns) {
      formError(assigns.range, fmt::format("custom role `{}` cannot assign roles", name),
                "a role tenants build gives nothing; name who may create it with `created_by`");
      ok = false;
    }
    for (const ast::RuleDecl &rule : decl.rules)
      ok &= checkAllow(custom, rule);
    std::map<PermissionId, RelationMask> cells;
    for (const CustomRole::Allow &allow : custom.allows)
      for (PermissionId p : allow.permissions)
        if (model.permissions[p].applicableKinds & custom.kinds)
          cells[p] |= reachRelations(allow.reach);
    custom.cells.assign(cells.begin(), cells.end());
    for (const ast::CreatedByDecl &createdBy : decl.createdBy)
      for (const ast::Ident &creator : createdBy.roles) {
        std::optional<RoleId> role = ctx.role(creator);
        if (!role) {
          ok = false;
          continue;
        }
        if (std::find(custom.creators.begin(), custom.creators.end(), *role) !=
            custom.creators.end()) {
          Diagnostic &diag = ctx.diags.report(DiagKind::DuplicateName, creator.range,
                                              fmt::format("`{}` is listed twice", creator.name));
          for (auto &[earlier, range] : custom.creatorSites)
            if (earlier == *role)
              diag.notes.push_back({range, "first listed here"});
          continue;
        }
        custom.creators.push_back(*role);
        custom.creatorSites.emplace_back(*role, creator.range);
      }
    std::sort(custom.creators.begin(), custom.creators.end());
    if (ok && custom.cells.empty()) {
      Diagnostic &diag = ctx.diags.report(DiagKind::EmptyCustomRole, decl.name.range,
                                          fmt::format("custom role `{}` allows no permission to {}",
                                                      name, kindList(model, custom.kinds)));
      diag.help = "give it `allow PERMISSIONS in REACH;` with permissions that apply to its user "
                  "types, or remove it";
      ok = false;
    }
    if (ok)
      model.customRoles.push_back(std::move(custom));
  }

  bool checkAllow(CustomRole &custom, const ast::RuleDecl &decl) {
    bool ok = true;
    if (decl.effect == ast::Effect::Deny) {
      formError(decl.range,
                fmt::format("custom role `{}` cannot deny: its ceiling only says what tenants' "
                            "roles may allow",
                            custom.name),
                "forbid it for everyone with a `deny` at the top level of the policy, or leave "
                "it out of the ceiling");
      ok = false;
    }
    if (decl.when) {
      formError(decl.when->range,
                fmt::format("a rule of custom role `{}` cannot have a condition", custom.name),
                "a role tenants build allows its permissions unconditionally; put the condition "
                "in a `require` or in a policy-wide `deny ... when ...;`");
      ok = false;
    }
    if (!decl.kinds.empty()) {
      formError(decl.kinds.front().range,
                fmt::format("a rule of custom role `{}` cannot name user types", custom.name),
                "declare a custom role per user type, each with its own ceiling");
      ok = false;
    }
    CustomRole::Allow allow;
    allow.range = decl.range;
    if (decl.relation) {
      const RelationWord *word = ctx.relationWord(*decl.relation, DiagKind::UnknownRelation);
      if (!word)
        ok = false;
      else
        allow.reach = word->reach;
    }
    std::optional<std::vector<PermissionId>> permissions =
        expandPatterns(decl.patterns, decl.except, ctx);
    if (!permissions)
      return false;
    allow.permissions = std::move(*permissions);
    if (ok && custom.kinds != 0 && !ctx.anyIncompleteKind(custom.kinds)) {
      ok &= checkApplicability(custom, decl);
      checkReach(custom, decl, allow.reach);
    }
    custom.allows.push_back(std::move(allow));
    return ok;
  }

  /// An action or group named explicitly must apply to a user type of the custom role (`*` and
  /// `res.*` span permissions of other user types, which the ceiling then leaves out).
  bool checkApplicability(const CustomRole &custom, const ast::RuleDecl &decl) {
    bool ok = true;
    ctx.forEachNamedAction(model, decl, [&](const Context::NamedAction &action) {
      if (action.applicable & custom.kinds)
        return;
      std::string qualified = action.resource.name + "." + action.name.name;
      Diagnostic &diag = ctx.diags.report(
          DiagKind::PermissionNotApplicable, action.name.range,
          fmt::format("`{}` does not apply to {}, the user types of custom role `{}`", qualified,
                      kindList(model, custom.kinds), custom.name));
      diag.notes.push_back(
          {model.permissions[action.permissions[0]].decl,
           fmt::format("`{}` applies only to {}", qualified, kindList(model, action.applicable))});
      diag.help = "leave it out of the ceiling, or add a user type it applies to";
      ok = false;
    });
    return ok;
  }

  /// L0211: a reach below or above the node, for user types that only sit at scope kinds
  /// without children (or parents), lets the ceiling promise what no request can use.
  void checkReach(const CustomRole &custom, const ast::RuleDecl &decl, Reach reach) {
    if (!decl.relation ||
        (reach != Reach::Descendants && reach != Reach::Ancestors && reach != Reach::Elsewhere))
      return;
    for (KindId k = 0; k < model.kinds.size(); ++k) {
      if (!(custom.kinds >> k & 1))
        continue;
      for (ScopeKindId scope : model.kinds[k].scopes) {
        if (reach != Reach::Descendants && !model.scopeKinds[scope].parents.empty())
          return; // a node of this kind has a parent: ancestors, and elsewhere, exist
        for (const ScopeKind &other : model.scopeKinds)
          if (reach == Reach::Descendants &&
              std::find(other.parents.begin(), other.parents.end(), scope) != other.parents.end())
            return; // a node of this kind can have children
      }
    }
    Diagnostic &diag = ctx.diags.report(
        DiagKind::RelationNeverReached, decl.relation->range,
        fmt::format("`{}` never applies: {} can only sit at scope kinds with no {}",
                    reachName(reach), kindList(model, custom.kinds),
                    reach == Reach::Descendants ? "children" : "parents"));
    diag.help = "use `self`, or place the user type at a scope kind that has them";
  }

  const std::vector<ast::File> &files;
  Context &ctx;
  Model &model;
};

} // namespace

void declareCustomRoles(const std::vector<ast::File> &files, Context &ctx) {
  for (const ast::File &file : files)
    for (const ast::RoleDecl &decl : file.roles)
      if (decl.custom) // ids: positions in names(), where the declaration is found again
        ctx.customRoleNames.declare(decl.name, ctx.customRoleNames.names().size(), ctx.diags);
}

void checkCustomRoles(const std::vector<ast::File> &files, Context &ctx) {
  CustomRoleChecker(files, ctx).run();
}

} // namespace lattice::sema
