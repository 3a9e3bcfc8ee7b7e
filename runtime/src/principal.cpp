// principal.cpp - principal handles: a principal with memberships validated and precomputed once
// (lattice_principal_new), then decided per request by relations and bit tests (lattice_decide_as)
// with exactly lattice_decide_access's result. No C++ runtime: malloc, no exceptions.
#include "principal.h"

#include "custom.h"
#include "decide_steps.h"
#include "principal_view.h"
#include "relations.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

using namespace lattice::detail;
namespace format = lattice::format;

lattice_access_decision refuse(lattice_reason reason, uint32_t role = LATTICE_NO_ID) noexcept {
  return accessDecision(reason, role, LATTICE_NO_ID);
}

/// The EXCLUSIVE deciding role over the roles of `members` that `counts` keeps, or NO_ID, as
/// lattice_decide_access's check 5 computes it.
template <class Counts>
uint32_t exclusiveRole(const lattice_table &t, const lattice_principal &p, const Member *members,
                       uint32_t count, Counts counts) noexcept {
  return exclusiveConflict(t, [&](auto visit) {
    for (uint32_t m = 0; m < count; ++m) {
      if (!counts(m))
        continue;
      const Profile &profile = p.profiles[members[m].profile];
      for (uint32_t i = 0; i < profile.roleCount; ++i)
        if (!isCustomRole(p.roles[profile.firstRole + i])) // in no exclusive set
          visit(p.roles[profile.firstRole + i]);
    }
  });
}

/// The permission byte of a profile (see kDenyShift), for a principal of the kind `kindBit`:
/// its roles' rules that apply to the kind, and the policy-wide denies (deny bits too, whatever
/// the roles: decider tells them apart).
uint8_t permissionByte(const lattice_table &t, const lattice_custom_roles *set,
                       const uint32_t *roles, uint32_t n, uint64_t flags, uint64_t kindBit,
                       uint32_t permission) noexcept {
  uint8_t byte = 0;
  // Custom roles sort after compiled ones: their cells are the allow bits of those last roles.
  uint32_t compiled = n;
  while (compiled > 0 && isCustomRole(roles[compiled - 1]))
    --compiled;
  for (uint32_t i = compiled; i < n; ++i)
    byte |= customCell(*set, roles[i], permission);
  for (uint32_t relation = 0; relation < format::kRelationCount; ++relation) {
    const uint8_t *row = allowRow(t, permission, relation);
    for (uint32_t i = 0; i < compiled && !((byte >> relation) & 1); ++i)
      if (testBit(row, roles[i]))
        byte |= uint8_t(1u << relation);
  }
  const uint8_t *info = permissionInfo(t, permission);
  const uint32_t begin = format::loadU32(info + format::perm::kSparseBegin);
  const uint32_t end = format::loadU32(info + format::perm::kSparseEnd);
  auto entry = [&](uint32_t e) { return sparseEntry(t, e); };
  auto matches = [&](const uint8_t *g) { return sparseApplies(g, kindBit, flags); };
  // Entries are sorted by role, the roles too: one merged pass.
  uint32_t i = 0;
  for (uint32_t e = begin; e < end && i < n; ++e) {
    const uint8_t *g = entry(e);
    const uint32_t role = format::loadU32(g + format::sparse::kRole);
    while (i < n && roles[i] < role)
      ++i;
    if (i == n || roles[i] != role || !matches(g))
      continue;
    byte |=
        uint8_t(g[format::sparse::kRelationMask] << (g[format::sparse::kDeny] ? kDenyShift : 0));
  }
  // Policy-wide denies (every role, sorted last) hold whatever roles the profile has.
  for (uint32_t e = end;
       e > begin && format::loadU32(entry(e - 1) + format::sparse::kRole) == format::kEveryRole;
       --e)
    if (matches(entry(e - 1)))
      byte |= uint8_t(entry(e - 1)[format::sparse::kRelationMask] << kDenyShift);
  return byte;
}

