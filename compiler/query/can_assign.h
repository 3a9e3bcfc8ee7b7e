// can_assign.h - delegation asked of a compiled table: may a holder of these roles, with these
// flags (its own and its node's), give that role? The answer is lattice_can_assign_with's; the
// words say which held role's `assigns` allows it.
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

/// Asks the runtime (lattice_can_assign_with: a conditional `assigns` counts when `flags` satisfy
/// its condition). `byRole` is found by asking again with each held role alone, which is exact:
/// it allows iff the target is not locked and some held role assigns it under these flags.
AssignAnswer canAssign(const lattice_table *table, const std::vector<uint32_t> &roles,
                       uint32_t target, uint64_t flags);

/// "role `a` assigns `b`", or "no held role assigns `b` (with these flags), or `b` is locked".
std::string describeAssign(const lattice_table *table, const AssignAnswer &answer, uint32_t target);

/// Resolves role and flag names for a delegation question; on an unknown name returns false with
/// `error` set (the question is then answered "deny").
bool resolveAssign(const lattice_table *table, const std::vector<std::string> &roleNames,
                   const std::string &targetName, const std::vector<std::string> &flagNames,
                   std::vector<uint32_t> &roles, uint32_t &target, uint64_t &flags,
                   std::string &error);

} // namespace lattice::query
