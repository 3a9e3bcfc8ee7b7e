// interpreter.cpp - the decision by definition: gates (kind, exclusivity, applicability,
// requirements), then every matching rule of every held role and of the roles they extend, and
// every policy-wide deny, through each membership; any matching deny wins, else any matching
// allow. A rule with `for` matches only principals of those user types. Written for clarity.
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
  PrincipalRequest principal;
  principal.kind = request.kind;
  principal.flags = request.flags;
  principal.permission = request.permission;
  principal.memberships.push_back(Membership{request.roles, request.relation, 0});
  return decide(model, principal, excluded);
}

Decision decide(const sema::Model &model, const PrincipalRequest &request,
                const std::vector<bool> &excluded) {
  Decision decision;
  auto deny = [&](Outcome outcome) {
    decision.outcome = outcome;
    return decision;
  };
  // Every membership's roles must be holdable by the kind, whatever tree it is in.
  for (const Membership &membership : request.memberships)
    for (sema::RoleId role : membership.roles)
      if (!((model.roles[role].kinds >> request.kind) & 1))
        return deny(Outcome::RoleNotForKind);
  // A custom role may be held by its ceiling's user types; it is in no exclusive set.
  for (const std::vector<CustomRole> &held : request.custom)
    for (const CustomRole &custom : held)
      if (!((model.customRoles[custom.ceiling].kinds >> request.kind) & 1))
        return deny(Outcome::RoleNotForKind);
  // Exclusive sets count the roles held in the target's tree, over all its memberships.
  for (const sema::ExclusiveSet &set : model.exclusives) {
    std::set<sema::RoleId> held;
    for (const Membership &membership : request.memberships)
      if (membership.relation)
        for (sema::RoleId role : membership.roles)
          if (std::find(set.roles.begin(), set.roles.end(), role) != set.roles.end())
            held.insert(role);
    if (held.size() > 1)
      return deny(Outcome::Exclusive);
  }
  if (!((model.permissions[request.permission].applicableKinds >> request.kind) & 1))
    return deny(Outcome::NotApplicable);
  // Requirements hold for the principal at each of its nodes in the target's tree.
  for (const Membership &membership : request.memberships)
    for (const sema::Requirement &requirement : model.requirements)
      if (membership.relation && ((requirement.kinds >> request.kind) & 1) &&
          !requirement.guard.holds(request.flags | request.facts | membership.nodeFlags))
        return deny(Outcome::Requirement);

  // Every rule reachable from the roles of a membership in the target's tree, matched with that
  // membership's relation and flags; a rule counts once, with the first membership it matched.
  std::set<uint32_t> matched;
  for (uint32_t m = 0; m < request.memberships.size(); ++m) {
    const Membership &membership = request.memberships[m];
    if (!membership.relation)
      continue;
    const unsigned relationBit = 1u << static_cast<unsigned>(*membership.relation);
    const sema::FlagMask flags = request.flags | request.facts | membership.nodeFlags;
    // Policy-wide denies are rules of an implicit role every membership holds.
    std::set<uint32_t> rules(model.policyRules.begin(), model.policyRules.end());
    for (sema::RoleId held : membership.roles) {
      std::vector<sema::RoleId> sources = model.roles[held].inherited;
      sources.push_back(held);
      for (sema::RoleId source : sources)
        rules.insert(model.roles[source].rules.begin(), model.roles[source].rules.end());
    }
    for (const CustomRole &custom :
         m < request.custom.size() ? request.custom[m] : std::vector<CustomRole>{})
      for (const auto &[permission, relations] : custom.cells)
        if (permission == request.permission && (relations & relationBit) &&
            !decision.customAllows) {
          decision.customAllows = true;
          decision.customMembership = m;
        }
    for (uint32_t index : rules) {
      if ((index < excluded.size() && excluded[index]) || matched.count(index))
        continue;
      const sema::Rule &rule = model.rules[index];
      bool matches = rule.appliesTo(request.kind) &&
                     std::binary_search(rule.permissions.begin(), rule.permissions.end(),
                                        request.permission) &&
                     (sema::reachRelations(rule.reach) & relationBit) != 0 &&
                     rule.guard.holds(flags);
      if (!matches)
        continue;
      matched.insert(index);
      bool isDeny = rule.effect == sema::Effect::Deny;
      (isDeny ? decision.matchingDenies : decision.matchingAllows).push_back(index);
      (isDeny ? decision.denyMemberships : decision.allowMemberships).push_back(m);
    }
  }
  if (!decision.matchingDenies.empty()) {
    const bool byRole = std::any_of(decision.matchingDenies.begin(), decision.matchingDenies.end(),
                                    [&](uint32_t r) { return !model.rules[r].policyWide(); });
    return deny(byRole ? Outcome::DeniedByRule : Outcome::DeniedByPolicy);
  }
  if (decision.matchingAllows.empty() && !decision.customAllows)
    return deny(Outcome::NoAllow);
  decision.allowed = true;
  decision.outcome = Outcome::Allowed;
  return decision;
}

std::variant<CustomRole, std::pair<CustomRefusal, uint32_t>>
buildCustomRole(const sema::Model &model, uint32_t ceiling,
                const std::vector<std::pair<uint32_t, uint32_t>> &entries) {
  const sema::CustomRole &c = model.customRoles.at(ceiling);
  std::vector<std::pair<sema::PermissionId, sema::RelationMask>> cells;
  for (uint32_t i = 0; i < entries.size(); ++i) {
    const auto [permission, reach] = entries[i];
    if (permission >= model.permissions.size())
      return std::make_pair(CustomRefusal::UnknownPermission, i);
    if (reach == 0 || reach > 15)
      return std::make_pair(CustomRefusal::BadReach, i);
    if (!(model.permissions[permission].applicableKinds & c.kinds))
      return std::make_pair(CustomRefusal::NotForKinds, i);
    const sema::RelationMask allowed = c.reachOf(permission);
    if (allowed == 0)
      return std::make_pair(CustomRefusal::OutsideCeiling, i);
    if (reach & ~uint32_t(allowed))
      return std::make_pair(CustomRefusal::ReachBeyondCeiling, i);
    auto it = std::find_if(cells.begin(), cells.end(),
                           [&](const auto &cell) { return cell.first == permission; });
    if (it == cells.end())
      cells.emplace_back(permission, sema::RelationMask(reach));
    else
      it->second |= sema::RelationMask(reach);
  }
  std::sort(cells.begin(), cells.end());
  return CustomRole{ceiling, std::move(cells)};
}

bool canAssign(const sema::Model &model, const std::vector<sema::RoleId> &roles,
               sema::RoleId target, std::optional<sema::FlagMask> flags) {
  if (model.roles[target].locked)
    return false;
  for (sema::RoleId held : roles)
    if (const sema::Guard *guard = model.roles[held].assignGuard(target))
      if (flags ? guard->holds(*flags) : guard->isAlways())
        return true;
  return false;
}

} // namespace lattice::reference
