// access_diff.h - the semantic difference between two checked policies, matched by name: the
// access some principal gains or loses, why (the gate's categories), and the other changes.
#pragma once

#include "sema/model.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace lattice::diff {

/// A condition over flag names in disjunctive normal form; no clauses means "always".
struct NamedClause {
  std::vector<std::string> required;
  std::vector<std::string> forbidden;
  friend bool operator==(const NamedClause &, const NamedClause &) = default;
};
std::string describeCondition(const std::vector<NamedClause> &clauses); // "" when always

enum class Change : uint8_t { Gained, Lost };

/// The name witnesses and positions give a membership that holds no role: policy-wide denies
/// apply through it (no role is named so; names are identifiers).
inline constexpr const char *kNoRoleName = "(no role)";

/// Why new access is new: what the old policy had that denied the request. The review gate
/// (`--fail-on`) selects by these; docs/ci.md defines each.
enum class Category : uint8_t {
  NewRole,            // the role did not exist
  NewHolder,          // the user type could not hold the role (or did not exist)
  NewPermission,      // the permission did not exist
  WidenedPermission,  // the permission did not apply to the user type (`for`)
  RemovedRequirement, // a `require` denied it
  RemovedDeny,        // a deny rule of a held role denied it
  NewAllow,           // no held role allowed it
  RemovedExclusive,   // the held roles were exclusive
  NewDelegation,      // the role could not be obtained through `assigns` (or a custom role
                      // created: a new `created_by`)
  WidenedCustomRole,  // a custom role ceiling holds a permission, relation or user type more
};
inline constexpr size_t kCategoryCount = 10;
const char *categoryName(Category category); // "new-role", ...
std::optional<Category> parseCategory(const std::string &name);

/// A request that shows a change: it decides differently before and after. Each role is held
/// through its own membership, at `relations[i]` from the target; one role is the single-node
/// request `relation`.
struct Witness {
  std::string kind;
  std::vector<std::string> roles;
  std::vector<sema::Relation> relations; // per role
  std::string permission;
  std::vector<std::string> flags; // the flags that hold (`f@role` for a node flag of a
                                  // role's membership); every other flag does not
  /// The relation when every membership has the same one (one node can hold them all).
  std::optional<sema::Relation> commonRelation() const;
};
/// The witness as a test case: `allow a as k with f: res.act on self`, or for memberships at
/// different nodes `allow a on self + b on descendants as k: res.act`.
std::string describeWitness(const Witness &witness, bool allowed);

/// Access gained or lost by one position (user type and held roles): the permissions of one
/// resource, at the listed relations, under the condition (exactly the flag assignments in
/// which the decision changed; empty when it changed under all of them).
struct AccessChange {
  std::vector<std::string> roles; // one role, or a combination whose deny no longer applies
  /// For a combination, per role, the relations of the target to that role's membership under
  /// which the gain occurs (the line's `relations` are then empty); empty for one role.
  std::vector<std::vector<sema::Relation>> memberRelations;
  std::string kind;
  std::string resource;
  Change change = Change::Gained;
  Category category = Category::NewAllow; // gained only
  std::vector<std::string> permissions;   // full names, "res.action"
  std::vector<sema::Relation> relations;
  std::vector<NamedClause> condition;
  bool conditionTooLarge = false; // the condition has too many clauses to print
  Witness witness;                // one request of the change
};

/// Roles that may now be held together (an `exclusive` set removed or shrunk) by a user type,
/// and one request the combination is now allowed.
struct CombinationChange {
  std::vector<std::string> roles;
  std::string kind;
  size_t allowedRequests = 0; // (permission, relation) cells the combination allows
  Witness witness;
};

/// A role that holders of `assigner` can now obtain for someone through `assigns` (directly or
/// through a chain), with one request it allows: under `condition`, the assigner's flags (its
/// own and its node's) for which it could not before (empty: whatever its flags), e.g. when a
/// conditional `assigns` was weakened.
struct DelegationChange {
  std::string assigner;
  std::vector<std::string> chain; // assigner, ..., assigned role
  bool unlocked = false;          // the assigned role was locked before
  std::vector<NamedClause> condition;
  bool conditionTooLarge = false;
  Witness witness;
};

/// A custom role ceiling that lets tenants' roles hold more (a new ceiling, a permission or a
/// relation more, a user type more) or that more roles may create: custom roles are built at run
/// time, so the ceiling, their worst case, is what is compared.
struct CustomRoleChange {
  std::string customRole;
  bool added = false; // the ceiling did not exist
  /// Permissions the ceiling's roles may now hold at relations they could not, with those
  /// relations.
  std::vector<std::pair<std::string, std::vector<sema::Relation>>> cells;
  std::vector<std::string> kinds;    // user types that may now hold its roles
  std::vector<std::string> creators; // roles that may now create them (`created_by`)
};

struct NameChanges {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && removed.empty(); }
};

/// Changes to a role present in both policies, other than its access.
struct RoleChange {
  std::string role;
  NameChanges kinds;   // `for`
  NameChanges assigns; // `assigns`
  /// Roles it assigns in both versions under another condition: (role, the new condition in
  /// the language's words, "always" for none).
  std::vector<std::pair<std::string, std::string>> assignConditions;
  std::optional<bool> locked;     // the new value, when it changed
  std::optional<bool> deprecated; // the new value, when it changed
};

struct PolicyDiff {
  std::vector<AccessChange> access; // by position (single roles first), then resource
  std::vector<CombinationChange> combinations;
  std::vector<DelegationChange> delegations;
  std::vector<CustomRoleChange> customRoles; // ceilings widened or with new creators
  /// Ceilings removed or narrowed (a loss: no gate category), by name.
  std::vector<std::string> customRolesNarrowed;
  /// Requests (position, user type, permission, relation) allowed under more (or fewer) flag
  /// assignments than before.
  size_t gainedRequests = 0;
  size_t lostRequests = 0;
  NameChanges roles, userTypes, permissions, flags;
  std::vector<RoleChange> roleChanges;
  /// Exclusive sets as sorted role names.
  std::vector<std::vector<std::string>> exclusivesAdded, exclusivesRemoved;

  bool hasAccessChanges() const { return !access.empty(); }
  bool hasOtherChanges() const;
  /// The categories of every gain, combination and delegation, in enum order.
  std::vector<Category> newAccessCategories() const;
};

/// The comparison needed more memory than its limit allows; no partial answer is given.
struct TooComplex : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Compares `before` and `after` (docs/ci.md, "What counts as new access"): every request of a
/// user type holding one role, two roles (through memberships at any relations) where a deny no
/// longer applies, and roles that may now be held together, decided on both models as exact
/// functions of the flags; and every role obtainable through `assigns` after that was not
/// before. Throws TooComplex past its limits.
PolicyDiff comparePolicies(const sema::Model &before, const sema::Model &after);

} // namespace lattice::diff
