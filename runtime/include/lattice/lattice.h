/* lattice.h - the C API of the Lattice runtime: load a compiled decision table, answer requests.
 * Standard C/C++ only. Every function fails closed: on any doubt the answer is "deny". */
#ifndef LATTICE_LATTICE_H
#define LATTICE_LATTICE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An opaque loaded table. Immutable once loaded; safe to share between threads. */
typedef struct lattice_table lattice_table;

/* The enums below are `unsigned int` in C++ too, as C compilers make them: C callers may pass any
 * value, and with a fixed underlying type every value is a valid enum value in C++ (without
 * one, a value outside the enumerators' range is undefined behaviour on load). */
#ifdef __cplusplus
#define LATTICE_ENUM_BASE : unsigned int
#else
#define LATTICE_ENUM_BASE
#endif

/* Why loading failed (0 = success). Stable numbers: part of the ABI. */
typedef enum lattice_load_status LATTICE_ENUM_BASE {
  LATTICE_LOAD_OK = 0,
  LATTICE_LOAD_IO_ERROR = 1,     /* the file could not be read */
  LATTICE_LOAD_TOO_SMALL = 2,    /* shorter than a header */
  LATTICE_LOAD_BAD_MAGIC = 3,    /* not a Lattice table */
  LATTICE_LOAD_BAD_VERSION = 4,  /* a format version this runtime does not read */
  LATTICE_LOAD_BAD_SIZE = 5,     /* the size recorded in the header is not the data's size */
  LATTICE_LOAD_BAD_CHECKSUM = 6, /* the content does not match its checksum */
  LATTICE_LOAD_BAD_LAYOUT = 7,   /* a section, offset, count or id is out of bounds */
  LATTICE_LOAD_OUT_OF_MEMORY = 8,
  LATTICE_LOAD_NOT_A_FILE = 9,      /* the path is not a regular file (directory, FIFO, device) */
  LATTICE_LOAD_TOO_LARGE = 10,      /* the file is larger than the maximum the host allows */
  LATTICE_LOAD_BAD_FINGERPRINT = 11 /* the vocabulary fingerprint does not match the names */
} lattice_load_status;

/* The scope relation of the resource's owner node to the principal's node. */
typedef enum lattice_relation LATTICE_ENUM_BASE {
  LATTICE_REL_SAME = 0,       /* owned by the principal's own node */
  LATTICE_REL_DESCENDANT = 1, /* owned by a node strictly below the principal's node */
  LATTICE_REL_ANCESTOR = 2,   /* owned by a node strictly above the principal's node */
  LATTICE_REL_TENANT = 3,     /* elsewhere in the principal's tree (sibling, cousin, ...) */
  LATTICE_REL_NONE = 4        /* another tree: always denied */
} lattice_relation;

/* Why a decision came out as it did. Stable numbers. */
typedef enum lattice_reason LATTICE_ENUM_BASE {
  LATTICE_REASON_ALLOWED = 0,        /* a held role allows it (see deciding_role) */
  LATTICE_REASON_DENIED_BY_RULE = 1, /* a held role denies it (see deciding_role) */
  LATTICE_REASON_NO_ALLOW = 2,       /* no held role allows it */
  LATTICE_REASON_BAD_REQUEST = 3,    /* unknown kind/permission/role/flag id, bad relation */
  LATTICE_REASON_OTHER_TREE = 4,     /* relation LATTICE_REL_NONE */
  LATTICE_REASON_ROLE_NOT_FOR_KIND =
      5,                             /* a held role may not be held by this kind (deciding_role) */
  LATTICE_REASON_EXCLUSIVE = 6,      /* two held roles are mutually exclusive (deciding_role) */
  LATTICE_REASON_NOT_APPLICABLE = 7, /* the permission does not apply to this kind */
  LATTICE_REASON_REQUIREMENT = 8,    /* a `require` statement does not hold */
  LATTICE_REASON_NO_TABLE = 9,       /* no table was given */
  LATTICE_REASON_DENIED_BY_POLICY = 10 /* a policy-wide deny (a `deny` at the top level) denies
                                          it, and no held role's deny does (no deciding_role) */
} lattice_reason;

#define LATTICE_NO_ID UINT32_MAX

