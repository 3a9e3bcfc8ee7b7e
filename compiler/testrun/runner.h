// runner.h - runs the `test` blocks of a checked policy through the runtime, on the table bytes
// `build` would write, and records every request of a case that decided against it.
#pragma once

#include "lattice/lattice.h"
#include "sema/model.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::testrun {

/// One request of a case that came out against the expectation.
struct Failure {
  sema::PermissionId permission = 0; // decision cases
  sema::Relation relation = sema::Relation::Same;
  sema::RoleId target = 0;      // assigns cases: the role that was (not) assignable
  std::optional<uint32_t> node; // principal cases: the target node (index in Test::nodes)
  bool got = false;             // the runtime's answer: allowed, or may assign
  std::string because;          // the runtime's reason in words: "granted by role `x`"
};

struct CaseResult {
  const sema::TestCase *testCase = nullptr;
  size_t checks = 0; // requests run: permissions x relations, or targets
  std::vector<Failure> failures;
  /// Set when the runtime refused a custom role the case holds: no request ran, the case fails.
  std::string refused;
  bool passed() const { return failures.empty() && refused.empty(); }
};

struct TestResult {
  const sema::Test *test = nullptr;
  std::vector<CaseResult> cases;
  size_t failedCases() const;
};

struct Report {
  std::vector<TestResult> tests;
  size_t passed = 0, failed = 0; // cases
};

/// Lowers and writes the model's table, loads it with the runtime and runs every case: decision
/// cases through lattice_decide, `assigns` cases through lattice_can_assign. Failures are worded
/// as `query` words its answers (query::describeDecision, query::describeAccessDecision for
/// principal cases: "... held at `b` (membership 2)"). Returns nullopt and sets `error` only when
/// the compiled table does not load (an internal error).
std::optional<Report> runTests(const sema::Model &model, std::string &error);

} // namespace lattice::testrun
