// internal.h - the runtime's view of a validated table, shared by the loader and the queries.
// Only load.cpp creates a lattice_table; everything else may assume its invariants hold.
#pragma once

#include "lattice/format.h"
#include "lattice/lattice.h"
#include "lattice/lattice.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>

struct lattice_table {
  const uint8_t *data = nullptr;
  size_t size = 0;
  uint8_t *owned = nullptr; // the file buffer for lattice_table_load_file, else null
  uint32_t kindCount = 0, roleCount = 0, permissionCount = 0, flagCount = 0, words = 0;
  uint32_t sparseCount = 0, exclusiveCount = 0, requireCount = 0, stringCount = 0;
  uint32_t assignCount = 0, policyName = 0, revision = 0, assignConditionCount = 0;
  uint64_t fingerprint = 0; // the vocabulary fingerprint, recomputed and checked at load
  uint64_t flagMask = 0;    // the flag bits a request may set
  uint64_t principalFlags = 0, nodeFlags = 0; // the flags of each side (FlagInfo), a partition
  uint64_t factFlags = 0; // ... with the facts (resource, target, request): the `facts` word
  /// Whether some `require` clause reads a fact: principal handles then check `require` per
  /// request instead of once per node.
  bool requireReadsFacts = false;
  /// Per role, bit s set iff exclusive set s (s < kMaskedExclusiveSets) lists the role: decide
  /// proves "no conflict there" with one OR per held role. Stored after the handle, in its block.
  const uint64_t *exclusiveSets = nullptr;
  /// `require` in the form decide checks it (load.cpp, deriveRequirements): the kinds some
  /// statement applies to; of those, the kinds with a statement of two or more clauses (checked
  /// statement by statement); for the others every applying statement is one clause, so they
  /// hold iff the flags have all of requireAll[kind] and none of forbidAll[kind].
  uint64_t requireKinds = 0, requireGeneralKinds = 0;
  uint64_t requireAll[lattice::format::kMaxKinds] = {}, forbidAll[lattice::format::kMaxKinds] = {};
  /// For tables of at most 64 roles (words == 1), per kind the roles it may hold: decide then
  /// tests every held role's kind with one mask (load.cpp, deriveKindRoles); zero otherwise.
  uint64_t kindRoles[lattice::format::kMaxKinds] = {};
  /// For tables of at most 64 roles, per permission the roles its sparse rules name (all bits
  /// when one is policy-wide): decide skips the scan when no held role is among them (load.cpp,
  /// deriveSparseRoles). Null otherwise; stored after the name indexes, in the handle's block.
  const uint64_t *sparseRoles = nullptr;
  /// Per name category (lattice::detail::Category), an open-addressing index of its names
  /// (load.cpp, deriveNameIndex; names.cpp, lookupName): nameSlotMask + 1 slots, a power of two
  /// at least twice the count, each 0 (empty) or id + 1, probed linearly from the name's hash.
  /// Stored after the exclusive-set masks, in the handle's block.
  uint32_t nameSlotMask[4] = {};
  const uint32_t *nameSlots[4] = {};
  /// Custom role ceilings (the Ceilings section): counts from its head, pointers into it.
  uint32_t ceilingCount = 0, ceilingCellCount = 0, ceilingCreatorCount = 0;
  const uint8_t *ceilingRecords = nullptr, *ceilingCells = nullptr, *ceilingCreators = nullptr;
  const uint8_t *ceilingSorted = nullptr;
  const uint8_t *section[lattice::format::kSectionCount] = {};
  uint64_t sectionSize[lattice::format::kSectionCount] = {};
};

