// analyzer.h - the static analyzer: read-only passes over the checked model that find
// conflicting, unreachable and redundant rules, dead permissions, privilege escalation,
// separation-of-duty violations and lifecycle problems. Every finding must be true: each
// carries the facts it claims (rules, roles, a witness request) so tests can verify it.
#pragma once

#include "analysis/request_space.h"
#include "diagnostics/diagnostic.h"
#include "sema/model.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::analysis {

/// One membership of a witness request: roles held at a node of kind `scope`, the relation of
/// the target node to that node, and that node's flags.
struct WitnessMembership {
  sema::ScopeKindId scope = 0;
  std::vector<sema::RoleId> roles;
  sema::Relation relation = sema::Relation::Same;
  sema::FlagMask nodeFlags = 0;
};

/// A concrete request within the request space (see request_space.h): a principal of `kind`
/// with its own flags and memberships at distinct nodes of one tree, asking for `permission` on
/// a target node of kind `target`.
struct Witness {
  sema::KindId kind = 0;
  sema::FlagMask principalFlags = 0;
  std::vector<WitnessMembership> memberships;
  sema::PermissionId permission = 0;
  sema::ScopeKindId target = 0;

  /// A request with one membership at `seat`, `flags` being the principal's and the node's.
  static Witness single(const RequestSpace &space, const Seat &seat,
                        std::vector<sema::RoleId> roles, sema::PermissionId permission,
                        sema::Relation relation, sema::FlagMask flags);
};

struct Finding {
  DiagKind kind = DiagKind::Conflict;
  SourceRange range;
  std::string message;
  std::vector<DiagNote> notes;
  std::string help;

  // The claim, in model terms (requests as docs/request-model.md defines them, within the
  // request space):
  // - Conflict (L1001) of a ceiling: rules = {policy-wide deny}; permission = a cell of the
  //   ceiling (in the note) the deny matches at a relation the ceiling reaches, for one of its
  //   user types, with flags under which the deny's condition and the `require`s hold.
  // - Conflict (L1001): rules = {allow, deny}; witness = a request both match: one membership
  //   holding the roles of both, or two memberships at distinct nodes, the deny's role at the
  //   first, the allow's at the second.
  // - UnreachableRule (L1101): rules = {the rule}; it decides no request.
  // - RedundantRule (L1201): rules = {the rule}; removing it together with every rule reported
  //   unreachable or redundant before it (in rule order) changes no decision.
  // - DeadPermission (L1301): permission.
  // - PrivilegeEscalation (L1401): roles = {assigner, assigned}; witness = a request that the
  //   assigned role alone (one membership) is allowed, for a permission that applies to a user
  //   type of the assigner and that no principal holding only the assigner (at any nodes) is
  //   ever allowed.
  // - CustomRoleEscalation (L1410): roles = {creator}; permission = a permission of the
  //   ceiling (at `range`, the creator's name in `created_by`) that applies to a user type of
  //   the creator, that no principal holding only the creator is ever allowed, and that a custom
  //   role of the ceiling is allowed in a request of the space (the relation and the flags in
  //   the message: no `require` or policy-wide deny stops it there).
  // - ExclusiveRolesForced (L1501): roles = {role, first exclusive role, second}.
  // - CustomRoleSpansExclusive (L1510): roles = {the two exclusive roles}; the ceiling (at
  //   `range`) holds a permission the first grants and the second does not, and one the second
  //   grants and the first does not, both for one of its user types.
  // - LockedRoleAssigned / DeprecatedRoleAssigned (L1601/L1602): roles = {assigner, assigned}.
  // - ImpossibleTestCase (L1701): a test case (at `range`) whose flags can never be set for its
  //   user type, or one of whose relation words names no relation that occurs for its user type
  //   and permissions: no request of the space is among those it checks (or that part of it).
  std::vector<uint32_t> rules;
  std::vector<sema::RoleId> roles;
  std::optional<sema::PermissionId> permission;
  std::optional<Witness> witness;
};

/// Runs every analysis. Findings are sorted by location, then code.
std::vector<Finding> analyze(const sema::Model &model);

/// Reports findings as diagnostics.
void report(const std::vector<Finding> &findings, DiagnosticEngine &diags);

} // namespace lattice::analysis
