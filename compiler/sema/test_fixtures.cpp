// test_fixtures.cpp - the nodes and principals a `test` block declares, and the cases about a
// principal: its memberships at named nodes decide against named target nodes.
#include "diagnostics/suggest.h"
#include "sema/context.h"

#include "llvm/ADT/StringSet.h"

#include <algorithm>
#include <bit>
#include <map>

namespace lattice::sema {
namespace {

std::string scopeKindList(const Model &model, const std::vector<ScopeKindId> &kinds) {
  std::string out;
  for (ScopeKindId k : kinds)
    out += (out.empty() ? "`" : "`, `") + model.scopeKinds[k].name;
  return out.empty() ? "nothing" : out + "`";
}

/// Test-local names (nodes and principals share one namespace per test).
class Fixtures {
public:
  Fixtures(const ast::TestDecl &decl, Test &test, Context &ctx)
      : decl(decl), test(test), ctx(ctx), model(ctx.model) {}

  void declare() {
    for (const ast::TestNodeDecl &node : decl.nodes)
      declareNode(node);
    for (const ast::TestCustomRoleDecl &custom : decl.customRoles)
      declareCustomRole(custom);
    for (const ast::TestPrincipalDecl &principal : decl.principals)
      declarePrincipal(principal);
  }

  /// TestCustomRoleLookup: a custom role of this test, or a ceiling's widest custom role (added
  /// to Test::customRoles once per ceiling when first named).
  std::optional<uint32_t> customRole(const ast::Ident &name, bool &failed) {
    if (auto it = customIds.find(name.name); it != customIds.end())
      return it->second;
    if (customNames.count(name.name)) {
      failed = true; // declared in this test, failed its checks
      return std::nullopt;
    }
    if (ctx.roleNames.find(name.name))
      return std::nullopt;
    const auto ceiling = std::find_if(model.customRoles.begin(), model.customRoles.end(),
                                      [&](const CustomRole &c) { return c.name == name.name; });
    if (ceiling == model.customRoles.end()) {
      failed = ctx.customRoleNames.find(name.name).has_value(); // a ceiling that failed
      return std::nullopt;
    }
    const uint32_t id = uint32_t(ceiling - model.customRoles.begin());
    if (auto it = widestIds.find(id); it != widestIds.end())
      return it->second;
    test.customRoles.push_back({ceiling->name, id, ceiling->cells, ceiling->decl, true});
    return widestIds[id] = uint32_t(test.customRoles.size() - 1);
  }

private:
  bool declareName(const ast::Ident &name) {
    auto [it, added] = names.try_emplace(name.name, name.range);
    if (added) {
      if (std::optional<uint32_t> role = ctx.roleNames.find(name.name)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestNameShadowsRole, name.range,
            fmt::format("`{}` is the name of a role: a case naming it would be ambiguous",
                        name.name));
        diag.notes.push_back({model.roles[*role].decl, "role declared here"});
        return false;
      }
      if (ctx.customRoleNames.find(name.name)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestNameShadowsRole, name.range,
            fmt::format("`{}` is the name of a custom role: a case naming it would be ambiguous",
                        name.name));
        for (const CustomRole &ceiling : model.customRoles)
          if (ceiling.name == name.name)
            diag.notes.push_back({ceiling.decl, "custom role declared here"});
        return false;
      }
      return true;
    }
    Diagnostic &diag =
        ctx.diags.report(DiagKind::DuplicateTestName, name.range,
                         fmt::format("`{}` is declared twice in this test", name.name));
    diag.notes.push_back({it->second, "first declared here"});
    return false;
  }

