// report_text.cpp - `lattice test` in words: a FAIL line per request that decided against its
// case, the summary line, and the coverage report.
#include "testrun/report.h"

#include <bit>
#include <fmt/format.h>
#include <map>

namespace lattice::testrun {
namespace {

std::string location(const SourceManager &sources, SourceRange range) {
  LineColumn lc = sources.lineColumn(range.file, range.begin);
  return fmt::format("{}:{}:{}", sources.name(range.file).str(), lc.line, lc.column);
}

std::string heldRoles(const sema::Model &model, const sema::Test &test, const sema::TestCase &c) {
  std::string names;
  for (sema::RoleId role : c.roles)
    names += (names.empty() ? "" : " + ") + model.roles[role].name;
  for (uint32_t custom : c.customRoles)
    names += (names.empty() ? "" : " + ") + test.customRoles[custom].name;
  return names;
}

/// `on *`, `on same`, `on {same, descendant}`: as a test case writes it.
std::string relationsText(sema::RelationMask relations) {
  if (relations == (1u << sema::kRelationCount) - 1)
    return "*";
  std::string names;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    if (relations >> r & 1)
      names += (names.empty() ? "" : ", ") +
               std::string(sema::relationName(static_cast<sema::Relation>(r)));
  return std::popcount(relations) == 1 ? names : "{" + names + "}";
}

} // namespace

std::string sourceText(const SourceManager &sources, SourceRange range) {
  llvm::StringRef text = sources.text(range.file).slice(range.begin, range.end);
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  if (!out.empty() && out.back() == ';')
    out.pop_back();
  return out;
}

std::string failureLines(const sema::Model &model, const SourceManager &sources,
                         const sema::Test &test, const CaseResult &result) {
  const std::string &testName = test.name;
  const sema::TestCase &c = *result.testCase;
  std::string where = location(sources, c.range);
  std::string out;
  if (!result.refused.empty())
    out += fmt::format("{}: FAIL test \"{}\": {}\n", where, testName, result.refused);
  for (const Failure &failure : result.failures) {
    if (c.assigns) {
      out += fmt::format(
          "{}: FAIL test \"{}\": expected {} {}to assign `{}`, but it {} ({})\n", where, testName,
          heldRoles(model, test, c), c.expect == sema::Effect::Allow ? "" : "not ",
          model.roles[failure.target].name, failure.got ? "may" : "may not", failure.because);
      continue;
    }
    if (c.principal) {
      // The reason names the deciding membership in parentheses of its own, so it follows a colon.
      out += fmt::format("{}: FAIL test \"{}\": expected {}, got {} for principal `{}`: `{}` on "
                         "`{}`: {}\n",
                         where, testName, c.expect == sema::Effect::Allow ? "allow" : "deny",
                         failure.got ? "allow" : "deny", test.principals[*c.principal].name,
                         model.permissions[failure.permission].name, test.nodes[*failure.node].name,
                         failure.because);
      continue;
    }
    out +=
        fmt::format("{}: FAIL test \"{}\": expected {}, got {} for {} as `{}`: `{}` on {} ({})\n",
                    where, testName, c.expect == sema::Effect::Allow ? "allow" : "deny",
                    failure.got ? "allow" : "deny", heldRoles(model, test, c),
                    model.kinds[c.kind].name, model.permissions[failure.permission].name,
                    sema::relationName(failure.relation), failure.because);
  }
  return out;
}

std::string reportText(const sema::Model &model, const SourceManager &sources, const Report &report,
                       bool verbose) {
  std::string out;
  for (const TestResult &test : report.tests) {
    for (const CaseResult &c : test.cases)
      out += failureLines(model, sources, *test.test, c);
    if (verbose)
      out += fmt::format("{} {} ({} cases)\n", test.failedCases() == 0 ? "PASS" : "FAIL",
                         test.test->name, test.cases.size());
  }
  out += fmt::format("{} passed, {} failed\n", report.passed, report.failed);
  return out;
}

std::string coverageText(const sema::Model &model, const SourceManager &sources,
                         const Coverage &coverage) {
  std::string out =
      fmt::format("coverage: {} of {} rules exercised ({}%), {} of {} matrix cells pinned ({}%)\n",
                  coverage.rulesExercised, coverage.rulesTotal,
                  percentText(coverage.rulesExercised, coverage.rulesTotal), coverage.cellsPinned,
                  coverage.cellsTotal, percentText(coverage.cellsPinned, coverage.cellsTotal));
  if (coverage.rulesExercised < coverage.rulesTotal) {
    out += "rules no test exercised:\n";
    for (uint32_t r = 0; r < model.rules.size(); ++r) {
      if (coverage.exercised[r])
        continue;
      const sema::Rule &rule = model.rules[r];
      out += fmt::format("  {}: {}: {}\n", location(sources, rule.range),
                         rule.policyWide() ? std::string("policy-wide")
                                           : fmt::format("role `{}`", model.roles[rule.role].name),
                         sourceText(sources, rule.range));
    }
  }
  out += "cells pinned by single-role cases:\n";
  for (const RoleCells &cells : coverage.roles) {
    out += fmt::format("  role `{}`: {} of {}\n", model.roles[cells.role].name, cells.pinnedCount(),
                       cells.total);
    // Per set of relations, the permissions in id order, wrapped at 100 columns:
    // `on {self, elsewhere}: p, q`.
    std::map<sema::RelationMask, std::vector<sema::PermissionId>> groups;
    for (const auto &[permission, relations] : cells.pinned)
      groups[relations].push_back(permission);
    for (auto it = groups.rbegin(); it != groups.rend(); ++it) {
      std::string line = fmt::format("    on {}:", relationsText(it->first));
      for (size_t i = 0; i < it->second.size(); ++i) {
        std::string name = model.permissions[it->second[i]].name;
        if (line.size() + name.size() + 2 > 100) {
          out += line + "\n";
          line = "     ";
        }
        line += " " + name + (i + 1 < it->second.size() ? "," : "");
      }
      out += line + "\n";
    }
  }
  return out;
}

} // namespace lattice::testrun
