// lattice_binding.hpp - what the bindings' C++ sides share, over the C API alone: tables (Java's
// JNI too), the runtime's numbers as words; for Python and Node also names resolved per table (an
// unknown name is an error, never an id), node paths of numbers or strings, principals.
#pragma once

#include "lattice/lattice.h"

#include <cstdint>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace lattice::binding {

/// The name categories of a table, as words for messages and error fields.
enum class Category { Kind, Role, Permission, Flag };

inline const char *categoryName(Category c) noexcept {
  switch (c) {
  case Category::Kind:
    return "kind";
  case Category::Role:
    return "role";
  case Category::Permission:
    return "permission";
  case Category::Flag:
    return "flag";
  }
  return "name";
}

/// A loaded table (and, when loaded from bytes, its copy of them). Not movable: principals and the
/// binding objects point to it.
class Table {
public:
  /// Reads and validates a table file; nullptr with `*status` on failure.
  static std::unique_ptr<Table> loadFile(const std::string &path, size_t maxBytes,
                                         lattice_load_status *status) {
    std::unique_ptr<Table> t(new Table());
    *status = lattice_table_load_file_max(path.c_str(), maxBytes, &t->handle);
    return *status == LATTICE_LOAD_OK && t->handle ? std::move(t) : nullptr;
  }
  /// Validates a copy of `size` bytes; nullptr with `*status` on failure.
  static std::unique_ptr<Table> fromBytes(const void *data, size_t size,
                                          lattice_load_status *status) {
    return fromBytes(std::string(static_cast<const char *>(data), size), status);
  }
  /// Validates `bytes`, which the table keeps; nullptr with `*status` on failure.
  static std::unique_ptr<Table> fromBytes(std::string bytes, lattice_load_status *status) {
    std::unique_ptr<Table> t(new Table());
    t->bytes = std::move(bytes);
    *status = lattice_table_load(t->bytes.data(), t->bytes.size(), &t->handle);
    return *status == LATTICE_LOAD_OK && t->handle ? std::move(t) : nullptr;
  }
  Table(const Table &) = delete;
  Table &operator=(const Table &) = delete;
  ~Table() { lattice_table_free(handle); }

  const lattice_table *get() const noexcept { return handle; }
  std::string_view policyName() const noexcept { return view(lattice_policy_name(handle)); }
  /// The vocabulary fingerprint: equal in two tables iff every name has the same id in both.
  uint64_t fingerprint() const noexcept { return lattice_table_fingerprint(handle); }
  /// What `lattice build --revision` recorded ("" when nothing was given).
  std::string_view revision() const noexcept { return view(lattice_table_revision(handle)); }

  uint32_t count(Category c) const noexcept {
    switch (c) {
    case Category::Kind:
      return lattice_kind_count(handle);
    case Category::Role:
      return lattice_role_count(handle);
    case Category::Permission:
      return lattice_permission_count(handle);
    case Category::Flag:
      return lattice_flag_count(handle);
    }
    return 0;
  }
  /// The name of an id; empty for an id out of range.
  std::string_view name(Category c, uint32_t id) const noexcept {
    switch (c) {
    case Category::Kind:
      return view(lattice_kind_name(handle, id));
    case Category::Role:
      return view(lattice_role_name(handle, id));
    case Category::Permission:
      return view(lattice_permission_name(handle, id));
    case Category::Flag:
      return view(lattice_flag_name(handle, id));
    }
    return {};
  }
  /// The id of a name; LATTICE_NO_ID if the table does not have it.
  uint32_t lookup(Category c, const std::string &name) const noexcept {
    if (name.find('\0') != std::string::npos) // the C API reads up to a NUL: no such name
      return LATTICE_NO_ID;
    switch (c) {
    case Category::Kind:
      return lattice_kind_id(handle, name.c_str());
    case Category::Role:
      return lattice_role_id(handle, name.c_str());
    case Category::Permission:
      return lattice_permission_id(handle, name.c_str());
    case Category::Flag:
      return lattice_flag_id(handle, name.c_str());
    }
    return LATTICE_NO_ID;
  }

private:
  Table() = default;
  static std::string_view view(const char *s) noexcept { return s ? s : ""; }