  void declareNode(const ast::TestNodeDecl &decl) {
    std::optional<ScopeKindId> kind = ctx.scopeKind(decl.kind);
    if (!declareName(decl.name) || !kind)
      return;
    TestNode node{decl.name.name, *kind, std::nullopt, 0, decl.name.range};
    const std::vector<ScopeKindId> &parents = model.scopeKinds[*kind].parents;
    if (decl.parent) {
      std::optional<uint32_t> parent = findNode(*decl.parent);
      if (!parent)
        return;
      const ScopeKindId parentKind = test.nodes[*parent].kind;
      if (std::find(parents.begin(), parents.end(), parentKind) == parents.end()) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestNodePlacement, decl.parent->range,
            fmt::format("node `{}` cannot be under `{}`: `{}` nodes are under {}, not `{}`",
                        decl.name.name, decl.parent->name, model.scopeKinds[*kind].name,
                        scopeKindList(model, parents), model.scopeKinds[parentKind].name));
        diag.notes.push_back({model.scopeKinds[*kind].decl, "scope kind declared here"});
        return;
      }
      node.parent = *parent;
    } else if (!model.scopeKinds[*kind].canBeRoot(*kind)) {
      Diagnostic &diag = ctx.diags.report(
          DiagKind::TestNodePlacement, decl.name.range,
          fmt::format("node `{}` needs a parent: `{}` nodes are under {}", decl.name.name,
                      model.scopeKinds[*kind].name, scopeKindList(model, parents)));
      diag.help = fmt::format("write `node {}: {} under NODE;`", decl.name.name,
                              model.scopeKinds[*kind].name);
      return;
    }
    for (const ast::Ident &name : decl.flags) {
      std::optional<FlagId> flag = ctx.flag(name);
      if (!flag)
        return;
      const Flag &f = model.flags[*flag];
      if (!f.onScope || std::find(f.scopes.begin(), f.scopes.end(), *kind) == f.scopes.end()) {
        Diagnostic &diag = ctx.diags.report(DiagKind::TestFlagPlacement, name.range,
                                            fmt::format("flag `{}` is not a flag of `{}` nodes",
                                                        name.name, model.scopeKinds[*kind].name));
        diag.notes.push_back({f.decl, "flag declared here"});
        return;
      }
      node.flags |= FlagMask{1} << *flag;
    }
    test.nodes.push_back(std::move(node));
    nodeIds.try_emplace(decl.name.name, uint32_t(test.nodes.size() - 1));
  }

  /// `custom viewer: key_role { allow station.view in subtree; }`: exactly these cells, which
  /// must lie within the ceiling (the runtime would refuse the role: every case would fail).
  void declareCustomRole(const ast::TestCustomRoleDecl &decl) {
    customNames.insert(decl.name.name);
    if (!declareName(decl.name))
      return;
    std::optional<uint32_t> ceiling = findCeiling(decl.ceiling);
    if (!ceiling)
      return;
    const CustomRole &limit = model.customRoles[*ceiling];
    std::map<PermissionId, RelationMask> cells;
    bool ok = true;
    for (const ast::RuleDecl &rule : decl.rules) {
      const char *unsupported = rule.effect == ast::Effect::Deny ? "deny"
                                : rule.when                      ? "have a condition"
                                : !rule.kinds.empty()            ? "name user types"
                                                                 : nullptr;
      if (unsupported) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::CustomRoleForm, rule.range,
            fmt::format("a rule of custom role `{}` cannot {}", decl.name.name, unsupported));
        diag.help = "a custom role allows its permissions unconditionally, as tenants build it: "
                    "write `allow PERMISSIONS in REACH;`";
        ok = false;
        continue;
      }
      Reach reach = Reach::Self;
      if (rule.relation) {
        const RelationWord *word = ctx.relationWord(*rule.relation, DiagKind::UnknownRelation);
        if (!word) {
          ok = false;
          continue;
        }
        reach = word->reach;
      }
      std::optional<std::vector<PermissionId>> permissions =
          expandPatterns(rule.patterns, rule.except, ctx);
      if (!permissions) {
        ok = false;
        continue;
      }
      for (PermissionId permission : *permissions) {
        cells[permission] |= reachRelations(reach);
        const RelationMask beyond = reachRelations(reach) & ~limit.reachOf(permission);
        if (!beyond)
          continue;
        const std::string &name = model.permissions[permission].name;
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestCustomRoleOutsideCeiling, rule.range,
            beyond == reachRelations(reach) && !limit.reachOf(permission)
                ? fmt::format("custom role `{}` holds `{}`, which ceiling `{}` does not allow",
                              decl.name.name, name, limit.name)
                : fmt::format("custom role `{}` holds `{}` at `{}`, beyond ceiling `{}`",
                              decl.name.name, name,
                              relationName(static_cast<Relation>(std::countr_zero(beyond))),
                              limit.name));
        diag.notes.push_back({limit.decl, "ceiling declared here"});
        diag.help = "the runtime refuses a custom role outside its ceiling: leave the permission "
                    "out, narrow its reach, or widen the ceiling";
        ok = false;
        break; // one error a rule
      }
    }
    if (!ok)
      return;
    test.customRoles.push_back(
        {decl.name.name, *ceiling, {cells.begin(), cells.end()}, decl.name.range});
    customIds.try_emplace(decl.name.name, uint32_t(test.customRoles.size() - 1));
  }

  std::optional<uint32_t> findCeiling(const ast::Ident &name) {
    for (uint32_t c = 0; c < model.customRoles.size(); ++c)
      if (model.customRoles[c].name == name.name)
        return c;
    if (ctx.customRoleNames.find(name.name))
      return std::nullopt; // a ceiling that failed its own checks (reported)
    Diagnostic &diag = ctx.diags.report(DiagKind::UnknownRole, name.range,
                                        fmt::format("no custom role `{}`", name.name));
    if (std::optional<uint32_t> role = ctx.roleNames.find(name.name)) {
      diag.notes.push_back({model.roles[*role].decl, "a role, not a custom role"});
      diag.help = "a test's custom role is built within a `custom role` of the policy";
      return std::nullopt;
    }
    NameSuggester suggester(name.name);
    for (const CustomRole &ceiling : model.customRoles)
      suggester.consider(ceiling.name);
    if (suggester.best())
      diag.help = suggester.didYouMean();
    return std::nullopt;
  }

  void declarePrincipal(const ast::TestPrincipalDecl &decl) {
    std::optional<KindId> kind = ctx.kind(decl.kind);
    if (!declareName(decl.name) || !kind)
      return;
    TestPrincipal principal{decl.name.name, *kind, 0, {}, decl.name.range};
    bool ok = true;
    for (const ast::Ident &name : decl.flags) {
      std::optional<FlagId> flag = ctx.flag(name);
      if (!flag) {
        ok = false;
        continue;
      }
      if (!((model.flags[*flag].kinds >> *kind) & 1)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestFlagPlacement, name.range,
            fmt::format("flag `{}` is not a flag of user type `{}`{}", name.name, decl.kind.name,
                        model.flags[*flag].onScope ? ": it belongs to nodes" : ""));
        diag.notes.push_back({model.flags[*flag].decl, "flag declared here"});
        ok = false;
        continue;
      }
      principal.flags |= FlagMask{1} << *flag;
    }
    for (const ast::TestMembershipDecl &m : decl.memberships) {
      std::optional<uint32_t> node = findNode(m.node);
      TestMembership membership{{}, node.value_or(0)};
      for (const ast::Ident &name : m.roles) {
        // A custom role of the test, or a ceiling's widest: held by the ceiling's user types.
        bool failed = false;
        if (std::optional<uint32_t> custom = customRole(name, failed)) {
          const CustomRole &ceiling = model.customRoles[test.customRoles[*custom].ceiling];
          if (!((ceiling.kinds >> *kind) & 1)) {
            Diagnostic &diag =
                ctx.diags.report(DiagKind::TestKindMismatch, name.range,
                                 fmt::format("user type `{}` may not hold custom role `{}`",
                                             decl.kind.name, name.name));
            diag.notes.push_back({ceiling.decl, "custom role declared here"});
            ok = false;
            continue;
          }
          membership.customRoles.push_back(*custom);
          continue;
        }
        if (failed) {
          ok = false;
          continue;
        }
        std::optional<RoleId> role = ctx.role(name);
        if (!role) {
          ok = false;
          continue;
        }
        if (!((model.roles[*role].kinds >> *kind) & 1)) {
          Diagnostic &diag = ctx.diags.report(
              DiagKind::TestKindMismatch, name.range,
              fmt::format("user type `{}` may not hold role `{}`", decl.kind.name, name.name));
          diag.notes.push_back({model.roles[*role].decl, "role declared here"});
          ok = false;
          continue;
        }
        membership.roles.push_back(*role);
      }
      if (!node) {
        ok = false;
        continue;
      }
      const std::vector<ScopeKindId> &seats = model.kinds[*kind].scopes;
      const ScopeKindId at = test.nodes[*node].kind;
      if (std::find(seats.begin(), seats.end(), at) == seats.end()) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestMembershipPlacement, m.node.range,
            fmt::format("user type `{}` cannot hold roles at `{}`, a `{}` node: it is at {}",
                        decl.kind.name, m.node.name, model.scopeKinds[at].name,
                        scopeKindList(model, seats)));
        diag.notes.push_back({model.kinds[*kind].decl, "user type declared here"});
        ok = false;
        continue;
      }
      principal.memberships.push_back(std::move(membership));
    }
    if (!ok)
      return;
    test.principals.push_back(std::move(principal));
    principalIds.try_emplace(decl.name.name, uint32_t(test.principals.size() - 1));
  }

