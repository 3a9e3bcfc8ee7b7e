// interpreter.h - the reference interpreter: decides a request directly on the semantic model,
// by the language's definition (docs/language.md, "What a decision means"). It shares no code
// with lowering, the table format or the runtime, so the two can be tested against each other.
#pragma once

#include "sema/model.h"

#include <optional>
#include <utility>
#include <variant>
#include <vector>

namespace lattice::reference {

/// A request of one principal at one node (docs/request-model.md): the same as a request with
/// one membership at that node, `flags` holding the principal's and the node's flags and the
/// facts (lattice_decide's one mask).
struct Request {
  sema::KindId kind = 0;
  std::vector<sema::RoleId> roles;
  sema::PermissionId permission = 0;
  sema::Relation relation = sema::Relation::Same;
  sema::FlagMask flags = 0;
};

/// A custom role built at run time within ceiling `ceiling` (Model::customRoles): the relations
/// at which it allows each of its permissions, sorted by permission.
struct CustomRole {
  uint32_t ceiling = 0;
  std::vector<std::pair<sema::PermissionId, sema::RelationMask>> cells;
};

/// Roles held at one node, and how the request's target node relates to that node (nullopt:
/// another tree).
struct Membership {
  std::vector<sema::RoleId> roles;
  std::optional<sema::Relation> relation;
  sema::FlagMask nodeFlags = 0; // the flags of the membership's node
};

/// Why a custom role is refused, by definition (docs/language.md, "Custom roles"); the runtime's
/// lattice_custom_status says the same in its own numbers.
enum class CustomRefusal {
  UnknownPermission,
  BadReach,    // no relation, or a bit beyond the four
  NotForKinds, // the permission's `for` excludes every user type of the ceiling
  OutsideCeiling,
  ReachBeyondCeiling,
};

/// Builds a custom role of `ceiling` from permissions with a reach each (bit r = relation r),
/// or says why not and which entry (the first offending one) is refused.
std::variant<CustomRole, std::pair<CustomRefusal, uint32_t>>
buildCustomRole(const sema::Model &model, uint32_t ceiling,
                const std::vector<std::pair<uint32_t, uint32_t>> &entries);

/// A request of a principal with memberships (docs/request-model.md, "The decision").
struct PrincipalRequest {
  sema::KindId kind = 0;
  sema::FlagMask flags = 0; // the principal's own flags
  std::vector<Membership> memberships;
  sema::PermissionId permission = 0;
  /// The facts of the resource, the target's node (`target.x`) and the request: they hold
  /// through every membership, as the principal's own flags do.
  sema::FlagMask facts = 0;
  /// Custom roles held beside each membership's roles: custom[m] at membership m (shorter than
  /// `memberships` when the last ones hold none).
  std::vector<std::vector<CustomRole>> custom = {};
};

enum class Outcome {
  Allowed,
  DeniedByRule,   // a rule of a held role denies (whether or not a policy-wide deny does too)
  DeniedByPolicy, // only policy-wide denies deny
  NoAllow,
  RoleNotForKind,
  Exclusive,
  NotApplicable,
  Requirement,
};

struct Decision {
  bool allowed = false;
  Outcome outcome = Outcome::NoAllow;
  /// Rules (indexes into Model::rules) that match the request, through any held role and the
  /// roles it extends, each once. Filled only when the request passed every gate before the
  /// rules.
  std::vector<uint32_t> matchingAllows;
  std::vector<uint32_t> matchingDenies;
  /// For each matching rule, the first membership (index) it matched through.
  std::vector<uint32_t> allowMemberships;
  std::vector<uint32_t> denyMemberships;
  /// Whether a custom role of a membership in the target's tree allows it (and the first such
  /// membership): custom roles have no denies, so they only ever add an allow.
  bool customAllows = false;
  uint32_t customMembership = 0;
};

/// Decides `request`. `excludedRule` (if not UINT32_MAX) is treated as absent: deciding with a
/// rule removed is how redundancy claims are checked.
Decision decide(const sema::Model &model, const Request &request,
                uint32_t excludedRule = UINT32_MAX);

/// Decides `request` with every rule r where `excluded[r]` is true treated as absent.
Decision decide(const sema::Model &model, const Request &request,
                const std::vector<bool> &excluded);

/// Decides a request with memberships; `excluded` as above (empty: no rule excluded).
Decision decide(const sema::Model &model, const PrincipalRequest &request,
                const std::vector<bool> &excluded = {});

/// Delegation by definition: a principal holding `roles`, with `flags` (its own and those of the
/// node where it assigns), may give `target` iff the target is not locked and one of the held
/// roles lists it in its own `assigns` with a condition the flags satisfy. Without flags
/// (lattice_can_assign), only unconditional `assigns` count: a condition is never taken to hold.
bool canAssign(const sema::Model &model, const std::vector<sema::RoleId> &roles,
               sema::RoleId target, std::optional<sema::FlagMask> flags);

} // namespace lattice::reference