typedef struct lattice_request {
  uint32_t kind;         /* principal kind id */
  const uint32_t *roles; /* held role ids */
  uint32_t role_count;
  uint32_t permission; /* permission id */
  uint32_t relation;   /* a lattice_relation */
  uint64_t flags;      /* bit f = flag id f is set: the principal's, its node's and the
                          request's facts (resource.x, target.x, request.x), every side */
} lattice_request;

typedef struct lattice_decision {
  int allowed;            /* 1 allow, 0 deny */
  uint32_t reason;        /* a lattice_reason */
  uint32_t deciding_role; /* the role that allowed/denied, or LATTICE_NO_ID */
} lattice_decision;

/* What lattice_table_load_file reads at most: 256 MiB, 15 times the table of a 10,000-role
 * policy. A host with larger tables passes its own maximum to lattice_table_load_file_max. */
#define LATTICE_DEFAULT_MAX_TABLE_BYTES ((size_t)256 << 20)

/* Loading. The memory variant copies nothing: `data` must outlive the table and stay unchanged;
 * it needs no particular alignment. On failure *out is NULL and the status says why.
 * The file variants read only regular files (anything else is LATTICE_LOAD_NOT_A_FILE, before a
 * byte is read: a FIFO cannot block them) of at most `max_bytes` bytes (LATTICE_LOAD_TOO_LARGE;
 * lattice_table_load_file: LATTICE_DEFAULT_MAX_TABLE_BYTES). */
lattice_load_status lattice_table_load(const void *data, size_t size, lattice_table **out);
lattice_load_status lattice_table_load_file(const char *path, lattice_table **out);
lattice_load_status lattice_table_load_file_max(const char *path, size_t max_bytes,
                                                lattice_table **out);
void lattice_table_free(lattice_table *table);
const char *lattice_load_status_message(lattice_load_status status);

/* Name lookup: returns LATTICE_NO_ID for an unknown name (or a NULL table). */
uint32_t lattice_kind_id(const lattice_table *table, const char *name);
uint32_t lattice_role_id(const lattice_table *table, const char *name);
uint32_t lattice_permission_id(const lattice_table *table, const char *name);
uint32_t lattice_flag_id(const lattice_table *table, const char *name);

/* Counts and reverse lookup (NULL for an id out of range). */
uint32_t lattice_kind_count(const lattice_table *table);
uint32_t lattice_role_count(const lattice_table *table);
uint32_t lattice_permission_count(const lattice_table *table);
uint32_t lattice_flag_count(const lattice_table *table);
const char *lattice_kind_name(const lattice_table *table, uint32_t id);
const char *lattice_role_name(const lattice_table *table, uint32_t id);
const char *lattice_permission_name(const lattice_table *table, uint32_t id);
const char *lattice_flag_name(const lattice_table *table, uint32_t id);
const char *lattice_policy_name(const lattice_table *table);

/* The decision. Allocation-free; never reads outside the table or the request. */
lattice_decision lattice_decide(const lattice_table *table, const lattice_request *request);

/* Delegation: 1 if a principal holding `roles` may assign `target` (not locked, assignable by a
 * held role), else 0. A conditional `assigns` (`assigns driver when business;`) never counts
 * here: it needs the assigner's flags (lattice_can_assign_with); without them it fails closed. */
int lattice_can_assign(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                       uint32_t target);

/* Delegation with the assigner's flags (its own and those of the node where it assigns, one
 * mask as for lattice_decide): 1 if `target` is not locked and a held role assigns it
 * unconditionally, or under a condition `flags` satisfy, else 0 (also for a flag the table does
 * not declare). Allocation-free. */
int lattice_can_assign_with(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                            uint32_t target, uint64_t flags);

/* Scope labels: the host stores per tree node the tree's id, the node's pre-order number `pre`
 * and `last`, the largest pre-order number in its subtree (== pre for a leaf). The subtree of a
 * node is then exactly the interval [pre, last], and the relation of two nodes is O(1).
 * lattice::labelTree (lattice.hpp) computes these labels; see docs/runtime.md. */
typedef struct lattice_node_label {
  uint64_t tree;
  uint32_t pre;
  uint32_t last;
} lattice_node_label;

/* The relation of the owner node to the principal node: NONE for different trees and for labels
 * that cannot come from one labelling (last < pre, same pre with different last, intervals that
 * overlap without nesting), SAME, DESCENDANT (owner strictly inside), ANCESTOR, else TENANT. */