public:
  std::optional<uint32_t> findNode(const ast::Ident &name) {
    if (auto it = nodeIds.find(name.name); it != nodeIds.end())
      return it->second;
    if (!names.count(name.name)) { // a node that failed its own checks is not reported again
      Diagnostic &diag =
          ctx.diags.report(DiagKind::UnknownTestNode, name.range,
                           fmt::format("this test declares no node `{}`", name.name));
      NameSuggester suggester(name.name);
      for (const TestNode &node : test.nodes)
        suggester.consider(node.name);
      if (suggester.best())
        diag.help = suggester.didYouMean();
    }
    return std::nullopt;
  }
  /// The principal a case's subject names, if it names one of this test's (or one that failed
  /// its checks: then the case is not checked further).
  std::optional<std::optional<uint32_t>> principalOf(const ast::TestCase &c) const {
    if (c.assigns || c.roles.size() != 1 || !names.count(c.roles[0].name) ||
        nodeIds.count(c.roles[0].name) || customNames.count(c.roles[0].name))
      return std::nullopt;
    auto it = principalIds.find(c.roles[0].name);
    return it == principalIds.end() ? std::optional<uint32_t>() : std::optional(it->second);
  }

private:
  const ast::TestDecl &decl;
  Test &test;
  Context &ctx;
  const Model &model;
  llvm::StringMap<SourceRange> names;
  llvm::StringMap<uint32_t> nodeIds, principalIds, customIds;
  llvm::StringSet<> customNames;          // declared custom roles, also ones that failed
  std::map<uint32_t, uint32_t> widestIds; // ceiling -> its widest custom role in the test
};