/// The lowest role of `profile` below `bound` with a rule of the wanted effect matching at
/// `relation`, or `bound`: a dense allow bit, or a sparse entry whose condition holds.
uint32_t lowestMatchingRole(const lattice_table &t, const lattice_principal &p,
                            const Profile &profile, uint32_t permission, uint32_t relation,
                            bool deny, uint32_t bound, uint64_t facts) noexcept {
  const uint32_t *roles = p.roles + profile.firstRole;
  const uint8_t *row = allowRow(t, permission, relation);
  const uint8_t *info = permissionInfo(t, permission);
  uint32_t e = format::loadU32(info + format::perm::kSparseBegin);
  const uint32_t end = format::loadU32(info + format::perm::kSparseEnd);
  auto entry = [&](uint32_t at) { return sparseEntry(t, at); };
  for (uint32_t i = 0; i < profile.roleCount && roles[i] < bound; ++i) {
    const uint32_t role = roles[i];
    if (isCustomRole(role)) { // only allows, by their cells; nothing sparse
      if (!deny && ((customCell(*p.custom, role, permission) >> relation) & 1))
        return role;
      continue;
    }
    if (!deny && testBit(row, role))
      return role;
    while (e < end && format::loadU32(entry(e) + format::sparse::kRole) < role)
      ++e;
    for (uint32_t f = e; f < end && format::loadU32(entry(f) + format::sparse::kRole) == role;
         ++f) {
      const uint8_t *g = entry(f);
      if (g[format::sparse::kDeny] == uint8_t(deny) &&
          ((g[format::sparse::kRelationMask] >> relation) & 1) &&
          sparseApplies(g, p.kindBit, profile.flags | facts))
        return role;
    }
  }
  return bound;
}

} // namespace

namespace lattice::detail {

/// The group of the target's tree, or null: the target relates to no other membership.
const Group *findGroup(const lattice_principal &p, const lattice_node_ref &target) noexcept {
  const uint32_t byPath = target.path.depth > 0;
  if (byPath && !target.path.ids)
    return nullptr;
  const uint64_t key = byPath ? target.path.ids[0] : target.label.tree;
  uint32_t lo = 0, hi = p.groupCount;
  while (lo < hi) {
    const uint32_t mid = lo + (hi - lo) / 2;
    const Group &g = p.groups[mid];
    if (g.byPath == byPath && g.key == key)
      return &g;
    if (g.byPath < byPath || (g.byPath == byPath && g.key < key))
      lo = mid + 1;
    else
      hi = mid;
  }
  return nullptr;
}

/// The exclusive outcome over the members of `g` in the target's tree when some of its members
/// are not (labels that no labelling produces together): the case the group's precomputed
/// outcome does not cover. Out of line, to keep the hot path's frame small.
[[gnu::noinline]] uint32_t exclusiveInTree(const lattice_principal &p, const Group &g,
                                           const lattice_node_ref &target) noexcept {
  const Member *members = p.members + g.first;
  return exclusiveRole(*p.table, p, members, g.count, [&](uint32_t m) {
    return relationTo(members[m], g, target) != LATTICE_REL_NONE;
  });
}

} // namespace lattice::detail

