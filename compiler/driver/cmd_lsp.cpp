// cmd_lsp.cpp - `lattice lsp`: the language server over stdin/stdout (lsp/server.h). Only the
// command line is parsed here; the warning options apply to the diagnostics it publishes.
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "lsp/server.h"

#include <fmt/format.h>
#include <unistd.h>

namespace lattice::driver {

int runLsp(const Argv &commandLine) {
  static const std::vector<OptionSpec> specs = {
      {"--log", true, "FILE", "append every message in and out to FILE (a trace)"},
      {"--debounce", true, "MS",
       "start a check MS milliseconds after the last change "
       "(default 150)"},
      {"-W<group>", false, "", "enable the warnings of a group (every group is on by default)"},
      {"-Wno-<group>", false, "", "disable the warnings of a group"},
      {"--werror", false, "", "publish warnings as errors (also -Werror)"},
      {"--help", false, "", "show this help"},
  };
  Argv argv = commandLine;
  FrontendOptions frontend;
  std::optional<std::string> warningError = takeWarningOptions(argv, specs, frontend);
  std::string error;
  std::optional<Args> args = Args::parse(argv, specs, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice lsp [options]\n\nRuns the language server on standard input and "
               "output (JSON-RPC, the Language Server\nProtocol): diagnostics as `check` reports "
               "them, hover, definitions, references,\nrename, symbols, completion, formatting "
               "and code actions. See docs/editors.md.\n\nOptions:\n{}",
               describeOptions(specs));
    return ExitOk;
  }
  if (!args)
    return usageError("lsp", error);
  if (warningError)
    return usageError("lsp", *warningError);
  if (!args->positional().empty())
    return usageError("lsp", "`lsp` takes no files (the editor opens them)");
  lsp::ServerOptions options;
  options.warnings = frontend.warnings;
  if (std::optional<std::string> debounce = args->get("--debounce")) {
    unsigned ms = 0;
    if (llvm::StringRef(*debounce).getAsInteger(10, ms) || ms > 60000)
      return usageError("lsp", "`--debounce` takes milliseconds from 0 to 60000");
    options.debounce = std::chrono::milliseconds(ms);
  }
  return lsp::runStdio(STDIN_FILENO, STDOUT_FILENO, options, args->get("--log").value_or(""));
}

} // namespace lattice::driver
