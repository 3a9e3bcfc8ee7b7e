// access_request.h - requests of principals with memberships, by name (docs/request-model.md):
// kind and principal flags, memberships (node path, roles, node flags), permission and target
// node; resolved against a loaded table for lattice_decide_access, and decisions in words that
// name the deciding membership. Shared by `query`, `explain`, `test`, and any server or LSP.
#pragma once

#include "query/node_path.h"
#include "query/request.h"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice::query {

/// Limits of one request, far above real principals (the runtime decides any count; these keep a
/// hostile request line from costing more than a real one).
inline constexpr size_t kMaxMemberships = 64;
inline constexpr size_t kMaxMembershipRoles = 64;
inline constexpr size_t kMaxFlagNames = 64; // per list: a table has at most 64 flags

struct NamedMembership {
  NodeName node;
  std::vector<std::string> roles;
  std::vector<std::string> flags; // the flags of that node
};

struct NamedAccessRequest {
  std::string kind;
  std::vector<std::string> flags; // the principal's own flags
  std::vector<NamedMembership> memberships;
  std::string permission;
  NodeName target; // the resource's own node when it is a scope, else its owner node
  /// The request's facts: `resource.x`, `target.x`, `request.x` (the `facts` word).
  std::vector<std::string> facts;
};

/// Parses the command line's spelling of a membership, `ROLE[,ROLE...]@PATH[+FLAG...]`
/// (`admin,billing@acme/eu+business`): the roles up to the first `@` (none: `@acme`), the node
/// path up to the first `+` after it, then the node's flags, each after a `+`. Role and flag
/// names are identifiers, so the first `@` is never part of one; a node name cannot contain `+`
/// here (a JSON request can say it). Fails with `error` set on a missing `@`, an empty role or
/// flag name, and a bad path.
bool parseMembershipSpec(std::string_view text, NamedMembership &out, std::string &error);

/// A request resolved to ids, owning everything the runtime's request points at.
class ResolvedAccessRequest {
public:
  ResolvedAccessRequest() = default;
  ResolvedAccessRequest(const ResolvedAccessRequest &) = delete;
  ResolvedAccessRequest &operator=(const ResolvedAccessRequest &) = delete;

  const lattice_access_request &request() const { return access; }
  const lattice_membership &membership(size_t index) const { return memberships[index]; }
  /// The custom roles its memberships hold (a custom role's ceiling named as a role stands for
  /// its widest custom role), or null: pass it to lattice_decide_access_custom.
  const lattice_custom_roles *customRoles() const { return custom.get(); }
  /// The decision, with its custom roles.
  lattice_access_decision decide(const lattice_table *table) const {
    return lattice_decide_access_custom(table, custom.get(), &access);
  }

private:
  friend bool resolveAccessRequest(const lattice_table *, const NamedAccessRequest &,
                                   ResolvedAccessRequest &, std::string &);
  std::vector<std::vector<uint32_t>> roles;
  std::vector<std::vector<uint64_t>> paths; // the memberships' nodes, then the target
  std::vector<lattice_membership> memberships;
  lattice_access_request access{};
  std::unique_ptr<lattice_custom_roles, void (*)(lattice_custom_roles *)> custom{
      nullptr, lattice_custom_roles_free};
};

/// Resolves names to ids and paths to interned ancestor paths (one interner for the request).
/// Principal flags go to the request's flags and a membership's flags to its node flags. On an
/// unknown name, a bad path or a request over the limits returns false with `error` set, naming
/// the membership ("membership 2: unknown role `viewr`; did you mean `viewer`?"); the request is
/// then to be answered "deny".
bool resolveAccessRequest(const lattice_table *table, const NamedAccessRequest &named,
                          ResolvedAccessRequest &out, std::string &error);

/// The deciding membership as 1-based number (as `query` and `explain` print it), if any.
std::optional<size_t> decidingMembership(const lattice_access_decision &decision,
                                         size_t membershipCount);

/// Words for a decision: describeDecision's, plus where the deciding role is held,
/// "granted by role `admin` held at `acme` (membership 1)"; `nodes` names each membership's node
/// (paths for `query`, node names for `test`). A custom role of `custom` is named by its ceiling,
/// "granted by custom role `key_role` (every permission of its ceiling) held at ...", or by
/// `customRoleText` when given ("custom role `viewer`", for `test`'s own custom roles).
std::string
describeAccessDecision(const lattice_table *table, const lattice_access_decision &decision,
                       const std::vector<std::string> &nodes,
                       const lattice_custom_roles *custom = nullptr,
                       const std::function<std::string(uint32_t role)> &customRoleText = {});
/// The same with the nodes of `named`.
std::string describeAccessDecision(const lattice_table *table, const NamedAccessRequest &named,
                                   const lattice_access_decision &decision,
                                   const lattice_custom_roles *custom = nullptr);

} // namespace lattice::query
