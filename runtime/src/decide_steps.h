// decide_steps.h - the steps every decision shares (outcome, bit and flag tests, requirements),
// for lattice_decide (one node) and lattice_decide_access (memberships).
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
inline bool requirementsHold(const lattice_table &t, uint64_t kindBit, uint64_t flags) noexcept {
  if (!(t.requireKinds & kindBit))
    return true;
  if (!(t.requireGeneralKinds & kindBit)) {
    const uint32_t kind = uint32_t(__builtin_ctzll(kindBit));
    return flagsMatch(flags, t.requireAll[kind], t.forbidAll[kind]);
  }
  return requirementsHoldScan(t, kindBit, flags);
}
} // namespace lattice::detail
