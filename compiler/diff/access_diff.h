// access_diff.h - the semantic difference between two checked policies, matched by name:
// effective access gained or lost per role and user type, and changes to the vocabulary and roles.
#pragma once

#include "sema/model.h"

#include <optional>
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

/// Access gained or lost by one role held alone by one user type: the permissions of one
/// resource, at the listed relations, under the condition (which is exactly the set of flag
/// combinations in which the decision changed).
struct AccessChange {
  std::string role;
  std::string kind;
  std::string resource;
  Change change = Change::Gained;
  std::vector<std::string> permissions; // full names, "res.action"
  std::vector<sema::Relation> relations;
  std::vector<NamedClause> condition;
};

struct NameChanges {
  std::vector<std::string> added;
  std::vector<std::string> removed;
  bool empty() const { return added.empty() && removed.empty(); }
};

/// Changes to a role present in both policies, other than its access.
struct RoleChange {
  std::string role;
  NameChanges kinds;              // `for`
  NameChanges assigns;            // `assigns`
  std::optional<bool> locked;     // the new value, when it changed
  std::optional<bool> deprecated; // the new value, when it changed
};

struct PolicyDiff {
  std::vector<AccessChange> access; // grouped by role, then user type, then resource
  /// Requests (role, user type, permission, relation) that are allowed under more (or fewer)
  /// flag combinations than before.
  size_t gainedRequests = 0;
  size_t lostRequests = 0;
  NameChanges roles, userTypes, permissions, flags;
  std::vector<RoleChange> roleChanges;
  /// Exclusive sets as sorted role names.
  std::vector<std::vector<std::string>> exclusivesAdded, exclusivesRemoved;

  bool hasAccessChanges() const { return !access.empty(); }
  bool hasOtherChanges() const;
};

/// Compares `before` and `after`. Effective access is computed with the reference interpreter
/// for a request holding one role, for every user type of the role, every permission, every
/// relation and every combination of the flags that the rules concerned (and the requirements)
/// mention, so edits that change no decision report no change.
PolicyDiff comparePolicies(const sema::Model &before, const sema::Model &after);

} // namespace lattice::diff