namespace {

/// Who decided, among the members whose byte (`byteOf(profile)`) matches only: the lowest role
/// of the deciding effect, and the first member it matches through (`relations` caches the first
/// members'); rules' conditions read each profile's flags with `facts`.
template <class ByteOf>
[[gnu::noinline]] lattice_access_decision
decider(const lattice_principal &p, const Group &g, const lattice_node_ref &target,
        uint32_t permission, bool wantDeny, const uint8_t *relations, uint64_t facts,
        ByteOf byteOf) noexcept {
  const Member *members = p.members + g.first;
  const uint32_t shift = wantDeny ? kDenyShift : 0;
  uint32_t role = LATTICE_NO_ID, membership = LATTICE_NO_ID;
  // A member whose (profile, relation) an earlier member had cannot decide: the earlier one
  // found the same lowest role first. Remembered for the first profiles.
  constexpr uint32_t kRemembered = 8;
  uint8_t seen[kRemembered] = {};
  for (uint32_t m = 0; m < g.count; ++m) {
    const Member &x = members[m];
    const uint32_t relation =
        m < kCachedRelations ? uint32_t(relations[m]) : relationTo(x, g, target);
    if (relation == LATTICE_REL_NONE || !((byteOf(x.profile) >> (shift + relation)) & 1))
      continue;
    if (x.profile < kRemembered) {
      if ((seen[x.profile] >> relation) & 1)
        continue;
      seen[x.profile] |= uint8_t(1u << relation);
    }
    const uint32_t lowest = lowestMatchingRole(*p.table, p, p.profiles[x.profile], permission,
                                               relation, wantDeny, role, facts);
    if (lowest < role) {
      role = lowest;
      membership = x.index;
    }
  }
  if (!wantDeny || role != LATTICE_NO_ID)
    return accessDecision(wantDeny ? LATTICE_REASON_DENIED_BY_RULE : LATTICE_REASON_ALLOWED, role,
                          membership);
  // A deny bit that no role's deny explains is a policy-wide deny: it names no role, and the
  // first member (in the caller's order) it denies through.
  for (uint32_t m = 0; m < g.count; ++m) {
    const Member &x = members[m];
    const uint32_t relation =
        m < kCachedRelations ? uint32_t(relations[m]) : relationTo(x, g, target);
    if (relation != LATTICE_REL_NONE && ((byteOf(x.profile) >> (kDenyShift + relation)) & 1))
      return accessDecision(LATTICE_REASON_DENIED_BY_POLICY, LATTICE_NO_ID, x.index);
  }
  return refuse(LATTICE_REASON_BAD_REQUEST); // unreachable: a deny bit was set
}

/// What one pass over the target's group finds: how many members are in the target's tree,
/// whether a `require` fails at one of them, and the OR of their bytes shifted to their relation
/// (bit 0: some member allows, bit kDenyShift: some member denies).
struct Scan {
  uint32_t inTree, requireFails, bits;
};

template <bool ByPath>
inline Scan scan(const Member *members, uint32_t count, const uint8_t *column,
                 const lattice_node_ref &target, uint8_t *relations) noexcept {
  Scan s{0, 0, 0};
  for (uint32_t m = 0; m < count; ++m) {
    const Member &x = members[m];
    const uint32_t relation =
        ByPath ? relationBelowRoot(x.ids, x.depth, target.path.ids, target.path.depth)
               : relationOfLabels(x.label, target.label);
    if (m < kCachedRelations)
      relations[m] = uint8_t(relation);
    if (ByPath || relation != LATTICE_REL_NONE) { // two paths of one root always relate
      ++s.inTree;
      s.requireFails |= x.requireFails;
      s.bits |= uint32_t(column[x.profile]) >> relation;
    }
  }
  return s;
}

/// The gates of the decision in their order (docs/request-model.md), once the target's tree is
/// scanned: each member's relation in `relations`, and `s` summing the members in the tree.
template <class ByteOf>
inline lattice_access_decision decideScanned(const lattice_principal &p, const Group &group,
                                             const lattice_node_ref &target, uint32_t permission,
                                             const Scan &s, const uint8_t *relations,
                                             uint64_t facts, ByteOf byteOf) noexcept {
  if (const lattice_access_decision gate = treeGates(p, group, s.inTree, target);
      gate.reason != LATTICE_REASON_ALLOWED)
    return gate;
  if (!(format::loadU64(permissionInfo(*p.table, permission) + format::perm::kKindMask) &
        p.kindBit))
    return refuse(LATTICE_REASON_NOT_APPLICABLE);
  if (s.requireFails)
    return refuse(LATTICE_REASON_REQUIREMENT);
  const bool denied = (s.bits >> kDenyShift) & 1;
  if (!denied && !(s.bits & 1))
    return refuse(LATTICE_REASON_NO_ALLOW);
  return decider(p, group, target, permission, denied, relations, facts, byteOf);
}

/// The generic path for a request whose facts matter: a permission with rules that read facts
/// (its bytes are computed from the sparse rules with the facts) or a `require` that reads them
/// (checked per member with the facts). The same gates in the same order as decideAs.
[[gnu::noinline]] lattice_access_decision decideWithFacts(const lattice_principal &p,
                                                          const Group &group, uint32_t permission,
                                                          const lattice_node_ref &target,
                                                          uint64_t facts) noexcept {
  const lattice_table &t = *p.table;
  const bool factRules = rulesReadFacts(p, permission);
  const uint8_t *column = p.bytes + size_t(permission) * p.profileCount;
  auto byteOf = [&](uint32_t profile) -> uint8_t {
    if (!factRules)
      return column[profile];
    const Profile &x = p.profiles[profile];
    return permissionByte(t, p.custom, p.roles + x.firstRole, x.roleCount, x.flags | facts,
                          p.kindBit, permission);
  };
  const Member *members = p.members + group.first;
  uint8_t relations[kCachedRelations];
  uint32_t inTree = 0, requireFails = 0, bits = 0;
  for (uint32_t m = 0; m < group.count; ++m) {
    const Member &x = members[m];
    const uint32_t relation = relationTo(x, group, target);
    if (m < kCachedRelations)
      relations[m] = uint8_t(relation);
    if (relation == LATTICE_REL_NONE)
      continue;
    ++inTree;
    requireFails |= uint32_t(memberRequireFails(p, x, facts));
    bits |= uint32_t(byteOf(x.profile)) >> relation;
  }
  return decideScanned(p, group, target, permission, Scan{inTree, requireFails, bits}, relations,
                       facts, byteOf);
}

lattice_access_decision decideAs(const lattice_principal *principal, uint32_t permission,
                                 const lattice_node_ref &target, uint64_t facts) noexcept {
  if (!principal)
    return refuse(LATTICE_REASON_BAD_REQUEST);
  const lattice_principal &p = *principal;
  const lattice_table &t = *p.table;
  if (permission >= t.permissionCount || (facts & ~t.factFlags) != 0)
    return refuse(LATTICE_REASON_BAD_REQUEST);
  const Group *group = findGroup(p, target);
  if (!group)
    return refuse(LATTICE_REASON_OTHER_TREE);
  // Facts matter only to a permission whose rules read them, or to a `require` that does; any
  // other request is decided from the precomputed bytes, whatever its facts.
  if (rulesReadFacts(p, permission) || t.requireReadsFacts)
    return decideWithFacts(p, *group, permission, target, facts);

  // One pass over the target's tree: each member's relation, its `require`, and its byte.
  const Member *members = p.members + group->first;
  const uint8_t *column = p.bytes + size_t(permission) * p.profileCount;
  uint8_t relations[kCachedRelations];
  const Scan s = group->byPath ? scan<true>(members, group->count, column, target, relations)
                               : scan<false>(members, group->count, column, target, relations);
  return decideScanned(p, *group, target, permission, s, relations, 0,
                       [column](uint32_t profile) { return column[profile]; });
}

/// Scratch space of lattice_principal_new, released together.
struct Scratch {
  uint32_t *roles = nullptr;  // each membership's roles, sorted and distinct, at offset[m]
  uint64_t *offset = nullptr; // count + 1
  uint32_t *byProfile = nullptr, *byGroup = nullptr, *profileOf = nullptr; // count each
  ~Scratch() {
    std::free(roles);
    std::free(offset);
    std::free(byProfile);
    std::free(byGroup);
    std::free(profileOf);
  }
};

/// `only`: the one permission whose bytes are computed (the others stay 0: list filters'
/// handles, principal_view.h), or LATTICE_NO_ID for all.
lattice_principal_status create(const lattice_table &t, const lattice_custom_roles *set,
                                uint32_t kind, uint64_t flags, const lattice_membership *ms,
                                uint32_t count, lattice_principal **out,
                                uint32_t only = LATTICE_NO_ID) noexcept {
  if (kind >= t.kindCount)
    return LATTICE_PRINCIPAL_UNKNOWN_KIND;
  // Each mask holds only flags of its side (FlagInfo), as lattice_decide_access requires.
  if ((flags & ~t.principalFlags) != 0)
    return LATTICE_PRINCIPAL_BAD_FLAGS;
  uint64_t totalRoles = 0, totalIds = 0;
  for (uint32_t m = 0; m < count; ++m) {
    const lattice_membership &membership = ms[m];
    if (!membership.roles && membership.role_count > 0)
      return LATTICE_PRINCIPAL_NULL_ROLES;
    for (uint32_t i = 0; i < membership.role_count; ++i)
      if (membership.roles[i] >= t.roleCount && !knownCustomRole(set, membership.roles[i]))
        return LATTICE_PRINCIPAL_UNKNOWN_ROLE;
    const lattice_node_path &path = membership.node.path;
    if ((path.depth > 0 && !path.ids) ||
        (path.depth == 0 && membership.node.label.last < membership.node.label.pre))
      return LATTICE_PRINCIPAL_BAD_NODE;
    if ((membership.node_flags & ~t.nodeFlags) != 0)
      return LATTICE_PRINCIPAL_BAD_NODE_FLAGS;
    totalRoles += membership.role_count;
    totalIds += path.depth;
  }
  if (totalRoles > SIZE_MAX / 8 || totalIds > SIZE_MAX / 16 || uint64_t(count) + 1 > SIZE_MAX / 16)
    return LATTICE_PRINCIPAL_TOO_LARGE;

  // Each membership's roles sorted and distinct, then profiles: memberships ordered by (flags,
  // roles) so that equal ones are adjacent.
  Scratch s;
  s.roles = static_cast<uint32_t *>(std::malloc(size_t(totalRoles ? totalRoles : 1) * 4));
  s.offset = static_cast<uint64_t *>(std::malloc((size_t(count) + 1) * 8));
  s.byProfile = static_cast<uint32_t *>(std::malloc((size_t(count) + 1) * 4));
  s.byGroup = static_cast<uint32_t *>(std::malloc((size_t(count) + 1) * 4));
  s.profileOf = static_cast<uint32_t *>(std::malloc((size_t(count) + 1) * 4));
  if (!s.roles || !s.offset || !s.byProfile || !s.byGroup || !s.profileOf)
    return LATTICE_PRINCIPAL_OUT_OF_MEMORY;
  uint64_t used = 0;
  uint32_t wrongKind = LATTICE_NO_ID;
  const uint64_t kindBit = uint64_t(1) << kind;
  for (uint32_t m = 0; m < count; ++m) {
    s.offset[m] = used;
    uint32_t *roles = s.roles + used;
    const uint32_t n = ms[m].role_count;
    for (uint32_t i = 0; i < n; ++i) {
      roles[i] = ms[m].roles[i];
      const bool custom = isCustomRole(roles[i]);
      if (!((custom ? customKinds(*set, roles[i]) : roleKinds(t, roles[i])) & kindBit))
        wrongKind = minId(wrongKind, roles[i]);
    }
    std::sort(roles, roles + n);
    uint32_t distinct = 0;
    for (uint32_t i = 0; i < n; ++i)
      if (distinct == 0 || roles[distinct - 1] != roles[i])
        roles[distinct++] = roles[i];
    used += distinct;
    s.byProfile[m] = s.byGroup[m] = m;
  }
  s.offset[count] = used;
  auto combinedFlags = [&](uint32_t m) { return flags | ms[m].node_flags; };
  auto compareProfiles = [&](uint32_t a, uint32_t b) -> int {
    if (combinedFlags(a) != combinedFlags(b))
      return combinedFlags(a) < combinedFlags(b) ? -1 : 1;
    const uint64_t na = s.offset[a + 1] - s.offset[a], nb = s.offset[b + 1] - s.offset[b];
    if (na != nb)
      return na < nb ? -1 : 1;
    for (uint64_t i = 0; i < na; ++i)
      if (s.roles[s.offset[a] + i] != s.roles[s.offset[b] + i])
        return s.roles[s.offset[a] + i] < s.roles[s.offset[b] + i] ? -1 : 1;
    return 0;
  };
  std::sort(s.byProfile, s.byProfile + count, [&](uint32_t a, uint32_t b) {
    const int c = compareProfiles(a, b);
    return c != 0 ? c < 0 : a < b;
  });
  uint32_t profiles = 0;
  uint64_t profileRoles = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t m = s.byProfile[i];
    if (i == 0 || compareProfiles(s.byProfile[i - 1], m) != 0) {
      ++profiles;
      profileRoles += s.offset[m + 1] - s.offset[m];
    }
    s.profileOf[m] = profiles - 1;
  }
  // Groups: memberships ordered by (encoding, root), then by index.
  auto groupKey = [&](uint32_t m) {
    return ms[m].node.path.depth > 0 ? ms[m].node.path.ids[0] : ms[m].node.label.tree;
  };
  auto byPath = [&](uint32_t m) { return uint32_t(ms[m].node.path.depth > 0); };
  auto sameGroup = [&](uint32_t a, uint32_t b) {
    return byPath(a) == byPath(b) && groupKey(a) == groupKey(b);
  };
  std::sort(s.byGroup, s.byGroup + count, [&](uint32_t a, uint32_t b) {
    if (byPath(a) != byPath(b))
      return byPath(a) < byPath(b);
    if (groupKey(a) != groupKey(b))
      return groupKey(a) < groupKey(b);
    return a < b;
  });
  uint32_t groups = 0;
  for (uint32_t i = 0; i < count; ++i)
    groups += i == 0 || !sameGroup(s.byGroup[i - 1], s.byGroup[i]);