lattice_relation lattice_relation_of(lattice_node_label principal_node,
                                     lattice_node_label owner_node);

/* Labels a forest given as a parent index per node (-1 for a root, nodes in any order) into
 * `labels` (count entries; partly written when it fails): roots get tree ids 0, 1, ... by
 * increasing node index; children are visited by increasing node index. Iterative, linear time;
 * uses malloc for scratch space and nothing of the C++ runtime. On failure `*bad_node` (if not
 * NULL) is the offending node: a parent index out of range, or a node on a cycle. */
typedef enum lattice_label_status LATTICE_ENUM_BASE {
  LATTICE_LABEL_OK = 0,
  LATTICE_LABEL_PARENT_OUT_OF_RANGE = 1, /* a parent index < -1 or >= count */
  LATTICE_LABEL_CYCLE = 2,               /* a node reaches no root by following parents */
  LATTICE_LABEL_TOO_MANY_NODES = 3,      /* more nodes than 32-bit pre-order numbers label */
  LATTICE_LABEL_OUT_OF_MEMORY = 4,
  LATTICE_LABEL_BAD_ARGUMENT = 5 /* NULL parents or labels with count > 0 */
} lattice_label_status;
lattice_label_status lattice_label_tree(const int64_t *parents, size_t count,
                                        lattice_node_label *labels, size_t *bad_node);

/* A node as its ancestor path: the ids of the nodes from its tree's root down to the node
 * itself (ids[0] names the tree). Needs no relabelling when the tree changes; ids are the host's
 * own (e.g. tenant id, account id, sub-account id). */
typedef struct lattice_node_path {
  const uint64_t *ids;
  uint32_t depth; /* number of ids; 0 is no node */
} lattice_node_path;

/* The relation of the target (owner) node to the principal's node by path, O(depth): NONE for
 * different roots and for an empty or NULL path, SAME for equal paths, DESCENDANT when the
 * principal's path is a proper prefix of the target's, ANCESTOR the other way round, else
 * TENANT. */
lattice_relation lattice_relation_of_paths(lattice_node_path principal_node,
                                           lattice_node_path owner_node);

/* --- Principals with memberships (docs/request-model.md) --------------------------------------
 * A principal holds roles at one or more nodes; one request carries all its memberships and is
 * decided as one decision: the relation is taken per membership, a deny through any membership
 * in the target's tree wins, `exclusive` counts the roles of every membership in the target's
 * tree, `require` is checked once on the principal's flags. */

/* A node: by ancestor path when `path.depth > 0`, else by `label`. The relation of a path to a
 * label is NONE (one request uses one encoding). */
typedef struct lattice_node_ref {
  lattice_node_path path;
  lattice_node_label label;
} lattice_node_ref;

typedef struct lattice_membership {
  lattice_node_ref node; /* where the roles are held */
  const uint32_t *roles; /* role ids */
  uint32_t role_count;
  uint64_t node_flags; /* the flags of that node: only flags of nodes (LATTICE_FLAG_NODE) */
} lattice_membership;

typedef struct lattice_access_request {
  uint32_t kind;  /* the principal's kind id */
  uint64_t flags; /* the principal's flags: only flags of principals (LATTICE_FLAG_PRINCIPAL) */
  const lattice_membership *memberships;
  uint32_t membership_count;
  uint32_t permission;
  /* The node the request is about: the resource's own node when its resource kind is a scope,
   * else the resource's owner node. */
  lattice_node_ref target;
  /* The facts that hold for this request: flags of the resource (LATTICE_FLAG_RESOURCE, e.g.
   * `resource.archived`), of the target's node (LATTICE_FLAG_TARGET, `target.business`) and of
   * the request (LATTICE_FLAG_REQUEST, `request.mfa_used`); only such flags (else BAD_REQUEST). */
  uint64_t facts;
} lattice_access_request;

typedef struct lattice_access_decision {
  int allowed;
  uint32_t reason;              /* a lattice_reason */
  uint32_t deciding_role;       /* as lattice_decision */
  uint32_t deciding_membership; /* index of the membership of deciding_role, or LATTICE_NO_ID */
} lattice_access_decision;

