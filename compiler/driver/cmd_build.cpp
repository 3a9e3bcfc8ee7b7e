// cmd_build.cpp - `lattice build FILE... -o OUT.ltab`: compile to a decision table.
// The table is written to a temporary file and renamed, so a failed build never leaves half a
// table.
#include "driver/args.h"
#include "driver/atomic_write.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "emit/source_map.h"
#include "emit/table_writer.h"
#include "lower/lower.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {

static const std::vector<OptionSpec> kBuildOptions = withDiagnosticOptions({
    {"-o", true, "OUT.ltab", "where to write the decision table"},
    {"--dump-tables", false, "", "print the tables as text to standard output"},
    {"--no-source-map", false, "", "do not write the source map `OUT.ltab.map` (for `explain`)"},
    {"--revision", true, "TEXT", "record TEXT in the table as its revision (e.g. a commit)"},
});

/// Build's own rules beyond the shared ones.
static std::string validateBuild(const Args &args, const FrontendOptions &options) {
  if (options.format == DiagFormat::Sarif && args.has("--dump-tables"))
    return "`--dump-tables` prints to stdout, where `--format sarif` writes its log; use one of "
           "them";
  if (!args.has("-o") && !args.has("--dump-tables"))
    return "no output file; use `-o OUT.ltab`";
  return "";
}

int runBuild(const Argv &commandLine) {
  static const FrontendCommand command{
      "build", "[options] FILE... -o OUT.ltab",
      "Compiles policy files into a decision table for the runtime.", kBuildOptions, validateBuild};
  std::string error;
  std::optional<Args> args;
  FrontendOptions options;
  if (std::optional<int> exit = parseFrontendCommand(commandLine, command, args, options))
    return *exit;
  FrontendResult frontend = runFrontend(options);
  if (!frontend.model)
    return frontend.exitCode;
  lower::Tables tables = lower::lowerModel(*frontend.model);
  tables.revision = args->get("--revision").value_or("");
  if (args->has("--dump-tables"))
    fmt::print("{}", emit::dumpTables(tables));
  if (auto problem = emit::verifyTables(tables)) {
    // Lowering produced something the format cannot hold: a compiler bug, never a user error.
    fmt::print(stderr, "lattice build: internal error: {}\n", *problem);
    return ExitErrors;
  }
  if (auto out = args->get("-o")) {
    std::vector<uint8_t> bytes = emit::writeTable(tables);
    if (!writeFileAtomically(
            *out, std::string_view(reinterpret_cast<const char *>(bytes.data()), bytes.size()),
            error)) {
      fmt::print(stderr, "lattice build: error: {}\n", error);
      return ExitUsage;
    }
    if (!args->has("--no-source-map")) {
      std::string map = emit::writeSourceMap(*frontend.model, *frontend.sources, bytes);
      if (!writeFileAtomically(*out + ".map", map, error)) {
        fmt::print(stderr, "lattice build: error: {}\n", error);
        return ExitUsage;
      }
    }
  }
  return ExitOk;
}

} // namespace lattice::driver