  // One block, in the order a request reads it: the handle, groups, members, the permission
  // bytes; then what only the deciding-role search and construction read: profiles, roles, path
  // ids (a small principal's hot part spans three cache lines).
  // Permissions with a sparse rule that reads a fact (none in a table without facts).
  uint64_t factWords = 0;
  if (t.factFlags != 0)
    for (uint32_t e = 0; e < t.sparseCount && factWords == 0; ++e) {
      const uint8_t *g = sparseEntry(t, e);
      if ((format::loadU64(g + format::sparse::kRequired) |
           format::loadU64(g + format::sparse::kForbidden)) &
          t.factFlags)
        factWords = (uint64_t(t.permissionCount) + 63) / 64;
    }
  const uint64_t permissionWords = (uint64_t(t.permissionCount) + 63) / 64;
  uint64_t size = sizeof(lattice_principal), atGroups, atMembers, atProfiles, atIds, atRoles,
           atBytes, atFacts, atBits;
  if (!reserve<Group>(size, groups, atGroups) || !reserve<Member>(size, count, atMembers) ||
      (profiles != 0 && t.permissionCount > UINT64_MAX / 4 / profiles) ||
      !reserve<uint8_t>(size, uint64_t(t.permissionCount) * profiles, atBytes) ||
      !reserve<Profile>(size, profiles, atProfiles) ||
      !reserve<uint32_t>(size, profileRoles, atRoles) ||
      !reserve<uint64_t>(size, totalIds, atIds) || !reserve<uint64_t>(size, factWords, atFacts) ||
      !reserve<uint64_t>(size, uint64_t(profiles) * 8 * permissionWords, atBits) ||
      uint64_t(size_t(size)) != size)
    return LATTICE_PRINCIPAL_TOO_LARGE;
  uint8_t *block = static_cast<uint8_t *>(std::malloc(size_t(size)));
  if (!block)
    return LATTICE_PRINCIPAL_OUT_OF_MEMORY;
  auto *group = reinterpret_cast<Group *>(block + atGroups);
  auto *member = reinterpret_cast<Member *>(block + atMembers);
  auto *profile = reinterpret_cast<Profile *>(block + atProfiles);
  auto *ids = reinterpret_cast<uint64_t *>(block + atIds);
  auto *roles = reinterpret_cast<uint32_t *>(block + atRoles);
  uint8_t *bytes = block + atBytes;
  uint64_t *factPermissions = factWords ? reinterpret_cast<uint64_t *>(block + atFacts) : nullptr;
  auto *bits = reinterpret_cast<uint64_t *>(block + atBits);
  auto *p = new (block) lattice_principal{&t,
                                          kindBit,
                                          kind,
                                          wrongKind,
                                          groups,
                                          count,
                                          profiles,
                                          group,
                                          member,
                                          profile,
                                          roles,
                                          bytes,
                                          factPermissions,
                                          set,
                                          bits,
                                          uint32_t(permissionWords)};
  for (uint64_t w = 0; w < factWords; ++w)
    factPermissions[w] = 0;
  for (uint32_t e = 0; factWords && e < t.sparseCount; ++e) {
    const uint8_t *g = sparseEntry(t, e);
    if ((format::loadU64(g + format::sparse::kRequired) |
         format::loadU64(g + format::sparse::kForbidden)) &
        t.factFlags) {
      const uint32_t perm = format::loadU32(g + format::sparse::kPermission);
      factPermissions[perm / 64] |= uint64_t(1) << (perm % 64);
    }
  }

