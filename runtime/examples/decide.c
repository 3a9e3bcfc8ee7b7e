/* decide.c - the C example of docs/runtime.md: load a table, look names up once, decide.
 * Built and run by CTest against the sample table: decide SAMPLE.ltab */
#include "lattice/lattice.h"

#include <stdio.h>

static const char *reasonName(uint32_t reason) {
  static const char *const names[] = {
      "allowed",           "denied_by_rule", "no_allow",       "bad_request", "other_tree",
      "role_not_for_kind", "exclusive",      "not_applicable", "requirement", "no_table"};
  return reason < sizeof names / sizeof names[0] ? names[reason] : "?";
}

int main(int argc, char **argv) {
  lattice_table *table = NULL;
  lattice_load_status status = lattice_table_load_file(argc > 1 ? argv[1] : "", &table);
  if (status != LATTICE_LOAD_OK) {
    fprintf(stderr, "cannot load table: %s\n", lattice_load_status_message(status));
    return 1;
  }

  /* Resolve names once, at start-up; requests then carry only ids. An unknown name gives
   * LATTICE_NO_ID, which lattice_decide denies (BAD_REQUEST); only a flag id needs a check
   * here, because shifting by it would be undefined. */
  uint32_t driver = lattice_role_id(table, "driver");
  uint32_t active = lattice_flag_id(table, "active");
  if (active == LATTICE_NO_ID) {
    fprintf(stderr, "the policy has no flag `active`\n");
    lattice_table_free(table);
    return 1;
  }
  lattice_request request = {0};
  request.kind = lattice_kind_id(table, "account_user");
  request.roles = &driver;
  request.role_count = 1;
  request.relation = LATTICE_REL_SAME;
  request.flags = 1ull << active;

  const char *permissions[] = {"station.view", "station.reset"};
  for (int i = 0; i < 2; ++i) {
    request.permission = lattice_permission_id(table, permissions[i]);
    lattice_decision d = lattice_decide(table, &request);
    printf("driver may %s: %s", permissions[i] + 8, d.allowed ? "yes" : "no");
    if (!d.allowed)
      printf(" (%s)", reasonName(d.reason));
    printf("\n");
  }
  lattice_table_free(table);
  return 0;
}
