// cmd_doc.cpp - `lattice doc FILE... --format md|html|csv|json [-o OUT]`: the role x permission
// matrix of the checked policy, as a page like the platforms' own role pages.
#include "doc/matrix.h"
#include "driver/args.h"
#include "driver/atomic_write.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "parse/input_files.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kDocOptions = {
    {"--format", true, "md|html|csv|json", "output format (default: md)"},
    {"-o", true, "OUT", "write to this file instead of standard output"},
    {"--stack", true, "R1+R2", "add a column for a user holding these roles at once (repeatable)"},
    {"--color", true, "auto|always|never", "colour diagnostics"},
    {"--help", false, "", "show this help"},
};

} // namespace

int runDoc(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kDocOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice doc [options] FILE... [-o OUT]\n\nWrites the role x permission "
               "matrix of the policy, grouped by resource and action group:\neach cell says "
               "where (own node, below, whole tenant) and when (flags) the role allows it.\n"
               "`--stack a+b` adds a column for a user holding roles a and b together.\n\n"
               "Options:\n{}",
               describeOptions(kDocOptions));
    return ExitOk;
  }
  std::string format = args ? args->get("--format").value_or("md") : "md";
  FrontendOptions options;
  if (args) {
    if (format != "md" && format != "html" && format != "csv" && format != "json")
      error = fmt::format("unknown format `{}` (expected md, html, csv or json)", format);
    else if (auto bad = parseDiagOptions(std::nullopt, args->get("--color"), options))
      error = *bad;
    else if (args->positional().empty())
      error = "no input files";
  }
  std::optional<std::vector<std::string>> files;
  if (args && error.empty() && !(files = parse::expandInputPaths(args->positional(), error)))
    args.reset();
  if (!args || !error.empty()) {
    return usageError("doc", error);
  }
  options.files = std::move(*files);
  FrontendResult frontend = runFrontend(options);
  if (!frontend.model)
    return frontend.exitCode;
  std::vector<std::vector<sema::RoleId>> stacks;
  for (const std::string &text : args->all("--stack")) {
    std::vector<sema::RoleId> roles;
    if (!doc::resolveStack(*frontend.model, text, roles, error)) {
      fmt::print(stderr, "lattice doc: error: {}\n", error);
      return ExitErrors;
    }
    stacks.push_back(std::move(roles));
  }
  doc::Matrix matrix;
  if (!doc::buildMatrix(*frontend.model, stacks, matrix, error)) {
    fmt::print(stderr, "lattice doc: error: {}\n", error);
    return ExitErrors;
  }
  std::string text = format == "html"   ? doc::renderHtml(matrix)
                     : format == "csv"  ? doc::renderCsv(matrix)
                     : format == "json" ? doc::renderJson(matrix)
                                        : doc::renderMarkdown(matrix);
  if (auto out = args->get("-o")) {
    if (!writeFileAtomically(*out, text, error)) {
      fmt::print(stderr, "lattice doc: error: {}\n", error);
      return ExitUsage;
    }
    return frontend.exitCode;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  return frontend.exitCode;
}

} // namespace lattice::driver
