// interpreter.cpp - the decision by definition: gates (kind, exclusivity, applicability,
// requirements), then every matching rule of every held role and of the roles they extend;
// any matching deny wins, else any matching allow. Written for clarity, not speed.
#include "reference/interpreter.h"

#include <algorithm>
#include <set>

namespace lattice::reference {

Decision decide(const sema::Model &model, const Request &request, uint32_t excludedRule) {
  std::vector<bool> excluded(model.rules.size(), false);
  if (excludedRule < excluded.size())
    excluded[excludedRule] = true;
  return decide(model, request, excluded);
}

Decision decide(const sema::Model &model, const Request &request,
                const std::vector<bool> &excluded) {
  Decision decision;
  auto deny = [&](Outcome outcome) {
    decision.outcome = outcome;
    return decision;
  };
  for (sema::RoleId role : request.roles)
    if (!((model.roles[role].kinds >> request.kind) & 1))
      return deny(Outcome::RoleNotForKind);
  for (const sema::ExclusiveSet &set : model.exclusives) {
    std::set<sema::RoleId> held;
    for (sema::RoleId role : request.roles)
      if (std::find(set.roles.begin(), set.roles.end(), role) != set.roles.end())
        held.insert(role);
    if (held.size() > 1)
      return deny(Outcome::Exclusive);
  }
  if (!((model.permissions[request.permission].applicableKinds >> request.kind) & 1))
    return deny(Outcome::NotApplicable);
  for (const sema::Requirement &requirement : model.requirements)
    if (((requirement.kinds >> request.kind) & 1) && !requirement.guard.holds(request.flags))
      return deny(Outcome::Requirement);

  // Every rule reachable from the held roles, each once.
  std::set<uint32_t> rules;
  for (sema::RoleId held : request.roles) {
    std::vector<sema::RoleId> sources = model.roles[held].inherited;
    sources.push_back(held);
    for (sema::RoleId source : sources)
      rules.insert(model.roles[source].rules.begin(), model.roles[source].rules.end());
  }
  const unsigned relationBit = 1u << static_cast<unsigned>(request.relation);
  for (uint32_t index : rules) {
    if (index < excluded.size() && excluded[index])
      continue;
    const sema::Rule &rule = model.rules[index];
    bool matches =
        std::binary_search(rule.permissions.begin(), rule.permissions.end(), request.permission) &&
        (sema::reachRelations(rule.reach) & relationBit) != 0 && rule.guard.holds(request.flags);
    if (!matches)
      continue;
    (rule.effect == sema::Effect::Deny ? decision.matchingDenies : decision.matchingAllows)
        .push_back(index);
  }
  if (!decision.matchingDenies.empty())
    return deny(Outcome::DeniedByRule);
  if (decision.matchingAllows.empty())
    return deny(Outcome::NoAllow);
  decision.allowed = true;
  decision.outcome = Outcome::Allowed;
  return decision;
}

} // namespace lattice::reference
