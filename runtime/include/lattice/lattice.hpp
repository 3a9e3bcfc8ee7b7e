// lattice.hpp - a thin C++17 wrapper over the C API: RAII tables and principals, string_view
// lookups, decisions as a struct, and labelTree for the node labels lattice_relation_of expects.
#pragma once

#include "lattice/lattice.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <new>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace lattice {

namespace detail {
/// Name categories, in the order of their name-table sections.
enum Category : uint32_t { kKinds = 0, kRoles = 1, kPermissions = 2, kFlags = 3 };
/// Lookup by pointer and length (the C API takes NUL-terminated names); LATTICE_NO_ID if absent.
uint32_t lookupName(const lattice_table *table, uint32_t category, const char *name,
                    size_t length) noexcept;
} // namespace detail

struct Decision {
  bool allowed = false;
  lattice_reason reason = LATTICE_REASON_NO_TABLE;
  uint32_t decidingRole = LATTICE_NO_ID; // the role that allowed or denied, if one did

  explicit Decision(lattice_decision d) noexcept
      : allowed(d.allowed != 0), reason(lattice_reason(d.reason)), decidingRole(d.deciding_role) {}
  explicit operator bool() const noexcept { return allowed; }
};

/// The decision for a principal with memberships: as Decision, and which membership decided.
struct AccessDecision {
  bool allowed = false;
  lattice_reason reason = LATTICE_REASON_NO_TABLE;
  uint32_t decidingRole = LATTICE_NO_ID;
  uint32_t decidingMembership = LATTICE_NO_ID; // index into the request's memberships

  explicit AccessDecision(lattice_access_decision d) noexcept
      : allowed(d.allowed != 0), reason(lattice_reason(d.reason)), decidingRole(d.deciding_role),
        decidingMembership(d.deciding_membership) {}
  explicit operator bool() const noexcept { return allowed; }
};

/// An owned, immutable, loaded table. Const member functions are safe to call from any thread.
class Table {
public:
  /// Validates `data` (which must outlive the table, unchanged). On failure returns nullopt and,
  /// if `status` is given, stores why.
  static std::optional<Table> load(const void *data, size_t size,
                                   lattice_load_status *status = nullptr) noexcept {
    lattice_table *t = nullptr;
    lattice_load_status s = lattice_table_load(data, size, &t); // before reading t
    return adopt(s, t, status);
  }
  /// Reads a regular file of at most `maxBytes` bytes, then validates it (the table owns the
  /// bytes).
  static std::optional<Table> loadFile(const char *path, lattice_load_status *status = nullptr,
                                       size_t maxBytes = LATTICE_DEFAULT_MAX_TABLE_BYTES) noexcept {
    lattice_table *t = nullptr;
    lattice_load_status s = lattice_table_load_file_max(path, maxBytes, &t);
    return adopt(s, t, status);
  }

  Table(Table &&other) noexcept : handle(other.handle) { other.handle = nullptr; }
  Table &operator=(Table &&other) noexcept {
    if (this != &other) {
      lattice_table_free(handle);
      handle = other.handle;
      other.handle = nullptr;
    }
    return *this;
  }
  Table(const Table &) = delete;
  Table &operator=(const Table &) = delete;
  ~Table() { lattice_table_free(handle); }

  const lattice_table *get() const noexcept { return handle; }

  uint32_t kindId(std::string_view name) const noexcept { return lookup(detail::kKinds, name); }
  uint32_t roleId(std::string_view name) const noexcept { return lookup(detail::kRoles, name); }
  uint32_t permissionId(std::string_view name) const noexcept {
    return lookup(detail::kPermissions, name);
  }
  uint32_t flagId(std::string_view name) const noexcept { return lookup(detail::kFlags, name); }

  uint32_t kindCount() const noexcept { return lattice_kind_count(handle); }
  uint32_t roleCount() const noexcept { return lattice_role_count(handle); }
  uint32_t permissionCount() const noexcept { return lattice_permission_count(handle); }
  uint32_t flagCount() const noexcept { return lattice_flag_count(handle); }
  /// Names by id; empty for an id out of range.
  std::string_view kindName(uint32_t id) const noexcept {
    return view(lattice_kind_name(handle, id));
  }
  std::string_view roleName(uint32_t id) const noexcept {
    return view(lattice_role_name(handle, id));
  }
  std::string_view permissionName(uint32_t id) const noexcept {
    return view(lattice_permission_name(handle, id));
  }
  std::string_view flagName(uint32_t id) const noexcept {
    return view(lattice_flag_name(handle, id));
  }
  std::string_view policyName() const noexcept { return view(lattice_policy_name(handle)); }

  Decision decide(const lattice_request &request) const noexcept {
    return Decision(lattice_decide(handle, &request));
  }
  Decision decide(uint32_t kind, const uint32_t *roles, size_t roleCount, uint32_t permission,
                  lattice_relation relation, uint64_t flags = 0) const noexcept {
    if (roleCount > UINT32_MAX) // cannot be expressed in a lattice_request: fail closed
      return Decision(lattice_decision{0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID});
    lattice_request r{kind, roles, uint32_t(roleCount), permission, uint32_t(relation), flags};
    return decide(r);
  }
  Decision decide(uint32_t kind, std::initializer_list<uint32_t> roles, uint32_t permission,
                  lattice_relation relation, uint64_t flags = 0) const noexcept {
    return decide(kind, roles.begin(), roles.size(), permission, relation, flags);
  }

  /// A principal with memberships at several nodes (docs/request-model.md).
  AccessDecision decideAccess(const lattice_access_request &request) const noexcept {
    return AccessDecision(lattice_decide_access(handle, &request));
  }

