// coverage.h - what the `test` blocks exercise: the rules some test request matched (by the
// reference interpreter) and the (role, permission, relation) cells of the matrix a case pins.
#pragma once

#include "sema/model.h"

#include <cstddef>
#include <vector>

namespace lattice::testrun {

/// The cells of one role's column of the matrix (`lattice doc`) that single-role cases pin.
struct RoleCells {
  sema::RoleId role = 0;
  size_t total = 0; // permissions applicable to one of the role's user types, x 4 relations
  /// Per permission (in id order), the relations pinned; permissions with none are left out.
  std::vector<std::pair<sema::PermissionId, sema::RelationMask>> pinned;
  size_t pinnedCount() const;
};

struct Coverage {
  std::vector<bool> exercised;  // per rule of Model::rules
  std::vector<RoleCells> roles; // per role, in id order
  size_t rulesExercised = 0, rulesTotal = 0;
  size_t cellsPinned = 0, cellsTotal = 0;
};

/// Computes coverage from the model's test cases. A decision case's request *exercises* a rule
/// when it passes every gate (kind, exclusivity, applicability, requirements) and the rule
/// matches it (held directly or through `extends`, permission, relation, condition) and decides
/// it: every matching deny, or, when no deny matches, every matching allow. An allow overridden
/// by a deny is not exercised: the test would pass without it. A single-role case *pins* the
/// cell (role, permission, relation) of each of its requests that passes every gate: that is
/// the cell `lattice doc` shows for a user holding only that role. `assigns` cases exercise no
/// rule and pin no cell.
Coverage computeCoverage(const sema::Model &model);

/// "87.5": a percentage with one decimal, rounded down so that 100.0 means all of them (100.0
/// when `total` is 0: nothing to cover).
std::string percentText(size_t part, size_t total);
/// part/total >= minimum/100, exactly.
bool meetsMinimum(size_t part, size_t total, double minimum);

} // namespace lattice::testrun
