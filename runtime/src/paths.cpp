// paths.cpp - node references that survive tree changes: the relation of two ancestor paths
// (root-first id lists), by comparing their common prefix (relations.h holds the inline form).
#include "relations.h"

extern "C" lattice_relation lattice_relation_of_paths(lattice_node_path principal,
                                                      lattice_node_path owner) {
  return lattice_relation(lattice::detail::relationOfPaths(principal, owner));
}