/* The decision for a principal with memberships; allocation-free, fails closed. The reasons are
 * those of lattice_decide; OTHER_TREE means no membership is in the target's tree. */
lattice_access_decision lattice_decide_access(const lattice_table *table,
                                              const lattice_access_request *request);

/* Groups and teams: the host keeps a user's memberships flat by adding those of every group the
 * user is in, directly or through nested groups. Given the group graph as edges (member group ->
 * containing group) and the user's direct groups, sets reached[g] = 1 for every group reached
 * (the direct ones included), each once, cycles tolerated; other entries are left as they are.
 * Returns 0, or -1 for a bad argument (an id >= group_count, NULL arrays with counts) or when
 * memory runs out. Uses malloc only. */
int lattice_reachable_groups(const uint32_t *edge_from, const uint32_t *edge_to, size_t edge_count,
                             uint32_t group_count, const uint32_t *direct, size_t direct_count,
                             uint8_t *reached);

/* The relation of `target` to `node` as lattice_decide_access computes it (path or label). */
lattice_relation lattice_relation_of_refs(lattice_node_ref node, lattice_node_ref target);

/* --- Table identity: format version, vocabulary, revision, flag sides (table format 4) -------
 * Ids follow declaration order, so a new table may give a cached id another meaning. The
 * vocabulary fingerprint identifies the names -> ids mapping (kinds, roles, permissions, flags
 * and the flags' sides); ids resolved in one table apply to another exactly when the
 * fingerprints are equal. Reload recipe: docs/runtime.md. */

/* The format version of table bytes, without loading them: reads the magic and the version
 * fields, which every format version keeps in place. LATTICE_LOAD_OK with *major and *minor
 * set; LATTICE_LOAD_TOO_SMALL (fewer than 20 bytes or NULL data), LATTICE_LOAD_BAD_MAGIC, or
 * LATTICE_LOAD_IO_ERROR for NULL outputs. This runtime reads major LATTICE_TABLE_FORMAT_MAJOR. */
#define LATTICE_TABLE_FORMAT_MAJOR 4
lattice_load_status lattice_table_format_version(const void *data, size_t size, uint16_t *major,
                                                 uint16_t *minor);

/* The table's vocabulary fingerprint (0 for a NULL table). */
uint64_t lattice_table_fingerprint(const lattice_table *table);

/* The revision given to `lattice build --revision` ("" when none; NULL for a NULL table). */
const char *lattice_table_revision(const lattice_table *table);

/* Flag sides: where a flag's value comes from. lattice_decide_access takes principal flags in
 * `flags`, node flags in each membership's `node_flags` and the facts (the three fact sides) in
 * `facts`, and refuses a bit of another side (BAD_REQUEST). lattice_flag_side gives one flag's
 * side (0 for an id out of range); lattice_flag_mask all flags of the sides of a mask of sides
 * (0 for a NULL table): LATTICE_FLAG_FACTS for everything `facts` may carry. */
#define LATTICE_FLAG_PRINCIPAL 1u /* declared on user types */
#define LATTICE_FLAG_NODE 2u      /* declared on scope kinds */
#define LATTICE_FLAG_RESOURCE 4u  /* `flag x on resource R;`, named `resource.x` */
#define LATTICE_FLAG_TARGET 8u    /* a node flag read at the target's node, named `target.x` */
#define LATTICE_FLAG_REQUEST 16u  /* `flag x on request;`, named `request.x` */
#define LATTICE_FLAG_FACTS (LATTICE_FLAG_RESOURCE | LATTICE_FLAG_TARGET | LATTICE_FLAG_REQUEST)
uint32_t lattice_flag_side(const lattice_table *table, uint32_t flag);
uint64_t lattice_flag_mask(const lattice_table *table, uint32_t side);

/* --- Principal handles (docs/runtime.md, "Principal handles") -----------------------------------
 * A principal validated once: its kind, flags and memberships are checked and copied, and what
 * depends only on the principal is precomputed (roles the kind may not hold, the exclusive
 * outcome per tree, whether `require` holds at each node, and per permission one byte of
 * allow/deny bits by relation per distinct (roles, node flags) membership). A request then costs
 * the relations to the target and a few bit tests. lattice_decide_as gives exactly
 * lattice_decide_access's decision (every field) for the same principal and request. The handle
 * is immutable and may be used by any number of threads at once; it borrows its table: free it
 * before the table, and build principals again after loading a new table (ids and rules are the
 * table's). */
