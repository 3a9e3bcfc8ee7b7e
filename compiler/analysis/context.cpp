// context.cpp - precomputation for the analyses and the flag-satisfiability search.
// Satisfiability enumerates assignments of the flags that matter (at most 16): exact, and fast
// for real policies; beyond that it answers Unknown and the analyses report nothing.
#include "analysis/context.h"

#include <algorithm>
#include <utility>

namespace lattice::analysis {

bool PermSet::any() const {
  return std::any_of(bits.begin(), bits.end(), [](uint64_t w) { return w != 0; });
}
PermSet &PermSet::operator|=(const PermSet &o) {
  for (size_t i = 0; i < bits.size(); ++i)
    bits[i] |= o.bits[i];
  return *this;
}
PermSet &PermSet::operator&=(const PermSet &o) {
  for (size_t i = 0; i < bits.size(); ++i)
    bits[i] &= o.bits[i];
  return *this;
}
PermSet &PermSet::subtract(const PermSet &o) {
  for (size_t i = 0; i < bits.size(); ++i)
    bits[i] &= ~o.bits[i];
  return *this;
}
bool PermSet::intersects(const PermSet &o) const {
  for (size_t i = 0; i < bits.size(); ++i)
    if (bits[i] & o.bits[i])
      return true;
  return false;
}

Context::Context(const sema::Model &m) : model(m), space(m), permissionCount(m.permissions.size()) {
  const size_t P = permissionCount;
  for (const sema::Rule &rule : m.rules) {
    PermSet perms(P);
    for (sema::PermissionId p : rule.permissions)
      perms.set(p);
    rulePerms.push_back(std::move(perms));
  }
  inheritors.resize(m.rules.size());
  for (sema::RoleId r = 0; r < m.roles.size(); ++r) {
    std::vector<uint32_t> rules = m.roles[r].rules;
    for (sema::RoleId parent : m.roles[r].inherited)
      rules.insert(rules.end(), m.roles[parent].rules.begin(), m.roles[parent].rules.end());
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    for (uint32_t rule : rules)
      inheritors[rule].push_back(r);
    effectiveRules.push_back(std::move(rules));
  }
  for (sema::KindId k = 0; k < m.kinds.size(); ++k) {
    PermSet set(P);
    for (sema::PermissionId p = 0; p < P; ++p)
      if ((m.permissions[p].applicableKinds >> k) & 1)
        set.set(p);
    applicable.push_back(std::move(set));
  }
  for (sema::PermissionId p = 0; p < P; ++p)
    resourceOf.push_back(m.permissions[p].resource);
  for (sema::ScopeKindId s = 0; s < m.scopeKinds.size(); ++s)
    for (unsigned r = 0; r < sema::kRelationCount; ++r) {
      PermSet set(P);
      for (sema::PermissionId p = 0; p < P; ++p)
        if ((space.relations(s, resourceOf[p]) >> r) & 1)
          set.set(p);
      feasible.push_back(std::move(set));
    }
  const size_t slots = m.roles.size() * sema::kRelationCount;
  uncondDeny.assign(slots, PermSet(P));
  uncondDenyTwice.assign(slots, PermSet(P));
  uncondAllow.assign(slots, PermSet(P));
  uncondAllowTwice.assign(slots, PermSet(P));
  anyAllow.assign(slots, PermSet(P));
  for (sema::RoleId role = 0; role < m.roles.size(); ++role)
    summarizeRole(role);
}

void Context::summarizeRole(sema::RoleId role) {
  for (unsigned r = 0; r < sema::kRelationCount; ++r) {
    size_t at = slot(role, r);
    for (auto *set : {&uncondDeny, &uncondDenyTwice, &uncondAllow, &uncondAllowTwice, &anyAllow})
      (*set)[at] = PermSet(permissionCount);
  }
  for (uint32_t rule : effectiveRules[role])
    for (unsigned r = 0; r < sema::kRelationCount; ++r) {
      if (!reaches(rule, r))
        continue;
      const sema::Rule &rl = model.rules[rule];
      size_t at = slot(role, r);
      bool deny = rl.effect == sema::Effect::Deny;
      if (!deny)
        anyAllow[at] |= rulePerms[rule];
      if (!rl.guard.isAlways())
        continue;
      PermSet &once = deny ? uncondDeny[at] : uncondAllow[at];
      PermSet twice = once;
      twice &= rulePerms[rule];
      (deny ? uncondDenyTwice[at] : uncondAllowTwice[at]) |= twice;
      once |= rulePerms[rule];
    }
}

void Context::removeRule(uint32_t rule) {
  for (sema::RoleId role : inheritors[rule]) {
    std::erase(effectiveRules[role], rule);
    summarizeRole(role);
  }
  inheritors[rule].clear();
}

bool Context::coHoldable(sema::RoleId a, sema::RoleId b) const {
  if (a == b)
    return true;
  for (const sema::ExclusiveSet &set : model.exclusives)
    if (std::binary_search(set.roles.begin(), set.roles.end(), a) &&
        std::binary_search(set.roles.begin(), set.roles.end(), b))
      return false;
  return true;
}

SatResult Context::satisfiable(const Seat &seat, const std::vector<const sema::Guard *> &all,
                               const std::vector<const sema::Guard *> &none) const {
  std::vector<const sema::Guard *> positive = all;
  for (const sema::Requirement &requirement : model.requirements)
    if ((requirement.kinds >> seat.kind) & 1)
      positive.push_back(&requirement.guard);
  const sema::FlagMask settable = space.flags(seat);
  sema::FlagMask relevant = 0;
  for (const sema::Guard *guard : positive)
    if (guard->isNever())
      return {Sat::No, 0};
  for (const std::vector<const sema::Guard *> *list : {&std::as_const(positive), &none})
    for (const sema::Guard *guard : *list)
      for (const sema::Clause &clause : guard->clauses)
        relevant |= clause.required | clause.forbidden;
  relevant &= settable; // flags that cannot be set are always clear
  if (__builtin_popcountll(relevant) > 16)
    return {Sat::Unknown, 0};
  std::vector<unsigned> bits;
  for (unsigned f = 0; f < 64; ++f)
    if ((relevant >> f) & 1)
      bits.push_back(f);
  for (uint64_t assignment = 0; assignment < (uint64_t{1} << bits.size()); ++assignment) {
    sema::FlagMask flags = 0;
    for (size_t i = 0; i < bits.size(); ++i)
      if ((assignment >> i) & 1)
        flags |= sema::FlagMask{1} << bits[i];
    bool ok = std::all_of(positive.begin(), positive.end(),
                          [&](const sema::Guard *g) { return g->holds(flags); }) &&
              std::none_of(none.begin(), none.end(),
                           [&](const sema::Guard *g) { return g->holds(flags); });
    if (ok)
      return {Sat::Yes, flags};
  }
  return {Sat::No, 0};
}

} // namespace lattice::analysis