  lattice_table *handle = nullptr;
  std::string bytes;
};

/// The lattice_reason numbers as the words docs/runtime.md uses.
inline const char *reasonName(uint32_t reason) noexcept {
  static const char *const names[] = {"allowed",     "denied_by_rule",  "no_allow",
                                      "bad_request", "other_tree",      "role_not_for_kind",
                                      "exclusive",   "not_applicable",  "requirement",
                                      "no_table",    "denied_by_policy"};
  return reason < sizeof names / sizeof names[0] ? names[reason] : "unknown";
}

/// The lattice_load_status numbers as words (the message comes from the runtime).
inline const char *loadStatusName(uint32_t status) noexcept {
  static const char *const names[] = {"ok",           "io_error",    "too_small",
                                      "bad_magic",    "bad_version", "bad_size",
                                      "bad_checksum", "bad_layout",  "out_of_memory",
                                      "not_a_file",   "too_large",   "bad_fingerprint"};
  return status < sizeof names / sizeof names[0] ? names[status] : "unknown";
}

/// Relations in the words of the language (docs/language.md, "Relations").
inline const char *relationName(uint32_t relation) noexcept {
  static const char *const names[] = {"self", "descendants", "ancestors", "elsewhere", "none"};
  return relation < 5 ? names[relation] : "none";
}

/// A name the table does not have (or a flag that cannot be passed). Bindings turn it into their
/// language's error, carrying the category and the name.
class UnknownName : public std::runtime_error {
public:
  UnknownName(Category category, std::string name, std::string_view policy)
      : std::runtime_error("unknown " + std::string(categoryName(category)) + " `" +
                           printable(name) + "` in policy `" + std::string(policy) + "`"),
        category(category), name(std::move(name)) {}
  Category category;
  std::string name; // as given; the message shows control characters as \xNN

  static std::string printable(const std::string &text) {
    static const char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : text) {
      if (c < 0x20 || c == 0x7f) {
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
      } else {
        out += char(c);
      }
    }
    return out;
  }
};

/// A request the binding refuses before the runtime sees it (a bad path segment, a bad relation
/// word): the language's argument error.
class InvalidArgument : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

inline uint32_t resolve(const Table &table, Category category, const std::string &name) {
  uint32_t id = table.lookup(category, name);
  if (id == LATTICE_NO_ID)
    throw UnknownName(category, name, table.policyName());
  return id;
}

/// Where a flag is given: a principal's own flags (declared on user types), a membership's node
/// flags (declared on scope kinds), the request's facts (`resource.x`, `target.x`, `request.x`),
/// or any (decideAt: one node, one flag word).
enum class FlagSide { Principal, Node, Fact, Any };

/// The bit of a flag in a 64-bit flag word; a flag id beyond 63 cannot be passed at all, and a
/// flag of the other side is refused here, with the side it belongs to, rather than denied as a
/// bad request by the runtime.
inline uint64_t flagBit(const Table &table, const std::string &name,
                        FlagSide side = FlagSide::Any) {
  uint32_t id = resolve(table, Category::Flag, name);
  uint32_t actual = lattice_flag_side(table.get(), id);
  const bool fact = (actual & LATTICE_FLAG_FACTS) != 0;
  if (side != FlagSide::Any && side != FlagSide::Fact && fact)
    throw InvalidArgument("flag `" + name + "` is a fact: give it in the request's facts");
  if (side == FlagSide::Fact && !fact)
    throw InvalidArgument(
        "flag `" + name + "` is not a fact: give it in the " +
        (actual == LATTICE_FLAG_NODE ? "membership's node flags" : "principal's flags"));
  if (side == FlagSide::Principal && actual == LATTICE_FLAG_NODE)
    throw InvalidArgument("flag `" + name +
                          "` is a node flag (declared on scope kinds): give it in a "
                          "membership's node flags");
  if (side == FlagSide::Node && actual == LATTICE_FLAG_PRINCIPAL)
    throw InvalidArgument("flag `" + name +
                          "` is a principal flag (declared on user types): give it in the "
                          "principal's flags");
  if (id >= 64)
    throw InvalidArgument("flag `" + name + "` has id " + std::to_string(id) +
                          ", beyond the 64 flags a request carries");
  return uint64_t(1) << id;
}