  // Profiles, in the order their first membership met them above.
  uint32_t nextRole = 0;
  for (uint32_t i = 0, made = 0; i < count; ++i) {
    const uint32_t m = s.byProfile[i];
    if (s.profileOf[m] != made)
      continue;
    const uint32_t n = uint32_t(s.offset[m + 1] - s.offset[m]);
    std::memcpy(roles + nextRole, s.roles + s.offset[m], size_t(n) * 4);
    profile[made++] = {nextRole, n, combinedFlags(m)};
    nextRole += n;
  }
  // A permission that does not apply to the kind keeps 0 bytes (see lattice_principal::bytes);
  // with `only`, so does every other permission.
  if (only != LATTICE_NO_ID)
    std::memset(bytes, 0, size_t(t.permissionCount) * profiles);
  for (uint32_t perm = 0; perm < t.permissionCount; ++perm) {
    const bool applies =
        format::loadU64(permissionInfo(t, perm) + format::perm::kKindMask) & kindBit;
    for (uint32_t k = 0; k < profiles && (only == LATTICE_NO_ID || perm == only); ++k)
      bytes[size_t(perm) * profiles + k] =
          applies ? permissionByte(t, set, roles + profile[k].firstRole, profile[k].roleCount,
                                   profile[k].flags, kindBit, perm)
                  : 0;
  } // The same bits transposed for what-can: per profile and byte bit, a bitset over permissions.
  std::memset(bits, 0, size_t(profiles) * 8 * size_t(permissionWords) * 8);
  for (uint32_t perm = 0; perm < t.permissionCount; ++perm)
    for (uint32_t k = 0; k < profiles; ++k)
      for (uint32_t b = bytes[size_t(perm) * profiles + k]; b != 0; b &= b - 1)
        bits[(size_t(k) * 8 + uint32_t(__builtin_ctz(b))) * permissionWords + perm / 64] |=
            uint64_t(1) << (perm % 64);

