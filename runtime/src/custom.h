// custom.h - the runtime's custom role sets (roles tenants build within a ceiling), shared by
// their builder (custom.cpp) and the decisions that read them (decide_access.cpp, principal.cpp).
#pragma once

#include "internal.h"

/// Built roles, 4 bits per (role, permission of its ceiling): bit r of a permission's nibble =
/// the role allows it at relation r. A role's nibbles follow its ceiling's cells (slot i = the
/// ceiling's i-th permission), so a role costs half a byte per permission its ceiling holds plus
/// 8 bytes (its ceiling and its offset), not a nibble per permission of the table.
struct lattice_custom_roles {
  const lattice_table *table;
  uint32_t *slotOf; // [ceiling * permissionCount + permission]: its slot, or LATTICE_NO_ID
  uint32_t *roleCeiling, *roleOffset; // per role
  uint32_t count, capacity;
  uint8_t *pool; // the roles' nibbles, each role's from its offset
  size_t poolSize, poolCapacity;
};

namespace lattice::detail {

inline bool isCustomRole(uint32_t role) noexcept { return (role & LATTICE_CUSTOM_ROLE) != 0; }

/// Whether custom role id `role` names a role of `set` (null: none).
inline bool knownCustomRole(const lattice_custom_roles *set, uint32_t role) noexcept {
  return set && isCustomRole(role) && (role & ~LATTICE_CUSTOM_ROLE) < set->count;
}

/// The relations custom role `role` (a known id, with its bit) allows `permission` at.
inline uint8_t customCell(const lattice_custom_roles &s, uint32_t role,
                          uint32_t permission) noexcept {
  const uint32_t index = role & ~LATTICE_CUSTOM_ROLE;
  const uint32_t slot =
      s.slotOf[size_t(s.roleCeiling[index]) * s.table->permissionCount + permission];
  if (slot == LATTICE_NO_ID)
    return 0;
  return uint8_t((s.pool[s.roleOffset[index] + slot / 2] >> ((slot & 1) * 4)) & 0xF);
}

/// The user types that may hold custom role `role` (a known id): its ceiling's.
inline uint64_t customKinds(const lattice_custom_roles &s, uint32_t role) noexcept {
  const uint32_t ceiling = s.roleCeiling[role & ~LATTICE_CUSTOM_ROLE];
  return format::loadU64(s.table->ceilingRecords + format::ceiling::kSize * size_t(ceiling) +
                         format::ceiling::kKindMask);
}

} // namespace lattice::detail
