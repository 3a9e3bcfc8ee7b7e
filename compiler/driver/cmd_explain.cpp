// cmd_explain.cpp - `lattice explain TABLE ...`: answer one request like `query`, then say why,
// naming the deciding rules with file:line from the table's sidecar source map (`TABLE.map`).
#include "base/input_file.h"
#include "base/json_input.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "driver/request.h"
#include "emit/source_map.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <fmt/format.h>
#include <optional>
#include <set>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kExplainOptions = requestOptions({
    {"--map", true, "FILE", "the source map (default: TABLE.map, written by `lattice build`)"},
    {"--help", false, "", "show this help"},
});

// --- the source map as read back ------------------------------------------------------------

/// 10,000 roles make a 20 MB map; a map past this size is refused rather than parsed.
constexpr size_t kMaxSourceMapBytes = size_t(256) << 20;

struct MapClause {
  std::vector<std::string> required, forbidden;
};
struct MapRule {
  bool deny = false;
  std::vector<uint32_t> permissions; // indexes into SourceMap::permissions
  std::string reach;
  std::vector<std::string> relations;
  std::string condition;
  std::vector<MapClause> clauses;
  std::string source, at;
};
struct MapRole {
  std::string name, at;
  std::vector<std::string> kinds, inherited;
  std::vector<MapRule> rules;
};
struct MapPermission {
  std::string name, at;
  std::vector<std::string> kinds;
};
struct MapExclusive {
  std::vector<std::string> roles;
  std::string source, at;
};
struct MapRequire {
  std::vector<std::string> kinds;
  std::string condition, source, at;
  std::vector<MapClause> clauses;
};
struct SourceMap {
  std::vector<MapPermission> permissions;
  std::vector<MapRole> roles;
  std::vector<MapExclusive> exclusives;
  std::vector<MapRequire> requires_;

  const MapRole *role(const std::string &name) const {
    for (const MapRole &r : roles)
      if (r.name == name)
        return &r;
    return nullptr;
  }
  std::optional<uint32_t> permission(const std::string &name) const {
    for (uint32_t i = 0; i < permissions.size(); ++i)
      if (permissions[i].name == name)
        return i;
    return std::nullopt;
  }
};

std::string str(const llvm::json::Object &o, llvm::StringRef key) {
  auto value = o.getString(key);
  return value ? value->str() : std::string();
}
std::vector<std::string> strings(const llvm::json::Object &o, llvm::StringRef key) {
  std::vector<std::string> out;
  if (const llvm::json::Array *array = o.getArray(key))
    for (const llvm::json::Value &v : *array)
      if (auto s = v.getAsString())
        out.push_back(s->str());
  return out;
}
template <typename Fn> void objects(const llvm::json::Object &o, llvm::StringRef key, Fn fn) {
  if (const llvm::json::Array *array = o.getArray(key))
    for (const llvm::json::Value &v : *array)
      if (const llvm::json::Object *item = v.getAsObject())
        fn(*item);
}
std::vector<MapClause> readClauses(const llvm::json::Object &o) {
  std::vector<MapClause> out;
  objects(o, "clauses", [&](const llvm::json::Object &c) {
    out.push_back({strings(c, "required"), strings(c, "forbidden")});
  });
  return out;
}

/// Reads the map at `path` and checks it belongs to the table; on failure returns the error.
std::optional<std::string> loadMap(const std::string &path, const std::string &tablePath,
                                   const emit::TableIdentity &identity, SourceMap &map) {
  std::string text, error;
  if (!readWholeFile(path, kMaxSourceMapBytes, text, error))
    return fmt::format("cannot read the source map `{}`: {}; rebuild the table with `lattice "
                       "build` (it writes the map unless given `--no-source-map`)",
                       path, error);
  JsonError where;
  std::optional<llvm::json::Value> parsed =
      parseJson(text, JsonLimits{kMaxSourceMapBytes, kMaxJsonDepth}, where);
  if (!parsed)
    return fmt::format("`{}` is not a source map: invalid JSON at {}; rebuild the table with "
                       "`lattice build`",
                       path, where.describe());
  const llvm::json::Object *root = parsed->getAsObject();
  if (root == nullptr || str(*root, "format") != "lattice-source-map" ||
      root->getInteger("version").getValueOr(-1) != emit::kSourceMapVersion)
    return fmt::format("`{}` is not a version {} source map; rebuild the table with `lattice "
                       "build`",
                       path, emit::kSourceMapVersion);
  const llvm::json::Object *table = root->getObject("table");
  if (table == nullptr || str(*table, "checksum") != fmt::format("{:016x}", identity.checksum) ||
      table->getInteger("size").getValueOr(-1) != static_cast<int64_t>(identity.size))
    return fmt::format("the source map `{}` does not belong to `{}` (stale or from another "
                       "build); rebuild the table with `lattice build`",
                       path, tablePath);
  objects(*root, "permissions", [&](const llvm::json::Object &p) {
    map.permissions.push_back({str(p, "name"), str(p, "at"), strings(p, "kinds")});
  });
  objects(*root, "roles", [&](const llvm::json::Object &r) {
    MapRole role{str(r, "name"), str(r, "at"), strings(r, "kinds"), strings(r, "inherited"), {}};
    objects(r, "rules", [&](const llvm::json::Object &u) {
      MapRule rule;
      rule.deny = str(u, "effect") == "deny";
      if (const llvm::json::Array *ids = u.getArray("permissions"))
        for (const llvm::json::Value &id : *ids)
          if (auto n = id.getAsInteger(); n && *n >= 0)
            rule.permissions.push_back(static_cast<uint32_t>(*n));
      rule.reach = str(u, "reach");
      rule.relations = strings(u, "relations");
      rule.condition = str(u, "condition");
      rule.clauses = readClauses(u);
      rule.source = str(u, "source");
      rule.at = str(u, "at");
      role.rules.push_back(std::move(rule));
    });
    map.roles.push_back(std::move(role));
  });
  objects(*root, "exclusive", [&](const llvm::json::Object &e) {
    map.exclusives.push_back({strings(e, "roles"), str(e, "source"), str(e, "at")});
  });
  objects(*root, "requires", [&](const llvm::json::Object &q) {
    map.requires_.push_back(
        {strings(q, "kinds"), str(q, "condition"), str(q, "source"), str(q, "at"), readClauses(q)});
  });
  return std::nullopt;
}

