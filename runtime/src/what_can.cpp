// what_can.cpp - every permission a principal is allowed on one target at once (lattice_what_can*),
// and per resource type for a page of rows. Each bit equals lattice_decide_access's `allowed`.
#include "custom.h"
#include "decide_steps.h"
#include "principal.h"
#include "relations.h"

#include <cstring>

namespace {

using namespace lattice::detail;
namespace format = lattice::format;

/// Distinct (profile, relation) pairs of the target's tree kept on the stack; a principal with
/// more (dozens of memberships with different roles or node flags in one tree) is decided
/// permission by permission through lattice_decide_as instead.
constexpr uint32_t kMaxPairs = 32;

/// The 64 bits of `bits` (a bitset of `words` words) from bit 64 * at + shift on; past the end
/// they are 0.
inline uint64_t word(const uint64_t *bits, uint32_t at, uint32_t shift, uint32_t words) noexcept {
  const uint64_t low = at < words ? bits[at] >> shift : 0;
  const uint64_t high = shift != 0 && at + 1 < words ? bits[at + 1] << (64 - shift) : 0;
  return low | high;
}

void zero(uint64_t *words, size_t count) noexcept {
  if (words && count)
    std::memset(words, 0, count * 8);
}

struct Pair {
  uint32_t profile, relation;
};

/// One row: the permissions [first, first + count) for `target`, into `row` (already zero,
/// (count + 63) / 64 words). OK, or BAD_REQUEST for facts that are not facts.
lattice_what_can_status whatCanRow(const lattice_principal &p, const lattice_node_ref &target,
                                   uint64_t facts, uint32_t first, uint32_t count,
                                   uint64_t *row) noexcept {
  const lattice_table &t = *p.table;
  if ((facts & ~t.factFlags) != 0)
    return LATTICE_WHAT_CAN_BAD_REQUEST;
  // The gates of lattice_decide_as that no permission changes, once: the target's tree, kinds,
  // exclusive sets, `require` (NOT_APPLICABLE is in the bytes: 0 for such permissions).
  const Group *group = findGroup(p, target);
  if (!group)
    return LATTICE_WHAT_CAN_OK;
  const Member *members = p.members + group->first;
  Pair pairs[kMaxPairs];
  uint32_t pairCount = 0, inTree = 0;
  bool requireFails = false, tooMany = false;
  for (uint32_t m = 0; m < group->count; ++m) {
    const Member &x = members[m];
    const uint32_t relation = relationTo(x, *group, target);
    if (relation == LATTICE_REL_NONE)
      continue;
    ++inTree;
    requireFails = requireFails || memberRequireFails(p, x, facts);
    bool seen = false;
    for (uint32_t i = 0; i < pairCount && !seen; ++i)
      seen = pairs[i].profile == x.profile && pairs[i].relation == relation;
    if (seen)
      continue;
    if (pairCount == kMaxPairs)
      tooMany = true;
    else
      pairs[pairCount++] = {x.profile, relation};
  }
  if (requireFails || treeGates(p, *group, inTree, target).reason != LATTICE_REASON_ALLOWED)
    return LATTICE_WHAT_CAN_OK;

  if (tooMany) { // the generic path: each permission as lattice_decide_as decides it
    for (uint32_t j = 0; j < count; ++j)
      if (lattice_decide_as(&p, first + j, target, facts).allowed)
        row[j / 64] |= uint64_t(1) << (j % 64);
    return LATTICE_WHAT_CAN_OK;
  }

  // Allowed = some member allows at its relation and none denies at its relation (a deny of a
  // held role or a policy-wide one: deny wins): per word of 64 permissions, the OR of each
  // pair's allow bitset and of its deny bitset (the bytes transposed at creation).
  const uint32_t stride = p.permissionWords, shift = first % 64;
  for (uint32_t j = 0; j * 64 < count; ++j) {
    const uint32_t at = first / 64 + j; // the source word of the row's word j (and the next)
    uint64_t allow = 0, deny = 0;
    for (uint32_t i = 0; i < pairCount; ++i) {
      const uint64_t *bits = p.relationBits + size_t(pairs[i].profile) * 8 * stride;
      allow |= word(bits + size_t(pairs[i].relation) * stride, at, shift, stride);
      deny |= word(bits + size_t(kDenyShift + pairs[i].relation) * stride, at, shift, stride);
    }
    const uint32_t left = count - j * 64;
    row[j] = (allow & ~deny) & (left >= 64 ? ~uint64_t(0) : (uint64_t(1) << left) - 1);
  }

  // Permissions whose rules read facts: their bytes were computed without facts.
  if (p.factPermissions)
    for (uint32_t j = 0; j < count; ++j) {
      const uint32_t perm = first + j;
      if (!rulesReadFacts(p, perm))
        continue;
      const uint64_t bit = uint64_t(1) << (j % 64);
      row[j / 64] = lattice_decide_as(&p, perm, target, facts).allowed ? row[j / 64] | bit
                                                                       : row[j / 64] & ~bit;
    }
  return LATTICE_WHAT_CAN_OK;
}

/// The request form: one decision per permission, stopped by a refusal no permission changes.
lattice_what_can_status whatCanRequest(const lattice_table *table, const lattice_custom_roles *set,
                                       bool withSet, const lattice_access_request *request,
                                       uint64_t *words, uint32_t wordCount) noexcept {
  zero(words, wordCount);
  if (!table)
    return LATTICE_WHAT_CAN_NO_TABLE;
  const uint32_t permissions = table->permissionCount;
  if (!words || !request || wordCount < (uint64_t(permissions) + 63) / 64 ||
      (set && set->table != table))
    return LATTICE_WHAT_CAN_BAD_ARGUMENT;
  lattice_access_request q = *request;
  for (uint32_t perm = 0; perm < permissions; ++perm) {
    q.permission = perm;
    const lattice_access_decision d =
        withSet ? lattice_decide_access_custom(table, set, &q) : lattice_decide_access(table, &q);
    if (d.allowed) {
      words[perm / 64] |= uint64_t(1) << (perm % 64);
      continue;
    }
    switch (d.reason) {
    case LATTICE_REASON_BAD_REQUEST: // the permission is valid: the principal or facts are not
      zero(words, wordCount);
      return LATTICE_WHAT_CAN_BAD_REQUEST;
    case LATTICE_REASON_OTHER_TREE:
    case LATTICE_REASON_ROLE_NOT_FOR_KIND:
    case LATTICE_REASON_EXCLUSIVE:
    case LATTICE_REASON_REQUIREMENT: // gates checked before any rule, whatever the permission
      zero(words, wordCount);
      return LATTICE_WHAT_CAN_OK;
    default:
      break;
    }
  }
  return LATTICE_WHAT_CAN_OK;
}

} // namespace

