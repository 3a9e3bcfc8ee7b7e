// lattice.hpp - a thin C++17 wrapper over the C API: RAII tables and principals, typed ids tied
// to their table's vocabulary, decisions as structs, and labelTree for lattice_relation_of's
// labels.
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

/// An id resolved by name in one table, carrying that table's vocabulary fingerprint. Ids follow
/// declaration order, so the same number can mean another role in another table; a Table
/// refuses (BAD_REQUEST) an id resolved in a table of another vocabulary instead of reading it
/// as its own. Only a Table makes them; a default-constructed id is "no id" (as an unknown name).
template <class Tag> class Id {
public:
  constexpr Id() noexcept = default;
  /// The id's number in the table that resolved it (LATTICE_NO_ID for an unknown name); for the
  /// C API on that same table.
  constexpr uint32_t value() const noexcept { return value_; }
  /// The vocabulary fingerprint of the table that resolved it.
  constexpr uint64_t vocabulary() const noexcept { return vocabulary_; }
  constexpr bool known() const noexcept { return value_ != LATTICE_NO_ID; }
  friend constexpr bool operator==(Id a, Id b) noexcept {
    return a.value_ == b.value_ && a.vocabulary_ == b.vocabulary_;
  }
  friend constexpr bool operator!=(Id a, Id b) noexcept { return !(a == b); }

private:
  friend class Table;
  constexpr Id(uint32_t value, uint64_t vocabulary) noexcept
      : value_(value), vocabulary_(vocabulary) {}
  uint32_t value_ = LATTICE_NO_ID;
  uint64_t vocabulary_ = 0;
};
using KindId = Id<struct KindTag>;
using RoleId = Id<struct RoleTag>;
using PermissionId = Id<struct PermissionTag>;
using FlagId = Id<struct FlagTag>;

namespace detail {
/// The vocabulary a set of ids was resolved in: none yet (an empty set fits every table), one,
/// or several (ids of different tables mixed: fits no table).
class Vocabulary {
public:
  void join(uint64_t fingerprint) noexcept {
    if (state == kNone) {
      value = fingerprint;
      state = kOne;
    } else if (value != fingerprint) {
      state = kMixed;
    }
  }
  void poison() noexcept { state = kMixed; }
  bool fits(uint64_t fingerprint) const noexcept {
    return state == kNone || (state == kOne && value == fingerprint);
  }

private:
  enum : uint8_t { kNone, kOne, kMixed } state = kNone;
  uint64_t value = 0;
};

/// The 64-bit words of a bitset of `count` bits (what-can's and who-can's answers).
inline std::vector<uint64_t> bitsetWords(uint32_t count) {
  return std::vector<uint64_t>((size_t(count) + 63) / 64, 0);
}
/// Whether bit `id` is set in `words` (false beyond their end).
inline bool bitsetHas(const std::vector<uint64_t> &words, uint32_t id) noexcept {
  return id / 64 < words.size() && ((words[id / 64] >> (id % 64)) & 1);
}
/// The ids set in `words`, ascending.
inline std::vector<uint32_t> bitsetIds(const std::vector<uint64_t> &words) {
  std::vector<uint32_t> out;
  for (size_t w = 0; w < words.size(); ++w)
    for (uint64_t bits = words[w]; bits != 0; bits &= bits - 1)
      out.push_back(uint32_t(w * 64 + size_t(__builtin_ctzll(bits))));
  return out;
}
} // namespace detail

/// Roles held together (by a principal at one node, or by one membership), resolved in one
/// table. Built from RoleIds or by Table::roles; allocates like any std::vector.
class RoleSet {
public:
  RoleSet() = default; // no roles
  RoleSet(std::initializer_list<RoleId> roles) {
    for (RoleId role : roles)
      add(role);
  }
  void add(RoleId role) {
    ids.push_back(role.value());
    vocabulary.join(role.vocabulary());
  }
  const uint32_t *data() const noexcept { return ids.data(); }
  size_t size() const noexcept { return ids.size(); }
  bool empty() const noexcept { return ids.empty(); }
  /// Whether every role was resolved in a table of this vocabulary (an empty set fits all).
  bool fits(uint64_t fingerprint) const noexcept { return vocabulary.fits(fingerprint); }

private:
  std::vector<uint32_t> ids;
  detail::Vocabulary vocabulary;
};