  // Members by group, paths copied, `require` per node; then each group's exclusive outcome.
  uint64_t nextId = 0;
  uint32_t g = 0;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t m = s.byGroup[i];
    if (i == 0 || !sameGroup(s.byGroup[i - 1], m))
      group[g++] = {groupKey(m), byPath(m), i, 0, LATTICE_NO_ID};
    ++group[g - 1].count;
    const lattice_node_ref &node = ms[m].node;
    Member &x = member[i];
    x.ids = nullptr;
    x.depth = node.path.depth;
    if (node.path.depth > 0) {
      std::memcpy(ids + nextId, node.path.ids, size_t(node.path.depth) * 8);
      x.ids = ids + nextId;
      nextId += node.path.depth;
    }
    x.index = m;
    x.label = node.label;
    x.profile = s.profileOf[m];
    x.requireFails = !requirementsHold(t, kindBit, flags | ms[m].node_flags);
  }
  for (uint32_t k = 0; k < groups; ++k)
    group[k].exclusive = exclusiveRole(t, *p, member + group[k].first, group[k].count,
                                       [](uint32_t) { return true; });
  *out = p;
  return LATTICE_PRINCIPAL_OK;
}

} // namespace

static_assert(sizeof(lattice_access_decision) == 16 &&
                  offsetof(lattice_access_decision, reason) == 4 &&
                  offsetof(lattice_access_decision, deciding_membership) == 12,
              "returned in two registers, built from two halves");