/// The facts word of fact names (`resource.archived`, `target.business`, `request.mfa_used`);
/// a name that is not a fact is refused, naming where it belongs.
template <class Names> uint64_t factBits(const Table &table, const Names &names) {
  uint64_t facts = 0;
  for (const auto &name : names)
    facts |= flagBit(table, std::string(name), FlagSide::Fact);
  return facts;
}

/// Path segments: hosts name nodes by their own ids, numbers or strings. Numbers must be in
/// [0, 2^63) and pass through unchanged; strings are interned to ids from 2^63 up, so a string
/// never equals a number (the node "7" is not the node 7). Only equality of segments matters to
/// the relation of two paths, so per-principal interning is exact.
class PathInterner {
public:
  static constexpr uint64_t kFirstStringId = uint64_t(1) << 63;

  static uint64_t number(int64_t value) {
    if (value < 0)
      throw InvalidArgument("a node id must be a non-negative integer below 2^63, not " +
                            std::to_string(value));
    return uint64_t(value);
  }
  static uint64_t number(uint64_t value) {
    if (value >= kFirstStringId)
      throw InvalidArgument("a node id must be a non-negative integer below 2^63, not " +
                            std::to_string(value));
    return value;
  }
  /// Interns a string of a membership's node.
  uint64_t intern(std::string_view text) {
    auto [it, added] = ids.try_emplace(std::string(text), kFirstStringId + ids.size());
    return it->second;
  }
  /// A string of a target: its interned id, or one id no membership node uses (a target segment
  /// is only ever compared with membership segments).
  uint64_t lookup(std::string_view text) const {
    auto it = ids.find(std::string(text));
    return it == ids.end() ? kFirstStringId + ids.size() : it->second;
  }

private:
  std::unordered_map<std::string, uint64_t> ids;
};

// ---- Custom roles (docs/bindings.md, "Custom roles") ----------------------------------------
// A set of roles tenants compose at run time within the policy's ceilings (lattice_custom_roles).
// The bindings name each role by a name the host gives it, resolved per set like compiled role
// names per table, so a runtime id (LATTICE_CUSTOM_ROLE | i) never leaves a binding.

/// The lattice_custom_status numbers as words (the message comes from the runtime).
inline const char *customStatusName(uint32_t status) noexcept {
  static const char *const names[] = {
      "ok",        "bad_argument",  "unknown_ceiling", "unknown_permission",
      "bad_reach", "not_for_kinds", "outside_ceiling", "reach_beyond_ceiling",
      "too_many",  "out_of_memory"};
  return status < sizeof names / sizeof names[0] ? names[status] : "unknown";
}

/// Reach words: the four relations and their unions `subtree` and `tenant`.
inline uint32_t reachFromWord(std::string_view word) {
  static const struct {
    const char *word;
    uint32_t bits;
  } words[] = {{"self", LATTICE_REACH_SELF},           {"descendants", LATTICE_REACH_DESCENDANTS},
               {"ancestors", LATTICE_REACH_ANCESTORS}, {"elsewhere", LATTICE_REACH_ELSEWHERE},
               {"subtree", LATTICE_REACH_SUBTREE},     {"tenant", LATTICE_REACH_TENANT}};
  for (const auto &w : words)
    if (word == w.word)
      return w.bits;
  throw InvalidArgument("unknown reach `" + std::string(word) +
                        "`: expected self, descendants, ancestors, elsewhere, subtree or tenant");
}

