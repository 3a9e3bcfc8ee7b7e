// source_map_reader.cpp - reading the source map with llvm::json within base/json_input.h's
// limits. Fields of an unexpected type read as empty: the map is our own output, and the
// identity check already refused maps of other builds.
#include "query/source_map_reader.h"

#include "base/input_file.h"
#include "base/json_input.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::query {
namespace {

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

bool contains(const std::vector<std::string> &list, const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

const MapRole *SourceMap::role(const std::string &name) const {
  for (const MapRole &r : roles)
    if (r.name == name)
      return &r;
  return nullptr;
}

std::optional<uint32_t> SourceMap::permission(const std::string &name) const {
  for (uint32_t i = 0; i < permissions.size(); ++i)
    if (permissions[i].name == name)
      return i;
  return std::nullopt;
}

bool clausesHold(const std::vector<MapClause> &clauses, const std::vector<std::string> &flags) {
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

std::optional<std::string> parseSourceMap(const std::string &text, const std::string &mapName,
                                          const std::string &tableName,
                                          const emit::TableIdentity &identity, SourceMap &map) {
  JsonError where;
  std::optional<llvm::json::Value> parsed =
      parseJson(text, JsonLimits{kMaxSourceMapBytes, kMaxJsonDepth}, where);
  if (!parsed)
    return fmt::format("`{}` is not a source map: invalid JSON at {}; rebuild the table with "
                       "`lattice build`",
                       mapName, where.describe());
  const llvm::json::Object *root = parsed->getAsObject();
  if (root == nullptr || str(*root, "format") != "lattice-source-map" ||
      root->getInteger("version").getValueOr(-1) != emit::kSourceMapVersion)
    return fmt::format("`{}` is not a version {} source map; rebuild the table with `lattice "
                       "build`",
                       mapName, emit::kSourceMapVersion);
  const llvm::json::Object *table = root->getObject("table");
  if (table == nullptr || str(*table, "checksum") != fmt::format("{:016x}", identity.checksum) ||
      table->getInteger("size").getValueOr(-1) != static_cast<int64_t>(identity.size))
    return fmt::format("the source map `{}` does not belong to `{}` (stale or from another "
                       "build); rebuild the table with `lattice build`",
                       mapName, tableName);
  objects(*root, "permissions", [&](const llvm::json::Object &p) {
    map.permissions.push_back({str(p, "name"), str(p, "at"), strings(p, "kinds")});
  });
  auto readRule = [](const llvm::json::Object &u) {
    MapRule rule;
    rule.deny = str(u, "effect") == "deny";
    if (const llvm::json::Array *ids = u.getArray("permissions"))
      for (const llvm::json::Value &id : *ids)
        if (auto n = id.getAsInteger(); n && *n >= 0 && *n <= UINT32_MAX)
          rule.permissions.push_back(static_cast<uint32_t>(*n));
    rule.reach = str(u, "reach");
    rule.relations = strings(u, "relations");
    rule.condition = str(u, "condition");
    rule.clauses = readClauses(u);
    rule.kinds = strings(u, "kinds");
    rule.source = str(u, "source");
    rule.at = str(u, "at");
    return rule;
  };
  objects(*root, "roles", [&](const llvm::json::Object &r) {
    MapRole role{str(r, "name"), str(r, "at"), strings(r, "kinds"), strings(r, "inherited"), {}};
    objects(r, "rules", [&](const llvm::json::Object &u) { role.rules.push_back(readRule(u)); });
    map.roles.push_back(std::move(role));
  });
  objects(*root, "policyDenies",
          [&](const llvm::json::Object &u) { map.policyDenies.push_back(readRule(u)); });
  objects(*root, "exclusive", [&](const llvm::json::Object &e) {
    map.exclusives.push_back({strings(e, "roles"), str(e, "source"), str(e, "at")});
  });
  objects(*root, "requires", [&](const llvm::json::Object &q) {
    map.requires_.push_back(
        {strings(q, "kinds"), str(q, "condition"), str(q, "source"), str(q, "at"), readClauses(q)});
  });
  return std::nullopt;
}

std::optional<std::string> loadSourceMap(const std::string &path, const std::string &tableName,
                                         const emit::TableIdentity &identity, SourceMap &map) {
  std::string text, error;
  if (!readWholeFile(path, kMaxSourceMapBytes, text, error))
    return fmt::format("cannot read the source map `{}`: {}; rebuild the table with `lattice "
                       "build` (it writes the map unless given `--no-source-map`)",
                       path, error);
  return parseSourceMap(text, path, tableName, identity, map);
}

} // namespace lattice::query