extern "C" {

const char *lattice_what_can_status_message(lattice_what_can_status status) {
  static const char *const messages[] = {
      "ok", "no table was given",
      "a required argument is null, too short or out of range (words, request, principal, "
      "targets, permission range) or a custom-role set of another table",
      "the principal or the facts are malformed (an unknown kind or role, a flag of the wrong "
      "side)"};
  const auto index = static_cast<unsigned>(status);
  return index < sizeof messages / sizeof *messages ? messages[index] : "unknown what-can status";
}

lattice_what_can_status lattice_what_can(const lattice_table *table,
                                         const lattice_access_request *request, uint64_t *words,
                                         uint32_t word_count) {
  return whatCanRequest(table, nullptr, false, request, words, word_count);
}

lattice_what_can_status lattice_what_can_custom(const lattice_table *table,
                                                const lattice_custom_roles *set,
                                                const lattice_access_request *request,
                                                uint64_t *words, uint32_t word_count) {
  return whatCanRequest(table, set, true, request, words, word_count);
}

lattice_what_can_status lattice_what_can_as(const lattice_principal *principal,
                                            lattice_node_ref target, uint64_t facts,
                                            uint64_t *words, uint32_t word_count) {
  zero(words, word_count);
  if (!principal || !words)
    return LATTICE_WHAT_CAN_BAD_ARGUMENT;
  const uint32_t permissions = principal->table->permissionCount;
  if (word_count < (uint64_t(permissions) + 63) / 64)
    return LATTICE_WHAT_CAN_BAD_ARGUMENT;
  return whatCanRow(*principal, target, facts, 0, permissions, words);
}

lattice_what_can_status lattice_what_can_page(const lattice_principal *principal,
                                              uint32_t first_permission, uint32_t permission_count,
                                              const lattice_node_ref *targets,
                                              const uint64_t *facts, uint32_t row_count,
                                              uint64_t *words, uint32_t words_per_row) {
  const uint64_t total = uint64_t(row_count) * words_per_row;
  if (words && uint64_t(size_t(total)) == total)
    zero(words, size_t(total));
  if (!principal || !words || (!targets && row_count > 0) || uint64_t(size_t(total)) != total ||
      uint64_t(first_permission) + permission_count > principal->table->permissionCount ||
      words_per_row < (uint64_t(permission_count) + 63) / 64)
    return LATTICE_WHAT_CAN_BAD_ARGUMENT;
  lattice_what_can_status status = LATTICE_WHAT_CAN_OK;
  for (uint32_t i = 0; i < row_count; ++i) {
    uint64_t *row = words + size_t(i) * words_per_row;
    const lattice_what_can_status s = whatCanRow(*principal, targets[i], facts ? facts[i] : 0,
                                                 first_permission, permission_count, row);
    if (s != LATTICE_WHAT_CAN_OK) {
      zero(row, words_per_row);
      status = s;
    }
  }
  return status;
}

int lattice_resource_permissions(const lattice_table *table, const char *resource, uint32_t *first,
                                 uint32_t *count) {
  if (first)
    *first = LATTICE_NO_ID;
  if (count)
    *count = 0;
  if (!table || !resource || !first || !count)
    return 0;
  const lattice_table &t = *table;
  const size_t length = std::strlen(resource);
  if (length == 0 || std::memchr(resource, '.', length))
    return 0;
  // The names "resource.x" are adjacent in name order: the first is the lower bound of
  // "resource." (a name sorting after it and not starting with it ends the run).
  const uint32_t n = t.permissionCount;
  const uint8_t *sorted = t.section[format::kKindNames + Category::kPermissions] + 4 * size_t(n);
  auto nameOf = [&](uint32_t id) {
    return stringAt(t, nameStringId(t, Category::kPermissions, id));
  };
  auto startsWith = [&](const char *name) {
    return std::strncmp(name, resource, length) == 0 && name[length] == '.';
  };
  // The first name not before "resource.".
  const uint32_t lo = lowerBoundSortedNames(sorted, n, [&](uint32_t id) {
    const char *name = nameOf(id);
    const int order = std::strncmp(name, resource, length);
    return order < 0 || (order == 0 && static_cast<unsigned char>(name[length]) <
                                           static_cast<unsigned char>('.'));
  });
  uint32_t low = LATTICE_NO_ID, high = 0, found = 0;
  for (uint32_t i = lo; i < n; ++i, ++found) {
    const uint32_t id = format::loadU32(sorted + 4 * size_t(i));
    if (!startsWith(nameOf(id)))
      break;
    low = minId(low, id);
    high = id > high ? id : high;
  }
  if (found == 0 || high - low + 1 != found)
    return 0;
  *first = low;
  *count = found;
  return 1;
}

} // extern "C"