typedef struct lattice_principal lattice_principal;

/* Why lattice_principal_new refused a principal (0 = success). Stable numbers. */
typedef enum lattice_principal_status LATTICE_ENUM_BASE {
  LATTICE_PRINCIPAL_OK = 0,
  LATTICE_PRINCIPAL_NO_TABLE = 1,       /* table is NULL */
  LATTICE_PRINCIPAL_BAD_ARGUMENT = 2,   /* out is NULL, or memberships NULL with a count */
  LATTICE_PRINCIPAL_UNKNOWN_KIND = 3,   /* kind >= lattice_kind_count */
  LATTICE_PRINCIPAL_UNKNOWN_ROLE = 4,   /* a membership's role id >= lattice_role_count */
  LATTICE_PRINCIPAL_NULL_ROLES = 5,     /* a membership's roles NULL with role_count > 0 */
  LATTICE_PRINCIPAL_BAD_NODE = 6,       /* a path with NULL ids, or a label with last < pre */
  LATTICE_PRINCIPAL_BAD_FLAGS = 7,      /* a bit of `flags` that is not a principal flag */
  LATTICE_PRINCIPAL_BAD_NODE_FLAGS = 8, /* a bit of a membership's node_flags not a node flag */
  LATTICE_PRINCIPAL_TOO_LARGE = 9,      /* more memberships, roles or path ids than fit in memory */
  LATTICE_PRINCIPAL_OUT_OF_MEMORY = 10
} lattice_principal_status;

/* Validates and copies a principal (kind, its own flags, `count` memberships) into a new handle;
 * nothing of the arguments is kept. On failure *out is NULL. A membership may be in any tree and
 * hold any role of the table (a role its kind may not hold is not refused here: its requests are
 * then denied ROLE_NOT_FOR_KIND, as by lattice_decide_access). The handle is one allocation;
 * scratch space is freed before the call returns. */
lattice_principal_status lattice_principal_new(const lattice_table *table, uint32_t kind,
                                               uint64_t flags,
                                               const lattice_membership *memberships,
                                               uint32_t count, lattice_principal **out);
void lattice_principal_free(lattice_principal *principal);
const char *lattice_principal_status_message(lattice_principal_status status);

/* The decision for the principal asking `permission` on `target` (lattice_access_request's
 * target) with `facts` (lattice_access_request's facts: only fact flags, else BAD_REQUEST). A
 * NULL principal is BAD_REQUEST. Allocation-free. Equal to lattice_decide_access with the
 * principal's request. Rules and requirements that read facts are not precomputed: a
 * permission with such rules takes the generic scan of its sparse rules, the others keep the
 * precomputed bytes whatever the facts. */
lattice_access_decision lattice_decide_as(const lattice_principal *principal, uint32_t permission,
                                          lattice_node_ref target, uint64_t facts);

/* --- Custom roles (docs/runtime.md, "Custom roles") ---------------------------------------------
 * The policy declares ceilings (`custom role api_key_role for api_key { allow station.* in
 * subtree; created_by account_admin; }`); at run time the host builds roles within a ceiling from
 * permissions and a reach per permission. Built roles live in a caller-owned lattice_custom_roles
 * set and are named in memberships by id: custom role i of a set is the role id
 * LATTICE_CUSTOM_ROLE | i, given in a membership's `roles` beside compiled role ids. Only the
 * calls that take the set (lattice_decide_access_custom, lattice_principal_new_custom) accept such
 * ids; the others refuse them as unknown roles (BAD_REQUEST), fail closed. A custom role allows
 * exactly its (permission, relation) cells, has no denies and no conditions, may be held by the
 * ceiling's user types (else ROLE_NOT_FOR_KIND) and is in no `exclusive` set. */
#define LATTICE_CUSTOM_ROLE 0x80000000u

/* Reaches: bit r = relation r (lattice_relation). A cell's reach is a non-empty mask of them. */
#define LATTICE_REACH_SELF 1u
#define LATTICE_REACH_DESCENDANTS 2u
#define LATTICE_REACH_ANCESTORS 4u
#define LATTICE_REACH_ELSEWHERE 8u
#define LATTICE_REACH_SUBTREE 3u /* self and descendants */
#define LATTICE_REACH_TENANT 15u /* the whole tree */

