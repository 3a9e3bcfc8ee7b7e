// relations.h - the relation of two nodes (labels, ancestor paths, either), inline for the
// runtime's own hot loops; the exported lattice_relation_of* functions are thin calls of these.
#pragma once

#include "lattice/lattice.h"

#include <cstdint>

namespace lattice::detail {

/// docs/runtime.md "Node labels and relations": NONE for different trees or labels no labelling
/// produces (denied on any doubt), else SAME, DESCENDANT, ANCESTOR or TENANT.
inline uint32_t relationOfLabels(const lattice_node_label &principal,
                                 const lattice_node_label &owner) noexcept {
  if (principal.tree != owner.tree || principal.last < principal.pre || owner.last < owner.pre)
    return LATTICE_REL_NONE;
  if (principal.pre == owner.pre)
    return principal.last == owner.last ? LATTICE_REL_SAME : LATTICE_REL_NONE;
  if (principal.pre < owner.pre && owner.pre <= principal.last)
    return owner.last <= principal.last ? LATTICE_REL_DESCENDANT : LATTICE_REL_NONE;
  if (owner.pre < principal.pre && principal.pre <= owner.last)
    return principal.last <= owner.last ? LATTICE_REL_ANCESTOR : LATTICE_REL_NONE;
  return LATTICE_REL_TENANT;
}

/// The relation of two paths whose roots are known to be equal (both non-empty, non-null): the
/// common prefix from index 1 on decides.
inline uint32_t relationBelowRoot(const uint64_t *principal, uint32_t principalDepth,
                                  const uint64_t *owner, uint32_t ownerDepth) noexcept {
  const uint32_t shorter = principalDepth < ownerDepth ? principalDepth : ownerDepth;
  uint32_t common = 1;
  while (common < shorter && principal[common] == owner[common])
    ++common;
  if (common != shorter)
    return LATTICE_REL_TENANT;
  if (principalDepth == ownerDepth)
    return LATTICE_REL_SAME;
  return principalDepth < ownerDepth ? LATTICE_REL_DESCENDANT : LATTICE_REL_ANCESTOR;
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