/// The relation words of a reach, in relation order (`subtree` is {self, descendants}).
inline std::vector<const char *> reachWords(uint32_t reach) {
  std::vector<const char *> out;
  for (uint32_t r = 0; r < 4; ++r)
    if (reach & (1u << r))
      out.push_back(relationName(r));
  return out;
}

/// A custom role the runtime refused: its status (word and message) and, when one entry is at
/// fault, that permission as given. Nothing was added to the set.
class CustomRoleRefused : public std::runtime_error {
public:
  CustomRoleRefused(lattice_custom_status status, std::string role, std::string ceiling,
                    std::string permission)
      : std::runtime_error(message(status, role, ceiling, permission)), status(status),
        role(std::move(role)), ceiling(std::move(ceiling)), permission(std::move(permission)) {}
  lattice_custom_status status;
  std::string role, ceiling, permission; // permission: "" when no entry is at fault

  const char *statusWord() const noexcept { return customStatusName(status); }

private:
  static std::string message(lattice_custom_status status, const std::string &role,
                             const std::string &ceiling, const std::string &permission) {
    std::string out = "custom role `" + UnknownName::printable(role) + "` of ceiling `" +
                      UnknownName::printable(ceiling) + "` refused";
    if (!permission.empty())
      out += " at permission `" + UnknownName::printable(permission) + "`";
    return out + ": " + lattice_custom_status_message(status);
  }
};

/// A caller-owned set of custom roles built against one table, which the binding object owning
/// the set keeps alive. Roles are named by the host; a name is refused if the table has a
/// compiled role of that name or the set already has it, so a role name means one role.
class CustomRoles {
public:
  explicit CustomRoles(const Table &table)
      : table_(&table), set(lattice_custom_roles_new(table.get())) {
    if (!set)
      throw std::bad_alloc();
  }
  CustomRoles(const CustomRoles &) = delete;
  CustomRoles &operator=(const CustomRoles &) = delete;
  // Principal handles built with the set borrow it: the binding objects keep the set alive
  // while any of them lives, so this runs after their lattice_principal_free.
  ~CustomRoles() { lattice_custom_roles_free(set); }

  const Table &table() const noexcept { return *table_; }
  const lattice_custom_roles *get() const noexcept { return set; }
  uint32_t count() const noexcept { return uint32_t(roleNames.size()); }

  /// Builds role `name` of `ceiling` from (permission, reach bits) cells, all or nothing; the
  /// runtime id of the new role.
  uint32_t add(const std::string &name, const std::string &ceiling,
               const std::vector<std::pair<std::string, uint32_t>> &cells) {
    if (name.empty() || name.find('\0') != std::string::npos)
      throw InvalidArgument("a custom role needs a name without NUL characters");
    if (table_->lookup(Category::Role, name) != LATTICE_NO_ID)
      throw InvalidArgument("custom role `" + name + "`: the policy `" +
                            std::string(table_->policyName()) + "` has a role of that name");
    if (ids.count(name))
      throw InvalidArgument("custom role `" + name + "` is already in the set");
    if (ceiling.find('\0') != std::string::npos)
      throw CustomRoleRefused(LATTICE_CUSTOM_UNKNOWN_CEILING, name, ceiling, "");
    std::vector<const char *> permissions;
    std::vector<uint32_t> reaches;
    for (const auto &[permission, reach] : cells) {
      if (permission.find('\0') != std::string::npos) // read up to the NUL: no such permission
        throw CustomRoleRefused(LATTICE_CUSTOM_UNKNOWN_PERMISSION, name, ceiling, permission);
      permissions.push_back(permission.c_str());
      reaches.push_back(reach);
    }
    uint32_t role = LATTICE_NO_ID, bad = LATTICE_NO_ID;
    lattice_custom_status status =
        lattice_custom_role_add_names(set, ceiling.c_str(), permissions.data(), reaches.data(),
                                      uint32_t(cells.size()), &role, &bad);
    if (status == LATTICE_CUSTOM_OUT_OF_MEMORY)
      throw std::bad_alloc();
    if (status != LATTICE_CUSTOM_OK)
      throw CustomRoleRefused(status, name, ceiling,
                              bad < cells.size() ? cells[bad].first : std::string());
    roleNames.push_back(name);
    ids.emplace(name, role);
    return role;
  }

