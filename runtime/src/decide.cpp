// decide.cpp - lattice_decide and lattice_can_assign(_with): the hot path, allocation-free and
// total.
// The order of the checks is the contract of docs/runtime.md; every doubt ends in a deny.
#include "decide_steps.h"

#include <cstddef>
#include <cstring>

using namespace lattice::format;

namespace {

using namespace lattice::detail;

/// The last steps of decide, shared by both paths: the sparse rules [begin, end) of the
/// permission (conditional rules and all denies), then the lowest allowing role. The range is
/// sorted by role (checked at load), so the first matching deny names the lowest denying role
/// and wins over every allow; kEveryRole sorts last, so a policy-wide deny decides only when no
/// held role's deny matches. `allower` is the lowest held role with a dense allow bit;
/// `held(role)` whether the request holds a role.
template <typename Held>
Outcome decideSparse(const lattice_table &t, uint32_t begin, uint32_t end, uint32_t relation,
                     uint64_t kindBit, uint64_t flags, uint32_t allower, Held held) noexcept {
  for (uint32_t e = begin; e < end; ++e) {
    const uint8_t *g = sparseEntry(t, e);
    const uint32_t role = loadU32(g + sparse::kRole);
    // A policy-wide deny (kEveryRole) holds whatever roles are held; a rule with `for` only
    // for the kinds of its mask.
    const bool everyRole = role == kEveryRole;
    if (!((g[sparse::kRelationMask] >> relation) & 1) || (!everyRole && !held(role)) ||
        !sparseApplies(g, kindBit, flags))
      continue;
    if (g[sparse::kDeny])
      return everyRole ? deny(LATTICE_REASON_DENIED_BY_POLICY)
                       : deny(LATTICE_REASON_DENIED_BY_RULE, role);
    allower = minId(allower, role);
  }
  if (allower != LATTICE_NO_ID)
    return {LATTICE_REASON_ALLOWED, allower};
  return deny(LATTICE_REASON_NO_ALLOW);
}

/// decide for a table of at most 64 roles (one bitset word: most policies), on a request whose
/// fields are checked. The pass over the held roles validates them and makes them one mask, and
/// each per-role step of the general path becomes a mask operation: the roles a kind may hold
/// (derived at load), the allow word, an exclusive set's word, "is this role held" for the
/// sparse rules. Same checks in the same order, same outcome: tests/diff decides every request
/// here and, on the same table padded past 64 roles, on the general path.
Outcome decideOneWord(const lattice_table &t, const lattice_request &q) noexcept {
  const uint32_t *roles = q.roles;
  const uint32_t n = q.role_count;
  uint64_t held = 0, heldSets = 0;
  bool shared = false; // two held entries share one of the first 64 exclusive sets
  const bool exclusive = t.exclusiveCount != 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = roles[i];
    if (r >= t.roleCount)
      return deny(LATTICE_REASON_BAD_REQUEST);
    held |= uint64_t(1) << r;
    if (exclusive) {
      const uint64_t sets = t.exclusiveSets[r];
      shared |= (heldSets & sets) != 0;
      heldSets |= sets;
    }
  }
  if (q.relation == LATTICE_REL_NONE)
    return deny(LATTICE_REASON_OTHER_TREE);
  if (const uint64_t wrong = held & ~t.kindRoles[q.kind])
    return deny(LATTICE_REASON_ROLE_NOT_FOR_KIND, uint32_t(__builtin_ctzll(wrong)));
  if (exclusive && (shared || t.exclusiveCount > kMaskedExclusiveSets)) {
    // A set conflicts when two different held roles are in it (a mask holds each role once);
    // the lowest of them decides, as in exclusiveConflict.
    for (uint32_t s = shared ? 0 : kMaskedExclusiveSets; s < t.exclusiveCount; ++s)
      if (const uint64_t in = held & loadU64(t.section[kExclusive] + 8 * size_t(s));
          (in & (in - 1)) != 0)
        return deny(LATTICE_REASON_EXCLUSIVE, uint32_t(__builtin_ctzll(in)));
  }
  const uint64_t kindBit = uint64_t(1) << q.kind;
  const uint8_t *permInfo = permissionInfo(t, q.permission);
  if (!(loadU64(permInfo + perm::kKindMask) & kindBit))
    return deny(LATTICE_REASON_NOT_APPLICABLE);
  if (!requirementsHold(t, kindBit, q.flags))
    return deny(LATTICE_REASON_REQUIREMENT);
  const uint64_t allows = held & loadU64(allowRow(t, q.permission, q.relation));
  uint32_t allower = allows ? uint32_t(__builtin_ctzll(allows)) : LATTICE_NO_ID;
  // No held role among the rules' roles (and no policy-wide rule, which makes the mask all
  // ones): nothing to scan.
  const uint64_t ruleRoles = t.sparseRoles[q.permission];
  const uint32_t begin = (held & ruleRoles) != 0 || ruleRoles == ~uint64_t(0)
                             ? loadU32(permInfo + perm::kSparseBegin)
                             : loadU32(permInfo + perm::kSparseEnd);
  const uint32_t end = loadU32(permInfo + perm::kSparseEnd);
  return decideSparse(t, begin, end, q.relation, kindBit, q.flags, allower,
                      [held](uint32_t role) { return role < 64 && ((held >> role) & 1) != 0; });
}

