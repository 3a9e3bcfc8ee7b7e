// frontend_command.cpp - the command line that check, build and test share: warning options,
// --format/--color, --help, input files, and one wording for every usage error (exit 2).
#include "driver/compile.h"
#include "parse/input_files.h"

#include <fmt/format.h>

namespace lattice::driver {

int usageError(std::string_view command, const std::string &error) {
  fmt::print(stderr, "lattice {}: error: {}\nrun `lattice {} --help` for usage\n", command, error,
             command);
  return ExitUsage;
}

std::optional<int> parseFrontendCommand(const std::vector<std::string> &commandLine,
                                        const FrontendCommand &command, std::optional<Args> &args,
                                        FrontendOptions &options) {
  std::string error;
  std::vector<std::string> argv = commandLine;
  std::optional<std::string> badWarning = takeWarningOptions(argv, command.specs, options);
  args = Args::parse(argv, command.specs, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice {} {}\n\n{}\n\nOptions:\n{}{}", command.name, command.synopsis,
               command.description, describeOptions(command.specs), describeWarningGroups());
    return ExitOk;
  }
  if (args) {
    if (badWarning)
      error = *badWarning;
    else if (auto bad = parseDiagOptions(args->get("--format"), args->get("--color"), options,
                                         command.extraFormat))
      error = *bad;
    else if (args->positional().empty())
      error = "no input files";
    else if (command.validate)
      error = command.validate(*args, options);
  }
  std::optional<std::vector<std::string>> files;
  if (args && error.empty() && !(files = parse::expandInputPaths(args->positional(), error)))
    args.reset();
  if (!args || !error.empty())
    return usageError(command.name, error);
  options.files = std::move(*files);
  return std::nullopt;
}

} // namespace lattice::driver
