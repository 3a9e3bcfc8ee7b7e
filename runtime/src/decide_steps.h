// decide_steps.h - the steps every decision shares (outcome, table rows, bit and flag tests,
// exclusive sets, requirements), for lattice_decide, lattice_decide_access and principal handles.
#pragma once

#include "internal.h"

namespace lattice::detail {

using namespace lattice::format;

/// Sparse rules test "is this role held" in O(1) through a stack bitset when the table has at
/// most this many bitset words (4096 roles), and by scanning the held roles beyond that.
constexpr uint32_t kStackWords = 64;

/// A decision without `allowed` (which is reason == ALLOWED): 8 bytes, so the compiler joins
/// decide's many exits in one register, not through a 12-byte stack slot whose reload stalls.
struct Outcome {
  uint32_t reason, role;
};

inline Outcome deny(lattice_reason reason, uint32_t role = LATTICE_NO_ID) noexcept {
  return {uint32_t(reason), role};
}

inline bool testBit(const uint8_t *bitset, uint32_t role) noexcept {
  return (loadU64(bitset + 8 * size_t(role / 64)) >> (role % 64)) & 1;
}

inline uint32_t minId(uint32_t a, uint32_t b) noexcept { return a < b ? a : b; }

inline bool flagsMatch(uint64_t flags, uint64_t required, uint64_t forbidden) noexcept {
  return (flags & required) == required && (flags & forbidden) == 0;
}

/// The access decision from two 64-bit halves: built field by field, GCC stores 4 bytes and
/// reloads 8 to return them in registers, which stalls store forwarding on every call.
inline lattice_access_decision accessDecision(uint32_t reason, uint32_t role,
                                              uint32_t membership) noexcept {
  const uint64_t halves[2] = {uint64_t(reason == LATTICE_REASON_ALLOWED) | uint64_t(reason) << 32,
                              uint64_t(role) | uint64_t(membership) << 32};
  lattice_access_decision d;
  __builtin_memcpy(&d, halves, sizeof d);
  return d;
}

/// The roles a role's kinds mask says may hold it.
inline uint64_t roleKinds(const lattice_table &t, uint32_t role) noexcept {
  return loadU64(t.section[kRoleInfo] + role::kSize * size_t(role));
}

/// The PermissionInfo record of a permission.
inline const uint8_t *permissionInfo(const lattice_table &t, uint32_t permission) noexcept {
  return t.section[kPermissionInfo] + perm::kSize * size_t(permission);
}

/// The dense allow bitset of (permission, relation) over the roles; relation < 4.
inline const uint8_t *allowRow(const lattice_table &t, uint32_t permission,
                               uint32_t relation) noexcept {
  return t.section[kAllowBits] + 8 * (size_t(permission) * kRelationCount + relation) * t.words;
}

/// Sparse rule `e` (SparseRule record).
inline const uint8_t *sparseEntry(const lattice_table &t, uint32_t e) noexcept {
  return t.section[kSparseRules] + sparse::kSize * size_t(e);
}

/// Whether sparse rule `g` applies to a principal of the kind `kindBit` (a rule with `for` names
/// some kinds) whose flags are `flags`; its role and relation are the caller's to test.
inline bool sparseApplies(const uint8_t *g, uint64_t kindBit, uint64_t flags) noexcept {
  return (loadU64(g + sparse::kKindMask) & kindBit) != 0 &&
         flagsMatch(flags, loadU64(g + sparse::kRequired), loadU64(g + sparse::kForbidden));
}

/// Exclusive sets over the held roles `eachRole(visit)` calls `visit` with (a role may come
/// twice: held at two nodes, or listed twice). Whether two *different* held roles share one of
/// the first kMaskedExclusiveSets sets (lattice_table::exclusiveSets summarises them per role):
/// when not, no set below that index has a conflict.
template <class EachRole> bool sharesMaskedSet(const lattice_table &t, EachRole eachRole) noexcept {
  uint64_t heldSets = 0;
  uint32_t firstInSet[kMaskedExclusiveSets];
  bool shared = false;
  eachRole([&](uint32_t role) {
    const uint64_t sets = t.exclusiveSets[role];
    for (uint64_t common = sets & heldSets; common != 0 && !shared; common &= common - 1)
      shared = firstInSet[__builtin_ctzll(common)] != role;
    for (uint64_t fresh = sets & ~heldSets; fresh != 0; fresh &= fresh - 1)
      firstInSet[__builtin_ctzll(fresh)] = role;
    heldSets |= sets;
  });
  return shared;
}

/// The EXCLUSIVE deciding role: in the first set (from `firstSet` on) of which two different
/// held roles are members, the lowest of its held roles; else LATTICE_NO_ID.
template <class EachRole>
uint32_t exclusiveConflict(const lattice_table &t, uint32_t firstSet, EachRole eachRole) noexcept {
  for (uint32_t s = firstSet; s < t.exclusiveCount; ++s) {
    const uint8_t *set = t.section[kExclusive] + 8 * size_t(s) * t.words;
    uint32_t lowest = LATTICE_NO_ID;
    bool conflict = false;
    eachRole([&](uint32_t role) {
      if (!testBit(set, role))
        return;
      conflict = conflict || (lowest != LATTICE_NO_ID && role != lowest);
      lowest = minId(lowest, role);
    });
    if (conflict)
      return lowest;
  }
  return LATTICE_NO_ID;
}

/// Both steps: the exclusive outcome over the held roles.
template <class EachRole>
uint32_t exclusiveConflict(const lattice_table &t, EachRole eachRole) noexcept {
  if (t.exclusiveCount == 0)
    return LATTICE_NO_ID;
  return exclusiveConflict(t, sharesMaskedSet(t, eachRole) ? 0 : kMaskedExclusiveSets, eachRole);
}

/// Whether every `require` statement that applies to the kind of `kindBit` has a clause the flags
/// satisfy, statement by statement (what load.cpp summarises per kind).
inline bool requirementsHoldScan(const lattice_table &t, uint64_t kindBit,
                                 uint64_t flags) noexcept {
  for (uint32_t i = 0; i < t.requireCount;) {
    const uint8_t *first = t.section[kRequire] + require::kSize * size_t(i);
    const uint32_t statement = loadU32(first + require::kStatement);
    const bool applies = (loadU64(first + require::kKindMask) & kindBit) != 0;
    bool holds = false;
    for (; i < t.requireCount; ++i) {
      const uint8_t *c = t.section[kRequire] + require::kSize * size_t(i);
      if (loadU32(c + require::kStatement) != statement)
        break;
      holds = holds ||
              flagsMatch(flags, loadU64(c + require::kRequired), loadU64(c + require::kForbidden));
    }
    if (applies && !holds)
      return false;
  }
  return true;
}

/// Whether every `require` statement that applies to the kind of `kindBit` holds with `flags`:
/// no work for a kind without statements, one mask test when each of its statements is a single
/// clause, the scan otherwise.
[[gnu::always_inline]] inline bool requirementsHold(const lattice_table &t, uint64_t kindBit,
                                                    uint64_t flags) noexcept {
  if (!(t.requireKinds & kindBit))
    return true;
  if (!(t.requireGeneralKinds & kindBit)) {
    const uint32_t kind = uint32_t(__builtin_ctzll(kindBit));
    return flagsMatch(flags, t.requireAll[kind], t.forbidAll[kind]);
  }
  return requirementsHoldScan(t, kindBit, flags);
}
} // namespace lattice::detail