/* Ceilings by id (declaration order) and name; LATTICE_NO_ID / NULL / 0 when unknown. */
uint32_t lattice_ceiling_count(const lattice_table *table);
uint32_t lattice_ceiling_id(const lattice_table *table, const char *name);
const char *lattice_ceiling_name(const lattice_table *table, uint32_t ceiling);
/* The user types (kind mask) whose principals may hold the ceiling's roles. */
uint64_t lattice_ceiling_kinds(const lattice_table *table, uint32_t ceiling);
/* The relations (LATTICE_REACH_* bits) a role of the ceiling may reach with `permission`; 0 when
 * the ceiling does not hold it. */
uint32_t lattice_ceiling_reach(const lattice_table *table, uint32_t ceiling, uint32_t permission);
/* 1 if a principal holding `roles` may create custom roles of `ceiling` and give them (one of the
 * roles is in its `created_by`), else 0. lattice_can_assign and lattice_can_assign_with answer 0
 * for a LATTICE_CUSTOM_ROLE id: ask this with the custom role's ceiling
 * (lattice_custom_role_ceiling). */
int lattice_can_create(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                       uint32_t ceiling);

typedef struct lattice_custom_roles lattice_custom_roles;

/* Why a custom role was refused (0 = success). Stable numbers. */
typedef enum lattice_custom_status LATTICE_ENUM_BASE {
  LATTICE_CUSTOM_OK = 0,
  LATTICE_CUSTOM_BAD_ARGUMENT = 1,       /* NULL set, out, or arrays with a count */
  LATTICE_CUSTOM_UNKNOWN_CEILING = 2,    /* no such ceiling */
  LATTICE_CUSTOM_UNKNOWN_PERMISSION = 3, /* an id >= lattice_permission_count, or unknown name */
  LATTICE_CUSTOM_BAD_REACH = 4,          /* a reach of 0 or with bits beyond LATTICE_REACH_TENANT */
  LATTICE_CUSTOM_NOT_FOR_KINDS = 5,      /* the permission's `for` excludes every user type of
                                            the ceiling */
  LATTICE_CUSTOM_OUTSIDE_CEILING = 6,    /* the ceiling does not hold the permission */
  LATTICE_CUSTOM_REACH_BEYOND_CEILING = 7, /* the reach has a relation the ceiling does not allow
                                              for that permission */
  LATTICE_CUSTOM_TOO_MANY = 8,             /* the set holds 2^31 - 1 roles, or 4 GiB of cells */
  LATTICE_CUSTOM_OUT_OF_MEMORY = 9
} lattice_custom_status;

/* A set of custom roles built against one table; NULL for a NULL table or without memory. It
 * borrows the table (free it first). Adding allocates (amortised); deciding never does. A set
 * that is only read may be shared by threads; adding to it while others decide is a data race. */
lattice_custom_roles *lattice_custom_roles_new(const lattice_table *table);
void lattice_custom_roles_free(lattice_custom_roles *set);
uint32_t lattice_custom_roles_count(const lattice_custom_roles *set);
/* The bytes the set's roles use: 8 per role (its ceiling and offset) and 4 bits per permission of
 * its ceiling, rounded up to a byte per role; without spare capacity and the per-table index. */
size_t lattice_custom_roles_bytes(const lattice_custom_roles *set);

/* Builds a custom role of `ceiling` from `count` permission ids, each with its reach
 * (LATTICE_REACH_* bits), validated in order: on the first offending entry nothing is added, the
 * status says why and *bad_index (if not NULL) is its index. On success *role_out is the role's
 * id for memberships (LATTICE_CUSTOM_ROLE | index in the set). A permission listed twice gets
 * the union of its reaches. */
lattice_custom_status lattice_custom_role_add(lattice_custom_roles *set, uint32_t ceiling,
                                              const uint32_t *permissions, const uint32_t *reaches,
                                              uint32_t count, uint32_t *role_out,
                                              uint32_t *bad_index);
/* The same by names: the ceiling's and the permissions' ("station.view"). */
lattice_custom_status lattice_custom_role_add_names(lattice_custom_roles *set, const char *ceiling,
                                                    const char *const *permissions,
                                                    const uint32_t *reaches, uint32_t count,
                                                    uint32_t *role_out, uint32_t *bad_index);