  /// The runtime id of a role of the set; LATTICE_NO_ID if it has none of that name.
  uint32_t lookup(const std::string &name) const noexcept {
    auto it = ids.find(name);
    return it == ids.end() ? LATTICE_NO_ID : it->second;
  }
  /// The name of a custom role id (with its LATTICE_CUSTOM_ROLE bit); empty if not of the set.
  std::string_view name(uint32_t role) const noexcept {
    if (!(role & LATTICE_CUSTOM_ROLE) || (role & ~LATTICE_CUSTOM_ROLE) >= roleNames.size())
      return {};
    return roleNames[role & ~LATTICE_CUSTOM_ROLE];
  }
  const std::vector<std::string> &names() const noexcept { return roleNames; }

  /// The id of a role of the set by name; UnknownName (category role) if it has none.
  uint32_t resolve(const std::string &name) const {
    uint32_t id = lookup(name);
    if (id == LATTICE_NO_ID)
      throw UnknownName(Category::Role, name, table_->policyName());
    return id;
  }
  /// The ceiling a role of the set was built in.
  std::string_view ceilingOf(const std::string &name) const {
    const char *c =
        lattice_ceiling_name(table_->get(), lattice_custom_role_ceiling(set, resolve(name)));
    return c ? c : "";
  }
  /// The reach (LATTICE_REACH_* bits) a role of the set holds a permission with; 0 if none.
  uint32_t reach(const std::string &name, const std::string &permission) const {
    return lattice_custom_role_reach(
        set, resolve(name), lattice::binding::resolve(*table_, Category::Permission, permission));
  }

private:
  const Table *table_;
  lattice_custom_roles *set;
  std::vector<std::string> roleNames; // by index in the set
  std::unordered_map<std::string, uint32_t> ids;
};

/// The names of a table's ceilings, in id order.
inline std::vector<std::string_view> ceilingNames(const Table &table) {
  std::vector<std::string_view> out(lattice_ceiling_count(table.get()));
  for (uint32_t i = 0; i < out.size(); ++i)
    out[i] = lattice_ceiling_name(table.get(), i);
  return out;
}

/// A ceiling's id by name; CustomRoleRefused(unknown_ceiling) when the table has none.
inline uint32_t resolveCeiling(const Table &table, const std::string &ceiling) {
  uint32_t id = ceiling.find('\0') == std::string::npos
                    ? lattice_ceiling_id(table.get(), ceiling.c_str())
                    : LATTICE_NO_ID;
  if (id == LATTICE_NO_ID)
    throw CustomRoleRefused(LATTICE_CUSTOM_UNKNOWN_CEILING, "", ceiling, "");
  return id;
}

/// The user types (kind names) whose principals may hold a ceiling's roles, in id order.
inline std::vector<std::string_view> ceilingKinds(const Table &table, const std::string &ceiling) {
  const uint64_t mask = lattice_ceiling_kinds(table.get(), resolveCeiling(table, ceiling));
  std::vector<std::string_view> out;
  for (uint32_t k = 0; k < 64 && k < table.count(Category::Kind); ++k)
    if (mask & (uint64_t(1) << k))
      out.push_back(table.name(Category::Kind, k));
  return out;
}

