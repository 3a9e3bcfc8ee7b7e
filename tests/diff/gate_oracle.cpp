// gate_oracle.cpp - brute force for the review gate: decides by name on both models with the
// reference interpreter, with names the old model lacks treated as docs/ci.md defines.
#include "gate_oracle.h"

#include "diff/access_diff.h"
#include "reference/interpreter.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <vector>

namespace lattice::difftest {
namespace {

using diff::Witness;

template <typename T> std::map<std::string, uint32_t> indexOf(const std::vector<T> &items) {
  std::map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < items.size(); ++i)
    index.emplace(items[i].name, i);
  return index;
}

/// Roles held at one node, by name, with that node's flags and the target's relation to it.
struct NamedMembership {
  std::vector<std::string> roles;
  sema::Relation relation = sema::Relation::Same;
  std::set<std::string> nodeFlags;
};

/// Decides requests given by name on one model: names the model does not know deny (kind,
/// permission), are ignored (flags), or are left out with roles the kind may not hold there
/// (the gate's definition of "what the principal had before", docs/ci.md). A flag name given to
/// the principal or to a node counts where this model declares that flag (principal or node).
struct NamedDecider {
  const sema::Model &model;
  std::map<std::string, uint32_t> roles = indexOf(model.roles), kinds = indexOf(model.kinds),
                                  permissions = indexOf(model.permissions),
                                  flags = indexOf(model.flags);

  sema::FlagMask mask(const std::set<std::string> &names, bool onNode) const {
    sema::FlagMask out = 0;
    for (const std::string &name : names)
      if (auto f = flags.find(name); f != flags.end() && model.flags[f->second].onScope == onNode)
        out |= sema::FlagMask{1} << f->second;
    return out;
  }

  bool allowed(const std::string &kind, const std::vector<NamedMembership> &memberships,
               const std::set<std::string> &principalFlags, const std::string &permission) const {
    auto k = kinds.find(kind);
    auto p = permissions.find(permission);
    if (k == kinds.end() || p == permissions.end())
      return false;
    reference::PrincipalRequest request;
    request.kind = k->second;
    request.permission = p->second;
    request.flags = mask(principalFlags, false);
    for (const NamedMembership &m : memberships) {
      reference::Membership membership{{}, m.relation, mask(m.nodeFlags, true)};
      for (const std::string &name : m.roles)
        if (auto r = roles.find(name);
            r != roles.end() && ((model.roles[r->second].kinds >> k->second) & 1))
          membership.roles.push_back(r->second);
      request.memberships.push_back(std::move(membership));
    }
    return reference::decide(model, request).allowed;
  }

  /// One node holding `held`, `set` giving the principal's and the node's flags.
  bool allowed(const std::string &kind, const std::vector<std::string> &held,
               const std::string &permission, sema::Relation relation,
               const std::set<std::string> &set) const {
    return allowed(kind, {NamedMembership{held, relation, set}}, set, permission);
  }

  /// The witness's request: one membership per role; `f` is a flag of the principal (and of the
  /// node when there is one membership), `f@role` or `f@role(n)` one of that membership's node
  /// (and, for the first membership, the principal's flag of that name in a version that
  /// declares it on user types).
  bool allowed(const Witness &w) const {
    std::vector<NamedMembership> memberships;
    for (size_t i = 0; i < w.roles.size(); ++i)
      memberships.push_back(NamedMembership{{w.roles[i]}, w.relations.at(i), {}});
    std::set<std::string> principal;
    for (const std::string &flag : w.flags) {
      size_t at = flag.find('@');
      if (at == std::string::npos) {
        principal.insert(flag);
        if (memberships.size() == 1)
          memberships[0].nodeFlags.insert(flag);
        continue;
      }
      std::string name = flag.substr(0, at), owner = flag.substr(at + 1);
      // `f@role`, `f@(no role)` (a membership holding none), or `f@role(n)`: the n-th membership.
      size_t index = size_t(std::find(w.roles.begin(), w.roles.end(), owner) - w.roles.begin());
      const size_t open = owner.rfind('(');
      if (index == w.roles.size() && open != std::string::npos && open > 0 &&
          owner.size() > open + 2 && owner.back() == ')')
        index = std::strtoul(owner.c_str() + open + 1, nullptr, 10) - 1;
      if (index >= memberships.size())
        return false; // a malformed witness is not allowed anywhere
      memberships[index].nodeFlags.insert(name);
      // A flag one version declares on user types reads the first membership's value there
      // (the diff's variable for the principal's flag is node copy 0).
      if (index == 0)
        principal.insert(name);
    }
    return allowed(w.kind, memberships, principal, w.permission);
  }

