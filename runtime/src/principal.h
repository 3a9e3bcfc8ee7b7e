// principal.h - the layout of a principal handle (lattice_principal), shared by its construction
// and decisions (principal.cpp) and by what-can (what_can.cpp), which reads its permission bytes.
#pragma once

#include "decide_steps.h"
#include "relations.h"

namespace lattice::detail {

/// One membership as the handle keeps it, in its tree's group, groups in (encoding, root) order
/// and members of a group in the caller's order (the deciding membership is the first one).
struct Member {
  const uint64_t *ids;      // the copied path, or nullptr for a label
  uint32_t depth;           // 0 for a label
  uint32_t index;           // the membership's index in the caller's array
  lattice_node_label label; // for a label
  uint32_t profile;         // its (roles, flags) profile: the column of its permission bytes
  uint32_t requireFails;    // 1 if a `require` does not hold with its node's flags
};

/// The memberships of one tree: those a target of that tree can relate to (no other can).
struct Group {
  uint64_t key;    // the root id of a path, the tree of a label
  uint32_t byPath; // 1 for paths, 0 for labels: a path never relates to a label
  uint32_t first;  // members [first, first + count)
  uint32_t count;
  uint32_t exclusive; // the EXCLUSIVE deciding role when all of them are in the target's tree
};

/// Distinct memberships that decide alike (same distinct roles, same flags) share a profile.
struct Profile {
  uint32_t firstRole, roleCount; // sorted distinct role ids in lattice_principal::roles
  uint64_t flags;                // the principal's flags | the node's flags
};

/// Per permission, one byte per profile: bit r (r < 4) = some role allows at relation r, bit 4 + r
/// = some role denies at relation r, rules' conditions evaluated with the profile's flags.
constexpr uint32_t kDenyShift = 4;

/// Relations of up to this many members of a group are kept on the stack between the passes.
constexpr uint32_t kCachedRelations = 64;

} // namespace lattice::detail

struct lattice_principal {
  using Group = lattice::detail::Group;
  using Member = lattice::detail::Member;
  using Profile = lattice::detail::Profile;

  const lattice_table *table;
  uint64_t kindBit;
  uint32_t kind;
  uint32_t wrongKind; // the lowest role of any membership the kind may not hold, or NO_ID
  uint32_t groupCount, memberCount, profileCount;
  const Group *groups;
  const Member *members;
  const Profile *profiles;
  const uint32_t *roles;
  /// [permission * profileCount + profile]; 0 for a permission that does not apply to the kind
  /// (decide_as refuses NOT_APPLICABLE before reading it; what-can ORs the bytes unchecked).
  const uint8_t *bytes;
  /// Bit p set iff a sparse rule of permission p reads a fact: its bytes (computed without
  /// facts) are not used, the request's facts are tested on its rules. Null: no such rule.
  const uint64_t *factPermissions;
  const lattice_custom_roles *custom; // the set its custom role ids name (borrowed), or null
  /// The bytes transposed, for what-can: bitset b (b < 8, a bit of the byte) of profile k over
  /// the permissions at relationBits[(k * 8 + b) * permissionWords].
  const uint64_t *relationBits;
  uint32_t permissionWords; // (permission count + 63) / 64
};

namespace lattice::detail {

/// The group of the target's tree, or null: the target relates to no other membership.
const Group *findGroup(const lattice_principal &p, const lattice_node_ref &target) noexcept;

/// The relation of the target to a member of the target's group.
inline uint32_t relationTo(const Member &m, const Group &g,
                           const lattice_node_ref &target) noexcept {
  if (g.byPath)
    return relationBelowRoot(m.ids, m.depth, target.path.ids, target.path.depth);
  return relationOfLabels(m.label, target.label);
}

/// The exclusive outcome over the members of `g` in the target's tree when some of its members
/// are not (labels that no labelling produces together): the case the group's precomputed
/// outcome does not cover.
uint32_t exclusiveInTree(const lattice_principal &p, const Group &g,
                         const lattice_node_ref &target) noexcept;

/// Whether a sparse rule of `permission` reads a fact (its precomputed bytes then do not apply).
inline bool rulesReadFacts(const lattice_principal &p, uint32_t permission) noexcept {
  return p.factPermissions && ((p.factPermissions[permission / 64] >> (permission % 64)) & 1);
}

/// The gates of the decision that no permission changes, in their order (docs/request-model.md):
/// a membership in the target's tree (`inTree` of `g`'s members relate to `target`), every role
/// for the principal's kind, no `exclusive` pair in the tree. The refusal of the first that
/// fails, or LATTICE_REASON_ALLOWED when all pass (decide_as, what-can and list filters).
inline lattice_access_decision treeGates(const lattice_principal &p, const Group &g,
                                         uint32_t inTree, const lattice_node_ref &target) noexcept {
  if (inTree == 0)
    return accessDecision(LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
  if (p.wrongKind != LATTICE_NO_ID)
    return accessDecision(LATTICE_REASON_ROLE_NOT_FOR_KIND, p.wrongKind, LATTICE_NO_ID);
  const uint32_t exclusive = inTree == g.count ? g.exclusive : exclusiveInTree(p, g, target);
  if (exclusive != LATTICE_NO_ID)
    return accessDecision(LATTICE_REASON_EXCLUSIVE, exclusive, LATTICE_NO_ID);
  return accessDecision(LATTICE_REASON_ALLOWED, LATTICE_NO_ID, LATTICE_NO_ID);
}

/// Whether a `require` fails at member `m`'s node: precomputed at creation, unless a requirement
/// reads the request's facts.
inline bool memberRequireFails(const lattice_principal &p, const Member &m,
                               uint64_t facts) noexcept {
  const lattice_table &t = *p.table;
  return t.requireReadsFacts ? !requirementsHold(t, p.kindBit, p.profiles[m.profile].flags | facts)
                             : m.requireFails != 0;
}

} // namespace lattice::detail
