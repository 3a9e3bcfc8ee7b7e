// relations.h - the relation of two nodes (labels, ancestor paths, either), inline for the
// runtime's own hot loops; the exported lattice_relation_of* functions are thin calls of these.
#pragma once

#include "lattice/lattice.h"

#include <cstdint>

namespace lattice::detail {

/// docs/runtime.md "Node labels and relations": NONE for different trees or labels no labelling
/// produces (denied on any doubt), else SAME, DESCENDANT, ANCESTOR or TENANT. Written as
/// selects, not branches: over random pairs the branches mispredict (compilers emit cmov).
inline uint32_t relationOfLabels(const lattice_node_label &principal,
                                 const lattice_node_label &owner) noexcept {
  const uint32_t a = principal.pre, b = principal.last, c = owner.pre, d = owner.last;
  uint32_t relation = LATTICE_REL_TENANT; // disjoint intervals
  relation = (c < a && a <= d) ? (b <= d ? LATTICE_REL_ANCESTOR : LATTICE_REL_NONE) : relation;
  relation = (a < c && c <= b) ? (d <= b ? LATTICE_REL_DESCENDANT : LATTICE_REL_NONE) : relation;
  relation = a == c ? (b == d ? LATTICE_REL_SAME : LATTICE_REL_NONE) : relation;
  const bool apart = principal.tree != owner.tree || b < a || d < c;
  return apart ? LATTICE_REL_NONE : relation;
}

/// The relation of two paths whose roots are known to be equal (both non-empty, non-null): the
/// common prefix from index 1 on decides. The loop runs to the shorter depth without an early
/// exit (its trip count is predictable where a first difference is not).
inline uint32_t relationBelowRoot(const uint64_t *principal, uint32_t principalDepth,
                                  const uint64_t *owner, uint32_t ownerDepth) noexcept {
  const uint32_t shorter = principalDepth < ownerDepth ? principalDepth : ownerDepth;
  uint64_t differ = 0;
  for (uint32_t i = 1; i < shorter; ++i)
    differ |= principal[i] ^ owner[i];
  const uint32_t nested = principalDepth == ownerDepth  ? LATTICE_REL_SAME
                          : principalDepth < ownerDepth ? LATTICE_REL_DESCENDANT
                                                        : LATTICE_REL_ANCESTOR;
  return differ != 0 ? LATTICE_REL_TENANT : nested;
}

/// lattice_relation_of_paths: NONE for an empty or NULL path or different roots.
inline uint32_t relationOfPaths(const lattice_node_path &principal,
                                const lattice_node_path &owner) noexcept {
  if (principal.depth == 0 || owner.depth == 0 || !principal.ids || !owner.ids ||
      principal.ids[0] != owner.ids[0])
    return LATTICE_REL_NONE;
  return relationBelowRoot(principal.ids, principal.depth, owner.ids, owner.depth);
}

/// lattice_relation_of_refs: a path when depth > 0, else a label; a path never relates to a
/// label (one request uses one encoding).
inline uint32_t relationOfRefs(const lattice_node_ref &node,
                               const lattice_node_ref &target) noexcept {
  const bool nodeByPath = node.path.depth > 0, targetByPath = target.path.depth > 0;
  if (nodeByPath != targetByPath)
    return LATTICE_REL_NONE;
  return nodeByPath ? relationOfPaths(node.path, target.path)
                    : relationOfLabels(node.label, target.label);
}

} // namespace lattice::detail
