// lower.cpp - builds dense allow bitsets per (permission, relation), sparse rules for denies,
// conditional rules, per-user-type rules and policy-wide denies, and the name, kind, delegation,
// exclusivity and requirement tables.
#include "lower/lower.h"

#include <algorithm>
#include <tuple>

namespace lattice::lower {

namespace {
FlagSide sideOf(sema::FlagSide side) {
  switch (side) {
  case sema::FlagSide::Principal:
    return FlagOfPrincipal;
  case sema::FlagSide::Node:
    return FlagOfNode;
  case sema::FlagSide::Resource:
    return FactOfResource;
  case sema::FlagSide::Target:
    return FactOfTarget;
  case sema::FlagSide::Request:
    return FactOfRequest;
  }
  return FlagOfPrincipal;
}
} // namespace

Tables lowerModel(const sema::Model &model) {
  Tables t;
  t.policyName = model.policyName;
  for (const auto &kind : model.kinds)
    t.kindNames.push_back(kind.name);
  for (const auto &flag : model.flags) {
    t.flagNames.push_back(flag.name);
    t.flagSides.push_back(sideOf(flag.side));
  }
  for (const auto &permission : model.permissions) {
    t.permissionNames.push_back(permission.name);
    t.permissionKindMask.push_back(permission.applicableKinds);
  }
  for (const auto &role : model.roles) {
    t.roleNames.push_back(role.name);
    t.roleKindMask.push_back(role.kinds);
    t.roleAttributes.push_back((role.deprecated ? RoleDeprecated : 0u) |
                               (role.locked ? RoleLocked : 0u));
    // Unconditional assigns are the list lattice_can_assign reads; conditional ones are clauses
    // only lattice_can_assign_with reads.
    std::vector<uint32_t> unconditional;
    const sema::RoleId assigner = sema::RoleId(t.roleAssigns.size());
    for (size_t i = 0; i < role.assigns.size(); ++i) {
      if (role.assignGuards[i].isAlways()) {
        unconditional.push_back(role.assigns[i]);
        continue;
      }
      for (const sema::Clause &clause : role.assignGuards[i].clauses)
        t.assignConditions.push_back(
            {assigner, role.assigns[i], clause.required, clause.forbidden});
    }
    t.roleAssigns.push_back(std::move(unconditional));
  }

  const size_t roleCount = model.roles.size();
  t.wordsPerBitset = static_cast<uint32_t>((roleCount + 63) / 64);
  const size_t bitsetCount = model.permissions.size() * kRelationCount;
  t.allowBits.assign(bitsetCount * t.wordsPerBitset, 0);

  const uint64_t allKinds = model.allKinds();
  for (sema::RoleId role = 0; role < roleCount; ++role) {
    // The role's own rules and those of every role it extends, transitively.
    std::vector<sema::RoleId> sources = model.roles[role].inherited;
    sources.push_back(role);
    const sema::KindMask holders = model.roles[role].kinds;
    for (sema::RoleId source : sources) {
      for (uint32_t ruleIndex : model.roles[source].rules) {
        const sema::Rule &rule = model.rules[ruleIndex];
        const sema::RelationMask relations = sema::reachRelations(rule.reach);
        const bool deny = rule.effect == sema::Effect::Deny;
        // A rule whose `for` covers every user type of this role holds for all its holders.
        const bool everyHolder = rule.appliesToAll(holders);
        if ((rule.kinds & holders) == 0 && holders != 0)
          continue; // for user types this role never has
        if (rule.guard.isAlways() && !deny && everyHolder) {
          for (sema::PermissionId permission : rule.permissions)
            for (uint32_t relation = 0; relation < kRelationCount; ++relation)
              if (relations >> relation & 1)
                t.allowBits[(permission * kRelationCount + relation) * t.wordsPerBitset +
                            role / 64] |= uint64_t{1} << (role % 64);
          continue;
        }
        // Denies, conditional allows and allows for some user types: one sparse rule per
        // clause (an unconditional deny is the single clause that requires and forbids
        // nothing).
        const uint64_t kinds = everyHolder ? allKinds : rule.kinds & allKinds;
        if (kinds == 0)
          continue; // a policy without user types: nobody to apply to
        for (sema::PermissionId permission : rule.permissions)
          for (const sema::Clause &clause : rule.guard.clauses)
            t.sparseRules.push_back(
                {permission, role, relations, deny, clause.required, clause.forbidden, kinds});
      }
    }
  }
  // Policy-wide denies: sparse denies of every role (held through every membership).
  for (uint32_t ruleIndex : model.policyRules) {
    const sema::Rule &rule = model.rules[ruleIndex];
    if ((rule.kinds & allKinds) == 0)
      continue;
    for (sema::PermissionId permission : rule.permissions)
      for (const sema::Clause &clause : rule.guard.clauses)
        t.sparseRules.push_back({permission, kEveryRole, sema::reachRelations(rule.reach), true,
                                 clause.required, clause.forbidden, rule.kinds & allKinds});
  }
  // Rules that differ only in their relations (a role's own deny and an inherited one, say)
  // become one entry covering the union: at most one entry per (permission, role, clause).
  auto sameExceptRelations = [](const SparseRule &e) {
    return std::tie(e.permission, e.role, e.deny, e.requiredFlags, e.forbiddenFlags, e.kindMask);
  };
  std::sort(t.sparseRules.begin(), t.sparseRules.end(),
            [&](const SparseRule &a, const SparseRule &b) {
              return sameExceptRelations(a) < sameExceptRelations(b);
            });
  std::vector<SparseRule> merged;
  for (const SparseRule &rule : t.sparseRules) {
    if (!merged.empty() && sameExceptRelations(merged.back()) == sameExceptRelations(rule))
      merged.back().relationMask |= rule.relationMask;
    else
      merged.push_back(rule);
  }
  t.sparseRules = std::move(merged); // by permission, then role; the writer puts it in key order

  for (const auto &set : model.exclusives)
    t.exclusiveSets.push_back(set.roles);
  for (uint32_t statement = 0; statement < model.requirements.size(); ++statement) {
    const auto &requirement = model.requirements[statement];
    for (const sema::Clause &clause : requirement.guard.clauses)
      t.requireClauses.push_back({statement, requirement.kinds, clause.required, clause.forbidden});
    if (requirement.guard.isNever()) // can never hold: a clause that no request satisfies
      t.requireClauses.push_back({statement, requirement.kinds, 1, 1});
  }
  for (const sema::CustomRole &custom : model.customRoles) {
    Ceiling ceiling{custom.name, custom.kinds, {}, custom.creators};
    for (auto [permission, relations] : custom.cells)
      ceiling.cells.emplace_back(permission, relations);
    t.ceilings.push_back(std::move(ceiling));
  }
  return t;
}

} // namespace lattice::lower
