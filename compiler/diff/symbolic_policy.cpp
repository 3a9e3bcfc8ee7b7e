// symbolic_policy.cpp - the decision of docs/language.md over diagrams: the gates (kind,
// exclusivity, applicability) decided outright, requirements and rules as functions of the flags.
#include "diff/symbolic_policy.h"

#include <algorithm>
#include <set>

namespace lattice::diff {

using logic::Bdd;

FlagSpace::FlagSpace(const sema::Model &beforeModel, const sema::Model &afterModel) {
  std::map<std::string, uint32_t> index;
  for (const sema::Flag &flag : afterModel.flags) {
    index.emplace(flag.name, size());
    after.push_back(size());
    names.push_back(flag.name);
  }
  for (const sema::Flag &flag : beforeModel.flags) {
    auto [it, added] = index.emplace(flag.name, size());
    if (added)
      names.push_back(flag.name);
    before.push_back(it->second);
  }
}

SymbolicPolicy::SymbolicPolicy(const sema::Model &model, logic::BddManager &bdds,
                               std::vector<uint32_t> flagVariables)
    : policy(model), bdds(bdds), variables(std::move(flagVariables)), roleRules(model.roles.size()),
      ruleGuards(model.rules.size()), requirements(model.kinds.size()) {
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

Bdd SymbolicPolicy::guard(const sema::Guard &condition) {
  Bdd result = logic::kFalse;
  for (const sema::Clause &clause : condition.clauses) {
    logic::Cube literals;
    for (sema::FlagId f = 0; f < policy.flags.size(); ++f) {
      bool required = (clause.required >> f) & 1, forbidden = (clause.forbidden >> f) & 1;
      if (required || forbidden)
        literals.push_back(logic::Literal{variables[f], required});
    }
    // A clause that both requires and forbids a flag never holds: cube() gives false for it.
    std::sort(
        literals.begin(), literals.end(),
        [](const logic::Literal &a, const logic::Literal &b) { return a.variable < b.variable; });
    result = bdds.disjoin(result, bdds.cube(literals));
  }
  return result;
}

Bdd SymbolicPolicy::ruleGuard(uint32_t rule) {
  if (!ruleGuards[rule])
    ruleGuards[rule] = guard(policy.rules[rule].guard);
  return *ruleGuards[rule];
}

Bdd SymbolicPolicy::requirement(sema::KindId k) {
  if (!requirements[k]) {
    Bdd all = logic::kTrue;
    for (const sema::Requirement &statement : policy.requirements)
      if ((statement.kinds >> k) & 1)
        all = bdds.conjoin(all, guard(statement.guard));
    requirements[k] = all;
  }
  return *requirements[k];
}

Verdict SymbolicPolicy::decide(const std::string &kindName,
                               const std::vector<std::string> &roleNames,
                               const std::string &permissionName, sema::Relation relation) {
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
  std::vector<sema::RoleId> held;
  for (const std::string &name : roleNames)
    if (std::optional<sema::RoleId> r = role(name); r && ((policy.roles[*r].kinds >> *k) & 1))
      held.push_back(*r);
  for (size_t i = 0; i < held.size(); ++i)
    for (size_t j = i + 1; j < held.size(); ++j)
      if (exclusive(policy.roles[held[i]].name, policy.roles[held[j]].name)) {
        verdict.gate = Verdict::Gate::Exclusive;
        return verdict;
      }
  if (!((policy.permissions[*p].applicableKinds >> *k) & 1)) {
    verdict.gate = Verdict::Gate::NotApplicable;
    return verdict;
  }
  verdict.requirement = requirement(*k);
  const unsigned relationBit = 1u << static_cast<unsigned>(relation);
  std::set<uint32_t> seen; // a rule reached through two held roles counts once
  for (sema::RoleId r : held)
    for (uint32_t index : roleRules[r]) {
      const sema::Rule &rule = policy.rules[index];
      if (!(sema::reachRelations(rule.reach) & relationBit) ||
          !std::binary_search(rule.permissions.begin(), rule.permissions.end(), *p) ||
          !seen.insert(index).second)
        continue;
      Bdd &part = rule.effect == sema::Effect::Deny ? verdict.deny : verdict.allow;
      part = bdds.disjoin(part, ruleGuard(index));
    }
  return verdict;
}

Bdd SymbolicPolicy::allowed(const Verdict &verdict) {
  if (verdict.gate != Verdict::Gate::Open)
    return logic::kFalse;
  return bdds.conjoinNot(bdds.conjoin(verdict.requirement, verdict.allow), verdict.deny);
}

} // namespace lattice::diff
