// who_can.h - "who can do this" from a compiled table, by name: for a permission, relations and
// flags, the roles, custom-role ceilings and user types the runtime lists (lattice_who_can).
// Shared by `query --who-can` and any server or LSP; the sources' who-can is access/who_can.h.
#pragma once

#include "lattice/lattice.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::query {

struct NamedWhoCan {
  std::string permission;
  /// A relation word of the one vocabulary (`self` ... `subtree`, `tenant`), `none` (another
  /// tree); nullopt: each of the four relations.
  std::optional<std::string> relation;
  std::vector<std::string> flags; // any side: principal, node and facts (exactly these hold)
  std::vector<std::string> facts; // facts only (`resource.x`, `target.x`, `request.x`)
};

/// One relation's answer: ids ascending.
struct WhoCanAtRelation {
  uint32_t relation = LATTICE_REL_SAME; // a lattice_relation
  std::vector<uint32_t> roles, ceilings, kinds;
};

struct WhoCanTableAnswer {
  uint32_t permission = 0;
  uint64_t flags = 0;
  std::vector<WhoCanAtRelation> relations; // in relation order
};

/// Resolves the names and asks the table once per relation. On an unknown name (with the
/// nearest name) or a refused question returns false with `error` set (no one is listed).
bool whoCanFromTable(const lattice_table *table, const NamedWhoCan &named, WhoCanTableAnswer &out,
                     std::string &error);

/// The word of a lattice_relation (`self`, `descendants`, `ancestors`, `elsewhere`, `none`).
const char *relationWord(uint32_t relation);

/// "who can `doc.read` (exactly `active` set)" and one line per relation: roles, ceilings and
/// user types, each name in backticks, `none` for an empty list.
std::string describeWhoCan(const lattice_table *table, const WhoCanTableAnswer &answer);

} // namespace lattice::query
