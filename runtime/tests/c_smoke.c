/* c_smoke.c - a C99 program using only the C API: proves the header is C and that the library
 * links with nothing but the standard libraries. Exits non-zero on the first failed check. */
#include "lattice/lattice.h"

#include <stdio.h>
#include <string.h>

static int failures = 0;
#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (!(cond)) {                                                                                 \
      fprintf(stderr, "c_smoke: check failed: %s\n", #cond);                                       \
      ++failures;                                                                                  \
    }                                                                                              \
  } while (0)

int main(void) {
  unsigned char junk[512];
  lattice_table *table = (lattice_table *)&junk; /* must be overwritten with NULL */
  lattice_request request;
  lattice_decision decision;
  lattice_node_label root = {7, 0, 3}, child = {7, 1, 2}, other = {8, 0, 0};

  memset(junk, 0, sizeof junk);
  CHECK(lattice_table_load(junk, sizeof junk, &table) == LATTICE_LOAD_BAD_MAGIC);
  CHECK(table == NULL);
  CHECK(lattice_table_load(junk, 3, &table) == LATTICE_LOAD_TOO_SMALL);
  CHECK(lattice_table_load_file("/nonexistent/table.ltab", &table) == LATTICE_LOAD_IO_ERROR);
  CHECK(strlen(lattice_load_status_message(LATTICE_LOAD_BAD_CHECKSUM)) > 0);

  memset(&request, 0, sizeof request);
  decision = lattice_decide(NULL, &request);
  CHECK(decision.allowed == 0 && decision.reason == LATTICE_REASON_NO_TABLE);
  CHECK(decision.deciding_role == LATTICE_NO_ID);
  CHECK(lattice_role_id(NULL, "driver") == LATTICE_NO_ID);
  CHECK(lattice_can_assign(NULL, NULL, 0, 0) == 0);
  lattice_table_free(NULL);

  CHECK(lattice_relation_of(root, child) == LATTICE_REL_DESCENDANT);
  CHECK(lattice_relation_of(child, root) == LATTICE_REL_ANCESTOR);
  CHECK(lattice_relation_of(root, root) == LATTICE_REL_SAME);
  CHECK(lattice_relation_of(root, other) == LATTICE_REL_NONE);

  /* The labeller and ancestor paths are C too (malloc only, nothing of the C++ runtime). */
  {
    const int64_t parents[] = {-1, 0, 1, 0};
    lattice_node_label labels[4];
    const uint64_t tenant[] = {5}, account[] = {5, 9}, sub[] = {5, 9, 12};
    lattice_node_path t = {tenant, 1}, a = {account, 2}, s = {sub, 3};
    CHECK(lattice_label_tree(parents, 4, labels, NULL) == LATTICE_LABEL_OK);
    CHECK(lattice_relation_of(labels[1], labels[2]) == LATTICE_REL_DESCENDANT);
    CHECK(lattice_relation_of_paths(t, s) == LATTICE_REL_DESCENDANT);
    CHECK(lattice_relation_of_paths(s, a) == LATTICE_REL_ANCESTOR);
  }

  /* Table identity: the version of bytes that do not load, and NULL-safe accessors. */
  {
    unsigned char head[20] = {'L', 'T', 'A', 'B', '\r', '\n', 0x1a, '\n'};
    uint16_t major = 0, minor = 0;
    head[16] = 3;
    CHECK(lattice_table_format_version(head, sizeof head, &major, &minor) == LATTICE_LOAD_OK);
    CHECK(major == 3 && minor == 0 && LATTICE_TABLE_FORMAT_MAJOR == 4);
    CHECK(lattice_table_format_version(junk, sizeof junk, &major, &minor) ==
          LATTICE_LOAD_BAD_MAGIC);
    CHECK(lattice_table_fingerprint(NULL) == 0 && lattice_table_revision(NULL) == NULL);
    CHECK(lattice_flag_side(NULL, 0) == 0 && lattice_flag_mask(NULL, LATTICE_FLAG_NODE) == 0);
    CHECK(lattice_flag_mask(NULL, LATTICE_FLAG_FACTS) == 0 &&
          LATTICE_FLAG_FACTS == (LATTICE_FLAG_RESOURCE | LATTICE_FLAG_TARGET | LATTICE_FLAG_REQUEST));
    /* Custom roles: NULL-safe, and refused without a set (C callers link them too). */
    CHECK(lattice_ceiling_count(NULL) == 0 && lattice_ceiling_id(NULL, "x") == LATTICE_NO_ID);
    CHECK(lattice_custom_roles_new(NULL) == NULL && lattice_custom_roles_count(NULL) == 0);
    CHECK(lattice_can_create(NULL, NULL, 0, 0) == 0);
  }

  /* Principal handles: refused without a table, and a NULL handle decides BAD_REQUEST. */
  {
    lattice_principal *principal = NULL;
    lattice_node_ref target;
    lattice_access_decision d;
    memset(&target, 0, sizeof target);
    CHECK(lattice_principal_new(NULL, 0, 0, NULL, 0, &principal) == LATTICE_PRINCIPAL_NO_TABLE);
    CHECK(principal == NULL);
    CHECK(strlen(lattice_principal_status_message(LATTICE_PRINCIPAL_NO_TABLE)) > 0);
    d = lattice_decide_as(NULL, 0, target, 0);
    CHECK(d.allowed == 0 && d.reason == LATTICE_REASON_BAD_REQUEST);
    lattice_principal_free(NULL);
  }

  if (failures == 0)
    printf("c_smoke: ok\n");
  return failures == 0 ? 0 : 1;
}
