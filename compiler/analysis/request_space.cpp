// request_space.cpp - kind-graph closures (strictly below, shared roots), the relations a target
// can be in from a membership's node, and which pairs of memberships can stand apart in one tree.
// Iterative; the kind graph has no cycles but a kind's own edge to itself.
#include "analysis/request_space.h"

#include <algorithm>

namespace lattice::analysis {

using sema::Relation;
using sema::ScopeKindId;

RequestSpace::RequestSpace(const sema::Model &m) : model(m) {
  scopeCount = m.scopeKinds.size();
  resourceCount = m.resources.size();
  for (sema::KindId k = 0; k < m.kinds.size(); ++k)
    for (ScopeKindId s : m.kinds[k].scopes)
      if (std::find(allSeats.begin(), allSeats.end(), Seat{k, s}) == allSeats.end())
        allSeats.push_back({k, s});

  below.assign(scopeCount * scopeCount, false);
  rootsAbove.resize(scopeCount);
  for (ScopeKindId start = 0; start < scopeCount; ++start) {
    // Walk upwards from `start`: every kind reached has `start` strictly below it.
    std::vector<ScopeKindId> stack(m.scopeKinds[start].parents.begin(),
                                   m.scopeKinds[start].parents.end());
    while (!stack.empty()) {
      ScopeKindId up = stack.back();
      stack.pop_back();
      if (below[up * scopeCount + start])
        continue;
      below[up * scopeCount + start] = true;
      if (m.scopeKinds[up].canBeRoot(up)) // under nothing, or only itself (chains of chains)
        rootsAbove[start].push_back(up);
      for (ScopeKindId parent : m.scopeKinds[up].parents)
        stack.push_back(parent);
    }
    std::sort(rootsAbove[start].begin(), rootsAbove[start].end());
  }
  targets.resize(resourceCount);
  for (sema::ResourceId r = 0; r < resourceCount; ++r) {
    // A request for a resource that is a scope is about the instance's own node.
    targets[r] = m.resources[r].aboutKinds();
    if (targets[r].empty()) // owned by any kind
      for (ScopeKindId o = 0; o < scopeCount; ++o)
        targets[r].push_back(o);
  }
  feasible.assign(scopeCount * resourceCount, 0);
  for (ScopeKindId s = 0; s < scopeCount; ++s)
    for (sema::ResourceId r = 0; r < resourceCount; ++r)
      for (ScopeKindId o : targets[r])
        feasible[s * resourceCount + r] |= relationsTo(s, o);
}

sema::RelationMask RequestSpace::relationsTo(ScopeKindId scope, ScopeKindId target) const {
  sema::RelationMask mask = 0;
  if (target == scope)
    mask |= 1u << unsigned(Relation::Same);
  if (strictlyBelow(scope, target))
    mask |= 1u << unsigned(Relation::Descendant);
  if (strictlyBelow(target, scope))
    mask |= 1u << unsigned(Relation::Ancestor);
  if (sharedRoot(scope, false, {target}))
    mask |= 1u << unsigned(Relation::Tenant);
  return mask;
}

bool RequestSpace::sharedRoot(ScopeKindId a, bool aMayBeRoot,
                              std::initializer_list<ScopeKindId> strict) const {
  auto fits = [&](ScopeKindId r) {
    return std::all_of(strict.begin(), strict.end(), [&](ScopeKindId s) {
      return std::binary_search(rootsAbove[s].begin(), rootsAbove[s].end(), r);
    });
  };
  if (aMayBeRoot && model.scopeKinds[a].canBeRoot(a) && fits(a))
    return true;
  return std::any_of(rootsAbove[a].begin(), rootsAbove[a].end(), fits);
}

bool RequestSpace::apartAt(ScopeKindId target, ScopeKindId a, Relation ra, ScopeKindId b,
                           Relation rb) const {
  if (!(relationsTo(a, target) >> unsigned(ra) & 1) ||
      !(relationsTo(b, target) >> unsigned(rb) & 1))
    return false;
  if (unsigned(ra) > unsigned(rb)) { // one order of each pair below
    std::swap(a, b);
    std::swap(ra, rb);
  }
  if (ra == Relation::Same && rb == Relation::Same)
    return false;
  if (ra == Relation::Descendant && rb == Relation::Descendant)
    return a == b ? strictlyBelow(a, a) : strictlyBelow(a, b) || strictlyBelow(b, a);
  if (ra == Relation::Descendant && rb == Relation::Tenant)
    return sharedRoot(a, true, {b});
  if (ra == Relation::Tenant && rb == Relation::Tenant)
    return sharedRoot(target, false, {a, b});
  return true;
}

bool RequestSpace::apart(sema::ResourceId resource, ScopeKindId a, Relation ra, ScopeKindId b,
                         Relation rb) const {
  for (ScopeKindId o : targets[resource])
    if (apartAt(o, a, ra, b, rb))
      return true;
  return false;
}

sema::FlagMask RequestSpace::principalFlags(sema::KindId kind) const {
  // Facts (of the resource, the target's node, the request) are free inputs that hold for the
  // whole request, through every membership, as the principal's flags do: they are counted
  // with them, so every finding holds whatever they are and a witness names those it needs.
  sema::FlagMask mask = model.factMask();
  for (sema::FlagId f = 0; f < model.flags.size(); ++f)
    if ((model.flags[f].kinds >> kind) & 1)
      mask |= sema::FlagMask{1} << f;
  return mask;
}

sema::FlagMask RequestSpace::nodeFlags(ScopeKindId scope) const {
  sema::FlagMask mask = 0;
  for (sema::FlagId f = 0; f < model.flags.size(); ++f) {
    const auto &scopes = model.flags[f].scopes;
    if (model.flags[f].side == sema::FlagSide::Node &&
        std::find(scopes.begin(), scopes.end(), scope) != scopes.end())
      mask |= sema::FlagMask{1} << f;
  }
  return mask;
}

sema::FlagMask RequestSpace::flags(const Seat &seat) const {
  return principalFlags(seat.kind) | nodeFlags(seat.scope);
}

bool RequestSpace::kindHasSeats(sema::KindId kind) const {
  for (const Seat &seat : allSeats)
    if (seat.kind == kind)
      return true;
  return false;
}

} // namespace lattice::analysis
