// who_can.cpp - "who can do this" from a compiled table (lattice_who_can): for a permission, a
// relation and a flags mask, the roles, custom-role ceilings and user types that can be allowed it.
#include "decide_steps.h"

#include <cstring>

namespace {

using namespace lattice::detail;
namespace format = lattice::format;

void zero(uint64_t *words, uint32_t count) noexcept {
  if (words && count)
    std::memset(words, 0, size_t(count) * 8);
}

/// The kinds sparse entry `g` matches for at `relation` with `flags`: its `for` kinds when its
/// relation and its condition hold, else none (whether its role is held is the caller's).
uint64_t entryKinds(const uint8_t *g, uint32_t relation, uint64_t flags) noexcept {
  if (!((g[format::sparse::kRelationMask] >> relation) & 1) ||
      !flagsMatch(flags, format::loadU64(g + format::sparse::kRequired),
                  format::loadU64(g + format::sparse::kForbidden)))
    return 0;
  return format::loadU64(g + format::sparse::kKindMask);
}

/// The answer, by kind masks: a request of kind k holding role r alone is allowed iff k may hold
/// r, passes the gates that do not depend on the role (the permission's `for`, `require`, no
/// policy-wide deny), r allows (a dense bit, or a conditional allow of r matching for k) and no
/// deny of r matches for k: lattice_decide's checks with one held role, for all kinds at once
/// (a single role is in no exclusive conflict). Sparse rules are sorted by role, policy-wide
/// denies last (checked at load), so one walk pairs them with the roles.
lattice_who_can_status whoCan(const lattice_table &t, uint32_t permission, uint32_t relation,
                              uint64_t flags, uint64_t *roleWords, uint64_t *ceilingWords,
                              uint64_t *kindWords) noexcept {
  if (relation == LATTICE_REL_NONE)
    return LATTICE_WHO_CAN_OK; // another tree: always denied
  const uint8_t *info = permissionInfo(t, permission);
  // The permission's `for` (within the table's kinds: checked at load), less the kinds whose
  // `require` fails with these flags.
  uint64_t gate = format::loadU64(info + format::perm::kKindMask);
  for (uint64_t rest = gate; rest != 0; rest &= rest - 1) {
    const uint64_t kindBit = rest & (~rest + 1);
    if (!requirementsHold(t, kindBit, flags))
      gate &= ~kindBit;
  }
  const uint32_t begin = format::loadU32(info + format::perm::kSparseBegin);
  // The rules of roles are [begin, roleEnd); the policy-wide ones (kEveryRole) sort after them,
  // so they are read once, from the end. Their denies deny every role, custom too.
  uint32_t roleEnd = format::loadU32(info + format::perm::kSparseEnd);
  for (; roleEnd > begin; --roleEnd) {
    const uint8_t *g = sparseEntry(t, roleEnd - 1);
    if (format::loadU32(g + format::sparse::kRole) != format::kEveryRole)
      break;
    if (g[format::sparse::kDeny])
      gate &= ~entryKinds(g, relation, flags);
  }
  uint64_t kinds = 0;
  if (gate != 0) {
    const uint8_t *dense = allowRow(t, permission, relation);
    uint32_t e = begin;
    for (uint32_t r = 0; r < t.roleCount; ++r) {
      uint64_t allow = testBit(dense, r) ? ~uint64_t(0) : 0, denied = 0;
      for (; e < roleEnd && format::loadU32(sparseEntry(t, e) + format::sparse::kRole) <= r; ++e) {
        const uint8_t *g = sparseEntry(t, e);
        if (format::loadU32(g + format::sparse::kRole) != r)
          continue; // unreachable for a table the loader accepted (sorted by role)
        (g[format::sparse::kDeny] ? denied : allow) |= entryKinds(g, relation, flags);
      }
      const uint64_t allowed = roleKinds(t, r) & gate & allow & ~denied;
      if (allowed != 0) {
        roleWords[r / 64] |= uint64_t(1) << (r % 64);
        kinds |= allowed;
      }
    }
    // A ceiling's widest custom role allows exactly its cells, has no denies and no conditions.
    for (uint32_t c = 0; c < t.ceilingCount; ++c) {
      const uint8_t *rec = t.ceilingRecords + format::ceiling::kSize * size_t(c);
      const uint64_t allowed = format::loadU64(rec + format::ceiling::kKindMask) & gate;
      if (allowed == 0 || !((lattice_ceiling_reach(&t, c, permission) >> relation) & 1))
        continue;
      ceilingWords[c / 64] |= uint64_t(1) << (c % 64);
      kinds |= allowed;
    }
  }
  if (kinds != 0) // t.kindCount <= 64: one word
    kindWords[0] = kinds;
  return LATTICE_WHO_CAN_OK;
}

} // namespace

extern "C" {

const char *lattice_who_can_status_message(lattice_who_can_status status) {
  switch (status) {
  case LATTICE_WHO_CAN_OK:
    return "ok";
  case LATTICE_WHO_CAN_NO_TABLE:
    return "no table";
  case LATTICE_WHO_CAN_BAD_ARGUMENT:
    return "a bitset is missing or has fewer words than the table needs";
  case LATTICE_WHO_CAN_BAD_REQUEST:
    return "unknown permission, bad relation, or a flag the table does not declare";
  }
  return "unknown status";
}

lattice_who_can_status lattice_who_can(const lattice_table *table, uint32_t permission,
                                       uint32_t relation, uint64_t flags, uint64_t *role_words,
                                       uint32_t role_word_count, uint64_t *ceiling_words,
                                       uint32_t ceiling_word_count, uint64_t *kind_words,
                                       uint32_t kind_word_count) {
  zero(role_words, role_word_count);
  zero(ceiling_words, ceiling_word_count);
  zero(kind_words, kind_word_count);
  if (!table)
    return LATTICE_WHO_CAN_NO_TABLE;
  const lattice_table &t = *table;
  auto tooFew = [](const uint64_t *words, uint32_t count, uint32_t bits) {
    return (!words && count > 0) || count < (uint64_t(bits) + 63) / 64;
  };
  if (tooFew(role_words, role_word_count, t.roleCount) ||
      tooFew(ceiling_words, ceiling_word_count, t.ceilingCount) ||
      tooFew(kind_words, kind_word_count, t.kindCount))
    return LATTICE_WHO_CAN_BAD_ARGUMENT;
  if (permission >= t.permissionCount || relation > LATTICE_REL_NONE || (flags & ~t.flagMask) != 0)
    return LATTICE_WHO_CAN_BAD_REQUEST;
  return whoCan(t, permission, relation, flags, role_words, ceiling_words, kind_words);
}

} // extern "C"
