// can_assign.h - delegation asked of a compiled table: may a holder of these roles give that
// role? The answer is lattice_can_assign's; the words say which held role's `assigns` allows it.
#pragma once

#include "lattice/lattice.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lattice::query {

struct AssignAnswer {
  bool allowed = false;
  uint32_t byRole = LATTICE_NO_ID; // when allowed: the first held role whose `assigns` lists it
};

/// Asks the runtime. `byRole` is found by asking again with each held role alone, which is
/// exact: lattice_can_assign allows iff the target is not locked and some held role assigns it.
AssignAnswer canAssign(const lattice_table *table, const std::vector<uint32_t> &roles,
                       uint32_t target);

/// "role `a` assigns `b`", or "no held role assigns `b`, or `b` is locked".
std::string describeAssign(const lattice_table *table, const AssignAnswer &answer, uint32_t target);

/// Resolves role names for a delegation question; on an unknown name returns false with `error`
/// set (the question is then answered "deny").
bool resolveAssign(const lattice_table *table, const std::vector<std::string> &roleNames,
                   const std::string &targetName, std::vector<uint32_t> &roles, uint32_t &target,
                   std::string &error);

} // namespace lattice::query