/// Flags that are set, resolved in one table: a mask plus the vocabulary it was built in. An
/// unknown flag makes the set fit no table (a request with it is BAD_REQUEST).
class FlagSet {
public:
  FlagSet() = default; // no flags
  FlagSet(std::initializer_list<FlagId> flags) noexcept {
    for (FlagId flag : flags)
      add(flag);
  }
  void add(FlagId flag) noexcept {
    if (!flag.known() || flag.value() >= 64)
      vocabulary.poison();
    else
      bits |= uint64_t(1) << flag.value();
    vocabulary.join(flag.vocabulary());
  }
  uint64_t mask() const noexcept { return bits; }
  bool fits(uint64_t fingerprint) const noexcept { return vocabulary.fits(fingerprint); }

private:
  uint64_t bits = 0;
  detail::Vocabulary vocabulary;
};

/// What a principal may do on one target (lattice_what_can*): bit p of `words` is set iff
/// permission p is allowed. On bad input every word is 0 and `status` says why.
struct PermissionBits {
  lattice_what_can_status status = LATTICE_WHAT_CAN_NO_TABLE;
  std::vector<uint64_t> words;

  bool ok() const noexcept { return status == LATTICE_WHAT_CAN_OK; }
  bool allows(uint32_t permission) const noexcept { return detail::bitsetHas(words, permission); }
  /// The allowed permission ids, ascending.
  std::vector<uint32_t> ids() const { return detail::bitsetIds(words); }
};

/// Who can be allowed a permission at a relation with given flags (lattice_who_can): bitsets of
/// roles, custom-role ceilings and user types (kinds). On bad input all are 0 and `status` says
/// why.
struct WhoCanBits {
  lattice_who_can_status status = LATTICE_WHO_CAN_NO_TABLE;
  std::vector<uint64_t> roleWords, ceilingWords, kindWords;

  bool ok() const noexcept { return status == LATTICE_WHO_CAN_OK; }
  static bool has(const std::vector<uint64_t> &words, uint32_t id) noexcept {
    return detail::bitsetHas(words, id);
  }
  /// The ids set in `words`, ascending.
  static std::vector<uint32_t> ids(const std::vector<uint64_t> &words) {
    return detail::bitsetIds(words);
  }
  bool role(uint32_t id) const noexcept { return has(roleWords, id); }
  bool ceiling(uint32_t id) const noexcept { return has(ceilingWords, id); }
  bool kind(uint32_t id) const noexcept { return has(kindWords, id); }
};

/// The names of a who-can answer, each list in id order.
struct WhoCanNames {
  lattice_who_can_status status = LATTICE_WHO_CAN_NO_TABLE;
  std::vector<std::string_view> roles, ceilings, userTypes;
};

/// One membership of a principal (docs/request-model.md): roles held at a node, with that
/// node's flags (flags of nodes: declared on scope kinds).
struct Membership {
  lattice_node_ref node{};
  RoleSet roles;
  FlagSet nodeFlags;
};

