// cmd_build.cpp - `lattice build FILE... -o OUT.ltab`: compile to a decision table, or with
// `--bundle` to a bundle (manifest, table, optional signature). Outputs are written to a temporary
// file and renamed, so a failed build never leaves half a table.
#include "base/input_file.h"
#include "bundle/bundle.h"
#include "driver/args.h"
#include "driver/atomic_write.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "emit/source_map.h"
#include "emit/table_writer.h"
#include "lower/lower.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

namespace lattice::driver {

static const std::vector<OptionSpec> kBuildOptions = withDiagnosticOptions({
    {"-o", true, "OUT.ltab", "where to write the decision table"},
    {"--dump-tables", false, "", "print the tables as text to standard output"},
    {"--no-source-map", false, "", "do not write the source map `OUT.ltab.map` (for `explain`)"},
    {"--revision", true, "TEXT", "record TEXT in the table as its revision (e.g. a commit)"},
    {"--bundle", false, "",
     "write a bundle: a manifest (policy, revision, fingerprint, build time, SHA-256) and the "
     "table in one file (docs/bundles.md)"},
    {"--sign", true, "KEY", "sign the bundle with the secret key file KEY (`lattice keygen`)"},
});

/// The bundle's build time: SOURCE_DATE_EPOCH (reproducible builds) when set, else the clock.
static std::optional<int64_t> buildTime(std::string &error) {
  const char *epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch)
    return int64_t(std::time(nullptr));
  char *end = nullptr;
  errno = 0;
  const long long seconds = std::strtoll(epoch, &end, 10);
  if (*epoch == '\0' || *end != '\0' || errno != 0 || seconds < 0) {
    error = fmt::format("SOURCE_DATE_EPOCH is `{}`, not a number of seconds since 1970", epoch);
    return std::nullopt;
  }
  return int64_t(seconds);
}

/// The bundle's bytes for `table`, signed when `--sign` names a key; nullopt and `error` else.
static std::optional<std::vector<uint8_t>> bundleBytes(const Args &args, const std::string &policy,
                                                       const std::vector<uint8_t> &table,
                                                       std::string &error) {
  std::optional<bundle::SecretKey> key;
  if (std::optional<std::string> path = args.get("--sign")) {
    std::string text;
    if (!readWholeFile(*path, 4096, text, error)) {
      error = fmt::format("cannot read `{}`: {}", *path, error);
      return std::nullopt;
    }
    if (!(key = bundle::parseSecretKey(text, error))) {
      error = fmt::format("`{}`: {}", *path, error);
      return std::nullopt;
    }
  }
  std::optional<int64_t> builtAt = buildTime(error);
  if (!builtAt)
    return std::nullopt;
  std::optional<bundle::Manifest> manifest = bundle::manifestFor(table, policy, *builtAt, error);
  if (!manifest)
    return std::nullopt; // a table that does not load: checked by verifyTables before
  return bundle::writeBundle(*manifest, table, key ? &*key : nullptr);
}

/// Build's own rules beyond the shared ones.
static std::string validateBuild(const Args &args, const FrontendOptions &options) {
  if (options.format == DiagFormat::Sarif && args.has("--dump-tables"))
    return "`--dump-tables` prints to stdout, where `--format sarif` writes its log; use one of "
           "them";
  if (!args.has("-o") && !args.has("--dump-tables"))
    return "no output file; use `-o OUT.ltab`";
  if (args.has("--sign") && !args.has("--bundle"))
    return "`--sign` signs a bundle: add `--bundle`";
  if (args.has("--bundle") && !args.has("-o"))
    return "`--bundle` writes a file: add `-o OUT.lbundle`";
  return "";
}

int runBuild(const Argv &commandLine) {
  static const FrontendCommand command{
      "build", "[options] FILE... -o OUT.ltab",
      "Compiles policy files into a decision table for the runtime (with --bundle, into a bundle: "
      "its manifest, the table and an optional signature).",
      kBuildOptions, validateBuild};
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
    std::optional<std::vector<uint8_t>> file = bytes;
    if (args->has("--bundle") &&
        !(file = bundleBytes(*args, frontend.model->policyName, bytes, error))) {
      fmt::print(stderr, "lattice build: error: {}\n", error);
      return ExitUsage;
    }
    if (!writeFileAtomically(
            *out, std::string_view(reinterpret_cast<const char *>(file->data()), file->size()),
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