namespace lattice::detail {

/// The exclusive sets summarized in lattice_table::exclusiveSets: those with index < 64.
inline constexpr uint32_t kMaskedExclusiveSets = 64;

inline uint32_t categoryCount(const lattice_table &t, uint32_t category) noexcept {
  const uint32_t counts[4] = {t.kindCount, t.roleCount, t.permissionCount, t.flagCount};
  return counts[category];
}

/// The NUL-terminated string with a validated id.
inline const char *stringAt(const lattice_table &t, uint32_t id) noexcept {
  using namespace lattice::format;
  uint32_t offset = loadU32(t.section[kStringOffsets] + 4 * size_t(id));
  return reinterpret_cast<const char *>(t.section[kStringData] + offset);
}

/// The string id of the name of entity `id` in `category`; `id` must be in range.
inline uint32_t nameStringId(const lattice_table &t, uint32_t category, uint32_t id) noexcept {
  return format::loadU32(t.section[format::kKindNames + category] + 4 * size_t(id));
}

/// The hash of name[0, length) that indexes lattice_table::nameSlots, eight bytes at a time (a
/// multiply-xorshift per word: a byte-at-a-time FNV-1a was a third of loading a table of long
/// names); sets `nul` when the name has a NUL byte (it then matches no stored name). Only ever
/// compared with itself: it is not part of the table format.
inline uint32_t nameHash(const char *name, size_t length, bool &nul) noexcept {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;
  constexpr uint64_t kMultiplier = 0x9E3779B97F4A7C15ull;
  uint64_t h = length * kMultiplier, zeroBytes = 0;
  auto mix = [&](uint64_t word) {
    zeroBytes |= (word - kOnes) & ~word & kHighs; // non-zero iff a byte of `word` is zero
    h = (h ^ word) * kMultiplier;
    h ^= h >> 29;
  };
  size_t i = 0;
  for (; i + 8 <= length; i += 8) {
    uint64_t word;
    std::memcpy(&word, name + i, 8);
    mix(word);
  }
  if (i < length) {
    uint64_t word = ~uint64_t(0); // the bytes past the name are 0xFF: never a zero byte
    std::memcpy(&word, name + i, length - i);
    mix(word);
  }
  nul = zeroBytes != 0;
  return uint32_t(h ^ (h >> 32));
}

/// The slot count of a category's name index: a power of two, at least twice `count` and 2.
inline uint64_t nameSlotCount(uint32_t count) noexcept {
  uint64_t slots = 2;
  while (slots < 2 * uint64_t(count))
    slots *= 2;
  return slots;
}

/// <0, 0, >0 as `name[0, length)` sorts before, equal to, after the NUL-terminated `stored`, in
/// unsigned bytes: the order the writer sorted names in (strcmp order).
inline int compareName(const char *name, size_t length, const char *stored) noexcept {
  for (size_t i = 0; i < length; ++i) {
    const auto a = static_cast<unsigned char>(name[i]), b = static_cast<unsigned char>(stored[i]);
    if (a != b)
      return a < b ? -1 : 1; // b == 0 (stored ended) lands here too: name sorts after
  }
  return stored[length] == 0 ? 0 : -1;
}

/// Lays out one allocation: `n` items of T at an offset aligned for T, `at`, advancing `size`;
/// false on overflow (principal handles and list filters are one block each).
template <class T> bool reserve(uint64_t &size, uint64_t n, uint64_t &at) noexcept {
  size = (size + alignof(T) - 1) / alignof(T) * alignof(T);
  if (n > (UINT64_MAX / 2 - size) / sizeof(T))
    return false;
  at = size;
  size += n * sizeof(T);
  return true;
}

/// The position, among `count` ids (u32 each at `sorted`, in name order), of the first id for
/// which `before(id)` is false, by binary search (`before` must hold for a prefix of them).
template <class Before>
uint32_t lowerBoundSortedNames(const uint8_t *sorted, uint32_t count, Before before) noexcept {
  uint32_t lo = 0, hi = count;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    if (before(format::loadU32(sorted + 4 * size_t(mid))))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/// The id named `name[0, length)` among `count` ids (u32 each at `sorted`, in name order), by
/// binary search over `nameOf(id)`; LATTICE_NO_ID when none is.
template <class NameOf>
uint32_t searchSortedNames(const uint8_t *sorted, uint32_t count, const char *name, size_t length,
                           NameOf nameOf) noexcept {
  const uint32_t at = lowerBoundSortedNames(
      sorted, count, [&](uint32_t id) { return compareName(name, length, nameOf(id)) > 0; });
  if (at == count)
    return LATTICE_NO_ID;
  const uint32_t id = format::loadU32(sorted + 4 * size_t(at));
  return compareName(name, length, nameOf(id)) == 0 ? id : LATTICE_NO_ID;
}

} // namespace lattice::detail
