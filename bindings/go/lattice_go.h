/* lattice_go.h - the one C helper of the Go binding: a request from flat arrays of Go memory
 * (cgo forbids passing Go memory that holds Go pointers, as lattice_membership structs would). */
#ifndef LATTICE_GO_H
#define LATTICE_GO_H

#include "lattice/lattice.h"

/* layout holds 4 numbers per membership: path start, path length, role start, role count (into
 * path_ids and role_ids). The membership structs are built on the C stack (heap beyond 16).
 * `set` holds the custom roles the role ids may name (NULL: none). */
lattice_access_decision lattice_go_decide(const lattice_table *table,
                                          const lattice_custom_roles *set, uint32_t kind,
                                          uint64_t flags, uint32_t count, const uint32_t *layout,
                                          const uint64_t *node_flags, const uint64_t *path_ids,
                                          const uint32_t *role_ids, uint32_t permission,
                                          const uint64_t *target, uint32_t depth, uint64_t facts);

/* lattice_decide for roles held at one node, the request built here (it holds a pointer). */
lattice_decision lattice_go_decide_at(const lattice_table *table, uint32_t kind,
                                      const uint32_t *roles, uint32_t role_count,
                                      uint32_t permission, uint32_t relation, uint64_t flags);

/* lattice_relation_of_paths on two id arrays. */
uint32_t lattice_go_relation(const uint64_t *node, uint32_t node_depth, const uint64_t *target,
                             uint32_t target_depth);

/* lattice_principal_new_custom from the same flat arrays as lattice_go_decide. */
lattice_principal_status
lattice_go_principal_new(const lattice_table *table, const lattice_custom_roles *set, uint32_t kind,
                         uint64_t flags, uint32_t count, const uint32_t *layout,
                         const uint64_t *node_flags, const uint64_t *path_ids,
                         const uint32_t *role_ids, lattice_principal **out);

/* lattice_decide_as on a target path given as an id array. */
lattice_access_decision lattice_go_decide_as(const lattice_principal *principal,
                                             uint32_t permission, const uint64_t *target,
                                             uint32_t depth, uint64_t facts);

#endif
