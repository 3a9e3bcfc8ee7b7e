// symbolic_policy.cpp - the decision of docs/language.md over diagrams: the gates (kind,
// exclusivity, applicability) decided outright, requirements and rules as functions of the flags.
#include "diff/symbolic_policy.h"

#include <algorithm>
#include <set>

namespace lattice::diff {

using logic::Bdd;

FlagSpace::FlagSpace(const sema::Model &beforeModel, const sema::Model &afterModel) {
  // Slots by name (the newer policy's order first); a slot is a node flag if either version
  // declares it on scope kinds.
  std::vector<std::string> names;
  std::map<std::string, bool> onNode;
  for (const sema::Model *model : {&afterModel, &beforeModel})
    for (const sema::Flag &flag : model->flags) {
      auto [it, added] = onNode.emplace(flag.name, flag.onScope);
      if (added)
        names.push_back(flag.name);
      else
        it->second = it->second || flag.onScope;
    }
  std::map<std::string, uint32_t> first;
  for (const std::string &name : names) {
    first.emplace(name, size());
    const bool node = onNode.at(name);
    for (uint32_t copy = 0; copy < (node ? kNodeCopies : 1); ++copy)
      variables.push_back(Variable{name, copy, node});
  }
  for (const sema::Flag &flag : afterModel.flags) {
    after.push_back(first.at(flag.name));
    afterOnNode.push_back(flag.onScope);
  }
  for (const sema::Flag &flag : beforeModel.flags) {
    before.push_back(first.at(flag.name));
    beforeOnNode.push_back(flag.onScope);
  }
}

// A flag one version declares on a user type and the other on scope kinds is the principal's in
// the first (every membership reads copy 0) and a node's in the second.
uint32_t FlagSpace::beforeVariable(sema::FlagId flag, uint32_t copy) const {
  return before[flag] + (beforeOnNode[flag] ? copy : 0);
}

uint32_t FlagSpace::afterVariable(sema::FlagId flag, uint32_t copy) const {
  return after[flag] + (afterOnNode[flag] ? copy : 0);
}

SymbolicPolicy::SymbolicPolicy(const sema::Model &model, logic::BddManager &bdds,
                               const FlagSpace &flags, Side side)
    : policy(model), bdds(bdds), flags(flags), side(side), roleRules(model.roles.size()),
      ruleGuards(model.rules.size() * kNodeCopies), requirements(model.kinds.size() * kNodeCopies) {
  for (uint32_t i = 0; i < model.roles.size(); ++i)
    roles.emplace(model.roles[i].name, i);
  for (uint32_t i = 0; i < model.kinds.size(); ++i)
    kinds.emplace(model.kinds[i].name, i);
  for (uint32_t i = 0; i < model.permissions.size(); ++i)
    permissions.emplace(model.permissions[i].name, i);
  for (uint32_t i = 0; i < model.roles.size(); ++i) {
    std::vector<uint32_t> &rules = roleRules[i];
    rules = model.roles[i].rules;
    for (sema::RoleId inherited : model.roles[i].inherited)
      rules.insert(rules.end(), model.roles[inherited].rules.begin(),
                   model.roles[inherited].rules.end());
  }
}

bool SymbolicPolicy::holdable(const std::string &roleName, const std::string &kindName) const {
  std::optional<sema::RoleId> r = role(roleName);
  std::optional<sema::KindId> k = kind(kindName);
  return r && k && ((policy.roles[*r].kinds >> *k) & 1);
}

bool SymbolicPolicy::exclusive(const std::string &x, const std::string &y) const {
  std::optional<sema::RoleId> rx = role(x), ry = role(y);
  if (!rx || !ry || *rx == *ry)
    return false;
  for (const sema::ExclusiveSet &set : policy.exclusives)
    if (std::binary_search(set.roles.begin(), set.roles.end(), *rx) &&
        std::binary_search(set.roles.begin(), set.roles.end(), *ry))
      return true;
  return false;
}

std::vector<std::string> SymbolicPolicy::kindsOf(sema::RoleId role) const {
  std::vector<std::string> names;
  for (sema::KindId k = 0; k < policy.kinds.size(); ++k)
    if ((policy.roles[role].kinds >> k) & 1)
      names.push_back(policy.kinds[k].name);
  return names;
}

Bdd SymbolicPolicy::guard(const sema::Guard &condition, uint32_t node) {
  Bdd result = logic::kFalse;
  for (const sema::Clause &clause : condition.clauses) {
    logic::Cube literals;
    for (sema::FlagId f = 0; f < policy.flags.size(); ++f) {
      bool required = (clause.required >> f) & 1, forbidden = (clause.forbidden >> f) & 1;
      if (!required && !forbidden)
        continue;
      uint32_t variable =
          side == Side::Before ? flags.beforeVariable(f, node) : flags.afterVariable(f, node);
      literals.push_back(logic::Literal{variable, required});
    }
    // A clause that both requires and forbids a flag never holds: cube() gives false for it.
    std::sort(
        literals.begin(), literals.end(),
        [](const logic::Literal &a, const logic::Literal &b) { return a.variable < b.variable; });
    result = bdds.disjoin(result, bdds.cube(literals));
  }
  return result;
}

Bdd SymbolicPolicy::ruleGuard(uint32_t rule, uint32_t node) {
  std::optional<Bdd> &cached = ruleGuards[size_t(rule) * kNodeCopies + node];
  if (!cached)
    cached = guard(policy.rules[rule].guard, node);
  return *cached;
}

Bdd SymbolicPolicy::requirement(sema::KindId k, uint32_t node) {
  std::optional<Bdd> &cached = requirements[size_t(k) * kNodeCopies + node];
  if (!cached) {
    Bdd all = logic::kTrue;
    for (const sema::Requirement &statement : policy.requirements)
      if ((statement.kinds >> k) & 1)
        all = bdds.conjoin(all, guard(statement.guard, node));
    cached = all;
  }
  return *cached;
}

Verdict SymbolicPolicy::decide(const std::string &kindName, const std::vector<HeldAt> &memberships,
                               const std::string &permissionName) {
  Verdict verdict;
  std::optional<sema::KindId> k = kind(kindName);
  std::optional<sema::PermissionId> p = permission(permissionName);
  if (!k) {
    verdict.gate = Verdict::Gate::UnknownKind;
    return verdict;
  }
  if (!p) {
    verdict.gate = Verdict::Gate::UnknownPermission;
    return verdict;
  }
  // The roles this policy knows and lets the kind hold, per membership.
  std::vector<std::vector<sema::RoleId>> held(memberships.size());
  std::vector<sema::RoleId> all;
  for (size_t m = 0; m < memberships.size(); ++m)
    for (const std::string &name : memberships[m].roles)
      if (std::optional<sema::RoleId> r = role(name); r && ((policy.roles[*r].kinds >> *k) & 1)) {
        held[m].push_back(*r);
        all.push_back(*r);
      }
  for (size_t i = 0; i < all.size(); ++i)
    for (size_t j = i + 1; j < all.size(); ++j)
      if (exclusive(policy.roles[all[i]].name, policy.roles[all[j]].name)) {
        verdict.gate = Verdict::Gate::Exclusive;
        return verdict;
      }
  if (!((policy.permissions[*p].applicableKinds >> *k) & 1)) {
    verdict.gate = Verdict::Gate::NotApplicable;
    return verdict;
  }
  // Requirements hold for the principal at each membership's node.
  for (const HeldAt &membership : memberships)
    verdict.requirement = bdds.conjoin(verdict.requirement, requirement(*k, membership.node));
  for (size_t m = 0; m < memberships.size(); ++m) {
    const unsigned relationBit = 1u << static_cast<unsigned>(memberships[m].relation);
    std::set<uint32_t> seen; // a rule reached through two roles of one membership counts once
    auto match = [&](uint32_t index) {
      const sema::Rule &rule = policy.rules[index];
      if (!rule.appliesTo(*k) || !(sema::reachRelations(rule.reach) & relationBit) ||
          !std::binary_search(rule.permissions.begin(), rule.permissions.end(), *p) ||
          !seen.insert(index).second)
        return;
      Bdd &part = rule.effect == sema::Effect::Deny ? verdict.deny : verdict.allow;
      part = bdds.disjoin(part, ruleGuard(index, memberships[m].node));
    };
    // Policy-wide denies hold through every membership, whatever roles it holds.
    for (uint32_t index : policy.policyRules)
      match(index);
    for (sema::RoleId r : held[m])
      for (uint32_t index : roleRules[r])
        match(index);
  }
  return verdict;
}

Bdd SymbolicPolicy::allowed(const Verdict &verdict) {
  if (verdict.gate != Verdict::Gate::Open)
    return logic::kFalse;
  return bdds.conjoinNot(bdds.conjoin(verdict.requirement, verdict.allow), verdict.deny);
}

} // namespace lattice::diff
