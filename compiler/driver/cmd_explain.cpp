// cmd_explain.cpp - `lattice explain TABLE ...`: answer one request like `query`, then say why,
// naming the deciding rules with file:line from the table's sidecar source map (`TABLE.map`).
// The explaining is query/explain.h's; this file reads the options and prints.
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "driver/request.h"
#include "query/explain.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kExplainOptions = requestOptions({
    {"--map", true, "FILE", "the source map (default: TABLE.map, written by `lattice build`)"},
    {"--format", true, "text|json", "text (default) or one JSON document on stdout"},
    {"--help", false, "", "show this help"},
});

void printJson(llvm::json::Value value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", value);
  os.flush();
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
}

} // namespace

int runExplain(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kExplainOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice explain TABLE --kind K --roles R1,R2 --permission RES.ACTION "
               "--relation REL [--flags F1,F2] [--map FILE] [--format text|json]\n       lattice "
               "explain TABLE --kind K --membership R1,R2@PATH[+F...] ... --target PATH "
               "--permission RES.ACTION [--flags F1,F2] [...]\n\nAnswers a "
               "request like `query` and says why: the gate or the rules that decide, with "
               "file:line from the\nsource map `lattice build` writes next to the table "
               "(TABLE.map).\n\nOptions:\n{}",
               describeOptions(kExplainOptions));
    return ExitOk;
  }
  const std::string format = args ? args->get("--format").value_or("text") : "";
  if (args && args->positional().size() != 1)
    error = "expected exactly one table file";
  else if (args && format != "text" && format != "json")
    error = fmt::format("invalid --format `{}`; expected text or json", format);
  else if (args)
    error = requestUsageError(*args).value_or("");
  if (!args || !error.empty()) {
    return usageError("explain", error);
  }
  const std::string &path = args->positional()[0];
  query::ExplainedTable loaded;
  if (auto problem =
          query::loadExplainedTable(path, args->get("--map").value_or(path + ".map"), loaded)) {
    fmt::print(stderr, "lattice explain: error: {}\n", *problem);
    return ExitUsage;
  }
  std::optional<query::Explanation> explained;
  if (isAccessRequest(*args)) {
    std::optional<query::NamedAccessRequest> named = namedAccessRequest(*args, error);
    if (named)
      explained = query::explainAccessRequest(loaded.table.get(), loaded.map, *named, error);
  } else {
    explained = query::explainRequest(loaded.table.get(), loaded.map, namedRequest(*args), error);
  }
  if (!explained) {
    if (format == "json")
      printJson(llvm::json::Object{{"decision", "deny"}, {"error", error}});
    else
      fmt::print("deny\n");
    std::fflush(stdout); // the answer first, then why
    fmt::print(stderr, "lattice explain: error: {}\n", error);
    return ExitErrors;
  }
  if (format == "json")
    printJson(query::explanationJson(*explained));
  else
    std::fputs(query::explanationText(*explained).c_str(), stdout);
  return ExitOk;
}

} // namespace lattice::driver