Outcome decide(const lattice_table *table, const lattice_request *request) noexcept {
  if (!table)
    return deny(LATTICE_REASON_NO_TABLE);
  const lattice_table &t = *table;
  const lattice_request *q = request;
  if (!q || q->kind >= t.kindCount || q->permission >= t.permissionCount ||
      q->relation > LATTICE_REL_NONE || (!q->roles && q->role_count > 0) ||
      (q->flags & ~t.flagMask) != 0)
    return deny(LATTICE_REASON_BAD_REQUEST);
  if (t.words == 1)
    return decideOneWord(t, *q);
  // One pass over the held roles for the rest of check 2 and the facts of checks 4, 5 and 9
  // (used only after check 3): each role's kinds, whether two held ids share one of the first 64
  // exclusive sets (a role listed twice does too; the exact check below sorts that out), and the
  // lowest role with its dense allow bit (one word load per role). A table without exclusive
  // sets skips the sets. The allow row of relation NONE is never used (check 3 denies first):
  // the row of relation 0 stands in for it, so that nothing is read out of bounds.
  const uint32_t *roles = q->roles;
  const uint32_t n = q->role_count;
  const uint64_t kindBit = uint64_t(1) << q->kind;
  const uint8_t *allowBits = allowRow(t, q->permission, q->relation & (kRelationCount - 1));
  uint32_t wrongKind = LATTICE_NO_ID, allower = LATTICE_NO_ID;
  uint64_t heldSets = 0;
  bool shared = false;
  const bool exclusive = t.exclusiveCount != 0;
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = roles[i];
    if (r >= t.roleCount)
      return deny(LATTICE_REASON_BAD_REQUEST);
    if (!(roleKinds(t, r) & kindBit))
      wrongKind = minId(wrongKind, r);
    if (exclusive) {
      const uint64_t sets = t.exclusiveSets[r];
      shared |= (heldSets & sets) != 0;
      heldSets |= sets;
    }
    if (testBit(allowBits, r))
      allower = minId(allower, r);
  }
  if (q->relation == LATTICE_REL_NONE)
    return deny(LATTICE_REASON_OTHER_TREE);
  if (wrongKind != LATTICE_NO_ID)
    return deny(LATTICE_REASON_ROLE_NOT_FOR_KIND, wrongKind);
  // Without sharing no set below 64 has a conflict: only the sets from 64 on need the scan.
  const uint32_t firstSet = shared ? 0 : lattice::detail::kMaskedExclusiveSets;
  if (exclusive && (shared || t.exclusiveCount > firstSet)) {
    const uint32_t role = exclusiveConflict(t, firstSet, [&](auto visit) {
      for (uint32_t i = 0; i < n; ++i)
        visit(roles[i]);
    });
    if (role != LATTICE_NO_ID)
      return deny(LATTICE_REASON_EXCLUSIVE, role);
  }
  const uint8_t *permInfo = permissionInfo(t, q->permission);
  if (!(loadU64(permInfo + perm::kKindMask) & kindBit))
    return deny(LATTICE_REASON_NOT_APPLICABLE);
  if (!requirementsHold(t, kindBit, q->flags))
    return deny(LATTICE_REASON_REQUIREMENT);

  // Sparse rules (conditional rules and all denies) of this permission only: [begin, end) from
  // its PermissionInfo. A permission with neither has an empty range: two loads, no scan.
  const uint32_t begin = loadU32(permInfo + perm::kSparseBegin);
  const uint32_t end = loadU32(permInfo + perm::kSparseEnd);
  uint64_t heldWords[kStackWords];
  const bool useBitset = begin != end && t.words <= kStackWords; // no rules: nothing asks
  if (useBitset) {
    heldWords[0] = 0; // most tables have at most 64 roles: no call to memset
    for (uint32_t w = 1; w < t.words; ++w)
      heldWords[w] = 0;
    for (uint32_t i = 0; i < n; ++i)
      heldWords[roles[i] / 64] |= uint64_t(1) << (roles[i] % 64);
  }
  return decideSparse(t, begin, end, q->relation, kindBit, q->flags, allower, [&](uint32_t role) {
    if (useBitset)
      return ((heldWords[role / 64] >> (role % 64)) & 1) != 0;
    for (uint32_t i = 0; i < n; ++i)
      if (roles[i] == role)
        return true;
    return false;
  });
}