  /// Permissions some allow rule of `role` (or a role it extends) names.
  std::set<std::string> allowNamed(const std::string &role) const {
    std::set<std::string> out;
    auto it = roles.find(role);
    if (it == roles.end())
      return out;
    std::vector<sema::RoleId> sources = model.roles[it->second].inherited;
    sources.push_back(it->second);
    for (sema::RoleId source : sources)
      for (uint32_t r : model.roles[source].rules)
        if (model.rules[r].effect == sema::Effect::Allow)
          for (sema::PermissionId perm : model.rules[r].permissions)
            out.insert(model.permissions[perm].name);
    return out;
  }

  /// Whether some assignment of this model's flags satisfies `guard`, by brute force.
  bool satisfiable(const sema::Guard &guard) const {
    for (uint64_t m = 0; m < (uint64_t{1} << model.flags.size()); ++m)
      if (guard.holds(m))
        return true;
    return false;
  }

  /// Roles reachable through `assigns` from `role`, locked roles excluded, for a holder of
  /// `role` with `assignerFlags` (its own and its node's): its first step needs a condition those
  /// flags satisfy, each later step (by whoever holds the role given, with any flags) one that
  /// some flags satisfy.
  std::set<std::string> reach(const std::string &role,
                              const std::set<std::string> &assignerFlags) const {
    std::set<std::string> out;
    auto it = roles.find(role);
    if (it == roles.end())
      return out;
    const sema::FlagMask flagsNow = mask(assignerFlags, false) | mask(assignerFlags, true);
    std::vector<uint32_t> queue;
    std::set<uint32_t> seen;
    auto give = [&](sema::RoleId target) {
      if (!model.roles[target].locked && seen.insert(target).second) {
        queue.push_back(target);
        out.insert(model.roles[target].name);
      }
    };
    const sema::Role &start = model.roles[it->second];
    for (size_t i = 0; i < start.assigns.size(); ++i)
      if (start.assignGuards[i].holds(flagsNow))
        give(start.assigns[i]);
    for (size_t q = 0; q < queue.size(); ++q) {
      const sema::Role &giver = model.roles[queue[q]];
      for (size_t i = 0; i < giver.assigns.size(); ++i)
        if (satisfiable(giver.assignGuards[i]))
          give(giver.assigns[i]);
    }
    return out;
  }
};

constexpr sema::Relation kRelations[] = {sema::Relation::Same, sema::Relation::Descendant,
                                         sema::Relation::Ancestor, sema::Relation::Tenant};

/// Whether the pair search tries every flag assignment of three sides (the principal's and two
/// nodes') for `flags` flag names, up to 2^9 of them; else a fixed sample of 128.
bool pairSearchExhaustive(size_t flags) { return 3 * flags <= 9; }
uint32_t pairAssignments(size_t flags) {
  return pairSearchExhaustive(flags) ? 1u << (3 * flags) : 128;
}

} // namespace

double oracleCost(const sema::Model &before, const sema::Model &after) {
  std::set<std::string> flagNames;
  for (const sema::Model *model : {&before, &after})
    for (const sema::Flag &flag : model->flags)
      flagNames.insert(flag.name);
  const size_t n = flagNames.size();
  const double roles = double(after.roles.size());
  const double assignments = pairAssignments(n);
  const double single = double(after.kinds.size()) * std::pow(2.0, roles) *
                        double(after.permissions.size()) * 4 * std::pow(2.0, double(n));
  return single + double(after.kinds.size()) * roles * roles * double(after.permissions.size()) *
                      16 * assignments;
}

