// lower.cpp - builds dense allow bitsets per (permission, relation), sparse rules for denies and
// conditional rules, and the name, kind, exclusivity and requirement tables.
#include "lower/lower.h"

#include <algorithm>
#include <tuple>

namespace lattice::lower {

Tables lowerModel(const sema::Model &model) {
  Tables t;
  t.policyName = model.policyName;
  for (const auto &kind : model.kinds)
    t.kindNames.push_back(kind.name);
  for (const auto &flag : model.flags) {
    t.flagNames.push_back(flag.name);
    t.flagSides.push_back(flag.onScope ? FlagOfNode : FlagOfPrincipal);
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
    t.roleAssigns.push_back(role.assigns);
  }

  const size_t roleCount = model.roles.size();
  t.wordsPerBitset = static_cast<uint32_t>((roleCount + 63) / 64);
  const size_t bitsetCount = model.permissions.size() * kRelationCount;
  t.allowBits.assign(bitsetCount * t.wordsPerBitset, 0);

  for (sema::RoleId role = 0; role < roleCount; ++role) {
    // The role's own rules and those of every role it extends, transitively.
    std::vector<sema::RoleId> sources = model.roles[role].inherited;
    sources.push_back(role);
    for (sema::RoleId source : sources) {
      for (uint32_t ruleIndex : model.roles[source].rules) {
        const sema::Rule &rule = model.rules[ruleIndex];
        const sema::RelationMask relations = sema::reachRelations(rule.reach);
        const bool deny = rule.effect == sema::Effect::Deny;
        if (rule.guard.isAlways() && !deny) {
          for (sema::PermissionId permission : rule.permissions)
            for (uint32_t relation = 0; relation < kRelationCount; ++relation)
              if (relations >> relation & 1)
                t.allowBits[(permission * kRelationCount + relation) * t.wordsPerBitset +
                            role / 64] |= uint64_t{1} << (role % 64);
          continue;
        }
        // Denies and conditional allows: one sparse rule per clause (an unconditional deny is
        // the single clause that requires and forbids nothing).
        for (sema::PermissionId permission : rule.permissions)
          for (const sema::Clause &clause : rule.guard.clauses)
            t.sparseRules.push_back(
                {permission, role, relations, deny, clause.required, clause.forbidden});
      }
    }
  }
  // Rules that differ only in their relations (a role's own deny and an inherited one, say)
  // become one entry covering the union: at most one entry per (permission, role, clause).
  auto sameExceptRelations = [](const SparseRule &e) {
    return std::tie(e.permission, e.role, e.deny, e.requiredFlags, e.forbiddenFlags);
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
  return t;
}

} // namespace lattice::lower
