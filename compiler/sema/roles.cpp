// roles.cpp - declares roles and checks their kinds, extends (acyclic, kind-compatible), rules,
// assigns, exclusive sets and requirements. Rules are stored once, on the declaring role.
#include "diagnostics/suggest.h"
#include "sema/context.h"

#include <algorithm>
#include <map>
#include <set>

namespace lattice::sema {
namespace {

constexpr uint32_t kMaxExtendsDepth = 64;

bool flagAvailable(const Flag &flag, const PrincipalKind &kind, KindId id) {
  if (flag.kinds & (KindMask{1} << id))
    return true;
  for (ScopeKindId scope : kind.scopes)
    if (std::find(flag.scopes.begin(), flag.scopes.end(), scope) != flag.scopes.end())
      return true;
  return false;
}

/// Kinds of `mask` that can carry `flag`.
KindMask kindsCarrying(const Model &model, FlagId flag, KindMask mask) {
  KindMask result = 0;
  for (KindId k = 0; k < model.kinds.size(); ++k)
    if ((mask >> k & 1) && flagAvailable(model.flags[flag], model.kinds[k], k))
      result |= KindMask{1} << k;
  return result;
}

/// "the user type" or "the user types", agreeing with kindList(mask).
const char *userTypes(KindMask mask) {
  return (mask & (mask - 1)) == 0 ? "the user type" : "the user types";
}

/// Scope kinds that have at least one child / at least one parent.
struct TreeShape {
  std::vector<bool> hasChildren, hasParent;
};

TreeShape treeShape(const Model &model) {
  TreeShape shape{std::vector<bool>(model.scopeKinds.size()),
                  std::vector<bool>(model.scopeKinds.size())};
  for (ScopeKindId s = 0; s < model.scopeKinds.size(); ++s)
    for (ScopeKindId parent : model.scopeKinds[s].parents) {
      shape.hasChildren[parent] = true;
      shape.hasParent[s] = true;
    }
  return shape;
}

class RoleChecker {
public:
  RoleChecker(const std::vector<ast::File> &files, Context &ctx)
      : files(files), ctx(ctx), model(ctx.model), shape(treeShape(ctx.model)) {}

  void run() {
    for (const ast::File &file : files)
      for (const ast::RoleDecl &decl : file.roles)
        if (!decl.custom && ctx.roleNames.declare(decl.name, model.roles.size(), ctx.diags)) {
          decls.push_back(&decl);
          Role role;
          role.name = decl.name.name;
          role.label = decl.label;
          role.decl = decl.name.range;
          bool complete = true;
          role.kinds = ctx.kindMask(decl.kinds, &complete);
          ctx.incompleteRoles.push_back(!complete);
          reportDuplicates(decl.kinds);
          role.deprecated = decl.deprecated;
          role.deprecationNote = decl.deprecationNote;
          role.locked = decl.locked;
          model.roles.push_back(std::move(role));
        }
    for (RoleId id = 0; id < model.roles.size(); ++id)
      resolveLinks(id);
    computeClosures();
    for (RoleId id = 0; id < model.roles.size(); ++id)
      for (const ast::RuleDecl &rule : decls[id]->rules)
        checkRule(id, rule);
    // Policy-wide denies: rules of no role, after every role's (the analyzer's rule order).
    for (const ast::File &file : files)
      for (const ast::RuleDecl &rule : file.policyRules)
        checkRule(kPolicyRole, rule);
    for (const ast::File &file : files) {
      for (const ast::ExclusiveDecl &decl : file.exclusives)
        checkExclusive(decl);
      for (const ast::RequireDecl &decl : file.requireClauses)
        checkRequire(decl);
    }
  }

private:
  void resolveLinks(RoleId id) {
    Role &role = model.roles[id];
    for (const ast::Ident &parent : decls[id]->extends) {
      std::optional<RoleId> parentId = ctx.role(parent);
      if (!parentId)
        continue;
      if (std::find(role.extends.begin(), role.extends.end(), *parentId) != role.extends.end()) {
        ctx.diags.report(DiagKind::DuplicateName, parent.range,
                         fmt::format("`{}` is extended twice", parent.name));
        continue;
      }
      role.extends.push_back(*parentId);
      KindMask missing = role.kinds & ~model.roles[*parentId].kinds;
      bool known = !ctx.incomplete(ctx.incompleteRoles, id) &&
                   !ctx.incomplete(ctx.incompleteRoles, *parentId);
      if (missing != 0 && known) {
        Diagnostic &diag =
            ctx.diags.report(DiagKind::ExtendedRoleKindMismatch, parent.range,
                             fmt::format("role `{}` extends `{}`, which {} may not hold", role.name,
                                         parent.name, kindList(model, missing)));
        diag.notes.push_back(
            {model.roles[*parentId].decl, fmt::format("`{}` is declared here", parent.name)});
      }
    }
    std::vector<ast::Ident> assigned;
    for (const ast::AssignsDecl &assigns : decls[id]->assigns)
      assigned.insert(assigned.end(), assigns.roles.begin(), assigns.roles.end());
    reportDuplicates(assigned);
    // Each target with its condition; a target named twice may be given when either holds.
    std::map<RoleId, Guard> guards;
    std::set<RoleId> named;
    for (const ast::AssignsDecl &assigns : decls[id]->assigns) {
      std::optional<Guard> guard = Guard::always();
      if (assigns.when)
        guard = toGuard(*assigns.when, ctx, [&](FlagId flag, const ast::Ident &name) {
          return flagUsable(flag, name, id, role.kinds, RuleSubject::AssignsOfRole);
        });
      for (const ast::Ident &target : assigns.roles)
        if (std::optional<RoleId> targetId = ctx.role(target)) {
          if (named.insert(*targetId).second)
            role.assignSites.emplace_back(*targetId, target.range);
          if (!guard)
            continue; // the condition named something unknown (reported): give nothing
          auto [it, added] = guards.emplace(*targetId, *guard);
          if (!added)
            it->second = disjoin(it->second, *guard);
        }
    }
    for (auto &[target, guard] : guards) {
      role.assigns.push_back(target);
      role.assignGuards.push_back(std::move(guard));
    }
  }