/// Delegation: the held roles' unconditional assigns (binary search in each role's slice), and,
/// given the assigner's flags, the conditional ones whose clause they satisfy. Without flags
/// (lattice_can_assign) a conditional assigns never counts: fail closed.
int canAssign(const lattice_table *table, const uint32_t *roles, uint32_t roleCount,
              uint32_t target, const uint64_t *flags) noexcept {
  if (!table || (!roles && roleCount > 0) || target >= table->roleCount)
    return 0;
  const lattice_table &t = *table;
  if (flags && (*flags & ~t.flagMask) != 0)
    return 0; // a flag the table does not declare: a malformed request
  if (loadU32(t.section[kRoleInfo] + role::kSize * size_t(target) + role::kAttributes) &
      kRoleLocked)
    return 0;
  for (uint32_t i = 0; i < roleCount; ++i)
    if (roles[i] >= t.roleCount)
      return 0;
  for (uint32_t i = 0; i < roleCount; ++i) {
    const uint8_t *rec = t.section[kRoleInfo] + role::kSize * size_t(roles[i]);
    // Each role's slice of the assigns list is strictly ascending: binary search it.
    uint32_t lo = loadU32(rec + role::kAssignsBegin), hi = loadU32(rec + role::kAssignsEnd);
    while (lo < hi) {
      uint32_t mid = lo + (hi - lo) / 2;
      uint32_t value = loadU32(t.section[kAssigns] + 4 * size_t(mid));
      if (value == target)
        return 1;
      if (value < target)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  if (!flags || t.assignConditionCount == 0)
    return 0;
  // Conditional assigns are sorted by (assigner, target): find each held role's first entry.
  const uint8_t *conditions = t.section[kAssignConditions];
  auto at = [&](uint32_t e) { return conditions + assigncond::kSize * size_t(e); };
  for (uint32_t i = 0; i < roleCount; ++i) {
    uint32_t lo = 0, hi = t.assignConditionCount;
    while (lo < hi) {
      const uint32_t mid = lo + (hi - lo) / 2;
      const uint8_t *c = at(mid);
      const uint32_t assigner = loadU32(c + assigncond::kAssigner);
      if (assigner < roles[i] ||
          (assigner == roles[i] && loadU32(c + assigncond::kTarget) < target))
        lo = mid + 1;
      else
        hi = mid;
    }
    for (uint32_t e = lo; e < t.assignConditionCount; ++e) {
      const uint8_t *c = at(e);
      if (loadU32(c + assigncond::kAssigner) != roles[i] ||
          loadU32(c + assigncond::kTarget) != target)
        break;
      if (flagsMatch(*flags, loadU64(c + assigncond::kRequired),
                     loadU64(c + assigncond::kForbidden)))
        return 1;
    }
  }
  return 0;
}

} // namespace

static_assert(offsetof(lattice_decision, reason) == 4 &&
              offsetof(lattice_decision, deciding_role) == 8);

extern "C" {

lattice_decision lattice_decide(const lattice_table *table, const lattice_request *request) {
  const Outcome o = decide(table, request);
  // `allowed` and `reason` as one 8-byte copy: built field by field, GCC 12 stores them apart
  // and reloads them as one word, which stalls store forwarding on every call.
  const uint32_t head[2] = {o.reason == LATTICE_REASON_ALLOWED, o.reason};
  lattice_decision d;
  std::memcpy(&d, head, sizeof head);
  d.deciding_role = o.role;
  return d;
}

int lattice_can_assign(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                       uint32_t target) {
  return canAssign(table, roles, role_count, target, nullptr);
}

int lattice_can_assign_with(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                            uint32_t target, uint64_t flags) {
  return canAssign(table, roles, role_count, target, &flags);
}

} // extern "C"