// --- explaining -----------------------------------------------------------------------------

bool contains(const std::vector<std::string> &list, const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

bool holds(const std::vector<MapClause> &clauses, const std::vector<std::string> &flags) {
  for (const MapClause &clause : clauses) {
    bool ok = true;
    for (const std::string &f : clause.required)
      ok &= contains(flags, f);
    for (const std::string &f : clause.forbidden)
      ok &= !contains(flags, f);
    if (ok)
      return true;
  }
  return false;
}

std::string quotedList(const std::vector<std::string> &names) {
  if (names.empty())
    return "none";
  std::string out;
  for (const std::string &name : names)
    out += (out.empty() ? "`" : ", `") + name + "`";
  return out;
}

/// A rule reached through a held role: `declaring` declares it, `held` is the role held.
struct Reached {
  const MapRole *declaring;
  const MapRule *rule;
  std::string held;
  std::string mismatch; // empty: the rule matches the request
};

std::string describeRule(const Reached &r) {
  std::string via = r.declaring->name == r.held ? "" : fmt::format(" via `{}`", r.held);
  return fmt::format("{}: role `{}`{}: {}", r.rule->at, r.declaring->name, via, r.rule->source);
}

/// Every rule of the held roles (and the roles they extend) naming the permission, each once.
std::vector<Reached> rulesFor(const SourceMap &map, const NamedRequest &request,
                              uint32_t permission) {
  std::vector<Reached> out;
  std::set<std::pair<const MapRole *, size_t>> seen;
  for (const std::string &held : request.roles) {
    const MapRole *role = map.role(held);
    if (role == nullptr)
      continue;
    std::vector<const MapRole *> chain{role};
    for (const std::string &name : role->inherited)
      if (const MapRole *parent = map.role(name))
        chain.push_back(parent);
    for (const MapRole *declaring : chain)
      for (size_t i = 0; i < declaring->rules.size(); ++i) {
        const MapRule &rule = declaring->rules[i];
        if (std::find(rule.permissions.begin(), rule.permissions.end(), permission) ==
                rule.permissions.end() ||
            !seen.insert({declaring, i}).second)
          continue;
        Reached reached{declaring, &rule, held, ""};
        if (!contains(rule.relations, request.relation))
          reached.mismatch =
              fmt::format("reach `{}` does not cover relation `{}`", rule.reach, request.relation);
        else if (!holds(rule.clauses, request.flags))
          reached.mismatch = fmt::format("condition `{}` is false", rule.condition);
        out.push_back(std::move(reached));
      }
  }
  std::stable_partition(out.begin(), out.end(), [](const Reached &r) { return r.rule->deny; });
  return out;
}

/// The gate the runtime stopped at, in words, with where it is declared.
std::string describeGate(const SourceMap &map, const NamedRequest &request,
                         const lattice_decision &decision, const lattice_table *table,
                         uint32_t permission) {
  const char *decidingName = decision.deciding_role == LATTICE_NO_ID
                                 ? nullptr
                                 : lattice_role_name(table, decision.deciding_role);
  std::string deciding = decidingName ? decidingName : "";
  switch (decision.reason) {
  case LATTICE_REASON_ROLE_NOT_FOR_KIND: {
    const MapRole *role = map.role(deciding);
    if (role == nullptr)
      break;
    return fmt::format("role not for kind: role `{}` is for {}, not `{}` ({})", role->name,
                       quotedList(role->kinds), request.kind, role->at);
  }
  case LATTICE_REASON_EXCLUSIVE:
    for (const MapExclusive &set : map.exclusives) {
      if (!contains(set.roles, deciding))
        continue;
      std::vector<std::string> held;
      for (const std::string &role : set.roles)
        if (contains(request.roles, role))
          held.push_back(role);
      if (held.size() >= 2)
        return fmt::format("exclusive: {} may not be held together\n  {}: {}", quotedList(held),
                           set.at, set.source);
    }
    break;
  case LATTICE_REASON_NOT_APPLICABLE: {
    const MapPermission &p = map.permissions[permission];
    return fmt::format("not applicable: `{}` applies only to {}, not `{}` ({})", p.name,
                       quotedList(p.kinds), request.kind, p.at);
  }
  case LATTICE_REASON_REQUIREMENT: {
    std::string out = fmt::format("requirement: a `require` for `{}` does not hold with flags {}",
                                  request.kind, quotedList(request.flags));
    for (const MapRequire &require : map.requires_)
      if (contains(require.kinds, request.kind) && !holds(require.clauses, request.flags))
        out += fmt::format("\n  {}: {}", require.at, require.source);
    return out;
  }
  default:
    return "";
  }
  return "";
}

void printExplanation(const SourceMap &map, const NamedRequest &request,
                      const lattice_decision &decision, const lattice_table *table,
                      uint32_t permission) {
  fmt::print("{}\n  {}\n", decision.allowed ? "allow" : "deny", describeDecision(table, decision));
  std::string gate = describeGate(map, request, decision, table, permission);
  bool gated = !gate.empty();
  if (gated)
    fmt::print("denied before any rule is consulted, by a gate:\n  {}\n", gate);
  if (request.roles.empty())
    fmt::print("no roles held\n");
  std::vector<Reached> rules = rulesFor(map, request, permission);
  bool anyDeny = false, anyMatch = false;
  for (const Reached &r : rules)
    if (r.mismatch.empty()) {
      anyDeny |= r.rule->deny;
      anyMatch = true;
    }
  if (anyMatch) {
    fmt::print("{}\n", gated ? "matching rules (not consulted):" : "matching rules:");
    for (const Reached &r : rules)
      if (r.mismatch.empty())
        fmt::print("  {} {}{}\n", r.rule->deny ? "deny " : "allow", describeRule(r),
                   !gated && anyDeny && !r.rule->deny ? " (overridden: a deny wins)" : "");
  } else if (!request.roles.empty()) {
    fmt::print("no rule of a held role matches `{}` on `{}`\n", request.permission,
               request.relation);
  }
  if (decision.allowed)
    return;
  bool header = false;
  for (const Reached &r : rules) {
    if (r.mismatch.empty())
      continue;
    if (!header)
      fmt::print("rules naming `{}` that do not match:\n", request.permission);
    header = true;
    fmt::print("  {} {} ({})\n", r.rule->deny ? "deny " : "allow", describeRule(r), r.mismatch);
  }
}

} // namespace