/// The reach a ceiling allows a permission with (LATTICE_REACH_* bits; 0: not in the ceiling).
inline uint32_t ceilingReach(const Table &table, const std::string &ceiling,
                             const std::string &permission) {
  return lattice_ceiling_reach(table.get(), resolveCeiling(table, ceiling),
                               resolve(table, Category::Permission, permission));
}

/// Whether a principal holding compiled `roles` may create (and give) roles of `ceiling`.
inline bool canCreate(const Table &table, const std::vector<uint32_t> &roles,
                      const std::string &ceiling) {
  return lattice_can_create(table.get(), roles.data(), uint32_t(roles.size()),
                            resolveCeiling(table, ceiling)) != 0;
}

/// The name of a deciding role: compiled from the table, custom from the set (may be null).
inline std::string_view roleName(const Table &table, const CustomRoles *custom, uint32_t role) {
  if (role & LATTICE_CUSTOM_ROLE)
    return custom ? custom->name(role) : std::string_view();
  return table.name(Category::Role, role);
}

/// The set a principal of `table` may use: null, or one built on this very table object (a set
/// of another table, even of the same policy, names other ceilings and roles: refused).
inline const CustomRoles *checkedCustomRoles(const Table &table, const CustomRoles *custom) {
  if (custom && &custom->table() != &table)
    throw InvalidArgument("custom roles built on another table (policy `" +
                          std::string(custom->table().policyName()) +
                          "`) cannot be used with this one: build them again on it");
  return custom;
}
// ---- end of custom roles ------------------------------------------------------------------

/// A principal resolved against one table: its ids and paths, in storage it owns. Built once,
/// decided many times; it keeps no pointer to the names it was built from. The binding object
/// that owns it also keeps its table alive, so its ids are only ever used with that table, and
/// its custom role set (if any) alive, which its handle borrows.
///
/// finish(Handle::Make) validates and precomputes it once in a runtime principal handle
/// (lattice_principal_new), which every request then uses (lattice_decide_as); a principal for
/// one request (finish(Handle::None)) is decided by lattice_decide_access without one.
class Principal {
public:
  enum class Handle { None, Make };

  explicit Principal(const Table &table, const CustomRoles *custom = nullptr)
      : table(&table), custom(checkedCustomRoles(table, custom)) {}
  Principal(const Principal &) = delete;
  Principal &operator=(const Principal &) = delete;
  // The handle borrows the table, which the owning binding object keeps alive; freeing it reads
  // nothing of the table, so a collector may free the two in either order.
  ~Principal() { lattice_principal_free(handle); }

  void setKind(const std::string &name) { kind = resolve(*table, Category::Kind, name); }
  void addFlag(const std::string &name) { flags |= flagBit(*table, name, FlagSide::Principal); }

  /// Starts a membership; the calls below fill in the last one started.
  void beginMembership() { parts.push_back(Part{pathIds.size(), 0, roleIds.size(), 0, 0}); }
  void addNodeNumber(int64_t id) { pushSegment(PathInterner::number(id)); }
  void addNodeNumber(uint64_t id) { pushSegment(PathInterner::number(id)); }
  void addNodeString(std::string_view id) { pushSegment(interner.intern(id)); }
  /// A compiled role of the table, else a custom role of the principal's set.
  void addRole(const std::string &name) {
    uint32_t id = table->lookup(Category::Role, name);
    roleIds.push_back(id != LATTICE_NO_ID || !custom ? resolve(*table, Category::Role, name)
                                                     : custom->resolve(name));
    ++last().roleCount;
  }
  void addNodeFlag(const std::string &name) {
    last().nodeFlags |= flagBit(*table, name, FlagSide::Node);
  }

