// source_map_reader.h - the sidecar source map (`TABLE.map`, written by emit/source_map.cpp) read
// back: each role's rules with their reach, condition and place, the exclusive sets and the
// requirements, checked to belong to the table at hand.
#pragma once

#include "emit/source_map_format.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lattice::query {

/// 10,000 roles make a 20 MB map; a map past this size is refused rather than parsed.
inline constexpr size_t kMaxSourceMapBytes = size_t(256) << 20;

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
  std::vector<std::string> kinds; // its `for`; empty: every user type
  std::string source, at;         // the rule as written, and FILE:LINE:COLUMN
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
  std::vector<MapRule> policyDenies; // the `deny` statements at the top level
  std::vector<MapExclusive> exclusives;
  std::vector<MapRequire> requires_;

  const MapRole *role(const std::string &name) const;
  std::optional<uint32_t> permission(const std::string &name) const;
};

/// Parses map `text` (named `mapName` in messages) and checks it belongs to the table with
/// `identity`, named `tableName`. On failure returns the error: invalid JSON (where and why),
/// another format or version, or a map of another build.
std::optional<std::string> parseSourceMap(const std::string &text, const std::string &mapName,
                                          const std::string &tableName,
                                          const emit::TableIdentity &identity, SourceMap &map);

/// Reads the map file at `path` (a regular file of at most kMaxSourceMapBytes) and parses it.
std::optional<std::string> loadSourceMap(const std::string &path, const std::string &tableName,
                                         const emit::TableIdentity &identity, SourceMap &map);

/// True iff `flags` satisfy some clause (a guard in disjunctive form by flag names).
bool clausesHold(const std::vector<MapClause> &clauses, const std::vector<std::string> &flags);

} // namespace lattice::query