/// `allow alice: PATTERNS on NODES;` - the principal's kind and flags, the target nodes.
std::optional<TestCase> checkPrincipalCase(const ast::TestCase &decl, uint32_t principal,
                                           Fixtures &fixtures, const Test &test, Context &ctx) {
  const Model &model = ctx.model;
  const TestPrincipal &p = test.principals[principal];
  // `with` may give the request's facts about the resource and the request; the principal's
  // flags, its nodes' and the target's (`target.x`) come from the test's tree.
  FlagMask facts = 0;
  bool flagsAreFacts = true;
  for (const ast::Ident &name : decl.flags) {
    std::optional<FlagId> flag = ctx.flag(name);
    if (!flag)
      return std::nullopt;
    const FlagSide side = model.flags[*flag].side;
    if (side != FlagSide::Resource && side != FlagSide::Request)
      flagsAreFacts = false;
    facts |= FlagMask{1} << *flag;
  }
  if (decl.kind || !flagsAreFacts || decl.relations.empty()) {
    Diagnostic &diag = ctx.diags.report(
        DiagKind::PrincipalCaseForm, decl.range,
        fmt::format("a case about principal `{}` names target nodes, and takes its user type and "
                    "flags from the principal",
                    p.name));
    diag.help = fmt::format("write `{} {}: PERMISSIONS on NODE;` (or `on {{NODE, NODE}}`); "
                            "`with` gives only facts of the resource and the request",
                            decl.expect == ast::Effect::Deny ? "deny" : "allow", p.name);
    return std::nullopt;
  }
  TestCase result;
  result.expect = decl.expect == ast::Effect::Deny ? Effect::Deny : Effect::Allow;
  result.range = decl.range;
  result.principal = principal;
  result.kind = p.kind;
  result.flags = p.flags;
  result.facts = facts;
  std::optional<std::vector<PermissionId>> permissions =
      expandPatterns(decl.patterns, decl.except, ctx);
  bool ok = permissions.has_value();
  for (const ast::Ident &name : decl.relations) {
    std::optional<uint32_t> node = fixtures.findNode(name);
    if (!node) {
      ok = false;
      continue;
    }
    result.targetNodes.push_back(*node);
  }
  if (!ok)
    return std::nullopt;
  result.permissions = std::move(*permissions);
  if (result.permissions.empty())
    ctx.diags.report(DiagKind::EmptyPermissionSet, decl.range, "this test matches no permission");
  // Every target must be what some of the permissions can be about, and every permission
  // about some target (`station.* on {tenant_node, account_node}` checks each permission where
  // it applies; the runner skips the other pairs).
  for (size_t i = 0; i < result.targetNodes.size(); ++i) {
    const TestNode &node = test.nodes[result.targetNodes[i]];
    bool any = false;
    for (PermissionId permission : result.permissions)
      any = any || aboutNodeOf(model, permission, node.kind);
    if (!any && !result.permissions.empty()) {
      const PermissionId first = result.permissions[0];
      const Resource &resource = model.resources[model.permissions[first].resource];
      const std::vector<ScopeKindId> about = resource.aboutKinds();
      Diagnostic &diag = ctx.diags.report(
          DiagKind::TestTargetPlacement, decl.relations[i].range,
          fmt::format("`{}` is about a node of {}; `{}` is a `{}`", model.permissions[first].name,
                      scopeKindList(model, about), node.name, model.scopeKinds[node.kind].name));
      diag.notes.push_back({resource.decl, "resource declared here"});
      return std::nullopt;
    }
  }
  for (PermissionId permission : result.permissions) {
    bool any = false;
    for (uint32_t target : result.targetNodes)
      any = any || aboutNodeOf(model, permission, test.nodes[target].kind);
    if (any)
      continue;
    ctx.diags.report(DiagKind::TestTargetPlacement, decl.range,
                     fmt::format("`{}` can be about none of this case's target nodes",
                                 model.permissions[permission].name));
    return std::nullopt;
  }
  return result;
}

} // namespace

void checkTestBlock(const ast::TestDecl &decl, Test &test, Context &ctx,
                    const std::function<std::optional<TestCase>(
                        const ast::TestCase &, const TestCustomRoleLookup &)> &check) {
  Fixtures fixtures(decl, test, ctx);
  fixtures.declare();
  const TestCustomRoleLookup lookup = [&](const ast::Ident &name, bool &failed) {
    return fixtures.customRole(name, failed);
  };
  for (const ast::TestCase &c : decl.cases) {
    std::optional<TestCase> checked;
    if (std::optional<std::optional<uint32_t>> principal = fixtures.principalOf(c)) {
      if (!*principal)
        continue; // its principal failed its own checks, already reported
      checked = checkPrincipalCase(c, **principal, fixtures, test, ctx);
    } else {
      checked = check(c, lookup);
    }
    if (checked)
      test.cases.push_back(std::move(*checked));
  }
}

} // namespace lattice::sema