const char *lattice_custom_status_message(lattice_custom_status status);
/* The ceiling of a custom role id (with its LATTICE_CUSTOM_ROLE bit), or LATTICE_NO_ID. */
uint32_t lattice_custom_role_ceiling(const lattice_custom_roles *set, uint32_t role);
/* The reach (LATTICE_REACH_* bits) custom role `role` holds `permission` with; 0 if none. */
uint32_t lattice_custom_role_reach(const lattice_custom_roles *set, uint32_t role,
                                   uint32_t permission);

/* lattice_decide_access with custom roles of `set` allowed in memberships (NULL set: none). A
 * custom role that decides is deciding_role (LATTICE_CUSTOM_ROLE | index); compiled roles sort
 * before custom ones, so among several allowing roles a compiled one is named. */
lattice_access_decision lattice_decide_access_custom(const lattice_table *table,
                                                     const lattice_custom_roles *set,
                                                     const lattice_access_request *request);
/* lattice_principal_new with custom roles of `set` allowed in memberships: their cells fold into
 * the handle's precomputed bytes, so lattice_decide_as decides as fast as with compiled roles.
 * The handle borrows the set: free the handle before the set, and do not add to the set while
 * the handle decides. An unknown custom role id is LATTICE_PRINCIPAL_UNKNOWN_ROLE. */
lattice_principal_status lattice_principal_new_custom(const lattice_table *table,
                                                      const lattice_custom_roles *set,
                                                      uint32_t kind, uint64_t flags,
                                                      const lattice_membership *memberships,
                                                      uint32_t count, lattice_principal **out);

/* --- What can this principal do (docs/runtime.md, "What can this principal do") ---------------
 * Every permission a principal is allowed on one target at once, as a bitset: bit p (word p / 64,
 * bit p % 64) is set iff lattice_decide_access (or _custom, or lattice_decide_as) allows
 * permission p for the same principal, target and facts; the request's own `permission` is not
 * read. The caller provides the words: at least LATTICE_PERMISSION_WORDS(table) of them (bits past
 * the last permission are 0). On any bad input every given word is 0 (nothing is allowed) and
 * the status says why; a principal that is simply allowed nothing (another tree, an exclusive
 * conflict, a failed `require`) gets LATTICE_WHAT_CAN_OK and an all-zero bitset. Allocation-free;
 * cost: docs/performance.md. */
#define LATTICE_PERMISSION_WORDS(table) ((lattice_permission_count(table) + 63u) / 64u)

typedef enum lattice_what_can_status LATTICE_ENUM_BASE {
  LATTICE_WHAT_CAN_OK = 0,
  LATTICE_WHAT_CAN_NO_TABLE = 1,     /* the table is NULL */
  LATTICE_WHAT_CAN_BAD_ARGUMENT = 2, /* words NULL, fewer words than needed, a NULL request,
                                        principal or targets, a permission range out of the
                                        table, or a set of another table */
  LATTICE_WHAT_CAN_BAD_REQUEST = 3   /* the principal or facts are malformed: what
                                        lattice_decide_access denies BAD_REQUEST (an unknown kind
                                        or role, a flag of the wrong side, NULL roles) */
} lattice_what_can_status;
const char *lattice_what_can_status_message(lattice_what_can_status status);

/* From the request form: the principal of `request` (kind, flags, memberships; its `permission`
 * is ignored) on its target with its facts. Costs one lattice_decide_access per permission (a
 * refusal that no permission changes, as OTHER_TREE, stops at the first): build a handle for
 * repeated questions. */
lattice_what_can_status lattice_what_can(const lattice_table *table,
                                         const lattice_access_request *request, uint64_t *words,
                                         uint32_t word_count);
/* The same with custom roles of `set` in memberships (NULL set: none), as
 * lattice_decide_access_custom. */
lattice_what_can_status lattice_what_can_custom(const lattice_table *table,
                                                const lattice_custom_roles *set,
                                                const lattice_access_request *request,
                                                uint64_t *words, uint32_t word_count);
/* From a principal handle (lattice_principal_new or _new_custom): the gates once, then the OR of
 * the precomputed permission bytes of the memberships in the target's tree, 64 permissions per
 * step; a permission whose rules read facts is decided by lattice_decide_as. */
