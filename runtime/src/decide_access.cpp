// decide_access.cpp - lattice_decide_access: one decision for a principal with memberships at
// several nodes (docs/request-model.md). Allocation-free; the checks run in lattice_decide's order.
#include "custom.h"
#include "decide_steps.h"
#include "relations.h"

#include <cstring>

namespace {

using namespace lattice::detail;
namespace format = lattice::format;

/// Relations of up to this many memberships are computed once into a stack array; past it they
/// are recomputed where needed (O(depth) each), so no count is refused.
constexpr uint32_t kCachedRelations = 64;

lattice_access_decision refuse(lattice_reason reason, uint32_t role = LATTICE_NO_ID,
                               uint32_t membership = LATTICE_NO_ID) noexcept {
  return accessDecision(reason, role, membership);
}

bool holds(const lattice_membership &m, uint32_t role) noexcept {
  for (uint32_t i = 0; i < m.role_count; ++i)
    if (m.roles[i] == role)
      return true;
  return false;
}

/// The decision; `set` (may be null) holds the custom roles memberships may name by
/// LATTICE_CUSTOM_ROLE ids. A custom role allows its cells only: no denies, no conditions, no
/// exclusive set; its user types are its ceiling's.
lattice_access_decision decideAccess(const lattice_table *table, const lattice_custom_roles *set,
                                     const lattice_access_request *q) noexcept {
  if (!table)
    return refuse(LATTICE_REASON_NO_TABLE);
  const lattice_table &t = *table;
  // Each flag mask holds only flags of its side (FlagInfo): a node flag given as the
  // principal's, a fact as a flag, or the reverse, is a host error, refused rather than guessed.
  // The sides partition the table's flags, so this also refuses bits beyond them.
  if (!q || q->kind >= t.kindCount || q->permission >= t.permissionCount ||
      (!q->memberships && q->membership_count > 0) || (q->flags & ~t.principalFlags) != 0 ||
      (q->facts & ~t.factFlags) != 0)
    return refuse(LATTICE_REASON_BAD_REQUEST);
  // Facts hold for the request whatever membership it is decided through: they join the
  // principal's flags in every test below.
  const uint64_t withFacts = q->flags | q->facts;
  const lattice_membership *ms = q->memberships;
  const uint32_t count = q->membership_count;
  for (uint32_t m = 0; m < count; ++m) {
    if ((!ms[m].roles && ms[m].role_count > 0) || (ms[m].node_flags & ~t.nodeFlags) != 0)
      return refuse(LATTICE_REASON_BAD_REQUEST);
    for (uint32_t i = 0; i < ms[m].role_count; ++i)
      if (ms[m].roles[i] >= t.roleCount && !knownCustomRole(set, ms[m].roles[i]))
        return refuse(LATTICE_REASON_BAD_REQUEST);
  }

  uint8_t cached[kCachedRelations];
  auto relationAt = [&](uint32_t m) -> uint32_t {
    if (m < kCachedRelations)
      return cached[m];
    return relationOfRefs(ms[m].node, q->target);
  };
  bool inTree = false;
  for (uint32_t m = 0; m < count; ++m) {
    const uint32_t relation = relationOfRefs(ms[m].node, q->target);
    if (m < kCachedRelations)
      cached[m] = uint8_t(relation);
    inTree = inTree || relation != LATTICE_REL_NONE;
  }
  if (!inTree)
    return refuse(LATTICE_REASON_OTHER_TREE);

  // Kinds over every membership; exclusive sets over the memberships in the target's tree (one
  // role held at several nodes is not a conflict).
  const uint64_t kindBit = uint64_t(1) << q->kind;
  uint32_t wrongKind = LATTICE_NO_ID;
  bool anyCustom = false;
  for (uint32_t m = 0; m < count; ++m)
    for (uint32_t i = 0; i < ms[m].role_count; ++i) {
      const uint32_t role = ms[m].roles[i];
      const bool custom = isCustomRole(role);
      anyCustom |= custom;
      if (!((custom ? customKinds(*set, role) : roleKinds(t, role)) & kindBit))
        wrongKind = minId(wrongKind, role);
    }
  if (wrongKind != LATTICE_NO_ID)
    return refuse(LATTICE_REASON_ROLE_NOT_FOR_KIND, wrongKind);
  const uint32_t exclusive = exclusiveConflict(t, [&](auto visit) {
    for (uint32_t m = 0; m < count; ++m)
      if (relationAt(m) != LATTICE_REL_NONE)
        for (uint32_t i = 0; i < ms[m].role_count; ++i)
          if (!isCustomRole(ms[m].roles[i])) // custom roles are in no exclusive set
            visit(ms[m].roles[i]);
  });
  if (exclusive != LATTICE_NO_ID)
    return refuse(LATTICE_REASON_EXCLUSIVE, exclusive);
  const uint8_t *permInfo = permissionInfo(t, q->permission);
  if (!(format::loadU64(permInfo + format::perm::kKindMask) & kindBit))
    return refuse(LATTICE_REASON_NOT_APPLICABLE);
  // `require` holds for the principal at each of its nodes in the target's tree: its flags with
  // that node's (for a requirement on principal flags only, the same answer every time).
  for (uint32_t m = 0; m < count; ++m)
    if (relationAt(m) != LATTICE_REL_NONE &&
        !requirementsHold(t, kindBit, withFacts | ms[m].node_flags))
      return refuse(LATTICE_REASON_REQUIREMENT);

  auto allowBitsAt = [&](uint32_t relation) { return allowRow(t, q->permission, relation); };
  // Whether sparse entry `g` of `role` matches through membership m: a policy-wide deny
  // (kEveryRole) through every membership, whatever roles it holds.
  auto matchesThrough = [&](const uint8_t *g, uint32_t role, uint32_t m) {
    const uint32_t relation = relationAt(m);
    return relation != LATTICE_REL_NONE && ((g[format::sparse::kRelationMask] >> relation) & 1) &&
           (role == format::kEveryRole || holds(ms[m], role)) &&
           sparseApplies(g, kindBit, withFacts | ms[m].node_flags);
  };

  // Unconditional allows: the lowest allowing role (its membership is found at the end).
  uint32_t allower = LATTICE_NO_ID;
  for (uint32_t m = 0; m < count; ++m) {
    const uint32_t relation = relationAt(m);
    if (relation == LATTICE_REL_NONE)
      continue;
    const uint8_t *allowBits = allowBitsAt(relation);
    for (uint32_t i = 0; i < ms[m].role_count; ++i) {
      const uint32_t role = ms[m].roles[i];
      if (anyCustom && isCustomRole(role)) {
        if ((customCell(*set, role, q->permission) >> relation) & 1)
          allower = minId(allower, role);
      } else if (testBit(allowBits, role)) {
        allower = minId(allower, role);
      }
    }
  }

  // Sparse rules of this permission, sorted by role: the first matching deny names the lowest
  // denying role and wins over every allow. An entry matches through a membership that holds its
  // role at a relation it covers, with the principal's and that node's flags. The held roles are
  // indexed per relation (one stack bitset each) when the memberships of a relation share their
  // node flags, as they do unless a host gives two memberships of one relation different ones;
  // otherwise each entry asks the memberships one by one.
  const uint32_t begin = format::loadU32(permInfo + format::perm::kSparseBegin);
  const uint32_t end = format::loadU32(permInfo + format::perm::kSparseEnd);
  uint32_t denier = LATTICE_NO_ID; // kEveryRole (== LATTICE_NO_ID) for a policy-wide deny
  bool denied = false;
  if (begin != end) {
    uint64_t held[format::kRelationCount][kStackWords];
    uint64_t nodeFlags[format::kRelationCount] = {};
    uint8_t present = 0, mixed = 0; // relation bits: some membership there; flags differ there
    const bool indexed = t.words <= kStackWords;
    if (indexed) {
      for (uint32_t m = 0; m < count; ++m) {
        const uint32_t relation = relationAt(m);
        if (relation == LATTICE_REL_NONE)
          continue;
        const uint8_t bit = uint8_t(1u << relation);
        if (!(present & bit)) {
          present |= bit;
          nodeFlags[relation] = ms[m].node_flags;
          for (uint32_t w = 0; w < t.words; ++w)
            held[relation][w] = 0;
        } else if (nodeFlags[relation] != ms[m].node_flags) {
          mixed |= bit;
        }
        for (uint32_t i = 0; i < ms[m].role_count; ++i)
          if (!isCustomRole(ms[m].roles[i])) // no sparse rules: never looked up
            held[relation][ms[m].roles[i] / 64] |= uint64_t(1) << (ms[m].roles[i] % 64);
      }
    }
    auto matches = [&](const uint8_t *g, uint32_t role) {
      const uint8_t relations = g[format::sparse::kRelationMask];
      if (indexed && !(relations & mixed)) {
        const uint64_t required = format::loadU64(g + format::sparse::kRequired);
        const uint64_t forbidden = format::loadU64(g + format::sparse::kForbidden);
        const bool everyRole = role == format::kEveryRole;
        for (uint8_t r = relations & present; r != 0; r &= uint8_t(r - 1)) {
          const uint32_t relation = uint32_t(__builtin_ctz(r));
          if ((everyRole || ((held[relation][role / 64] >> (role % 64)) & 1)) &&
              flagsMatch(withFacts | nodeFlags[relation], required, forbidden))
            return true;
        }
        return false;
      }
      for (uint32_t m = 0; m < count; ++m)
        if (matchesThrough(g, role, m))
          return true;
      return false;
    };
    for (uint32_t e = begin; e < end; ++e) {
      const uint8_t *g = sparseEntry(t, e);
      const uint32_t role = format::loadU32(g + format::sparse::kRole);
      if (!(format::loadU64(g + format::sparse::kKindMask) & kindBit) || !matches(g, role))
        continue;
      if (g[format::sparse::kDeny]) {
        denier = role;
        denied = true;
        break;
      }
      allower = minId(allower, role);
    }
  }

  // The deciding membership: the first one through which the deciding role's rule of the
  // deciding effect matches (a dense allow bit, or one of the role's sparse entries); for a
  // policy-wide deny (denier kEveryRole, sorted after every role: no held role's deny matched),
  // the first one it matches through, and no role.
  static_assert(format::kEveryRole == LATTICE_NO_ID, "a policy-wide deny is told by `denied`");
  const uint32_t decider = denied ? denier : allower;
  if (!denied && decider == LATTICE_NO_ID)
    return refuse(LATTICE_REASON_NO_ALLOW);
  const uint8_t wantDeny = denied;
  const bool byPolicy = denied && decider == format::kEveryRole;
  for (uint32_t m = 0; m < count; ++m) {
    const uint32_t relation = relationAt(m);
    if (relation == LATTICE_REL_NONE || (!byPolicy && !holds(ms[m], decider)))
      continue;
    if (!wantDeny && isCustomRole(decider)) { // a custom role: its cell, nothing sparse
      if ((customCell(*set, decider, q->permission) >> relation) & 1)
        return accessDecision(LATTICE_REASON_ALLOWED, decider, m);
      continue;
    }
    bool through = !wantDeny && testBit(allowBitsAt(relation), decider); // never kEveryRole
    for (uint32_t e = begin; e < end && !through; ++e) {
      const uint8_t *g = sparseEntry(t, e);
      through = format::loadU32(g + format::sparse::kRole) == decider &&
                g[format::sparse::kDeny] == wantDeny && matchesThrough(g, decider, m);
    }
    if (through && byPolicy)
      return refuse(LATTICE_REASON_DENIED_BY_POLICY, LATTICE_NO_ID, m);
    if (through)
      return accessDecision(wantDeny ? LATTICE_REASON_DENIED_BY_RULE : LATTICE_REASON_ALLOWED,
                            decider, m);
  }
  return refuse(LATTICE_REASON_BAD_REQUEST); // unreachable: the decider matched through one
}

} // namespace

extern "C" {

lattice_relation lattice_relation_of_refs(lattice_node_ref node, lattice_node_ref target) {
  return lattice_relation(relationOfRefs(node, target));
}

lattice_access_decision lattice_decide_access(const lattice_table *table,
                                              const lattice_access_request *request) {
  return decideAccess(table, nullptr, request);
}

lattice_access_decision lattice_decide_access_custom(const lattice_table *table,
                                                     const lattice_custom_roles *set,
                                                     const lattice_access_request *request) {
  // A set built for another table has other ceilings and permissions: refuse it.
  if (set && set->table != table)
    return refuse(LATTICE_REASON_BAD_REQUEST);
  return decideAccess(table, set, request);
}

} // extern "C"