extern "C" {

lattice_principal_status lattice_principal_new(const lattice_table *table, uint32_t kind,
                                               uint64_t flags,
                                               const lattice_membership *memberships,
                                               uint32_t count, lattice_principal **out) {
  return lattice_principal_new_custom(table, nullptr, kind, flags, memberships, count, out);
}

lattice_principal_status lattice_principal_new_custom(const lattice_table *table,
                                                      const lattice_custom_roles *set,
                                                      uint32_t kind, uint64_t flags,
                                                      const lattice_membership *memberships,
                                                      uint32_t count, lattice_principal **out) {
  if (!out)
    return LATTICE_PRINCIPAL_BAD_ARGUMENT;
  *out = nullptr;
  if (!table)
    return LATTICE_PRINCIPAL_NO_TABLE;
  if ((!memberships && count > 0) || (set && set->table != table))
    return LATTICE_PRINCIPAL_BAD_ARGUMENT; // a set of another table names other ceilings
  return create(*table, set, kind, flags, memberships, count, out);
}

void lattice_principal_free(lattice_principal *principal) {
  if (!principal)
    return;
  principal->~lattice_principal();
  std::free(principal);
}

const char *lattice_principal_status_message(lattice_principal_status status) {
  static const char *const messages[] = {
      "ok",
      "no table was given",
      "a required argument is null (the result pointer, or memberships with a count)",
      "the kind id is not in the table",
      "a role id is not in the table",
      "a membership has no role array but a role count",
      "a membership's node is malformed (a path without ids, or a label with last < pre)",
      "the principal's flags set a bit that is not a principal flag (a node flag, or none)",
      "a membership's node flags set a bit that is not a node flag (a principal flag, or none)",
      "the principal is too large",
      "out of memory"};
  const auto index = static_cast<unsigned>(status);
  return index < sizeof messages / sizeof *messages ? messages[index] : "unknown principal status";
}

lattice_access_decision lattice_decide_as(const lattice_principal *principal, uint32_t permission,
                                          lattice_node_ref target, uint64_t facts) {
  return decideAs(principal, permission, target, facts);
}

} // extern "C"