lattice_what_can_status lattice_what_can_as(const lattice_principal *principal,
                                            lattice_node_ref target, uint64_t facts,
                                            uint64_t *words, uint32_t word_count);

/* A page of rows of one resource type: for each of `row_count` targets (facts[i] its facts, or
 * all 0 when `facts` is NULL) the permissions first_permission .. first_permission +
 * permission_count - 1 only, row i at words + i * words_per_row, bit j of a row = permission
 * first_permission + j. words_per_row >= (permission_count + 63) / 64. A malformed row (its facts)
 * is all zero and makes the status BAD_REQUEST; the other rows are still answered. The compiler
 * numbers a resource's permissions consecutively: lattice_resource_permissions gives the range. */
lattice_what_can_status lattice_what_can_page(const lattice_principal *principal,
                                              uint32_t first_permission, uint32_t permission_count,
                                              const lattice_node_ref *targets,
                                              const uint64_t *facts, uint32_t row_count,
                                              uint64_t *words, uint32_t words_per_row);

/* The permission ids of resource `resource` (the permissions named "resource.action"): 1 with
 * [*first, *first + *count) when they are consecutive, as the compiler numbers them; 0 (and
 * *first = LATTICE_NO_ID, *count = 0) for an unknown resource, NULL arguments, or ids that are
 * not consecutive. O(log n + count). */
int lattice_resource_permissions(const lattice_table *table, const char *resource, uint32_t *first,
                                 uint32_t *count);

/* --- Who can do this (docs/runtime.md, "Who can do this") --------------------------------------
 * For a permission, a relation and one flags mask (lattice_request's: the principal's, its node's
 * and the facts, every side), the compiled roles, the custom-role ceilings and the user types
 * (kinds) that can be allowed it:
 * - role r: some kind k that may hold r has lattice_decide({k, {r}, permission, relation, flags})
 *   allowed (equal to lattice_decide_access with one membership holding r alone at that relation,
 *   the mask split by side): per-kind `for`, `require`, the role's rules and denies and the
 *   policy-wide denies, conditions on flags and facts;
 * - ceiling c: a principal of some kind of the ceiling holding its widest custom role (each of its
 *   permissions at every relation it allows) is allowed so;
 * - kind k: some listed role or ceiling is allowed for a principal of kind k.
 * Bitsets the caller provides: role r is bit r % 64 of role_words[r / 64], likewise ceilings and
 * kinds; at least LATTICE_ROLE_WORDS(t), LATTICE_CEILING_WORDS(t) (0 when the table has no
 * ceilings: the pointer may then be NULL) and LATTICE_KIND_WORDS(t) words. Every given word is
 * zeroed first; on bad input all stay 0 and the status says why. Relation LATTICE_REL_NONE is
 * a valid question that no one is allowed (OK, all zero). Allocation-free, O(roles + rules of the
 * permission + ceiling cells). */
#define LATTICE_ROLE_WORDS(table) ((lattice_role_count(table) + 63u) / 64u)
#define LATTICE_CEILING_WORDS(table) ((lattice_ceiling_count(table) + 63u) / 64u)
#define LATTICE_KIND_WORDS(table) ((lattice_kind_count(table) + 63u) / 64u)

typedef enum lattice_who_can_status LATTICE_ENUM_BASE {
  LATTICE_WHO_CAN_OK = 0,
  LATTICE_WHO_CAN_NO_TABLE = 1,     /* the table is NULL */
  LATTICE_WHO_CAN_BAD_ARGUMENT = 2, /* a NULL bitset with a count, or fewer words than needed */
  LATTICE_WHO_CAN_BAD_REQUEST = 3   /* an unknown permission, a relation > LATTICE_REL_NONE, or a
                                       flag bit the table does not declare */
} lattice_who_can_status;
const char *lattice_who_can_status_message(lattice_who_can_status status);

lattice_who_can_status lattice_who_can(const lattice_table *table, uint32_t permission,
                                       uint32_t relation, uint64_t flags, uint64_t *role_words,
                                       uint32_t role_word_count, uint64_t *ceiling_words,
                                       uint32_t ceiling_word_count, uint64_t *kind_words,
                                       uint32_t kind_word_count);

#ifdef __cplusplus
}
#endif
#endif /* LATTICE_LATTICE_H */
