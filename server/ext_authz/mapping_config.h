// mapping_config.h - the ext_authz mapping: which request headers give the principal (kind,
// flags, memberships), the facts, the permission and the target node, read from a small
// line-based file (docs/server.md, "Envoy ext_authz"); every error carries its line and column.
#pragma once

#include "lattice/lattice.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice::ext_authz {

/// A mapping file is a few dozen lines; 1 MiB bounds a hostile one.
inline constexpr size_t kMaxMappingFileBytes = size_t(1) << 20;
inline constexpr size_t kMaxRoutes = 4096;

/// Where in the mapping file something was written (1-based).
struct ConfigLocation {
  unsigned line = 0;
  unsigned column = 0;
};

struct ConfigError {
  ConfigLocation at;
  std::string message;
};

/// A header named by the mapping (lower-cased, as Envoy hands header names over), or none.
struct HeaderSource {
  std::string name; // "" when not configured
  ConfigLocation at;
  bool configured() const { return !name.empty(); }
};

/// One segment of a route's path template: a literal segment or a `{parameter}`.
struct PathSegment {
  bool parameter = false;
  std::string text; // the literal, or the parameter's name
};

/// One part of a target template: a literal node name, a `{parameter}` of the route's path
/// (one node name), or a `{header:NAME}` (the header's value read as a node path, `a/b`).
struct TargetPart {
  enum class Kind { Literal, Parameter, Header };
  Kind kind = Kind::Literal;
  std::string text; // the literal, the parameter's name, or the header's name
};

/// `route METHOD /path/{param} PERMISSION [TARGET]`.
struct Route {
  ConfigLocation at;             // the `route` word
  ConfigLocation permissionAt;   // the permission, for errors found against a table
  std::string method;            // "*" for any method
  std::vector<PathSegment> path; // "/" alone is no segment
  std::string permission;
  std::vector<TargetPart> target; // empty: the target header gives it
};

struct MappingConfig {
  std::string kind; // `kind is KIND`: one user type for every request ("" when a header gives it)
  ConfigLocation kindAt;
  HeaderSource kindHeader;
  HeaderSource flagsHeader;       // the principal's flags, comma-separated
  HeaderSource membershipsHeader; // memberships in `query --membership` syntax, comma-separated
  HeaderSource factsHeader;       // the request's facts (`request.mfa_used`, ...), comma-separated
  HeaderSource permissionHeader;  // used when no route matches
  HeaderSource targetHeader;      // the target's path, for routes without a target and with
                                  // the permission header
  std::vector<Route> routes;      // the first that matches decides the permission and target
};

/// Parses a mapping file's text. On errors returns nothing and appends every error found (one
/// per bad line, then the whole file's: a missing `kind`, ...), in line order.
std::optional<MappingConfig> parseMappingConfig(std::string_view text,
                                                std::vector<ConfigError> &errors);

/// Reads and parses a mapping file: `errors` as above, or one error at line 0 when the file
/// cannot be read.
std::optional<MappingConfig> loadMappingConfig(const std::string &path,
                                               std::vector<ConfigError> &errors);

/// The names the mapping gives (the fixed kind, the routes' permissions) checked against a
/// table, with "did you mean" suggestions: a mapping naming what the policy does not have is a
/// configuration error at start (after a reload, such a request is denied with the reason).
std::vector<ConfigError> checkMappingNames(const MappingConfig &config, const lattice_table *table);

/// `FILE:LINE:COL: error: MESSAGE` (no line and column for line 0).
std::string renderConfigError(const std::string &file, const ConfigError &error);

} // namespace lattice::ext_authz
