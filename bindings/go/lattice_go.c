/* lattice_go.c - the Go binding's C helper (lattice_go.h): one lattice_decide_access call from
 * flat arrays, and one lattice_decide call. */
#include "lattice_go.h"

#include <stdlib.h>
#include <string.h>

lattice_access_decision lattice_go_decide(const lattice_table *table, uint32_t kind, uint64_t flags,
                                          uint32_t count, const uint32_t *layout,
                                          const uint64_t *node_flags, const uint64_t *path_ids,
                                          const uint32_t *role_ids, uint32_t permission,
                                          const uint64_t *target, uint32_t depth) {
  lattice_membership stack[16];
  lattice_membership *m = count <= 16 ? stack : malloc(sizeof(lattice_membership) * count);
  if (!m) {
    lattice_access_decision deny = {0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID};
    return deny;
  }
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t *l = layout + 4 * i;
    memset(&m[i], 0, sizeof m[i]);
    m[i].node.path.ids = path_ids + l[0];
    m[i].node.path.depth = l[1];
    m[i].roles = role_ids + l[2];
    m[i].role_count = l[3];
    m[i].node_flags = node_flags[i];
  }
  lattice_access_request r;
  memset(&r, 0, sizeof r);
  r.kind = kind;
  r.flags = flags;
  r.memberships = m;
  r.membership_count = count;
  r.permission = permission;
  r.target.path.ids = target;
  r.target.path.depth = depth;
  lattice_access_decision d = lattice_decide_access(table, &r);
  if (m != stack)
    free(m);
  return d;
}

lattice_decision lattice_go_decide_at(const lattice_table *table, uint32_t kind,
                                      const uint32_t *roles, uint32_t role_count,
                                      uint32_t permission, uint32_t relation, uint64_t flags) {
  lattice_request r;
  memset(&r, 0, sizeof r);
  r.kind = kind;
  r.roles = roles;
  r.role_count = role_count;
  r.permission = permission;
  r.relation = relation;
  r.flags = flags;
  return lattice_decide(table, &r);
}

uint32_t lattice_go_relation(const uint64_t *node, uint32_t node_depth, const uint64_t *target,
                             uint32_t target_depth) {
  lattice_node_path a = {node, node_depth};
  lattice_node_path b = {target, target_depth};
  return lattice_relation_of_paths(a, b);
}
