// compile.h - the front half shared by check/build/test: load, parse, check, report.
// Renders diagnostics in the requested format and derives the exit code from them.
#pragma once

#include "base/source_manager.h"
#include "sema/model.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::driver {

/// Stable exit codes of every subcommand.
enum ExitCode : int { ExitOk = 0, ExitErrors = 1, ExitUsage = 2, ExitNewAccess = 3 };

enum class DiagFormat { Text, Json };

struct FrontendOptions {
  std::vector<std::string> files;
  DiagFormat format = DiagFormat::Text;
  bool color = false;
};

struct FrontendResult {
  std::unique_ptr<SourceManager> sources; // for rendering locations after the front end
  std::optional<sema::Model> model;       // set when there were no errors
  int exitCode = ExitOk;                  // ExitOk, ExitErrors or ExitUsage (unreadable input)
};

/// Runs the front end and prints its diagnostics (text to stderr, JSON to stdout).
FrontendResult runFrontend(const FrontendOptions &options);

/// Parses `--format` and `--color` values; returns an error message on a bad value.
std::optional<std::string> parseDiagOptions(const std::optional<std::string> &format,
                                            const std::optional<std::string> &color,
                                            FrontendOptions &options);

} // namespace lattice::driver
