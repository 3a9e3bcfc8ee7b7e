/* list_filter.h - list filters: for a principal and a permission, the nodes whose resources it may
 * act on, as terms over ancestor paths and as a SQL predicate (docs/filter-list-endpoint.md). */
#ifndef LATTICE_LIST_FILTER_H
#define LATTICE_LIST_FILTER_H

#include "lattice/lattice.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A list filter: the set of target nodes (ancestor paths) on which lattice_decide_access allows the
 * principal the permission, decided exactly as it decides each node (deny-wins, exclusive,
 * require, kinds, policy-wide denies, custom roles, request facts). Immutable once built; owns
 * copies of every path it names. */
typedef struct lattice_list_filter lattice_list_filter;

/* Why no filter was built (0 = success). Stable numbers. */
typedef enum lattice_filter_status LATTICE_ENUM_BASE {
  LATTICE_FILTER_OK = 0,
  LATTICE_FILTER_NO_TABLE = 1,     /* table (or the principal handle) is NULL */
  LATTICE_FILTER_BAD_ARGUMENT = 2, /* out or request NULL, memberships NULL with a count, a set
                                      of another table */
  LATTICE_FILTER_BAD_REQUEST = 3,  /* lattice_decide_access refuses the request (BAD_REQUEST):
                                      an unknown id, a flag or fact of the wrong side */
  LATTICE_FILTER_NOT_A_PATH = 4,   /* a membership's node is a label: filters are over paths */
  LATTICE_FILTER_NEEDS_FACTS = 5,  /* a rule or `require` that can decide the permission reads a
                                      resource or target fact (`resource.x`, `target.x`): the node
                                      alone cannot decide, so no filter (fail closed) */
  LATTICE_FILTER_TOO_LARGE = 6,    /* more memberships or path ids than fit */
  LATTICE_FILTER_OUT_OF_MEMORY = 7
} lattice_filter_status;

/* The filter for the principal of `request` (kind, flags, memberships; its `target` is ignored)
 * and `request->permission`, with `request->facts` as the request's facts (only request facts,
 * LATTICE_FLAG_REQUEST: a resource or target fact differs per row, else BAD_REQUEST). Custom
 * roles of `set` (NULL: none) may be named in memberships. Memberships must give their nodes as
 * ancestor paths. On failure *out is NULL. */
lattice_filter_status lattice_list_filter_new(const lattice_table *table,
                                              const lattice_custom_roles *set,
                                              const lattice_access_request *request,
                                              lattice_list_filter **out);
/* The same for a principal handle: what lattice_list_filter_new does after building a handle of
 * the one permission, so a host that lists for one principal often keeps its handle. */
lattice_filter_status lattice_list_filter_as(const lattice_principal *principal,
                                             uint32_t permission, uint64_t facts,
                                             lattice_list_filter **out);
void lattice_list_filter_free(lattice_list_filter *filter);
const char *lattice_filter_status_message(lattice_filter_status status);

/* --- The generic form: a union of disjoint terms ------------------------------------------------
 * Each term is one node's path and what of it is allowed, minus the subtrees of some of its
 * children (exclusions, each a path one id longer than the term's). Nodes of a tree in which the
 * principal has no membership are never allowed. Terms come in the order of their nodes' keys. */
#define LATTICE_TERM_NODE 0u    /* exactly the node */
#define LATTICE_TERM_SUBTREE 1u /* the node and every node below it */
#define LATTICE_TERM_BELOW 2u   /* every node strictly below it */
typedef struct lattice_filter_term {
  uint32_t kind; /* LATTICE_TERM_* */
  lattice_node_path node;
  const lattice_node_path *exclusions; /* at/below each of these is not in the term */
  uint32_t exclusion_count;
} lattice_filter_term;

uint32_t lattice_list_filter_term_count(const lattice_list_filter *filter);
/* Term `i` (a zeroed term for an index out of range). Its paths live as long as the filter. */
lattice_filter_term lattice_list_filter_term(const lattice_list_filter *filter, uint32_t i);

/* --- Keys and ranges ----------------------------------------------------------------------------
 * A node's key is its path's ids, each as 8 big-endian bytes: keys compare as byte strings
 * (memcmp, shorter first on a tie: bytea in PostgreSQL, BLOB in SQLite) in tree pre-order, so a
 * subtree is one key range. The filter as key ranges: sorted, disjoint and not adjacent. */
typedef struct lattice_key_range {
  const uint8_t *low; /* inclusive */
  uint32_t low_size;
  uint32_t exact;      /* 1: the range is the one key `low` (a node alone) */
  const uint8_t *high; /* exclusive; NULL: no upper bound */
  uint32_t high_size;
} lattice_key_range;

uint32_t lattice_list_filter_range_count(const lattice_list_filter *filter);
lattice_key_range lattice_list_filter_range(const lattice_list_filter *filter, uint32_t i);
/* Writes the key of `path` (8 * depth bytes) to `out` if `size` is enough; returns its size. */
size_t lattice_node_key(lattice_node_path path, uint8_t *out, size_t size);

/* --- SQL ----------------------------------------------------------------------------------------
 * A WHERE predicate over a key column (bytea / BLOB) with positional parameters only: $N for
 * PostgreSQL, ?N for SQLite, numbered from `first_param` (>= 1) so the host can put its own
 * parameters first. The parameter values are the ranges' bounds in order (a range: its low key,
 * then its high key unless it is exact or unbounded), read with lattice_list_filter_param: no
 * value is ever written into the SQL. A filter that allows nothing is `FALSE` (PostgreSQL) or
 * `0` (SQLite). `column` is the host's column name: letters, digits and `_`, optionally
 * qualified by one `table.`, not starting with a digit. */
#define LATTICE_SQL_POSTGRESQL 1u
#define LATTICE_SQL_SQLITE 2u
/* Writes the predicate (NUL-terminated, truncated to size - 1 bytes) to `buffer` when size > 0 and
 * returns its length without the NUL, as snprintf; 0 for a NULL filter, an unknown dialect, a
 * column that is not a plain (optionally qualified) identifier, or first_param 0. */
size_t lattice_list_filter_sql(const lattice_list_filter *filter, uint32_t dialect,
                               const char *column, uint32_t first_param, char *buffer, size_t size);
/* The predicate's parameters: their number and parameter i's bytes (NULL for i out of range). */
uint32_t lattice_list_filter_param_count(const lattice_list_filter *filter);
const uint8_t *lattice_list_filter_param(const lattice_list_filter *filter, uint32_t i,
                                         uint32_t *size);

#ifdef __cplusplus
}
#endif
#endif /* LATTICE_LIST_FILTER_H */