int runExplain(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kExplainOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice explain TABLE --kind K --roles R1,R2 --permission RES.ACTION "
               "--relation REL [--flags F1,F2] [--map FILE]\n\nAnswers a request like `query` "
               "and says why: the gate or the rules that decide, with file:line from the\nsource "
               "map `lattice build` writes next to the table (TABLE.map).\n\nOptions:\n{}",
               describeOptions(kExplainOptions));
    return ExitOk;
  }
  if (args && args->positional().size() != 1)
    error = "expected exactly one table file";
  else if (args)
    error = missingRequestOption(*args).value_or("");
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
    fmt::print(stderr, "lattice explain: error: cannot load `{}`: {}\n", path,
               lattice_load_status_message(status));
    return ExitUsage;
  }
  SourceMap map;
  std::string mapPath = args->get("--map").value_or(path + ".map");
  if (auto problem =
          loadMap(mapPath, path, emit::tableIdentity(llvm::arrayRefFromStringRef(bytes)), map)) {
    fmt::print(stderr, "lattice explain: error: {}\n", *problem);
    return ExitUsage;
  }
  NamedRequest named = namedRequest(*args);
  std::vector<uint32_t> roles;
  lattice_request request;
  std::optional<uint32_t> permission = map.permission(named.permission);
  if (!resolveRequest(table.get(), named, roles, request, error) || !permission) {
    fmt::print("deny\n");
    fmt::print(stderr, "lattice explain: error: {}\n",
               error.empty() ? fmt::format("unknown permission `{}`", named.permission) : error);
    return ExitErrors;
  }
  printExplanation(map, named, lattice_decide(table.get(), &request), table.get(), *permission);
  return ExitOk;
}

} // namespace lattice::driver
