/* lattice_go.c - the Go binding's C helper (lattice_go.h): one lattice_decide_access call from
 * flat arrays, principal handles from them, and the calls that need a struct holding a pointer. */
#include "lattice_go.h"

#include <stdlib.h>
#include <string.h>

/* The membership structs of flat arrays, in `stack` when they fit, else in malloc'd memory (NULL
 * when that fails). */
static lattice_membership *memberships(lattice_membership *stack, uint32_t count,
                                       const uint32_t *layout, const uint64_t *node_flags,
                                       const uint64_t *path_ids, const uint32_t *role_ids) {
  lattice_membership *m = count <= 16 ? stack : malloc(sizeof(lattice_membership) * count);
  if (!m)
    return NULL;
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t *l = layout + 4 * i; /* path start, path length, role start, role count */
    memset(&m[i], 0, sizeof m[i]);
    m[i].node.path.ids = path_ids + l[0];
    m[i].node.path.depth = l[1];
    m[i].roles = role_ids + l[2];
    m[i].role_count = l[3];
    m[i].node_flags = node_flags[i];
  }
  return m;
}

lattice_access_decision lattice_go_decide(const lattice_table *table,
                                          const lattice_custom_roles *set, uint32_t kind,
                                          uint64_t flags, uint32_t count, const uint32_t *layout,
                                          const uint64_t *node_flags, const uint64_t *path_ids,
                                          const uint32_t *role_ids, uint32_t permission,
                                          const uint64_t *target, uint32_t depth, uint64_t facts) {
  lattice_membership stack[16];
  lattice_membership *m = memberships(stack, count, layout, node_flags, path_ids, role_ids);
  if (!m) {
    lattice_access_decision deny = {0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID};
    return deny;
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
  r.facts = facts;
  lattice_access_decision d = lattice_decide_access_custom(table, set, &r);
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

lattice_principal_status
lattice_go_principal_new(const lattice_table *table, const lattice_custom_roles *set, uint32_t kind,
                         uint64_t flags, uint32_t count, const uint32_t *layout,
                         const uint64_t *node_flags, const uint64_t *path_ids,
                         const uint32_t *role_ids, lattice_principal **out) {
  lattice_membership stack[16];
  lattice_membership *m = memberships(stack, count, layout, node_flags, path_ids, role_ids);
  if (!m)
    return LATTICE_PRINCIPAL_OUT_OF_MEMORY;
  lattice_principal_status status =
      lattice_principal_new_custom(table, set, kind, flags, m, count, out);
  if (m != stack)
    free(m);
  return status;
}

lattice_access_decision lattice_go_decide_as(const lattice_principal *principal,
                                             uint32_t permission, const uint64_t *target,
                                             uint32_t depth, uint64_t facts) {
  lattice_node_ref ref;
  memset(&ref, 0, sizeof ref);
  ref.path.ids = target;
  ref.path.depth = depth;
  return lattice_decide_as(principal, permission, ref, facts);
}
