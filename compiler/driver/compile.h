// compile.h - the front half shared by check/build/test: load, parse, check, report.
// Renders diagnostics in the requested format and derives the exit code from them.
#pragma once

#include "base/source_manager.h"
#include "diagnostics/warning_groups.h"
#include "driver/args.h"
#include "sema/model.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice::driver {

/// Stable exit codes of every subcommand.
enum ExitCode : int { ExitOk = 0, ExitErrors = 1, ExitUsage = 2, ExitNewAccess = 3 };

/// Prints a usage error to stderr as every command words one (`lattice COMMAND: error: ...` and
/// where its --help is); returns ExitUsage.
int usageError(std::string_view command, const std::string &error);

enum class DiagFormat { Text, Json, Sarif };

struct FrontendOptions {
  std::vector<std::string> files;
  DiagFormat format = DiagFormat::Text;
  bool color = false;
  WarningOptions warnings; // -W<group>, -Wno-<group>, --werror
  /// With --format json, leave the document to the command (in FrontendResult::diagnostics):
  /// `test` adds its results to it, so that stdout holds one JSON document.
  bool deferJson = false;
};

struct FrontendResult {
  std::unique_ptr<SourceManager> sources; // for rendering locations after the front end
  std::optional<sema::Model> model;       // set when there were no errors
  int exitCode = ExitOk;                  // ExitOk, ExitErrors or ExitUsage (unreadable input)
  std::vector<Diagnostic> diagnostics;    // as reported: suppressions and options applied
};

/// Runs the front end and prints its diagnostics (text to stderr, JSON and SARIF to stdout).
/// After every phase, in-source suppressions and then the warning options are applied to the
/// diagnostics; the exit code counts what remains (suppressed and disabled warnings do not count).
FrontendResult runFrontend(const FrontendOptions &options);

/// Takes the warning options out of `argv` before the rest is parsed with `specs`: `-W<group>`,
/// `-Wno-<group>`, `-Werror`, `-Wno-error` and `--werror`, up to a `--` and skipping the values of
/// options in `specs` that take one. Returns an error message for an unknown group.
std::optional<std::string> takeWarningOptions(std::vector<std::string> &argv,
                                              const std::vector<OptionSpec> &specs,
                                              FrontendOptions &options);

/// The diagnostic options shared by check, build and test (--format, --color and the warning
/// options), as rows of their option tables; and the list of warning groups for --help.
std::vector<OptionSpec> diagnosticOptionSpecs();
/// A command's option table: its own options, then the diagnostic options, then --help.
std::vector<OptionSpec> withDiagnosticOptions(std::vector<OptionSpec> own);
std::string describeWarningGroups();

/// How a front-end command (check, build, test) presents itself on its command line.
struct FrontendCommand {
  const char *name;                     // "check"
  const char *synopsis;                 // "[options] FILE..."
  const char *description;              // the --help paragraph
  const std::vector<OptionSpec> &specs; // from withDiagnosticOptions()
  /// Command-specific checks of a parsed command line; returns an error message or "".
  std::string (*validate)(const Args &args, const FrontendOptions &options) = nullptr;
  /// A `--format` value of the command's own besides text, json and sarif ("junit"), or null.
  const char *extraFormat = nullptr;
};

/// Parses a front-end command line into `args` and `options` (files included). Prints --help or
/// a usage error itself and returns the exit code then (0 or 2); returns nullopt to go on.
std::optional<int> parseFrontendCommand(const std::vector<std::string> &argv,
                                        const FrontendCommand &command, std::optional<Args> &args,
                                        FrontendOptions &options);

/// Parses `--format` and `--color` values; returns an error message on a bad value. A command
/// may accept one more format, `extraFormat` (test's `junit`): its diagnostics are text.
std::optional<std::string> parseDiagOptions(const std::optional<std::string> &format,
                                            const std::optional<std::string> &color,
                                            FrontendOptions &options,
                                            const char *extraFormat = nullptr);

} // namespace lattice::driver
