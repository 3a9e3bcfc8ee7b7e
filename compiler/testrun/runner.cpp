// runner.cpp - every case of every `test` block, run on the real table through the real runtime,
// so that a test checks exactly what ships.
#include "testrun/runner.h"

#include "emit/table_writer.h"
#include "lower/lower.h"
#include "query/access_request.h"
#include "query/can_assign.h"
#include "query/request.h"
#include "testrun/principal_requests.h"

#include <algorithm>
#include <fmt/format.h>
#include <memory>

namespace lattice::testrun {
namespace {

/// The runtime ids of a test's custom roles (Test::customRoles), each built once in the set;
/// LATTICE_NO_ID for one the runtime refused, with the reason in `refused` (sema checks the
/// ceiling first, so this is the runtime disagreeing: every case holding it fails).
struct BuiltCustomRoles {
  std::vector<uint32_t> ids;
  std::vector<std::string> refused;
};

BuiltCustomRoles buildCustomRoles(const lattice_table *table, const sema::Model &model,
                                  const sema::Test &test, lattice_custom_roles *set) {
  BuiltCustomRoles built;
  for (const sema::TestCustomRole &custom : test.customRoles) {
    std::vector<uint32_t> permissions, reaches;
    for (auto [permission, relations] : custom.cells) {
      permissions.push_back(permission);
      reaches.push_back(relations);
    }
    uint32_t role = LATTICE_NO_ID, bad = 0;
    const lattice_custom_status status =
        lattice_custom_role_add(set, custom.ceiling, permissions.data(), reaches.data(),
                                uint32_t(permissions.size()), &role, &bad);
    built.ids.push_back(status == LATTICE_CUSTOM_OK ? role : LATTICE_NO_ID);
    built.refused.push_back(
        status == LATTICE_CUSTOM_OK
            ? std::string()
            : fmt::format("the runtime refused custom role `{}` of `{}`: {}{}", custom.name,
                          lattice_ceiling_name(table, custom.ceiling),
                          lattice_custom_status_message(status),
                          bad < permissions.size()
                              ? fmt::format(" (`{}`)", model.permissions[permissions[bad]].name)
                              : std::string()));
  }
  return built;
}

/// The runtime ids of custom roles `held`; a refusal is recorded in the case's result.
std::vector<uint32_t> heldCustomRoles(const BuiltCustomRoles &built,
                                      const std::vector<uint32_t> &held, CaseResult &result) {
  std::vector<uint32_t> ids;
  for (uint32_t custom : held) {
    ids.push_back(built.ids[custom]);
    if (built.ids[custom] == LATTICE_NO_ID && result.refused.empty())
      result.refused = built.refused[custom];
  }
  return ids;
}

/// The test's custom role with runtime id `role` (one of `built`).
const sema::TestCustomRole &customRoleOf(const sema::Test &test, const BuiltCustomRoles &built,
                                         uint32_t role) {
  const size_t i = size_t(std::find(built.ids.begin(), built.ids.end(), role) - built.ids.begin());
  return test.customRoles.at(i);
}

/// "custom role `viewer`", or for a ceiling's widest "custom role `key_role` (every permission
/// of its ceiling)", as `query` names it.
std::string customRoleText(const sema::Test &test, const BuiltCustomRoles &built, uint32_t role) {
  const sema::TestCustomRole &custom = customRoleOf(test, built, role);
  return fmt::format("custom role `{}`{}", custom.name,
                     custom.widest ? " (every permission of its ceiling)" : "");
}

/// A case holding custom roles (the test's own or ceilings' widest): one membership at node
/// [1, 2] holding them beside the case's roles, a target node per relation, through
/// lattice_decide_access_custom.
void runCustomCase(const lattice_table *table, const sema::Test &test,
                   const BuiltCustomRoles &built, lattice_custom_roles *set,
                   const sema::TestCase &c, CaseResult &result) {
  const bool expected = c.expect == sema::Effect::Allow;
  std::vector<uint32_t> roles = c.roles;
  for (uint32_t id : heldCustomRoles(built, c.customRoles, result))
    roles.push_back(id);
  if (!result.refused.empty())
    return;
  static const uint64_t node[] = {1, 2};
  static const uint64_t targets[sema::kRelationCount][3] = {{1, 2}, {1, 2, 3}, {1}, {1, 5}};
  static const uint32_t depths[sema::kRelationCount] = {2, 3, 1, 2};
  lattice_membership membership{};
  membership.node.path = {node, 2};
  membership.roles = roles.data();
  membership.role_count = uint32_t(roles.size());
  membership.node_flags = c.flags & lattice_flag_mask(table, LATTICE_FLAG_NODE);
  for (sema::PermissionId permission : c.permissions)
    for (uint32_t relation = 0; relation < sema::kRelationCount; ++relation) {
      if (!(c.relations >> relation & 1))
        continue;
      ++result.checks;
      lattice_access_request request{};
      request.kind = c.kind;
      request.flags = c.flags & lattice_flag_mask(table, LATTICE_FLAG_PRINCIPAL);
      request.memberships = &membership;
      request.membership_count = 1;
      request.permission = permission;
      request.target.path = {targets[relation], depths[relation]};
      // A decision case gives every side in `flags`: the facts go to the request's facts word.
      request.facts = c.flags & lattice_flag_mask(table, LATTICE_FLAG_FACTS);
      const lattice_access_decision decision = lattice_decide_access_custom(table, set, &request);
      if ((decision.allowed != 0) == expected)
        continue;
      std::string because =
          lattice_custom_role_ceiling(set, decision.deciding_role) != LATTICE_NO_ID
              ? fmt::format("{} custom role `{}`", decision.allowed ? "granted by" : "refused for",
                            customRoleOf(test, built, decision.deciding_role).name)
              : query::describeDecision(table, lattice_decision{decision.allowed, decision.reason,
                                                                decision.deciding_role});
      result.failures.push_back(Failure{permission, static_cast<sema::Relation>(relation), 0,
                                        std::nullopt, decision.allowed != 0, because});
    }
}

void runDecisionCase(const lattice_table *table, const sema::TestCase &c, CaseResult &result) {
  bool expected = c.expect == sema::Effect::Allow;
  for (sema::PermissionId permission : c.permissions)
    for (uint32_t relation = 0; relation < sema::kRelationCount; ++relation) {
      if (!(c.relations >> relation & 1))
        continue;
      ++result.checks;
      lattice_request request{c.kind,     c.roles.data(), static_cast<uint32_t>(c.roles.size()),
                              permission, relation,       c.flags};
      lattice_decision decision = lattice_decide(table, &request);
      if ((decision.allowed != 0) == expected)
        continue;
      result.failures.push_back(Failure{permission, static_cast<sema::Relation>(relation), 0,
                                        std::nullopt, decision.allowed != 0,
                                        query::describeDecision(table, decision)});
    }
}

void runPrincipalCase(const lattice_table *table, const sema::Model &model, const sema::Test &test,
                      const sema::TestCase &c, const BuiltCustomRoles &built,
                      lattice_custom_roles *set, CaseResult &result) {
  // Each membership's roles with its custom roles (the test's own or ceilings' widest).
  const sema::TestPrincipal &principal = test.principals[*c.principal];
  std::vector<std::vector<uint32_t>> held;
  bool anyCustom = false;
  for (const sema::TestMembership &m : principal.memberships) {
    held.push_back(m.roles);
    for (uint32_t id : heldCustomRoles(built, m.customRoles, result))
      held.back().push_back(id);
    anyCustom |= !m.customRoles.empty();
  }
  if (!result.refused.empty())
    return;
  const bool expected = c.expect == sema::Effect::Allow;
  const std::vector<std::vector<uint64_t>> paths = nodePaths(test);
  std::vector<std::string> nodes; // where each membership is, as `query` names it
  for (const sema::TestMembership &m : test.principals[*c.principal].memberships)
    nodes.push_back(test.nodes[m.node].name);
  std::vector<lattice_membership> memberships;
  for (sema::PermissionId permission : c.permissions)
    for (uint32_t target : c.targetNodes) {
      if (!sema::aboutNodeOf(model, permission, test.nodes[target].kind))
        continue; // `res.* on {a, b}`: each permission where it can apply
      ++result.checks;
      const lattice_access_request request =
          accessRequest(model, test, c, permission, target, paths, memberships);
      for (size_t m = 0; anyCustom && m < memberships.size(); ++m) {
        memberships[m].roles = held[m].data();
        memberships[m].role_count = uint32_t(held[m].size());
      }
      const lattice_access_decision decision =
          lattice_decide_access_custom(table, anyCustom ? set : nullptr, &request);
      if ((decision.allowed != 0) == expected)
        continue;
      result.failures.push_back(
          Failure{permission, sema::Relation::Same, 0, target, decision.allowed != 0,
                  query::describeAccessDecision(table, decision, nodes, set, [&](uint32_t role) {
                    return customRoleText(test, built, role);
                  })});
    }
}

void runAssignCase(const lattice_table *table, const sema::Model &model, const sema::TestCase &c,
                   CaseResult &result) {
  bool expected = c.expect == sema::Effect::Allow;
  for (sema::RoleId target : c.targets) {
    ++result.checks;
    query::AssignAnswer answer = query::canAssign(table, c.roles, target, c.flags);
    if (answer.allowed == expected)
      continue;
    const sema::Role &role = model.roles[target];
    // The model says precisely why the runtime refused: the table has no "locked" query.
    bool conditional = false; // some held role assigns it, under a condition these flags fail
    for (sema::RoleId held : c.roles)
      conditional |= model.roles[held].assignGuard(target) != nullptr;
    std::string because =
        answer.allowed ? query::describeAssign(table, answer, target)
        : role.locked  ? fmt::format("`{}` is locked", role.name)
        : conditional  ? fmt::format("a held role assigns `{}` only when its condition holds, "
                                      "and it does not with {}",
                                     role.name, c.flags ? "these flags" : "no flags set")
                       : fmt::format("no held role assigns `{}`", role.name);
    result.failures.push_back(
        Failure{0, sema::Relation::Same, target, std::nullopt, answer.allowed, because});
  }
}

} // namespace

size_t TestResult::failedCases() const {
  size_t failed = 0;
  for (const CaseResult &c : cases)
    failed += !c.passed();
  return failed;
}

std::optional<Report> runTests(const sema::Model &model, std::string &error) {
  std::vector<uint8_t> bytes = emit::writeTable(lower::lowerModel(model));
  lattice_table *raw = nullptr;
  lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &raw);
  query::TablePtr table(raw);
  if (status != LATTICE_LOAD_OK) {
    error =
        fmt::format("the compiled table does not load: {}", lattice_load_status_message(status));
    return std::nullopt;
  }
  Report report;
  std::unique_ptr<lattice_custom_roles, void (*)(lattice_custom_roles *)> custom(
      lattice_custom_roles_new(table.get()), lattice_custom_roles_free);
  for (const sema::Test &test : model.tests) {
    TestResult testResult{&test, {}};
    const BuiltCustomRoles built = buildCustomRoles(table.get(), model, test, custom.get());
    for (const sema::TestCase &c : test.cases) {
      CaseResult result{&c, 0, {}, {}};
      if (c.assigns)
        runAssignCase(table.get(), model, c, result);
      else if (c.principal)
        runPrincipalCase(table.get(), model, test, c, built, custom.get(), result);
      else if (!c.customRoles.empty())
        runCustomCase(table.get(), test, built, custom.get(), c, result);
      else
        runDecisionCase(table.get(), c, result);
      (result.passed() ? report.passed : report.failed) += 1;
      testResult.cases.push_back(std::move(result));
    }
    report.tests.push_back(std::move(testResult));
  }
  return report;
}

} // namespace lattice::testrun
