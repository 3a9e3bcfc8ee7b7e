// cmd_check.cpp - `lattice check FILE...`: run the front end and report diagnostics only.
// Exit 0 when clean or warnings only, 1 on errors, 2 on usage or unreadable files.
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"

#include <fmt/format.h>

namespace lattice::driver {

static const std::vector<OptionSpec> kCheckOptions = withDiagnosticOptions({});

int runCheck(const Argv &commandLine) {
  std::string error;
  FrontendOptions options;
  Argv argv = commandLine;
  std::optional<std::string> badWarning = takeWarningOptions(argv, kCheckOptions, options);
  std::optional<Args> args = Args::parse(argv, kCheckOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice check [options] FILE...\n\nChecks policy files and their imports "
               "and reports every diagnostic.\n\nOptions:\n{}{}",
               describeOptions(kCheckOptions), describeWarningGroups());
    return ExitOk;
  }
  if (args) {
    if (badWarning)
      error = *badWarning;
    else if (auto bad = parseDiagOptions(args->get("--format"), args->get("--color"), options))
      error = *bad;
    else if (args->positional().empty())
      error = "no input files";
  }
  if (!args || !error.empty()) {
    fmt::print(stderr, "lattice check: error: {}\nrun `lattice check --help` for usage\n", error);
    return ExitUsage;
  }
  options.files = args->positional();
  return runFrontend(options).exitCode;
}

} // namespace lattice::driver
