// symbolic_policy.h - one policy's decision as an exact function of the flags: for a user type
// with memberships (roles at a node, and the relation of the target to it), a permission, the
// diagram of the flag assignments that allow it.
#pragma once

#include "logic/bdd.h"
#include "sema/model.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lattice::diff {

/// How many memberships' node flags a position can read at once: positions of up to three
/// memberships are all the gate needs (docs/ci.md).
inline constexpr uint32_t kNodeCopies = 3;

/// The flags of two policies numbered as one set of diagram variables, matched by name: the
/// newer policy's flags in declaration order, then those only the older one declares. A flag of
/// the principal is one variable; a flag of a node (declared on scope kinds in either version)
/// has one variable per membership of a position (`kNodeCopies`), since memberships at different
/// nodes read different values of it.
class FlagSpace {
public:
  FlagSpace(const sema::Model &before, const sema::Model &after);
  uint32_t size() const { return static_cast<uint32_t>(variables.size()); }
  /// The flag's name, and which membership's node it belongs to (0 for a principal flag too).
  const std::string &name(uint32_t variable) const { return variables[variable].name; }
  uint32_t copy(uint32_t variable) const { return variables[variable].copy; }
  bool onNode(uint32_t variable) const { return variables[variable].onNode; }
  /// The variable of flag id `flag` of the older (newer) policy for membership `copy`.
  uint32_t beforeVariable(sema::FlagId flag, uint32_t copy) const;
  uint32_t afterVariable(sema::FlagId flag, uint32_t copy) const;

private:
  struct Variable {
    std::string name;
    uint32_t copy = 0;
    bool onNode = false;
  };
  std::vector<Variable> variables;
  std::vector<uint32_t> before, after;         // per flag id: its first variable
  std::vector<bool> beforeOnNode, afterOnNode; // per flag id: declared on scope kinds
};

/// The parts of one decision, each a function of the flags. A closed gate denies whatever the
/// flags are; otherwise the request is allowed where requirement and allow hold and deny does not.
struct Verdict {
  enum class Gate : uint8_t { Open, UnknownKind, UnknownPermission, Exclusive, NotApplicable };
  Gate gate = Gate::Open;
  logic::Bdd requirement = logic::kTrue;
  logic::Bdd deny = logic::kFalse;
  logic::Bdd allow = logic::kFalse;
};

/// Roles held at one node: the relation of the request's target to that node, and which copy of
/// the node flags (below kNodeCopies) that node's flags are.
struct HeldAt {
  std::vector<std::string> roles;
  sema::Relation relation = sema::Relation::Same;
  uint32_t node = 0;
};

/// Decides requests by name on one model, by the definition of docs/request-model.md, with the
/// flags left symbolic. Shares the manager with the other policy's SymbolicPolicy so that their
/// diagrams can be combined.
class SymbolicPolicy {
public:
  enum class Side : uint8_t { Before, After };
  SymbolicPolicy(const sema::Model &model, logic::BddManager &bdds, const FlagSpace &flags,
                 Side side);

  const sema::Model &model() const { return policy; }
  std::optional<sema::RoleId> role(const std::string &name) const { return find(roles, name); }
  std::optional<sema::KindId> kind(const std::string &name) const { return find(kinds, name); }
  std::optional<sema::PermissionId> permission(const std::string &name) const {
    return find(permissions, name);
  }
  /// Whether `roleName` exists and a principal of `kindName` may hold it.
  bool holdable(const std::string &roleName, const std::string &kindName) const;
  /// Whether some `exclusive` set holds both roles.
  bool exclusive(const std::string &x, const std::string &y) const;
  /// Rule indexes of a role and of every role it extends.
  const std::vector<uint32_t> &rulesOf(sema::RoleId role) const { return roleRules[role]; }
  /// The user type names of a role, in declaration order.
  std::vector<std::string> kindsOf(sema::RoleId role) const;

  /// The verdict for a principal of `kindName` with `memberships` (all in the target's tree).
  /// Role names this policy does not know, or that the kind may not hold here, are left out:
  /// they gave nothing here, so the principal is compared with what its other roles gave.
  Verdict decide(const std::string &kindName, const std::vector<HeldAt> &memberships,
                 const std::string &permissionName);
  /// One membership at node copy 0: a principal at one node holding `roleNames`.
  Verdict decide(const std::string &kindName, const std::vector<std::string> &roleNames,
                 const std::string &permissionName, sema::Relation relation) {
    return decide(kindName, {HeldAt{roleNames, relation, 0}}, permissionName);
  }
  /// The requirements of user type `kindName` read with the principal's flags and node copy
  /// `node`'s (true for a kind this policy does not know: nothing of it is required here).
  logic::Bdd requirementAt(const std::string &kindName, uint32_t node) {
    std::optional<sema::KindId> k = kind(kindName);
    return k ? requirement(*k, node) : logic::kTrue;
  }
  /// The flag assignments (the assigner's own and its node's, node copy 0) under which a holder
  /// of `assigner` may give `target` by its `assigns`; false when it does not assign it.
  logic::Bdd assignCondition(sema::RoleId assigner, sema::RoleId target) {
    const sema::Guard *condition = policy.roles[assigner].assignGuard(target);
    return condition ? guard(*condition, 0) : logic::kFalse;
  }
  /// Verdict's result: the flag assignments under which the request is allowed.
  logic::Bdd allowed(const Verdict &verdict);
  logic::Bdd allowed(const std::string &kindName, const std::vector<HeldAt> &memberships,
                     const std::string &permissionName) {
    return allowed(decide(kindName, memberships, permissionName));
  }
  logic::Bdd allowed(const std::string &kindName, const std::vector<std::string> &roleNames,
                     const std::string &permissionName, sema::Relation relation) {
    return allowed(decide(kindName, roleNames, permissionName, relation));
  }

private:
  template <typename Index>
  static std::optional<uint32_t> find(const Index &index, const std::string &name) {
    auto it = index.find(name);
    if (it == index.end())
      return std::nullopt;
    return it->second;
  }
  logic::Bdd guard(const sema::Guard &guard, uint32_t node);
  logic::Bdd ruleGuard(uint32_t rule, uint32_t node);
  /// The requirements for `kind`, read with the principal's flags and node `node`'s.
  logic::Bdd requirement(sema::KindId kind, uint32_t node);

  const sema::Model &policy;
  logic::BddManager &bdds;
  const FlagSpace &flags;
  Side side;
  std::map<std::string, uint32_t> roles, kinds, permissions;
  std::vector<std::vector<uint32_t>> roleRules;
  std::vector<std::optional<logic::Bdd>> ruleGuards;   // per (rule, node copy)
  std::vector<std::optional<logic::Bdd>> requirements; // per (kind, node copy)
};

} // namespace lattice::diff
