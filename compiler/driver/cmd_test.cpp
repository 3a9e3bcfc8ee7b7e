// cmd_test.cpp - `lattice test FILE...`: compile, then run every `test` case through the
// runtime on the table that `build` would write, so the tests check exactly what ships.
#include "diagnostics/render.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "testrun/coverage.h"
#include "testrun/report.h"
#include "testrun/runner.h"

#include <cstdlib>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

std::vector<OptionSpec> testOptions() {
  std::vector<OptionSpec> specs = withDiagnosticOptions({
      {"--verbose", false, "", "list every test, not only failures"},
      {"--coverage", false, "", "report the rules no test exercised and the matrix cells pinned"},
      {"--coverage-min", true, "PCT",
       "fail (exit 1) when fewer than PCT percent of the rules are exercised"},
      {"--allow-empty", false, "", "succeed when the files have no test case"},
  });
  for (OptionSpec &spec : specs)
    if (spec.name == "--format") {
      spec.valueName = "text|json|sarif|junit";
      spec.help = "json: one document with diagnostics and results; junit: JUnit XML on stdout "
                  "(diagnostics as text on stderr); sarif: diagnostics as SARIF";
    }
  return specs;
}
const std::vector<OptionSpec> kTestOptions = testOptions();

std::optional<double> parsePercent(const std::string &text) {
  char *end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= 0 && value <= 100))
    return std::nullopt;
  return value;
}

std::string validate(const Args &args, const FrontendOptions &) {
  if (auto min = args.get("--coverage-min"); min && !parsePercent(*min))
    return fmt::format("`--coverage-min` takes a percentage from 0 to 100, not `{}`", *min);
  return "";
}

void print(std::FILE *out, const std::string &text) {
  std::fwrite(text.data(), 1, text.size(), out);
}

void printJson(llvm::json::Object document) {
  llvm::outs() << llvm::formatv("{0:2}", llvm::json::Value(std::move(document))) << '\n';
  llvm::outs().flush();
}

} // namespace

int runTest(const Argv &commandLine) {
  static const FrontendCommand command{
      "test",
      "[options] FILE...",
      "Runs the `test` blocks of the policy against its compiled table.\nEnds with a line `N "
      "passed, N failed` (counting test cases; on stderr with `--format sarif`\nor `junit`). "
      "Files without any test case are an error unless --allow-empty.",
      kTestOptions,
      validate,
      "junit"};
  std::optional<Args> args;
  FrontendOptions options;
  options.deferJson = true;
  if (std::optional<int> exit = parseFrontendCommand(commandLine, command, args, options))
    return *exit;
  bool junit = args->get("--format") == "junit";
  bool json = options.format == DiagFormat::Json;
  std::optional<double> coverageMin;
  if (auto min = args->get("--coverage-min"))
    coverageMin = parsePercent(*min);
  bool coverage = args->has("--coverage") || coverageMin.has_value();

  FrontendResult frontend = runFrontend(options);
  const SourceManager &sources = *frontend.sources;
  if (!frontend.model) {
    if (json) {
      llvm::json::Object document = diagnosticsJson(sources, frontend.diagnostics);
      document["tests"] = llvm::json::Array{};
      document["passed"] = 0;
      document["failed"] = 0;
      printJson(std::move(document));
    } else if (junit) {
      std::string text;
      llvm::raw_string_ostream os(text);
      renderText(os, sources, frontend.diagnostics, RenderOptions{false});
      print(stdout, testrun::reportJunit(nullptr, sources, nullptr, os.str()));
    }
    return frontend.exitCode;
  }
  const sema::Model &model = *frontend.model;
  std::string error;
  std::optional<testrun::Report> report = testrun::runTests(model, error);
  if (!report) {
    fmt::print(stderr, "lattice test: internal error: {}\n", error);
    return ExitErrors;
  }
  std::optional<testrun::Coverage> covered;
  if (coverage)
    covered = testrun::computeCoverage(model);

  // stdout holds nothing but the document when one is asked for (JSON, SARIF, JUnit).
  if (json) {
    llvm::json::Object document = diagnosticsJson(sources, frontend.diagnostics);
    for (auto &[key, value] : testrun::reportJson(model, sources, *report))
      document[key] = std::move(value);
    if (covered)
      document["coverage"] = testrun::coverageJson(model, sources, *covered);
    printJson(std::move(document));
  } else if (junit) {
    print(stdout, testrun::reportJunit(&model, sources, &*report, ""));
  }
  std::FILE *out = options.format == DiagFormat::Text && !junit ? stdout : stderr;
  if (!json) {
    print(out, testrun::reportText(model, sources, *report, args->has("--verbose")));
    if (covered)
      print(out, testrun::coverageText(model, sources, *covered));
  }
  std::fflush(stdout);

  int exitCode = report->failed == 0 ? ExitOk : ExitErrors;
  if (report->passed + report->failed == 0 && !args->has("--allow-empty")) {
    fmt::print(stderr, "lattice test: error: no test case in the given files; write a `test` "
                       "block, or pass --allow-empty\n");
    exitCode = ExitErrors;
  }
  if (covered && coverageMin &&
      !testrun::meetsMinimum(covered->rulesExercised, covered->rulesTotal, *coverageMin)) {
    fmt::print(stderr,
               "lattice test: error: {}% of the rules are exercised, under the minimum of {}%\n",
               testrun::percentText(covered->rulesExercised, covered->rulesTotal),
               *args->get("--coverage-min"));
    exitCode = ExitErrors;
  }
  return exitCode;
}

} // namespace lattice::driver
