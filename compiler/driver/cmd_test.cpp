// cmd_test.cpp - `lattice test FILE...`: compile, then run every `test` case through the
// runtime on the table that `build` would write, so the tests check exactly what ships.
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "driver/request.h"
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "lower/lower.h"

#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kTestOptions = withDiagnosticOptions({
    {"--verbose", false, "", "list every test, not only failures"},
});

/// Runs one case; prints each failing expansion. Returns true if every expansion passed.
bool runCase(const lattice_table *table, const sema::Model &model, const sema::TestCase &c,
             const std::string &testName, const SourceManager &sources, std::FILE *out) {
  bool passed = true;
  std::string roleNames;
  for (sema::RoleId role : c.roles)
    roleNames += (roleNames.empty() ? "" : " + ") + model.roles[role].name;
  for (sema::PermissionId permission : c.permissions)
    for (uint32_t relation = 0; relation < sema::kRelationCount; ++relation) {
      if (!(c.relations >> relation & 1))
        continue;
      lattice_request request{c.kind,     c.roles.data(), static_cast<uint32_t>(c.roles.size()),
                              permission, relation,       c.flags};
      lattice_decision decision = lattice_decide(table, &request);
      bool expected = c.expect == sema::Effect::Allow;
      if ((decision.allowed != 0) == expected)
        continue;
      passed = false;
      LineColumn lc = sources.lineColumn(c.range.file, c.range.begin);
      fmt::print(out,
                 "{}:{}:{}: FAIL test \"{}\": expected {}, got {} for {} as `{}`: `{}` on {} "
                 "({})\n",
                 sources.name(c.range.file).str(), lc.line, lc.column, testName,
                 expected ? "allow" : "deny", decision.allowed ? "allow" : "deny", roleNames,
                 model.kinds[c.kind].name, model.permissions[permission].name,
                 sema::relationName(static_cast<sema::Relation>(relation)),
                 describeDecision(table, decision));
    }
  return passed;
}

} // namespace

int runTest(const Argv &commandLine) {
  static const FrontendCommand command{
      "test", "[options] FILE...",
      "Runs the `test` blocks of the policy against its compiled table.\nEnds with a line `N "
      "passed, N failed` (counting test cases; on stderr with `--format sarif`).",
      kTestOptions};
  std::optional<Args> args;
  FrontendOptions options;
  if (std::optional<int> exit = parseFrontendCommand(commandLine, command, args, options))
    return *exit;
  FrontendResult frontend = runFrontend(options);
  if (!frontend.model)
    return frontend.exitCode;
  const sema::Model &model = *frontend.model;
  std::vector<uint8_t> bytes = emit::writeTable(lower::lowerModel(model));
  lattice_table *table = nullptr;
  lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &table);
  if (status != LATTICE_LOAD_OK) {
    fmt::print(stderr, "lattice test: internal error: the compiled table does not load: {}\n",
               lattice_load_status_message(status));
    return ExitErrors;
  }
  // stdout holds nothing but the SARIF log when one is asked for.
  std::FILE *out = options.format == DiagFormat::Sarif ? stderr : stdout;
  size_t passed = 0, failed = 0;
  for (const sema::Test &test : model.tests) {
    size_t failedBefore = failed;
    for (const sema::TestCase &c : test.cases)
      (runCase(table, model, c, test.name, *frontend.sources, out) ? passed : failed) += 1;
    if (args->has("--verbose"))
      fmt::print(out, "{} {} ({} cases)\n", failed == failedBefore ? "PASS" : "FAIL", test.name,
                 test.cases.size());
  }
  lattice_table_free(table);
  fmt::print(out, "{} passed, {} failed\n", passed, failed);
  return failed == 0 ? ExitOk : ExitErrors;
}

} // namespace lattice::driver
