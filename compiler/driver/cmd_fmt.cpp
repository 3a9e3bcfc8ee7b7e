// cmd_fmt.cpp - `lattice fmt FILE...`: rewrite policy files in the canonical layout (docs/fmt.md).
// `--check` writes nothing and prints what would change as a unified diff; `-` formats stdin to
// stdout.
#include "base/input_file.h"
#include "diagnostics/render.h"
#include "driver/args.h"
#include "driver/atomic_write.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "format/formatter.h"
#include "format/unified_diff.h"
#include "parse/input_files.h"
#include "parse/parser.h"

#include <cstdio>
#include <fmt/format.h>
#include <unistd.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kFmtOptions = {
    {"--check", false, "", "write nothing; print a unified diff of each change, exit 1 if any"},
    {"--help", false, "", "show this help"},
};

/// Reads a regular file or stdin, up to one byte more than the parser accepts (it reports the
/// size).
bool readInput(const std::string &path, std::string &text, std::string &error) {
  std::optional<InputFile> file =
      path == "-" ? InputFile::standardInput() : InputFile::open(path, error);
  return file && file->read(parse::kMaxFileBytes + 1, text, error);
}

} // namespace

int runFmt(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kFmtOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice fmt [options] FILE...\n\nRewrites policy files in place in the "
               "canonical layout, keeping comments.\n`-` formats standard input to standard "
               "output. A file with syntax errors is left\nunchanged (exit 1).\n\nOptions:\n{}",
               describeOptions(kFmtOptions));
    return ExitOk;
  }
  std::optional<std::vector<std::string>> files;
  if (args && args->positional().empty())
    error = "no input files";
  else if (args && !(files = parse::expandInputPaths(args->positional(), error)))
    args.reset();
  if (!args || !error.empty()) {
    return usageError("fmt", error);
  }
  bool check = args->has("--check");
  bool color = isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr;
  int exitCode = ExitOk;
  auto raise = [&](int code) { exitCode = std::max(exitCode, code); };
  for (const std::string &path : *files) {
    std::string text;
    if (!readInput(path, text, error)) {
      fmt::print(stderr, "lattice fmt: error: cannot read `{}`: {}\n", path, error);
      raise(ExitUsage);
      continue;
    }
    SourceManager sources;
    uint32_t id = sources.addText(path == "-" ? "<stdin>" : path, text);
    DiagnosticEngine diags;
    std::optional<std::string> formatted = format::formatSource(id, sources, diags);
    if (!formatted) {
      if (!diags.hasErrors())
        fmt::print(stderr,
                   "lattice fmt: error: `{}`: cannot format without losing a comment; "
                   "left unchanged\n",
                   path);
      renderText(llvm::errs(), sources, diags.sorted(), RenderOptions{color});
      llvm::errs().flush();
      raise(ExitErrors);
      continue;
    }
    bool changed = *formatted != text;
    if (check) {
      if (changed) {
        std::string diff = format::unifiedDiff(text, *formatted, path == "-" ? "<stdin>" : path);
        std::fwrite(diff.data(), 1, diff.size(), stdout);
        raise(ExitErrors);
      }
      continue;
    }
    if (path == "-") {
      std::fwrite(formatted->data(), 1, formatted->size(), stdout);
      continue;
    }
    if (changed && !writeFileAtomically(path, *formatted, error)) {
      fmt::print(stderr, "lattice fmt: error: {}\n", error);
      raise(ExitUsage);
    }
  }
  std::fflush(stdout);
  return exitCode;
}

} // namespace lattice::driver
