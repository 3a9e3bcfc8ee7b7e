/* decide_c.c - the baseline of bench/bindings: the same requests as the binding scripts, through
 * the C API directly, ids resolved once: a principal handle (lattice_decide_as, as the bindings'
 * principals) and the whole request (lattice_decide_access, as their one-request calls).
 * Usage: decide_c TABLE N [CUSTOM_TABLE] -> "c principal NS", "c request NS" (CPU ns per
 * decision, best of 5 rounds of N); with CUSTOM_TABLE (custom_roles.lat of
 * bindings/common/testdata) also "c compiled NS" and "c custom NS": the same requests by a
 * principal handle holding the compiled role `account_admin` and by one holding a custom role of
 * the same cells (lattice_principal_new_custom). */
#define _POSIX_C_SOURCE 199309L
#include "lattice/lattice.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); /* CPU time: a busy machine does not count */
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Best of 5 rounds of n decisions of the three requests by principal p, in CPU ns. */
static double best_as(const lattice_principal *p, const uint32_t *perms, uint64_t targets[3][3],
                      const uint32_t *depth, long n) {
  volatile int sink = 0;
  double best = 1e300;
  for (int round = 0; round < 5; ++round) {
    double start = now();
    for (long i = 0; i < n; ++i) {
      int k = (int)(i % 3);
      lattice_node_ref target = {{targets[k], depth[k]}, {0, 0, 0}};
      sink += lattice_decide_as(p, perms[k], target, 0).allowed;
    }
    double ns = (now() - start) / n;
    if (ns < best)
      best = ns;
  }
  return sink < 0 ? -1 : best;
}

/* The custom-role comparison on the table at `path`; 0 when the decisions are as expected. */
static int custom(const char *path, long n, uint64_t targets[3][3], const uint32_t *depth,
                  const int *expected) {
  lattice_table *t = NULL;
  if (lattice_table_load_file(path, &t) != LATTICE_LOAD_OK)
    return 1;
  lattice_custom_roles *set = lattice_custom_roles_new(t);
  const char *cells[] = {"station.view", "station.reset", "card.view", "card.block"};
  const uint32_t reach[] = {LATTICE_REACH_SUBTREE, LATTICE_REACH_SUBTREE, LATTICE_REACH_SUBTREE,
                            LATTICE_REACH_SUBTREE};
  uint32_t ops = 0, admin = lattice_role_id(t, "account_admin");
  if (!set || lattice_custom_role_add_names(set, "key_role", cells, reach, 4, &ops, NULL) !=
                  LATTICE_CUSTOM_OK)
    return 1;
  uint64_t node[] = {1, 10};
  lattice_membership compiled = {{{node, 2}, {0, 0, 0}}, &admin, 1, 0};
  lattice_membership built = {{{node, 2}, {0, 0, 0}}, &ops, 1, 0};
  const uint32_t kind = lattice_kind_id(t, "account_user");
  uint32_t perms[3] = {lattice_permission_id(t, "station.view"),
                       lattice_permission_id(t, "station.activate"),
                       lattice_permission_id(t, "station.view")};
  lattice_principal *a = NULL, *b = NULL;
  if (lattice_principal_new(t, kind, 0, &compiled, 1, &a) != LATTICE_PRINCIPAL_OK ||
      lattice_principal_new_custom(t, set, kind, 0, &built, 1, &b) != LATTICE_PRINCIPAL_OK)
    return 1;
  for (int k = 0; k < 3; ++k) {
    lattice_node_ref target = {{targets[k], depth[k]}, {0, 0, 0}};
    if (lattice_decide_as(a, perms[k], target, 0).allowed != expected[k] ||
        lattice_decide_as(b, perms[k], target, 0).allowed != expected[k]) {
      fprintf(stderr, "request %d decided wrongly with a custom role\n", k);
      return 1;
    }
  }
  printf("c compiled %.1f\n", best_as(a, perms, targets, depth, n));
  printf("c custom %.1f\n", best_as(b, perms, targets, depth, n));
  lattice_principal_free(a);
  lattice_principal_free(b);
  lattice_custom_roles_free(set);
  lattice_table_free(t);
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 3 && argc != 4)
    return 2;
  lattice_table *t = NULL;
  if (lattice_table_load_file(argv[1], &t) != LATTICE_LOAD_OK)
    return 1;
  long n = atol(argv[2]);
  uint32_t admin = lattice_role_id(t, "account_admin");
  uint32_t station_admin = lattice_role_id(t, "account_station_admin");
  uint64_t node0[] = {1, 10}, node1[] = {1, 12};
  lattice_membership m[2] = {{{{node0, 2}, {0, 0, 0}}, &admin, 1, 0},
                             {{{node1, 2}, {0, 0, 0}}, &station_admin, 1, 0}};
  uint64_t targets[3][3] = {{1, 10, 100}, {1, 10, 0}, {1, 11, 0}};
  uint32_t depth[3] = {3, 2, 2};
  uint32_t perms[3] = {lattice_permission_id(t, "station.view"),
                       lattice_permission_id(t, "station.activate"),
                       lattice_permission_id(t, "station.view")};
  lattice_access_request r = {0};
  r.kind = lattice_kind_id(t, "account_user");
  r.memberships = m;
  r.membership_count = 2;
  int expected[3] = {1, 0, 0};
  for (int i = 0; i < 3; ++i) {
    r.permission = perms[i];
    r.target.path.ids = targets[i];
    r.target.path.depth = depth[i];
    if (lattice_decide_access(t, &r).allowed != expected[i]) {
      fprintf(stderr, "request %d decided wrongly\n", i);
      return 1;
    }
  }
  lattice_principal *p = NULL;
  if (lattice_principal_new(t, r.kind, 0, m, 2, &p) != LATTICE_PRINCIPAL_OK)
    return 1;
  volatile int sink = 0;
  for (int as_principal = 1; as_principal >= 0; --as_principal) {
    double best = 1e300;
    for (int round = 0; round < 5; ++round) {
      double start = now();
      for (long i = 0; i < n; ++i) {
        int k = (int)(i % 3);
        lattice_node_ref target = {{targets[k], depth[k]}, {0, 0, 0}};
        if (as_principal) {
          sink += lattice_decide_as(p, perms[k], target, 0).allowed;
        } else {
          r.permission = perms[k];
          r.target = target;
          sink += lattice_decide_access(t, &r).allowed;
        }
      }
      double ns = (now() - start) / n;
      if (ns < best)
        best = ns;
    }
    printf("c %s %.1f\n", as_principal ? "principal" : "request", best);
  }
  lattice_principal_free(p);
  lattice_table_free(t);
  if (argc == 4 && custom(argv[3], n, targets, depth, expected) != 0)
    return 1;
  return sink < 0;
}