  /// Warns about names listed more than once (`for a, a`, `assigns x; assigns x;`).
  void reportDuplicates(const std::vector<ast::Ident> &names) {
    for (size_t i = 0; i < names.size(); ++i)
      for (size_t k = 0; k < i; ++k)
        if (names[k].name == names[i].name) {
          Diagnostic &diag = ctx.diags.report(DiagKind::DuplicateName, names[i].range,
                                              fmt::format("`{}` is listed twice", names[i].name));
          diag.notes.push_back({names[k].range, "first listed here"});
          break;
        }
  }

  /// Detects extends cycles and computes each role's transitive ancestors, iteratively.
  void computeClosures() {
    std::vector<uint8_t> color(model.roles.size(), 0);
    std::vector<uint32_t> depth(model.roles.size(), 0); // longest extends chain above a role
    for (RoleId root = 0; root < model.roles.size(); ++root) {
      if (color[root])
        continue;
      std::vector<std::pair<RoleId, size_t>> stack{{root, 0}};
      color[root] = 1;
      while (!stack.empty()) {
        auto &[node, next] = stack.back();
        Role &role = model.roles[node];
        if (next == role.extends.size()) {
          for (RoleId parent : role.extends)
            depth[node] = std::max(depth[node], depth[parent] + 1);
          color[node] = 2;
          if (depth[node] > kMaxExtendsDepth) {
            // Deeper chains are refused: closures would grow quadratically with the depth.
            if (depth[node] == kMaxExtendsDepth + 1)
              ctx.diags.report(DiagKind::ExtendsTooDeep, decls[node]->name.range,
                               fmt::format("role `{}` is more than {} levels of `extends` deep",
                                           role.name, kMaxExtendsDepth));
            stack.pop_back();
            continue;
          }
          for (RoleId parent : role.extends) {
            role.inherited.push_back(parent);
            const auto &more = model.roles[parent].inherited;
            role.inherited.insert(role.inherited.end(), more.begin(), more.end());
          }
          std::sort(role.inherited.begin(), role.inherited.end());
          role.inherited.erase(std::unique(role.inherited.begin(), role.inherited.end()),
                               role.inherited.end());
          std::erase(role.inherited, node);
          stack.pop_back();
          continue;
        }
        RoleId parent = role.extends[next++];
        if (color[parent] == 1) {
          Diagnostic &diag = ctx.diags.report(DiagKind::ExtendsCycle, decls[node]->name.range,
                                              fmt::format("role `{}` extends itself through `{}`",
                                                          model.roles[parent].name, role.name));
          std::vector<std::pair<std::string, SourceRange>> members;
          bool inCycle = false;
          for (auto &[member, unused] : stack)
            if ((inCycle |= member == parent))
              members.emplace_back(model.roles[member].name, model.roles[member].decl);
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

  /// Who a condition belongs to, for the wording of L0205.
  enum class RuleSubject { RuleOfRole, RuleForKinds, PolicyRule, AssignsOfRole };

  /// Whether `flag`, named in a condition of `role` (kPolicyRole: a policy-wide deny) read by
  /// principals of `kinds`, can be set for one of them; reports L0205 otherwise.
  bool flagUsable(FlagId flag, const ast::Ident &name, RoleId role, KindMask kinds,
                  RuleSubject subject) {
    if (model.flags[flag].isFact()) {
      // A rule may read every fact (checked against its permissions once they are known); the
      // assigner's condition only the request's: no resource or target is asked about.
      if (subject != RuleSubject::AssignsOfRole || model.flags[flag].side == FlagSide::Request)
        return true;
      reportFactNotAvailable(flag, name,
                             "an `assigns` is about no resource: its condition reads "
                             "the assigner's flags, its node's and the request's facts");
      return false;
    }
    if (kindsCarrying(model, flag, kinds) != 0 || unknownWhere(flag, role, kinds))
      return true;
    std::string whose;
    switch (subject) {
    case RuleSubject::RuleOfRole:
    case RuleSubject::AssignsOfRole:
      whose = fmt::format("{}, {} of role `{}`", kindList(model, kinds), userTypes(kinds),
                          model.roles[role].name);
      break;
    case RuleSubject::RuleForKinds:
      whose = fmt::format("{}, {} this rule is for", kindList(model, kinds), userTypes(kinds));
      break;
    case RuleSubject::PolicyRule:
      whose = kinds == model.allKinds() ? std::string("any user type")
                                        : fmt::format("{}, {} this rule is for",
                                                      kindList(model, kinds), userTypes(kinds));
      break;
    }
    Diagnostic &diag =
        ctx.diags.report(DiagKind::FlagNotAvailable, name.range,
                         fmt::format("flag `{}` can never be set for {}", name.name, whose));
    diag.notes.push_back({model.flags[flag].decl, "flag declared here"});
    if (subject == RuleSubject::AssignsOfRole)
      diag.help = "the condition of `assigns` reads the assigner's flags and its node's";
    return false;
  }

  /// L0254: a fact where nothing gives it (a resource or target fact in `require` or `assigns`).
  void reportFactNotAvailable(FlagId flag, const ast::Ident &name, std::string help) {
    Diagnostic &diag = ctx.diags.report(DiagKind::FactNotAvailable, name.range,
                                        fmt::format("`{}` is never known here", name.name));
    diag.notes.push_back({model.flags[flag].decl, "fact declared here"});
    diag.help = std::move(help);
  }

  /// L0252 and L0253: every fact a rule reads must be one its permissions can have: a resource
  /// fact of each permission's resource, a `target.x` flag some target node of each permission
  /// can carry. Else the rule would read a fact no request for that permission gives.
  bool checkFactsOfRule(const Rule &rule, const ast::RuleDecl &decl) {
    bool ok = true;
    const FlagMask facts = rule.guard.flagsRead() & model.factMask();
    for (FlagId f = 0; f < model.flags.size() && f < 64; ++f) {
      if (!((facts >> f) & 1))
        continue;
      const Flag &flag = model.flags[f];
      if (flag.side == FlagSide::Request || ctx.incomplete(ctx.incompleteFlags, f))
        continue;
      for (PermissionId p : rule.permissions) {
        const Permission &permission = model.permissions[p];
        const Resource &resource = model.resources[permission.resource];
        bool has = false;
        if (flag.side == FlagSide::Resource) {
          has =
              std::binary_search(flag.resources.begin(), flag.resources.end(), permission.resource);
        } else {
          std::vector<ScopeKindId> about = resource.aboutKinds();
          has = about.empty();
          for (ScopeKindId kind : about)
            has |= std::find(flag.scopes.begin(), flag.scopes.end(), kind) != flag.scopes.end();
        }
        if (has)
          continue;
        const ast::Ident *at = findFlagUse(*decl.when, flag.name);
        const SourceRange where = at ? at->range : decl.range;
        if (flag.side == FlagSide::Resource) {
          Diagnostic &diag = ctx.diags.report(
              DiagKind::FactNotOfResource, where,
              fmt::format("`{}` is not a fact of `{}`, so it is never known for `{}`", flag.name,
                          resource.name, permission.name));
          diag.notes.push_back({flag.decl, fmt::format("`{}` is declared on {}", flag.name,
                                                       resourceList(flag.resources))});
          diag.help = fmt::format("limit the rule to the resources that have it, or add `{}` to "
                                  "the resources of its declaration",
                                  resource.name);
        } else {
          Diagnostic &diag = ctx.diags.report(
              DiagKind::TargetFactNeverSet, where,
              fmt::format("`{}` can never be set for `{}`: its target is {}", flag.name,
                          permission.name, scopeList(resource.aboutKinds())));
          diag.notes.push_back(
              {flag.decl, fmt::format("`{}` is declared on {}", model.flags[flag.base].name,
                                      scopeList(flag.scopes))});
          diag.help = "a `target.x` flag is the flag of the node the request is about: limit "
                      "the rule to permissions whose target can have it";
        }
        ok = false;
        break; // one report per fact and rule
      }
    }
    return ok;
  }

  static const ast::Ident *findFlagUse(const ast::Condition &c, const std::string &name) {
    if (c.op == ast::Condition::Op::Flag)
      return c.flag.name == name ? &c.flag : nullptr;
    const ast::Ident *found = c.lhs ? findFlagUse(*c.lhs, name) : nullptr;
    if (!found && c.rhs)
      found = findFlagUse(*c.rhs, name);
    return found;
  }

  std::string resourceList(const std::vector<ResourceId> &resources) const {
    std::string result;
    for (ResourceId r : resources)
      result += (result.empty() ? "`" : ", `") + model.resources[r].name + "`";
    return result.empty() ? "no resource" : result;
  }

  std::string scopeList(const std::vector<ScopeKindId> &scopes) const {
    std::string result;
    for (ScopeKindId s : scopes)
      result += (result.empty() ? "`" : ", `") + model.scopeKinds[s].name + "`";
    return result.empty() ? "any node" : result;
  }

  /// A rule of role `id`, or a policy-wide deny (`id` = kPolicyRole, a rule at the top level).
  void checkRule(RoleId id, const ast::RuleDecl &decl) {
    const bool policy = id == kPolicyRole;
    Rule rule;
    rule.role = id;
    rule.effect = decl.effect == ast::Effect::Deny ? Effect::Deny : Effect::Allow;
    rule.range = decl.range;
    rule.guard = Guard::always();
    rule.kinds = model.allKinds();
    bool ok = true;
    if (policy && rule.effect == Effect::Allow) {
      Diagnostic &diag = ctx.diags.report(
          DiagKind::PolicyWideAllow, decl.range,
          "an `allow` outside a role grants nothing: only a `deny` applies policy-wide");
      diag.help = "put the allow in a role, or write `deny` to forbid the permissions whatever "
                  "role grants them";
      ok = false;
    }
    // The user types whose principals the rule can apply to: its role's (every one for a
    // policy-wide deny), narrowed by its `for`.
    KindMask holders = policy ? model.allKinds() : model.roles[id].kinds;
    bool roleKnown = policy || !ctx.incomplete(ctx.incompleteRoles, id);
    bool holdersKnown = roleKnown && !ctx.anyIncompleteKind(holders);
    if (!decl.kinds.empty()) {
      reportDuplicates(decl.kinds);
      bool complete = true;
      KindMask listed = ctx.kindMask(decl.kinds, &complete);
      if (!complete)
        ok = false; // an unknown user type (reported): who the rule is for is not known
      if (!policy && roleKnown)
        for (const ast::Ident &name : decl.kinds)
          if (std::optional<uint32_t> k = ctx.kindNames.find(name.name);
              k && !(model.roles[id].kinds >> *k & 1)) {
            reportKindNotOfRole(id, name);
            ok = false;
          }
      rule.kinds = listed;
      holders &= listed;
      roleKnown &= complete;
      holdersKnown &= complete;
    }
    const RuleSubject subject = policy               ? RuleSubject::PolicyRule
                                : decl.kinds.empty() ? RuleSubject::RuleOfRole
                                                     : RuleSubject::RuleForKinds;
    if (decl.relation) {
      const RelationWord *word = ctx.relationWord(*decl.relation, DiagKind::UnknownRelation);
      ok &= word != nullptr;
      rule.reach = word ? word->reach : Reach::Self;
    } else if (policy) {
      rule.reach = Reach::Tenant; // whatever node the principal acts from (see language.md)
    }
    if (decl.when) {
      auto usable = [&](FlagId flag, const ast::Ident &name) {
        return !holdersKnown || flagUsable(flag, name, id, holders, subject);
      };
      std::optional<Guard> guard = toGuard(*decl.when, ctx, usable);
      ok &= guard.has_value();
      if (guard)
        rule.guard = std::move(*guard);
    }
    std::optional<std::vector<PermissionId>> permissions =
        expandPatterns(decl.patterns, decl.except, ctx);
    if (!permissions || !ok)
      return;
    rule.permissions = std::move(*permissions);
    if (decl.when && !checkFactsOfRule(rule, decl))
      return;
    if (rule.permissions.empty())
      ctx.diags.report(DiagKind::EmptyPermissionSet, decl.range, "this rule matches no permission");
    if (roleKnown)
      checkApplicability(id, holders, subject, decl);
    if (holdersKnown)
      checkReach(holders, decl, rule.reach);
    if (policy)
      model.policyRules.push_back(model.rules.size());
    else
      model.roles[id].rules.push_back(model.rules.size());
    model.rules.push_back(std::move(rule));
  }

  /// L0237: a rule of role `id` says `for` a user type the role is not for.
  void reportKindNotOfRole(RoleId id, const ast::Ident &name) {
    const Role &role = model.roles[id];
    Diagnostic &diag = ctx.diags.report(
        DiagKind::RuleKindNotOfRole, name.range,
        fmt::format("role `{}` is not for user type `{}`, so this rule can never apply to it",
                    role.name, name.name));
    diag.notes.push_back(
        {role.decl, fmt::format("`{}` is for {}", role.name, kindList(model, role.kinds))});
    NameSuggester suggester(name.name);
    for (KindId k = 0; k < model.kinds.size(); ++k)
      if (role.kinds >> k & 1)
        suggester.consider(model.kinds[k].name);
    diag.help = suggester.best() ? suggester.didYouMean()
                                 : fmt::format("name a user type of the role, or add `{}` to its "
                                               "`for`",
                                               name.name);
  }

  /// Every action or group a rule names explicitly must apply to some user type the rule can
  /// apply to (`holders`). Only explicit names are checked: `*` and `res.*` naturally span
  /// permissions of other kinds.
  void checkApplicability(RoleId id, KindMask holders, RuleSubject subject,
                          const ast::RuleDecl &decl) {
    if (holders == 0)
      return;
    ctx.forEachNamedAction(model, decl, [&](const Context::NamedAction &action) {
      if ((action.applicable & holders) != 0)
        return;
      std::string qualified = action.resource.name + "." + action.name.name;
      bool isGroup = action.permissions.size() != 1 ||
                     model.permissions[action.permissions[0]].action != action.name.name;
      std::string whose = subject == RuleSubject::RuleOfRole
                              ? fmt::format("{}, {} of role `{}`", kindList(model, holders),
                                            userTypes(holders), model.roles[id].name)
                              : fmt::format("{}, {} this rule is for", kindList(model, holders),
                                            userTypes(holders));
      Diagnostic &diag = ctx.diags.report(
          DiagKind::PermissionNotApplicable, action.name.range,
          fmt::format(fmt::runtime(isGroup ? "no action of group `{}` applies to {}"
                                           : "`{}` does not apply to {}"),
                      qualified, whose));
      if (!isGroup)
        diag.notes.push_back({model.permissions[action.permissions[0]].decl,
                              fmt::format("`{}` applies only to {}", qualified,
                                          kindList(model, action.applicable))});
    });
  }

  void checkReach(KindMask holders, const ast::RuleDecl &decl, Reach reach) {
    if (!decl.relation ||
        (reach != Reach::Descendants && reach != Reach::Ancestors && reach != Reach::Elsewhere))
      return;
    bool possible = false;
    for (KindId k = 0; k < model.kinds.size(); ++k) {
      if (!(holders >> k & 1))
        continue;
      // Elsewhere in the tree needs a node that is not the root, like an ancestor does.
      for (ScopeKindId scope : model.kinds[k].scopes)
        possible |= reach == Reach::Descendants ? shape.hasChildren[scope] : shape.hasParent[scope];
    }
    if (possible || holders == 0)
      return;
    Diagnostic &diag = ctx.diags.report(
        DiagKind::RelationNeverReached, decl.relation->range,
        fmt::format("`{}` never applies: {} can only sit at scope kinds with no {}",
                    reachName(reach), kindList(model, holders),
                    reach == Reach::Descendants ? "children" : "parents"));
    diag.help = "use `self`, or place the user type at a scope kind that has them";
  }

  /// Whether where `flag` can be set for `kinds` (of role `role`) is not fully known, because a
  /// declaration it depends on named something unknown (already reported).
  bool unknownWhere(FlagId flag, RoleId role, KindMask kinds) const {
    return ctx.incomplete(ctx.incompleteFlags, flag) || ctx.incomplete(ctx.incompleteRoles, role) ||
           ctx.anyIncompleteKind(kinds);
  }

  void checkExclusive(const ast::ExclusiveDecl &decl) {
    ExclusiveSet set{{}, decl.range};
    for (const ast::Ident &name : decl.roles) {
      std::optional<RoleId> id = ctx.role(name);
      if (!id)
        return;
      if (std::find(set.roles.begin(), set.roles.end(), *id) != set.roles.end()) {
        ctx.diags.report(DiagKind::DuplicateName, name.range,
                         fmt::format("`{}` is listed twice", name.name));
        continue;
      }
      set.roles.push_back(*id);
    }
    if (set.roles.size() < 2) {
      ctx.diags.report(DiagKind::ExclusiveTooFew, decl.range,
                       "an exclusive set needs at least two distinct roles");
      return;
    }
    std::sort(set.roles.begin(), set.roles.end());
    model.exclusives.push_back(std::move(set));
  }

  void checkRequire(const ast::RequireDecl &decl) {
    Requirement requirement;
    requirement.decl = decl.range;
    bool complete = true;
    requirement.kinds = decl.kinds.empty() ? model.allKinds() : ctx.kindMask(decl.kinds, &complete);
    auto usable = [&](FlagId flag, const ast::Ident &name) {
      if (model.flags[flag].side == FlagSide::Request)
        return true; // `require request.mfa_used;`: every request must say so
      if (model.flags[flag].isFact()) {
        reportFactNotAvailable(flag, name,
                               "a `require` holds for every permission, and only the request's "
                               "facts are known for every one: read this fact in a rule instead");
        return false;
      }
      if (kindsCarrying(model, flag, requirement.kinds) != 0 || !complete ||
          ctx.incomplete(ctx.incompleteFlags, flag) || ctx.anyIncompleteKind(requirement.kinds))
        return true;
      Diagnostic &diag =
          ctx.diags.report(DiagKind::FlagNotAvailableForRequire, name.range,
                           fmt::format("flag `{}` can never be set for {}", name.name,
                                       kindList(model, requirement.kinds)));
      diag.notes.push_back({model.flags[flag].decl, "flag declared here"});
      return false;
    };
    std::optional<Guard> guard = toGuard(*decl.condition, ctx, usable);
    if (!guard)
      return;
    requirement.guard = std::move(*guard);
    model.requirements.push_back(std::move(requirement));
  }

  const std::vector<ast::File> &files;
  Context &ctx;
  Model &model;
  TreeShape shape;
  std::vector<const ast::RoleDecl *> decls;
};

} // namespace

void checkRoles(const std::vector<ast::File> &files, Context &ctx) {
  RoleChecker(files, ctx).run();
}

} // namespace lattice::sema