// The view list filters read (principal_view.h): paths are the handle's copies, bytes its own.
namespace lattice::detail {

const lattice_table *principalTable(const lattice_principal *p) noexcept {
  return p ? p->table : nullptr;
}

uint32_t principalMemberCount(const lattice_principal *p) noexcept {
  return p ? p->memberCount : 0;
}

lattice_node_path principalMemberPath(const lattice_principal *p, uint32_t i) noexcept {
  lattice_node_path path{nullptr, 0};
  if (p && i < p->memberCount && p->members[i].ids) {
    path.ids = p->members[i].ids;
    path.depth = p->members[i].depth;
  }
  return path;
}

bool principalBytesApply(const lattice_principal *p, uint32_t permission, uint64_t facts) noexcept {
  return p && permission < p->table->permissionCount && (facts & ~p->table->factFlags) == 0 &&
         !rulesReadFacts(*p, permission) && !p->table->requireReadsFacts;
}

bool principalTreeOpen(const lattice_principal *p, uint64_t root, uint32_t permission) noexcept {
  lattice_node_ref target{};
  target.path = {&root, 1};
  const Group *group = p ? findGroup(*p, target) : nullptr;
  // Every member of a path group relates to its root, so all of them are in the tree.
  if (!group || treeGates(*p, *group, group->count, target).reason != LATTICE_REASON_ALLOWED ||
      !(format::loadU64(permissionInfo(*p->table, permission) + format::perm::kKindMask) &
        p->kindBit))
    return false;
  for (uint32_t m = 0; m < group->count; ++m)
    if (p->members[group->first + m].requireFails)
      return false;
  return true;
}

lattice_principal_status principalForPermission(const lattice_table *table,
                                                const lattice_custom_roles *set, uint32_t kind,
                                                uint64_t flags, const lattice_membership *ms,
                                                uint32_t count, uint32_t permission,
                                                lattice_principal **out) noexcept {
  *out = nullptr;
  if (permission >= table->permissionCount)
    return LATTICE_PRINCIPAL_BAD_ARGUMENT;
  return create(*table, set, kind, flags, ms, count, out, permission);
}

uint8_t principalMemberByte(const lattice_principal *p, uint32_t i, uint32_t permission) noexcept {
  return p->bytes[size_t(permission) * p->profileCount + p->members[i].profile];
}

} // namespace lattice::detail
