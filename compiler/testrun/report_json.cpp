// report_json.cpp - `lattice test --format json`: every test block and case with its result and
// failing requests, and `--coverage` as structured data.
#include "testrun/report.h"

namespace lattice::testrun {
namespace {

using llvm::json::Array;
using llvm::json::Object;

Object location(const SourceManager &sources, SourceRange range) {
  LineColumn lc = sources.lineColumn(range.file, range.begin);
  return Object{{"file", sources.name(range.file).str()}, {"line", lc.line}, {"column", lc.column}};
}

Array roleNames(const sema::Model &model, const std::vector<sema::RoleId> &roles) {
  Array names;
  for (sema::RoleId role : roles)
    names.push_back(model.roles[role].name);
  return names;
}

Array flagNames(const sema::Model &model, sema::FlagMask flags) {
  Array names;
  for (sema::FlagId flag = 0; flag < model.flags.size(); ++flag)
    if (flags >> flag & 1)
      names.push_back(model.flags[flag].name);
  return names;
}

Array relationNames(sema::RelationMask relations) {
  Array names;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    if (relations >> r & 1)
      names.push_back(sema::relationName(static_cast<sema::Relation>(r)));
  return names;
}

/// The percentage as printed: one decimal, rounded down.
double percent(size_t part, size_t total) {
  return total == 0 ? 100.0 : static_cast<double>(part * 1000 / total) / 10.0;
}

Object caseJson(const sema::Model &model, const SourceManager &sources, const sema::Test &test,
                const CaseResult &result) {
  const sema::TestCase &c = *result.testCase;
  Array failures;
  for (const Failure &failure : result.failures) {
    Object item{{"got", c.assigns ? (failure.got ? "assigns" : "not assigns")
                                  : (failure.got ? "allow" : "deny")},
                {"reason", failure.because}};
    if (c.assigns) {
      item["target"] = model.roles[failure.target].name;
    } else {
      item["permission"] = model.permissions[failure.permission].name;
      if (failure.node)
        item["node"] = test.nodes[*failure.node].name;
      else
        item["relation"] = sema::relationName(failure.relation);
    }
    failures.push_back(std::move(item));
  }
  bool allow = c.expect == sema::Effect::Allow;
  Object out{
      {"text", sourceText(sources, c.range)},
      {"location", location(sources, c.range)},
      {"expect", c.assigns ? (allow ? "assigns" : "not assigns") : (allow ? "allow" : "deny")},
      {"roles", roleNames(model, c.roles)},
      {"checks", static_cast<int64_t>(result.checks)},
      {"passed", result.passed()},
      {"failures", std::move(failures)}};
  if (!c.customRoles.empty()) { // the test's custom roles, or ceilings' widest, by name
    Array names;
    for (uint32_t custom : c.customRoles)
      names.push_back(test.customRoles[custom].name);
    out["custom_roles"] = std::move(names);
  }
  if (!result.refused.empty())
    out["refused"] = result.refused;
  if (c.assigns) {
    out["targets"] = roleNames(model, c.targets);
    out["flags"] = flagNames(model, c.flags); // the assigner's
  } else if (c.principal) {
    out["principal"] = test.principals[*c.principal].name;
  } else {
    out["user_type"] = model.kinds[c.kind].name;
    out["flags"] = flagNames(model, c.flags);
  }
  return out;
}

} // namespace

Object reportJson(const sema::Model &model, const SourceManager &sources, const Report &report) {
  Array tests;
  for (const TestResult &test : report.tests) {
    Array cases;
    for (const CaseResult &c : test.cases)
      cases.push_back(caseJson(model, sources, *test.test, c));
    tests.push_back(Object{{"name", test.test->name},
                           {"location", location(sources, test.test->decl)},
                           {"passed", test.failedCases() == 0},
                           {"cases", std::move(cases)}});
  }
  return Object{{"tests", std::move(tests)},
                {"passed", static_cast<int64_t>(report.passed)},
                {"failed", static_cast<int64_t>(report.failed)}};
}

Object coverageJson(const sema::Model &model, const SourceManager &sources,
                    const Coverage &coverage) {
  Array unexercised;
  for (uint32_t r = 0; r < model.rules.size(); ++r) {
    if (coverage.exercised[r])
      continue;
    const sema::Rule &rule = model.rules[r];
    // A policy-wide deny belongs to no role: `"role": null`.
    unexercised.push_back(
        Object{{"role", rule.policyWide() ? llvm::json::Value(nullptr)
                                          : llvm::json::Value(model.roles[rule.role].name)},
               {"text", sourceText(sources, rule.range)},
               {"location", location(sources, rule.range)}});
  }
  Array roles;
  for (const RoleCells &cells : coverage.roles) {
    Array pinned;
    for (const auto &[permission, relations] : cells.pinned)
      pinned.push_back(Object{{"permission", model.permissions[permission].name},
                              {"relations", relationNames(relations)}});
    roles.push_back(Object{{"role", model.roles[cells.role].name},
                           {"pinned", static_cast<int64_t>(cells.pinnedCount())},
                           {"total", static_cast<int64_t>(cells.total)},
                           {"cells", std::move(pinned)}});
  }
  return Object{{"rules", Object{{"exercised", static_cast<int64_t>(coverage.rulesExercised)},
                                 {"total", static_cast<int64_t>(coverage.rulesTotal)},
                                 {"percent", percent(coverage.rulesExercised, coverage.rulesTotal)},
                                 {"unexercised", std::move(unexercised)}}},
                {"cells", Object{{"pinned", static_cast<int64_t>(coverage.cellsPinned)},
                                 {"total", static_cast<int64_t>(coverage.cellsTotal)},
                                 {"percent", percent(coverage.cellsPinned, coverage.cellsTotal)},
                                 {"roles", std::move(roles)}}}};
}

} // namespace lattice::testrun
