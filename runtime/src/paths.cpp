// paths.cpp - node references that survive tree changes: the relation of two ancestor paths
// (root-first id lists), by comparing their common prefix.
#include "lattice/lattice.h"

extern "C" lattice_relation lattice_relation_of_paths(lattice_node_path principal,
                                                      lattice_node_path owner) {
  if (principal.depth == 0 || owner.depth == 0 || !principal.ids || !owner.ids ||
      principal.ids[0] != owner.ids[0])
    return LATTICE_REL_NONE;
  const uint32_t shorter = principal.depth < owner.depth ? principal.depth : owner.depth;
  uint32_t common = 1;
  while (common < shorter && principal.ids[common] == owner.ids[common])
    ++common;
  if (common == shorter) {
    if (principal.depth == owner.depth)
      return LATTICE_REL_SAME;
    return principal.depth < owner.depth ? LATTICE_REL_DESCENDANT : LATTICE_REL_ANCESTOR;
  }
  return LATTICE_REL_TENANT;
}