  /// Fixes the memberships' pointers into the id storage and, with Handle::Make, builds the
  /// runtime's principal handle; call once after the last membership.
  void finish(Handle make) {
    memberships.clear();
    for (const Part &p : parts) {
      if (p.pathLength == 0)
        throw InvalidArgument("a membership needs a node: a path of at least one id");
      lattice_membership m{};
      m.node.path.ids = pathIds.data() + p.pathStart;
      m.node.path.depth = uint32_t(p.pathLength);
      m.roles = roleIds.data() + p.roleStart;
      m.role_count = uint32_t(p.roleCount);
      m.node_flags = p.nodeFlags;
      memberships.push_back(m);
    }
    if (make == Handle::None)
      return;
    lattice_principal_status status =
        lattice_principal_new_custom(table->get(), custom ? custom->get() : nullptr, kind, flags,
                                     memberships.data(), uint32_t(memberships.size()), &handle);
    if (status == LATTICE_PRINCIPAL_OUT_OF_MEMORY)
      throw std::bad_alloc();
    if (status != LATTICE_PRINCIPAL_OK || !handle)
      throw InvalidArgument(std::string("cannot build the principal: ") +
                            lattice_principal_status_message(status));
  }

  /// The runtime's handle (null unless built with Handle::Make): list filters read it.
  const lattice_principal *runtimeHandle() const { return handle; }

  /// A target path, built per request with this principal's interned strings.
  class Target {
  public:
    explicit Target(const Principal &principal) : principal(principal) {}
    void addNumber(int64_t id) { ids.push_back(PathInterner::number(id)); }
    void addNumber(uint64_t id) { ids.push_back(PathInterner::number(id)); }
    void addString(std::string_view id) { ids.push_back(principal.interner.lookup(id)); }
    lattice_node_ref ref() const {
      if (ids.empty())
        throw InvalidArgument("a target needs a node: a path of at least one id");
      lattice_node_ref r{};
      r.path.ids = ids.data();
      r.path.depth = uint32_t(ids.size());
      return r;
    }

  private:
    const Principal &principal;
    std::vector<uint64_t> ids;
  };

  /// The decision with the request's `facts` (a word of factBits).
  lattice_access_decision decide(uint32_t permission, const Target &target,
                                 uint64_t facts = 0) const {
    if (handle)
      return lattice_decide_as(handle, permission, target.ref(), facts);
    lattice_access_request r{};
    r.kind = kind;
    r.flags = flags;
    r.memberships = memberships.data();
    r.membership_count = uint32_t(memberships.size());
    r.permission = permission;
    r.target = target.ref();
    r.facts = facts;
    return lattice_decide_access_custom(table->get(), custom ? custom->get() : nullptr, &r);
  }
  lattice_access_decision decide(const std::string &permission, const Target &target,
                                 uint64_t facts = 0) const {
    return decide(resolve(*table, Category::Permission, permission), target, facts);
  }

  /// Every permission allowed on `target` with `facts`, as names in id (declaration) order:
  /// lattice_what_can_as through the handle, else lattice_what_can_custom (with the principal's
  /// custom roles, if any). Each is exactly what
  /// decide() allows. A principal allowed nothing (another tree, a failed `require`, a role not
  /// for its kind) gets none; a request the runtime refuses (which resolving the names already
  /// rules out) throws rather than answer.
  std::vector<std::string_view> whatCan(const Target &target, uint64_t facts = 0) const {
    const uint32_t count = lattice_permission_count(table->get());
    std::vector<uint64_t> words((size_t(count) + 63) / 64 + 1); // never empty (data() non-null)
    const uint32_t n = uint32_t(words.size());
    lattice_what_can_status status;
    if (handle) {
      status = lattice_what_can_as(handle, target.ref(), facts, words.data(), n);
    } else {
      lattice_access_request r{};
      r.kind = kind;
      r.flags = flags;
      r.memberships = memberships.data();
      r.membership_count = uint32_t(memberships.size());
      r.target = target.ref();
      r.facts = facts;
      status = lattice_what_can_custom(table->get(), custom ? custom->get() : nullptr, &r,
                                       words.data(), n);
    }
    if (status != LATTICE_WHAT_CAN_OK)
      throw InvalidArgument(std::string("what-can refused the request: ") +
                            lattice_what_can_status_message(status));
    std::vector<std::string_view> names;
    for (uint32_t p = 0; p < count; ++p)
      if ((words[p / 64] >> (p % 64)) & 1)
        names.push_back(table->name(Category::Permission, p));
    return names;
  }

private:
  struct Part {
    size_t pathStart, pathLength, roleStart, roleCount;
    uint64_t nodeFlags;
  };
  Part &last() {
    if (parts.empty())
      throw InvalidArgument("beginMembership was not called");
    return parts.back();
  }
  void pushSegment(uint64_t id) {
    pathIds.push_back(id);
    ++last().pathLength;
  }

