// runner.cpp - every case of every `test` block, run on the real table through the real runtime,
// so that a test checks exactly what ships.
#include "testrun/runner.h"

#include "emit/table_writer.h"
#include "lower/lower.h"
#include "query/access_request.h"
#include "query/can_assign.h"
#include "query/request.h"
#include "testrun/principal_requests.h"

#include <fmt/format.h>

namespace lattice::testrun {
namespace {

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
                      const sema::TestCase &c, CaseResult &result) {
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
      const lattice_access_decision decision = lattice_decide_access(table, &request);
      if ((decision.allowed != 0) == expected)
        continue;
      result.failures.push_back(Failure{permission, sema::Relation::Same, 0, target,
                                        decision.allowed != 0,
                                        query::describeAccessDecision(table, decision, nodes)});
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
  for (const sema::Test &test : model.tests) {
    TestResult testResult{&test, {}};
    for (const sema::TestCase &c : test.cases) {
      CaseResult result{&c, 0, {}};
      if (c.assigns)
        runAssignCase(table.get(), model, c, result);
      else if (c.principal)
        runPrincipalCase(table.get(), model, test, c, result);
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