  bool canAssign(const uint32_t *roles, size_t roleCount, uint32_t target) const noexcept {
    return roleCount <= UINT32_MAX &&
           lattice_can_assign(handle, roles, uint32_t(roleCount), target) != 0;
  }
  bool canAssign(std::initializer_list<uint32_t> roles, uint32_t target) const noexcept {
    return canAssign(roles.begin(), roles.size(), target);
  }

private:
  explicit Table(lattice_table *t) noexcept : handle(t) {}
  static std::optional<Table> adopt(lattice_load_status s, lattice_table *t,
                                    lattice_load_status *status) noexcept {
    if (status)
      *status = s;
    if (s != LATTICE_LOAD_OK || !t)
      return std::nullopt;
    return Table(t);
  }
  uint32_t lookup(uint32_t category, std::string_view name) const noexcept {
    return detail::lookupName(handle, category, name.data(), name.size());
  }
  static std::string_view view(const char *s) noexcept { return s ? std::string_view(s) : ""; }

  lattice_table *handle = nullptr;
};

/// A principal validated and precomputed once (lattice_principal_new): decide() then costs the
/// relations to the target and a few bit tests, and equals Table::decideAccess for the same
/// principal and request. Immutable: const members are safe from any thread. It borrows the
/// table: destroy it before the table, and create principals again after loading a new table.
class Principal {
public:
  /// On failure returns nullopt and, if `status` is given, stores why.
  static std::optional<Principal> create(const Table &table, uint32_t kind, uint64_t flags,
                                         const lattice_membership *memberships, size_t count,
                                         lattice_principal_status *status = nullptr) noexcept {
    lattice_principal *p = nullptr;
    const lattice_principal_status s =
        count > UINT32_MAX
            ? LATTICE_PRINCIPAL_TOO_LARGE
            : lattice_principal_new(table.get(), kind, flags, memberships, uint32_t(count), &p);
    if (status)
      *status = s;
    if (s != LATTICE_PRINCIPAL_OK || !p)
      return std::nullopt;
    return Principal(p);
  }
  static std::optional<Principal> create(const Table &table, uint32_t kind, uint64_t flags,
                                         const std::vector<lattice_membership> &memberships,
                                         lattice_principal_status *status = nullptr) noexcept {
    return create(table, kind, flags, memberships.data(), memberships.size(), status);
  }

  Principal(Principal &&other) noexcept : handle(other.handle) { other.handle = nullptr; }
  Principal &operator=(Principal &&other) noexcept {
    if (this != &other) {
      lattice_principal_free(handle);
      handle = other.handle;
      other.handle = nullptr;
    }
    return *this;
  }
  Principal(const Principal &) = delete;
  Principal &operator=(const Principal &) = delete;
  ~Principal() { lattice_principal_free(handle); }

  const lattice_principal *get() const noexcept { return handle; }

  AccessDecision decide(uint32_t permission, const lattice_node_ref &target,
                        uint64_t facts = 0) const noexcept {
    return AccessDecision(lattice_decide_as(handle, permission, target, facts));
  }
  /// The target by its ancestor path. A path of depth 0 is no node (denied OTHER_TREE), not the
  /// label a zeroed lattice_node_ref would be.
  AccessDecision decide(uint32_t permission, const uint64_t *path, uint32_t depth) const noexcept {
    lattice_node_ref target{};
    target.path = {path, depth};
    if (depth == 0)
      target.label = {UINT64_MAX, 1, 0}; // last < pre: a label in no tree
    return decide(permission, target);
  }

private:
  explicit Principal(lattice_principal *p) noexcept : handle(p) {}
  lattice_principal *handle = nullptr;
};

inline lattice_relation relationOf(lattice_node_label principalNode,
                                   lattice_node_label ownerNode) noexcept {
  return lattice_relation_of(principalNode, ownerNode);
}

enum class LabelError {
  None,
  ParentOutOfRange, // a parent index < -1 or >= the number of nodes
  Cycle,            // a node reaches no root by following parents
  TooManyNodes,     // more nodes than 32-bit pre-order numbers can label
};

struct TreeLabels {
  std::vector<lattice_node_label> labels; // per node, in input order; empty on error
  LabelError error = LabelError::None;
  size_t node = 0; // on error: the bad node (for Cycle, a node on the cycle)
  bool ok() const noexcept { return error == LabelError::None; }
};

/// Labels a forest given by parent index per node (-1 for a root, nodes in any order). Roots get
/// tree ids 0, 1, ... in increasing node index; within a tree, pre-order numbers start at 0 and
/// children are visited in increasing node index; `last` is the largest pre number of the
/// subtree. Iterative: linear time, no recursion, any depth. Throws only std::bad_alloc.
/// Inline over lattice_label_tree, so the library itself needs nothing of the C++ runtime.
inline TreeLabels labelTree(const int64_t *parents, size_t count) {
  TreeLabels result;
  std::vector<lattice_node_label> labels(count);
  size_t bad = 0;
  switch (lattice_label_tree(parents, count, labels.data(), &bad)) {
  case LATTICE_LABEL_OK:
    result.labels = std::move(labels);
    return result;
  case LATTICE_LABEL_PARENT_OUT_OF_RANGE:
    result.error = LabelError::ParentOutOfRange;
    break;
  case LATTICE_LABEL_CYCLE:
    result.error = LabelError::Cycle;
    break;
  case LATTICE_LABEL_OUT_OF_MEMORY:
#if defined(__cpp_exceptions)
    throw std::bad_alloc(); // as the standard containers this function documents
#else
    std::abort(); // a host built without exceptions, as its containers would
#endif
  default:
    result.error = LabelError::TooManyNodes;
    break;
  }
  result.node = bad;
  return result;
}
inline TreeLabels labelTree(const std::vector<int64_t> &parents) {
  return labelTree(parents.data(), parents.size());
}

} // namespace lattice