/// An owned, immutable, loaded table. Const member functions are safe to call from any thread.
///
/// Ids are typed and tagged with the table's vocabulary (Id above): deciding with ids another
/// table resolved denies with BAD_REQUEST unless that table has the same vocabulary
/// (lattice_table_fingerprint), so swapping in a new table can never reinterpret a cached id.
/// The name-based calls resolve in this table on every call. Raw ids are for the C API, on
/// get(), and are the host's to keep apart (docs/runtime.md, "Reloading").
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

  Table(Table &&other) noexcept : handle(other.handle), vocabulary(other.vocabulary) {
    other.handle = nullptr;
    other.vocabulary = 0;
  }
  Table &operator=(Table &&other) noexcept {
    if (this != &other) {
      lattice_table_free(handle);
      handle = other.handle;
      vocabulary = other.vocabulary;
      other.handle = nullptr;
      other.vocabulary = 0;
    }
    return *this;
  }
  Table(const Table &) = delete;
  Table &operator=(const Table &) = delete;
  ~Table() { lattice_table_free(handle); }

  /// The C handle, for the C API (raw ids: the caller keeps them with their table).
  const lattice_table *get() const noexcept { return handle; }

  /// The vocabulary fingerprint: equal in two tables iff ids mean the same in both.
  uint64_t fingerprint() const noexcept { return vocabulary; }
  /// What `lattice build --revision` recorded ("" when nothing was given).
  std::string_view revision() const noexcept { return view(lattice_table_revision(handle)); }
  /// Whether `id` was resolved in a table of this vocabulary (so it means the same here).
  template <class Tag> bool resolves(Id<Tag> id) const noexcept {
    return handle && id.vocabulary() == vocabulary;
  }

  /// Names to ids, in this table; an unknown name gives an id that is not known().
  KindId kindId(std::string_view name) const noexcept {
    return KindId(lookup(detail::kKinds, name), vocabulary);
  }
  RoleId roleId(std::string_view name) const noexcept {
    return RoleId(lookup(detail::kRoles, name), vocabulary);
  }
  PermissionId permissionId(std::string_view name) const noexcept {
    return PermissionId(lookup(detail::kPermissions, name), vocabulary);
  }
  FlagId flagId(std::string_view name) const noexcept {
    return FlagId(lookup(detail::kFlags, name), vocabulary);
  }
  /// Several names at once (an unknown one makes the set decide BAD_REQUEST).
  RoleSet roles(std::initializer_list<std::string_view> names) const {
    RoleSet set;
    for (std::string_view name : names)
      set.add(roleId(name));
    return set;
  }
  FlagSet flags(std::initializer_list<std::string_view> names) const noexcept {
    FlagSet set;
    for (std::string_view name : names)
      set.add(flagId(name));
    return set;
  }
  /// LATTICE_FLAG_PRINCIPAL or LATTICE_FLAG_NODE; 0 for a flag not of this vocabulary.
  uint32_t flagSide(FlagId flag) const noexcept {
    return resolves(flag) ? lattice_flag_side(handle, flag.value()) : 0;
  }

  uint32_t kindCount() const noexcept { return lattice_kind_count(handle); }
  uint32_t roleCount() const noexcept { return lattice_role_count(handle); }
  uint32_t permissionCount() const noexcept { return lattice_permission_count(handle); }
  uint32_t flagCount() const noexcept { return lattice_flag_count(handle); }
  /// Names by index in this table, to enumerate 0 .. count - 1; empty for an index out of range.
  std::string_view kindName(uint32_t index) const noexcept {
    return view(lattice_kind_name(handle, index));
  }
  std::string_view roleName(uint32_t index) const noexcept {
    return view(lattice_role_name(handle, index));
  }
  std::string_view permissionName(uint32_t index) const noexcept {
    return view(lattice_permission_name(handle, index));
  }
  std::string_view flagName(uint32_t index) const noexcept {
    return view(lattice_flag_name(handle, index));
  }
  /// Names of typed ids; empty for an id of another vocabulary.
  std::string_view kindName(KindId id) const noexcept {
    return resolves(id) ? kindName(id.value()) : std::string_view();
  }
  std::string_view roleName(RoleId id) const noexcept {
    return resolves(id) ? roleName(id.value()) : std::string_view();
  }
  std::string_view permissionName(PermissionId id) const noexcept {
    return resolves(id) ? permissionName(id.value()) : std::string_view();
  }
  std::string_view flagName(FlagId id) const noexcept {
    return resolves(id) ? flagName(id.value()) : std::string_view();
  }
  std::string_view policyName() const noexcept { return view(lattice_policy_name(handle)); }

  /// The decision for a principal at one node (lattice_decide): `flags` are the principal's and
  /// its node's together. Ids of another vocabulary: BAD_REQUEST.
  Decision decide(KindId kind, const RoleSet &roles, PermissionId permission,
                  lattice_relation relation, const FlagSet &flags = {}) const noexcept {
    if (!handle)
      return refuse(LATTICE_REASON_NO_TABLE);
    if (!resolves(kind) || !resolves(permission) || !roles.fits(vocabulary) ||
        !flags.fits(vocabulary) || roles.size() > UINT32_MAX)
      return refuse(LATTICE_REASON_BAD_REQUEST);
    const lattice_request r{kind.value(),       roles.data(),       uint32_t(roles.size()),
                            permission.value(), uint32_t(relation), flags.mask()};
    return Decision(lattice_decide(handle, &r));
  }
  /// The same by names, resolved in this table on every call.
  Decision decide(std::string_view kind, std::initializer_list<std::string_view> roleNames,
                  std::string_view permission, lattice_relation relation,
                  std::initializer_list<std::string_view> flagNames = {}) const {
    return decide(kindId(kind), roles(roleNames), permissionId(permission), relation,
                  flags(flagNames));
  }

  /// A principal with memberships at several nodes (docs/request-model.md): `principalFlags`
  /// are flags of principals, each membership's nodeFlags flags of nodes (the other side is
  /// BAD_REQUEST). Ids of another vocabulary: BAD_REQUEST.
  AccessDecision decideAccess(KindId kind, const FlagSet &principalFlags,
                              const Membership *memberships, size_t count, PermissionId permission,
                              lattice_node_ref target) const {
    if (!handle)
      return AccessDecision(accessRefusal(LATTICE_REASON_NO_TABLE));
    bool fits = resolves(kind) && resolves(permission) && principalFlags.fits(vocabulary) &&
                (memberships || count == 0) && count <= UINT32_MAX;
    for (size_t m = 0; fits && m < count; ++m)
      fits = memberships[m].roles.fits(vocabulary) && memberships[m].nodeFlags.fits(vocabulary) &&
             memberships[m].roles.size() <= UINT32_MAX;
    if (!fits)
      return AccessDecision(accessRefusal(LATTICE_REASON_BAD_REQUEST));
    constexpr size_t kOnStack = 16; // more memberships than this take one allocation
    lattice_membership stack[kOnStack];
    std::vector<lattice_membership> heap(count > kOnStack ? count : 0);
    lattice_membership *ms = count > kOnStack ? heap.data() : stack;
    for (size_t m = 0; m < count; ++m)
      ms[m] = lattice_membership{memberships[m].node, memberships[m].roles.data(),
                                 uint32_t(memberships[m].roles.size()),
                                 memberships[m].nodeFlags.mask()};
    lattice_access_request request{};
    request.kind = kind.value();
    request.flags = principalFlags.mask();
    request.memberships = ms;
    request.membership_count = uint32_t(count);
    request.permission = permission.value();
    request.target = target;
    return AccessDecision(lattice_decide_access(handle, &request));
  }
  AccessDecision decideAccess(KindId kind, const FlagSet &principalFlags,
                              const std::vector<Membership> &memberships, PermissionId permission,
                              lattice_node_ref target) const {
    return decideAccess(kind, principalFlags, memberships.data(), memberships.size(), permission,
                        target);
  }

  /// Every permission the principal (as for decideAccess) is allowed on `target` with `facts`
  /// (lattice_what_can): one decision per permission; a Principal answers in one pass.
  PermissionBits whatCan(KindId kind, const FlagSet &principalFlags,
                         const std::vector<Membership> &memberships, lattice_node_ref target,
                         uint64_t facts = 0) const {
    PermissionBits out;
    out.words = detail::bitsetWords(permissionCount());
    if (!handle)
      return out;
    bool fits =
        resolves(kind) && principalFlags.fits(vocabulary) && memberships.size() <= UINT32_MAX;
    std::vector<lattice_membership> ms;
    for (const Membership &m : memberships) {
      fits = fits && m.roles.fits(vocabulary) && m.nodeFlags.fits(vocabulary) &&
             m.roles.size() <= UINT32_MAX;
      ms.push_back(
          lattice_membership{m.node, m.roles.data(), uint32_t(m.roles.size()), m.nodeFlags.mask()});
    }
    if (!fits) {
      out.status = LATTICE_WHAT_CAN_BAD_REQUEST;
      return out;
    }
    lattice_access_request request{};
    request.kind = kind.value();
    request.flags = principalFlags.mask();
    request.memberships = ms.data();
    request.membership_count = uint32_t(ms.size());
    request.target = target;
    request.facts = facts;
    out.status = lattice_what_can(handle, &request, out.words.data(), uint32_t(out.words.size()));
    return out;
  }
  /// The names of the permissions set in `bits`, in id order (names of this table: give it bits
  /// this table or a Principal of it computed).
  std::vector<std::string_view> permissionNames(const PermissionBits &bits) const {
    std::vector<std::string_view> names;
    for (uint32_t id : bits.ids())
      if (id < permissionCount())
        names.push_back(permissionName(id));
    return names;
  }
  /// The permission ids of a resource type, [first, first + count) (lattice_resource_permissions);
  /// nullopt for an unknown resource.
  std::optional<std::pair<uint32_t, uint32_t>>
  resourcePermissions(const char *resource) const noexcept {
    uint32_t first = 0, count = 0;
    if (!lattice_resource_permissions(handle, resource, &first, &count))
      return std::nullopt;
    return std::make_pair(first, count);
  }

  /// Who can be allowed `permission` at `relation` with exactly `flags` set (every side in one
  /// set, as for decide): the roles a principal holding one of them alone is allowed it through,
  /// the custom-role ceilings whose widest role is, their user types (lattice_who_can). Ids of
  /// another vocabulary: BAD_REQUEST, all bits 0.
  WhoCanBits whoCan(PermissionId permission, lattice_relation relation,
                    const FlagSet &flags = {}) const {
    WhoCanBits out;
    out.roleWords = detail::bitsetWords(roleCount());
    out.ceilingWords = detail::bitsetWords(lattice_ceiling_count(handle));
    out.kindWords = detail::bitsetWords(kindCount());
    if (!handle)
      return out;
    if (!resolves(permission) || !flags.fits(vocabulary)) {
      out.status = LATTICE_WHO_CAN_BAD_REQUEST;
      return out;
    }
    out.status = lattice_who_can(handle, permission.value(), uint32_t(relation), flags.mask(),
                                 out.roleWords.data(), uint32_t(out.roleWords.size()),
                                 out.ceilingWords.data(), uint32_t(out.ceilingWords.size()),
                                 out.kindWords.data(), uint32_t(out.kindWords.size()));
    return out;
  }
  /// The same by names, resolved in this table; the answer as names (an unknown name:
  /// BAD_REQUEST and no names).
  WhoCanNames whoCan(std::string_view permission, lattice_relation relation,
                     std::initializer_list<std::string_view> flagNames = {}) const {
    return whoCanNames(whoCan(permissionId(permission), relation, flags(flagNames)));
  }
  /// The names of the roles, ceilings and user types set in `bits` (bits this table computed).
  WhoCanNames whoCanNames(const WhoCanBits &bits) const {
    WhoCanNames names;
    names.status = bits.status;
    for (uint32_t id : WhoCanBits::ids(bits.roleWords))
      names.roles.push_back(roleName(id));
    for (uint32_t id : WhoCanBits::ids(bits.ceilingWords))
      names.ceilings.push_back(view(lattice_ceiling_name(handle, id)));
    for (uint32_t id : WhoCanBits::ids(bits.kindWords))
      names.userTypes.push_back(kindName(id));
    return names;
  }

  /// Delegation: whether a principal holding `roles` may assign `target`. False for ids of
  /// another vocabulary. Without the assigner's flags a conditional `assigns` never counts.
  bool canAssign(const RoleSet &roles, RoleId target) const noexcept {
    return roles.fits(vocabulary) && resolves(target) && roles.size() <= UINT32_MAX &&
           lattice_can_assign(handle, roles.data(), uint32_t(roles.size()), target.value()) != 0;
  }
  /// Delegation with the assigner's flags (its own and its node's), which the condition of a
  /// conditional `assigns` reads (lattice_can_assign_with).
  bool canAssign(const RoleSet &roles, RoleId target, const FlagSet &flags) const noexcept {
    return roles.fits(vocabulary) && resolves(target) && flags.fits(vocabulary) &&
           roles.size() <= UINT32_MAX &&
           lattice_can_assign_with(handle, roles.data(), uint32_t(roles.size()), target.value(),
                                   flags.mask()) != 0;
  }

private:
  explicit Table(lattice_table *t) noexcept : handle(t), vocabulary(lattice_table_fingerprint(t)) {}
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
  static Decision refuse(lattice_reason reason) noexcept {
    return Decision(lattice_decision{0, uint32_t(reason), LATTICE_NO_ID});
  }
  static lattice_access_decision accessRefusal(lattice_reason reason) noexcept {
    return lattice_access_decision{0, uint32_t(reason), LATTICE_NO_ID, LATTICE_NO_ID};
  }

  lattice_table *handle = nullptr;
  uint64_t vocabulary = 0; // lattice_table_fingerprint(handle), cached
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

  /// Every permission allowed on `target` with `facts` (lattice_what_can_as), in one pass over
  /// the precomputed bytes; `permissionCount` is the table's (Table::permissionCount).
  PermissionBits whatCan(uint32_t permissionCount, const lattice_node_ref &target,
                         uint64_t facts = 0) const {
    PermissionBits out;
    out.words = detail::bitsetWords(permissionCount);
    out.status =
        lattice_what_can_as(handle, target, facts, out.words.data(), uint32_t(out.words.size()));
    return out;
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
