// cmd_who_can.cpp - `lattice who-can FILE... --permission P [--relation R] [--flags F1,F2]
// [--format text|md|json]`: the roles, custom-role ceilings and user types that can be allowed a
// permission, with the rules and conditions, and the denies that can take it away (access/).
#include "access/who_can.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "parse/input_files.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kWhoCanOptions = {
    {"--permission", true, "RES.ACTION", "the permission asked about"},
    {"--relation", true, "REL",
     "only requests at these relations: self, descendants, ancestors, elsewhere, subtree, tenant"},
    {"--flags", true, "F1,F2",
     "exactly these flags hold (every other flag does not); default: any flags"},
    {"--format", true, "text|md|json", "output format (default: text)"},
    {"--color", true, "auto|always|never", "colour diagnostics"},
    {"--help", false, "", "show this help"},
};

} // namespace

int runWhoCan(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kWhoCanOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice who-can FILE... --permission RES.ACTION [--relation REL] "
               "[--flags F1,F2] [--format text|md|json]\n\nLists the roles a principal holding "
               "alone can be allowed the permission by (per user type and\nrelation, with the "
               "exact flag conditions and the rules), the custom-role ceilings that\nhold it, "
               "the user types, and every deny that can take it away.\n\nOptions:\n{}",
               describeOptions(kWhoCanOptions));
    return ExitOk;
  }
  const std::string format = args ? args->get("--format").value_or("text") : "text";
  FrontendOptions options;
  if (args) {
    if (format != "text" && format != "md" && format != "json")
      error = fmt::format("unknown format `{}` (expected text, md or json)", format);
    else if (auto bad = parseDiagOptions(std::nullopt, args->get("--color"), options))
      error = *bad;
    else if (args->positional().empty())
      error = "no input files";
    else if (!args->has("--permission"))
      error = "missing `--permission`";
  }
  std::optional<std::vector<std::string>> files;
  if (args && error.empty() && !(files = parse::expandInputPaths(args->positional(), error)))
    args.reset();
  if (!args || !error.empty()) {
    return usageError("who-can", error);
  }
  options.files = std::move(*files);
  FrontendResult frontend = runFrontend(options);
  if (!frontend.model)
    return frontend.exitCode;
  std::optional<std::vector<std::string>> flags;
  if (auto list = args->get("--flags"))
    flags = splitList(*list);
  access::WhoCanQuery query;
  access::WhoCan answer;
  if (!access::resolveWhoCan(*frontend.model, *args->get("--permission"), args->get("--relation"),
                             flags, query, error) ||
      !access::whoCan(*frontend.model, query, answer, error)) {
    fmt::print(stderr, "lattice who-can: error: {}\n", error);
    return ExitErrors;
  }
  const std::string text =
      format == "json" ? access::renderWhoCanJson(*frontend.model, *frontend.sources, answer)
      : format == "md" ? access::renderWhoCanMarkdown(*frontend.model, *frontend.sources, answer)
                       : access::renderWhoCanText(*frontend.model, *frontend.sources, answer);
  std::fwrite(text.data(), 1, text.size(), stdout);
  return frontend.exitCode;
}

} // namespace lattice::driver