GateCheck checkGate(const sema::Model &before, const sema::Model &after, GateMutation mutation) {
  GateCheck result;
  auto fail = [&](std::string text) {
    if (result.ok)
      result.problem = std::move(text);
    result.ok = false;
  };
  diff::PolicyDiff d = diff::comparePolicies(before, after);
  if (mutation == GateMutation::DropCombinations) {
    d.combinations.clear();
    std::erase_if(d.access, [](const diff::AccessChange &c) { return c.roles.size() > 1; });
  }
  if (mutation == GateMutation::DropDelegations)
    d.delegations.clear();
  const NamedDecider old{before}, now{after};

  // Flag names of both versions: every assignment of them.
  std::vector<std::string> flagNames;
  for (const auto &[name, id] : old.flags)
    flagNames.push_back(name);
  for (const auto &[name, id] : now.flags)
    if (!old.flags.count(name))
      flagNames.push_back(name);
  // The names of assignment `m`'s set flags (bit i: flagNames[i]).
  auto flagSet = [&](uint32_t m) {
    std::set<std::string> set;
    for (size_t i = 0; i < flagNames.size(); ++i)
      if ((m >> i) & 1)
        set.insert(flagNames[i]);
    return set;
  };

  // Brute force: any principal of the new version's user types holding any set of the roles it
  // may hold there; is some request allowed now that was not before?
  bool bruteGain = false;
  std::string example;
  for (const sema::PrincipalKind &kind : after.kinds) {
    std::vector<std::string> holdable;
    for (const sema::Role &role : after.roles)
      if ((role.kinds >> now.kinds.at(kind.name)) & 1)
        holdable.push_back(role.name);
    for (uint32_t subset = 1; subset < (1u << holdable.size()) && !bruteGain; ++subset) {
      std::vector<std::string> held;
      for (size_t i = 0; i < holdable.size(); ++i)
        if ((subset >> i) & 1)
          held.push_back(holdable[i]);
      for (const sema::Permission &permission : after.permissions)
        for (sema::Relation relation : kRelations)
          for (uint32_t m = 0; m < (1u << flagNames.size()) && !bruteGain; ++m) {
            const std::set<std::string> set = flagSet(m);
            if (now.allowed(kind.name, held, permission.name, relation, set) &&
                !old.allowed(kind.name, held, permission.name, relation, set)) {
              bruteGain = true;
              example = kind.name + " " + std::to_string(held.size()) + " roles " +
                        permission.name + " " + sema::relationName(relation);
            }
          }
    }
  }
  // What one node cannot show, two memberships may: every pair of (role, relation) memberships,
  // every permission either allows, the principal's and both nodes' flags (every assignment up
  // to 2^9 of them, else a fixed sample of 128).
  const size_t n = flagNames.size();
  const uint32_t assignments = pairAssignments(n);
  const bool exhaustive = pairSearchExhaustive(n);
  std::mt19937_64 rng(n * 31 + after.roles.size());
  // Memberships hold one role each, or none when a version has policy-wide denies (they apply
  // through a membership that holds nothing).
  std::vector<std::optional<std::string>> members;
  for (const sema::Role &role : after.roles)
    members.push_back(role.name);
  if (!before.policyRules.empty() || !after.policyRules.empty())
    members.push_back(std::nullopt);
  auto holds = [&](const std::optional<std::string> &role, const std::string &kind) {
    return !role || ((after.roles[now.roles.at(*role)].kinds >> now.kinds.at(kind)) & 1);
  };
  auto rolesOf = [](const std::optional<std::string> &role) {
    return role ? std::vector<std::string>{*role} : std::vector<std::string>{};
  };
  for (const sema::PrincipalKind &kind : after.kinds)
    for (const std::optional<std::string> &r1 : members)
      for (const std::optional<std::string> &r2 : members) {
        if (bruteGain || !holds(r1, kind.name) || !holds(r2, kind.name))
          continue;
        std::set<std::string> perms, more;
        if (r1)
          perms = now.allowNamed(*r1);
        if (r2)
          more = now.allowNamed(*r2);
        perms.insert(more.begin(), more.end());
        for (const std::string &permission : perms)
          for (sema::Relation rel1 : kRelations)
            for (sema::Relation rel2 : kRelations)
              for (uint32_t a = 0; a < assignments && !bruteGain; ++a) {
                const uint64_t bits = exhaustive ? a : rng();
                std::set<std::string> principal, node1, node2;
                for (size_t i = 0; i < n; ++i) {
                  if ((bits >> i) & 1)
                    principal.insert(flagNames[i]);
                  if ((bits >> (n + i)) & 1)
                    node1.insert(flagNames[i]);
                  if ((bits >> (2 * n + i)) & 1)
                    node2.insert(flagNames[i]);
                }
                const std::vector<NamedMembership> pair{{rolesOf(r1), rel1, node1},
                                                        {rolesOf(r2), rel2, node2}};
                if (now.allowed(kind.name, pair, principal, permission) &&
                    !old.allowed(kind.name, pair, principal, permission)) {
                  bruteGain = true;
                  example = kind.name + " " + r1.value_or(diff::kNoRoleName) + " on " +
                            sema::relationName(rel1) + " + " + r2.value_or(diff::kNoRoleName) +
                            " on " + sema::relationName(rel2) + " " + permission;
                }
              }
      }
  bool reported = !d.combinations.empty();
  for (const diff::AccessChange &change : d.access)
    reported = reported || change.change == diff::Change::Gained;
  if (bruteGain && !reported)
    fail("the gate missed new access, e.g. " + example);
  // Every reported item's witness is checked below; with a sampled search a reported gain the
  // sample missed is no evidence against the gate.
  if (!bruteGain && reported && exhaustive)
    fail("the gate reported new access that brute force does not find");
  result.gained = bruteGain;

  // Every witness is real: allowed now and denied before.
  auto checkWitness = [&](const Witness &w, bool deniedBefore) {
    if (!now.allowed(w))
      fail("witness not allowed now: " + diff::describeWitness(w, true));
    if (deniedBefore && old.allowed(w))
      fail("witness allowed before: " + diff::describeWitness(w, true));
  };
  for (const diff::AccessChange &change : d.access)
    if (change.change == diff::Change::Gained)
      checkWitness(change.witness, true);
  for (const diff::CombinationChange &change : d.combinations)
    checkWitness(change.witness, true);

  // Delegation: roles newly reachable through assigns that allow something, exactly, for some
  // flags of the assigner (its own and its node's: one set of names, as the diff's node copy 0).
  std::set<std::pair<std::string, std::string>> bruteDelegations, reportedDelegations;
  for (const sema::Role &role : after.roles) {
    std::set<std::string> newly;
    for (uint32_t m = 0; m < (1u << flagNames.size()); ++m) {
      const std::set<std::string> was = old.reach(role.name, flagSet(m));
      for (const std::string &target : now.reach(role.name, flagSet(m)))
        if (!was.count(target))
          newly.insert(target);
    }
    for (const std::string &target : newly) {
      bool grants = false;
      for (const sema::PrincipalKind &kind : after.kinds)
        for (const sema::Permission &permission : after.permissions)
          for (sema::Relation relation : kRelations)
            for (uint32_t m = 0; m < (1u << flagNames.size()) && !grants; ++m) {
              std::set<std::string> set;
              for (size_t i = 0; i < flagNames.size(); ++i)
                if ((m >> i) & 1)
                  set.insert(flagNames[i]);
              grants = now.allowed(kind.name, {target}, permission.name, relation, set);
            }
      if (grants)
        bruteDelegations.emplace(role.name, target);
    }
  }
  for (const diff::DelegationChange &change : d.delegations) {
    reportedDelegations.emplace(change.assigner, change.chain.back());
    checkWitness(change.witness, false);
    // The condition it reports: its first clause (the flags it requires, no other) gives the
    // delegation now and did not before.
    std::set<std::string> assigner;
    if (!change.condition.empty())
      assigner.insert(change.condition[0].required.begin(), change.condition[0].required.end());
    if (!change.conditionTooLarge &&
        (!now.reach(change.assigner, assigner).count(change.chain.back()) ||
         old.reach(change.assigner, assigner).count(change.chain.back())))
      fail("delegation " + change.assigner + " -> " + change.chain.back() +
           " is not new with the flags its condition names");
  }
  if (bruteDelegations != reportedDelegations)
    fail("delegations differ: brute force finds " + std::to_string(bruteDelegations.size()) +
         ", the diff reports " + std::to_string(reportedDelegations.size()));
  return result;
}

} // namespace lattice::difftest