  const Table *table;
  const CustomRoles *custom; // the set custom role names resolve in (kept alive), or null
  uint32_t kind = LATTICE_NO_ID;
  uint64_t flags = 0;
  std::vector<Part> parts;
  std::vector<uint64_t> pathIds;
  std::vector<uint32_t> roleIds;
  std::vector<lattice_membership> memberships;
  PathInterner interner;
  lattice_principal *handle = nullptr;
};

/// The relation of a target node to a node, both as paths of one interner's ids: a relation word
/// of docs/language.md, computed by the runtime (lattice_relation_of_paths).
inline const char *relationOfPaths(const std::vector<uint64_t> &node,
                                   const std::vector<uint64_t> &target) {
  if (node.empty() || target.empty())
    throw InvalidArgument("a node needs a path of at least one id");
  lattice_node_path a{node.data(), uint32_t(node.size())};
  lattice_node_path b{target.data(), uint32_t(target.size())};
  return relationName(lattice_relation_of_paths(a, b));
}

/// The single-node decision (lattice_decide) by names and a relation word.
inline lattice_relation relationFromName(std::string_view word) {
  for (uint32_t r = 0; r < 5; ++r)
    if (word == relationName(r))
      return lattice_relation(r);
  throw InvalidArgument("unknown relation `" + std::string(word) +
                        "`: expected self, descendants, ancestors, elsewhere or none");
}

/// Names of a category in id order (for listing a table's vocabulary).
inline std::vector<std::string_view> names(const Table &table, Category category) {
  std::vector<std::string_view> out(table.count(category));
  for (uint32_t i = 0; i < out.size(); ++i)
    out[i] = table.name(category, i);
  return out;
}

/// The single-node decision (lattice_decide) for roles held at one node; as an access decision
/// with no deciding membership.
inline lattice_access_decision decideAt(const Table &table, uint32_t kind,
                                        const std::vector<uint32_t> &roles, uint32_t permission,
                                        lattice_relation relation, uint64_t flags) {
  lattice_request r{};
  r.kind = kind;
  r.roles = roles.data();
  r.role_count = uint32_t(roles.size());
  r.permission = permission;
  r.relation = relation;
  r.flags = flags;
  lattice_decision d = lattice_decide(table.get(), &r);
  return lattice_access_decision{d.allowed, d.reason, d.deciding_role, LATTICE_NO_ID};
}

/// Delegation. Without the assigner's flags (its own and its node's) a conditional `assigns`
/// never counts (lattice_can_assign); with them it counts when they satisfy its condition
/// (lattice_can_assign_with).
inline bool canAssign(const Table &table, const std::vector<uint32_t> &roles, uint32_t target,
                      const uint64_t *flags = nullptr) {
  if (flags)
    return lattice_can_assign_with(table.get(), roles.data(), uint32_t(roles.size()), target,
                                   *flags) != 0;
  return lattice_can_assign(table.get(), roles.data(), uint32_t(roles.size()), target) != 0;
}

} // namespace lattice::binding
