/* decide.c - a C host of the installed runtime: loads the tutorial's table and prints one line
 * per request, by name, through the C API only. Usage: decide_c TABLE */
#include <lattice/lattice.h>
#include <stdio.h>

static int ask(const lattice_table *t, const char *role, const char *permission,
               lattice_relation relation) {
  uint32_t roles[1] = {lattice_role_id(t, role)};
  uint32_t active = lattice_flag_id(t, "active");
  lattice_request q = {0};
  q.kind = lattice_kind_id(t, "fleet_user");
  q.roles = roles;
  q.role_count = 1;
  q.permission = lattice_permission_id(t, permission);
  q.relation = (uint32_t)relation;
  q.flags = active == LATTICE_NO_ID ? 0 : (uint64_t)1 << active;
  lattice_decision d = lattice_decide(t, &q);
  printf("%s %s: %s\n", role, permission, d.allowed ? "allow" : "deny");
  return d.allowed;
}

int main(int argc, char **argv) {
  lattice_table *t = NULL;
  lattice_load_status status = lattice_table_load_file(argc > 1 ? argv[1] : "", &t);
  if (status != LATTICE_LOAD_OK) {
    fprintf(stderr, "cannot load: %s\n", lattice_load_status_message(status));
    return 2;
  }
  int ok = ask(t, "driver", "vehicle.lock", LATTICE_REL_SAME) == 1 &&
           ask(t, "driver", "vehicle.delete", LATTICE_REL_SAME) == 0;
  /* What identifies the table to a host that reloads it (docs/runtime.md, "Reloading"). */
  ok = ok && lattice_table_fingerprint(t) != 0 && lattice_table_revision(t) != NULL;
  /* The labeller is C too. */
  const int64_t parents[] = {-1, 0, 1};
  lattice_node_label labels[3];
  ok = ok && lattice_label_tree(parents, 3, labels, NULL) == LATTICE_LABEL_OK &&
       lattice_relation_of(labels[0], labels[2]) == LATTICE_REL_DESCENDANT;
  lattice_table_free(t);
  return ok ? 0 : 1;
}
