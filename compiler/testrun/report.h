// report.h - the results of `lattice test` in words (the FAIL lines and the summary), as one
// JSON document, and as JUnit XML for CI systems; coverage as text and JSON.
#pragma once

#include "base/source_manager.h"
#include "testrun/coverage.h"
#include "testrun/runner.h"

#include "llvm/Support/JSON.h"

#include <string>

namespace lattice::testrun {

/// The source text of a declaration on one line: runs of white space become one space, a
/// trailing `;` is dropped ("deny driver: station.reset on same").
std::string sourceText(const SourceManager &sources, SourceRange range);

/// "tests.lat:12:3: FAIL test "t": expected deny, got allow for driver as `k`: `p` on same
/// (granted by role `driver`)" for each failing request of the case.
std::string failureLines(const sema::Model &model, const SourceManager &sources,
                         const sema::Test &test, const CaseResult &result);

/// The FAIL lines, with `verbose` a PASS/FAIL line per test block, and "N passed, N failed".
std::string reportText(const sema::Model &model, const SourceManager &sources, const Report &report,
                       bool verbose);

/// The rules no test exercised, then per role the cells pinned (`--coverage`).
std::string coverageText(const sema::Model &model, const SourceManager &sources,
                         const Coverage &coverage);

/// {"tests": [...], "passed": N, "failed": N}: the caller adds the diagnostics (and coverage).
llvm::json::Object reportJson(const sema::Model &model, const SourceManager &sources,
                              const Report &report);
llvm::json::Object coverageJson(const sema::Model &model, const SourceManager &sources,
                                const Coverage &coverage);

/// JUnit XML (testsuites > testsuite per test block > testcase per case, with a <failure> per
/// failing case). Without a report (the policy did not compile), one testcase `compile` with an
/// <error> holding `diagnostics`, the rendered text diagnostics.
std::string reportJunit(const sema::Model *model, const SourceManager &sources,
                        const Report *report, const std::string &diagnostics);

} // namespace lattice::testrun
