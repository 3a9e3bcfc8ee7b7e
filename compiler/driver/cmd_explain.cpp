// cmd_explain.cpp - `lattice explain TABLE ...`: answer one request like `query`, then say why,
// naming the deciding rules with file:line from the table's sidecar source map (`TABLE.map`).
// The explaining is query/explain.h's; this file reads the options and prints.
#include "base/input_file.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "driver/request.h"
#include "query/explain.h"
#include "query/table_load.h"

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
    fmt::print(stderr, "lattice explain: error: {}\nrun `lattice explain --help` for usage\n",
               error);
    return ExitUsage;
  }
  const std::string &path = args->positional()[0];
  std::string bytes;
  if (!readWholeFile(path, LATTICE_DEFAULT_MAX_TABLE_BYTES, bytes, error)) {
    fmt::print(stderr, "lattice explain: error: cannot load `{}`: {}\n", path, error);
    return ExitUsage;
  }
  lattice_table *raw = nullptr;
  lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &raw);
  TablePtr table(raw);
  if (status != LATTICE_LOAD_OK) {
    fmt::print(stderr, "lattice explain: error: {}\n",
               query::tableLoadError(path, status, bytes.data(), bytes.size()));
    return ExitUsage;
  }
  query::SourceMap map;
  std::string mapPath = args->get("--map").value_or(path + ".map");
  if (auto problem = query::loadSourceMap(
          mapPath, path, emit::tableIdentity(llvm::arrayRefFromStringRef(bytes)), map)) {
    fmt::print(stderr, "lattice explain: error: {}\n", *problem);
    return ExitUsage;
  }
  auto refuse = [&](const std::string &why) {
    if (format == "json")
      printJson(llvm::json::Object{{"decision", "deny"}, {"error", why}});
    else
      fmt::print("deny\n");
    std::fflush(stdout);
    fmt::print(stderr, "lattice explain: error: {}\n", why);
    return ExitErrors;
  };
  auto inMap = [&](const std::string &name) {
    std::optional<uint32_t> permission = map.permission(name);
    if (!permission)
      error = fmt::format("unknown permission `{}`", name);
    return permission;
  };
  std::optional<query::Explanation> explained;
  if (isAccessRequest(*args)) {
    std::optional<NamedAccessRequest> named = namedAccessRequest(*args, error);
    query::ResolvedAccessRequest resolved;
    if (!named || !query::resolveAccessRequest(table.get(), *named, resolved, error))
      return refuse(error);
    std::optional<uint32_t> permission = inMap(named->permission);
    if (!permission)
      return refuse(error);
    explained = query::explainAccess(map, *named, resolved,
                                     lattice_decide_access(table.get(), &resolved.request()),
                                     table.get(), *permission);
  } else {
    NamedRequest named = namedRequest(*args);
    std::vector<uint32_t> roles;
    lattice_request request;
    if (!resolveRequest(table.get(), named, roles, request, error))
      return refuse(error);
    std::optional<uint32_t> permission = inMap(named.permission);
    if (!permission)
      return refuse(error);
    explained =
        query::explain(map, named, lattice_decide(table.get(), &request), table.get(), *permission);
  }
  const query::Explanation &explanation = *explained;
  if (format == "json")
    printJson(query::explanationJson(explanation));
  else
    std::fputs(query::explanationText(explanation).c_str(), stdout);
  return ExitOk;
}

} // namespace lattice::driver
