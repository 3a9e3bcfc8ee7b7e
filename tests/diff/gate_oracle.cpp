// gate_oracle.cpp - brute force for the review gate: decides by name on both models with the
// reference interpreter, with names the old model lacks treated as docs/ci.md defines.
#include "gate_oracle.h"

#include "diff/access_diff.h"
#include "reference/interpreter.h"

#include <map>
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

/// Decides requests given by name on one model: names the model does not know deny (kind,
/// permission), are ignored (flags), or are left out with roles the kind may not hold there
/// (the gate's definition of "what the principal had before", docs/ci.md).
struct NamedDecider {
  const sema::Model &model;
  std::map<std::string, uint32_t> roles = indexOf(model.roles), kinds = indexOf(model.kinds),
                                  permissions = indexOf(model.permissions),
                                  flags = indexOf(model.flags);

  bool allowed(const std::string &kind, const std::vector<std::string> &held,
               const std::string &permission, sema::Relation relation,
               const std::set<std::string> &set) const {
    auto k = kinds.find(kind);
    auto p = permissions.find(permission);
    if (k == kinds.end() || p == permissions.end())
      return false;
    reference::Request request;
    request.kind = k->second;
    request.permission = p->second;
    request.relation = relation;
    for (const std::string &name : held)
      if (auto r = roles.find(name);
          r != roles.end() && ((model.roles[r->second].kinds >> k->second) & 1))
        request.roles.push_back(r->second);
    for (const std::string &name : set)
      if (auto f = flags.find(name); f != flags.end())
        request.flags |= sema::FlagMask{1} << f->second;
    return reference::decide(model, request).allowed;
  }

  bool allowed(const Witness &w) const {
    return allowed(w.kind, w.roles, w.permission, w.relation,
                   std::set<std::string>(w.flags.begin(), w.flags.end()));
  }

  /// Roles reachable through `assigns` from `role`, locked roles excluded.
  std::set<std::string> reach(const std::string &role) const {
    std::set<std::string> out;
    auto it = roles.find(role);
    if (it == roles.end())
      return out;
    std::vector<uint32_t> queue{it->second};
    std::set<uint32_t> seen;
    for (size_t i = 0; i < queue.size(); ++i)
      for (sema::RoleId target : model.roles[queue[i]].assigns)
        if (!model.roles[target].locked && seen.insert(target).second) {
          queue.push_back(target);
          out.insert(model.roles[target].name);
        }
    return out;
  }
};

constexpr sema::Relation kRelations[] = {sema::Relation::Same, sema::Relation::Descendant,
                                         sema::Relation::Ancestor, sema::Relation::Tenant};

} // namespace

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
            std::set<std::string> set;
            for (size_t i = 0; i < flagNames.size(); ++i)
              if ((m >> i) & 1)
                set.insert(flagNames[i]);
            if (now.allowed(kind.name, held, permission.name, relation, set) &&
                !old.allowed(kind.name, held, permission.name, relation, set)) {
              bruteGain = true;
              example = kind.name + " " + std::to_string(held.size()) + " roles " +
                        permission.name + " " + sema::relationName(relation);
            }
          }
    }
  }
  bool reported = !d.combinations.empty();
  for (const diff::AccessChange &change : d.access)
    reported = reported || change.change == diff::Change::Gained;
  if (bruteGain && !reported)
    fail("the gate missed new access, e.g. " + example);
  if (!bruteGain && reported)
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

  // Delegation: roles newly reachable through assigns that allow something, exactly.
  std::set<std::pair<std::string, std::string>> bruteDelegations, reportedDelegations;
  for (const sema::Role &role : after.roles) {
    std::set<std::string> was = old.reach(role.name);
    for (const std::string &target : now.reach(role.name)) {
      if (was.count(target))
        continue;
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
  }
  if (bruteDelegations != reportedDelegations)
    fail("delegations differ: brute force finds " + std::to_string(bruteDelegations.size()) +
         ", the diff reports " + std::to_string(reportedDelegations.size()));
  return result;
}

} // namespace lattice::difftest
