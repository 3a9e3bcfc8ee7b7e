// cmd_check.cpp - `lattice check FILE...`: run the front end and report diagnostics only.
// Exit 0 when clean or warnings only, 1 on errors, 2 on usage or unreadable files.
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"

#include <fmt/format.h>

namespace lattice::driver {

static const std::vector<OptionSpec> kCheckOptions = withDiagnosticOptions({});

int runCheck(const Argv &commandLine) {
  static const FrontendCommand command{
      "check", "[options] FILE...",
      "Checks policy files and their imports and reports every diagnostic.", kCheckOptions};
  std::optional<Args> args;
  FrontendOptions options;
  if (std::optional<int> exit = parseFrontendCommand(commandLine, command, args, options))
    return *exit;
  return runFrontend(options).exitCode;
}

} // namespace lattice::driver
