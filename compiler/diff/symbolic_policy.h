// symbolic_policy.h - one policy's decision as an exact function of the flags: for a user type,
// held roles, permission and relation, the diagram of the flag assignments that allow it.
#pragma once

#include "logic/bdd.h"
#include "sema/model.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace lattice::diff {

/// The flags of two policies numbered as one set of diagram variables, matched by name: the
/// newer policy's flags in declaration order, then those only the older one declares.
class FlagSpace {
public:
  FlagSpace(const sema::Model &before, const sema::Model &after);
  uint32_t size() const { return static_cast<uint32_t>(names.size()); }
  const std::string &name(uint32_t variable) const { return names[variable]; }
  /// The variable of each flag id of the older (newer) policy.
  const std::vector<uint32_t> &beforeVariables() const { return before; }
  const std::vector<uint32_t> &afterVariables() const { return after; }

private:
  std::vector<std::string> names;
  std::vector<uint32_t> before, after;
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

/// Decides requests by name on one model, by the definition of docs/language.md ("What a
/// decision means"), with the flags left symbolic. Shares the manager with the other policy's
/// SymbolicPolicy so that their diagrams can be combined.
class SymbolicPolicy {
public:
  /// `flagVariables[f]` is the diagram variable of flag f of `model`.
  SymbolicPolicy(const sema::Model &model, logic::BddManager &bdds,
                 std::vector<uint32_t> flagVariables);

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

  /// The verdict for a principal of `kindName` holding `roleNames`. Role names this policy does
  /// not know, or that the kind may not hold here, are left out: they gave nothing here, so the
  /// principal is compared with what its other roles gave.
  Verdict decide(const std::string &kindName, const std::vector<std::string> &roleNames,
                 const std::string &permissionName, sema::Relation relation);
  /// Verdict's result: the flag assignments under which the request is allowed.
  logic::Bdd allowed(const Verdict &verdict);
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
  logic::Bdd guard(const sema::Guard &guard);
  logic::Bdd ruleGuard(uint32_t rule);
  logic::Bdd requirement(sema::KindId kind);

  const sema::Model &policy;
  logic::BddManager &bdds;
  std::vector<uint32_t> variables; // per flag id
  std::map<std::string, uint32_t> roles, kinds, permissions;
  std::vector<std::vector<uint32_t>> roleRules;
  std::vector<std::optional<logic::Bdd>> ruleGuards;
  std::vector<std::optional<logic::Bdd>> requirements;
};

} // namespace lattice::diff
