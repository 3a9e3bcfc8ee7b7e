// request_space.cpp - kind-graph closures (strictly below / above / same tree) and the feasible
// relations per (principal scope kind, resource). Iterative; the kind graph is acyclic by now.
#include "analysis/request_space.h"

#include <algorithm>

namespace lattice::analysis {
namespace {

using sema::ScopeKindId;

/// below[a][b]: b is strictly below a (a path of `under` edges from b up to a).
std::vector<std::vector<bool>> strictlyBelow(const sema::Model &model) {
  const size_t n = model.scopeKinds.size();
  std::vector<std::vector<bool>> below(n, std::vector<bool>(n, false));
  for (ScopeKindId start = 0; start < n; ++start) {
    // Walk upwards from `start`: every kind reached has `start` strictly below it.
    std::vector<ScopeKindId> stack(model.scopeKinds[start].parents.begin(),
                                   model.scopeKinds[start].parents.end());
    while (!stack.empty()) {
      ScopeKindId up = stack.back();
      stack.pop_back();
      if (below[up][start])
        continue;
      below[up][start] = true;
      for (ScopeKindId parent : model.scopeKinds[up].parents)
        stack.push_back(parent);
    }
  }
  return below;
}

} // namespace

RequestSpace::RequestSpace(const sema::Model &m) : model(m) {
  const size_t scopes = m.scopeKinds.size();
  resourceCount = m.resources.size();
  for (sema::KindId k = 0; k < m.kinds.size(); ++k)
    for (ScopeKindId s : m.kinds[k].scopes)
      if (std::find(allSeats.begin(), allSeats.end(), Seat{k, s}) == allSeats.end())
        allSeats.push_back({k, s});

  auto below = strictlyBelow(m);
  // A kind under no other kind can be a tree's root (a recursive one too: chains of chains); a
  // kind under any kind, itself included, can also be below the root.
  auto isRoot = [&](ScopeKindId s) { return m.scopeKinds[s].parents.empty(); };
  auto sameTree = [&](ScopeKindId a, ScopeKindId b) {
    for (ScopeKindId r = 0; r < scopes; ++r)
      if (m.scopeKinds[r].canBeRoot(r) && (r == a || below[r][a]) && (r == b || below[r][b]))
        return true;
    return false;
  };
  auto relationsBetween = [&](ScopeKindId s, ScopeKindId o) {
    sema::RelationMask mask = 0;
    if (o == s)
      mask |= 1u << unsigned(sema::Relation::Same);
    if (below[s][o])
      mask |= 1u << unsigned(sema::Relation::Descendant);
    if (below[o][s])
      mask |= 1u << unsigned(sema::Relation::Ancestor);
    if (!isRoot(s) && !isRoot(o) && sameTree(s, o))
      mask |= 1u << unsigned(sema::Relation::Tenant);
    return mask;
  };
  feasible.assign(scopes * resourceCount, 0);
  for (ScopeKindId s = 0; s < scopes; ++s)
    for (sema::ResourceId r = 0; r < resourceCount; ++r) {
      sema::RelationMask mask = 0;
      // A request for a resource that is a scope is about the instance's own node.
      const auto &owners = m.resources[r].scope ? std::vector<ScopeKindId>{*m.resources[r].scope}
                                                : m.resources[r].owners;
      if (owners.empty())
        for (ScopeKindId o = 0; o < scopes; ++o)
          mask |= relationsBetween(s, o);
      for (ScopeKindId o : owners)
        mask |= relationsBetween(s, o);
      feasible[s * resourceCount + r] = mask;
    }
}

sema::FlagMask RequestSpace::flags(const Seat &seat) const {
  sema::FlagMask mask = 0;
  for (sema::FlagId f = 0; f < model.flags.size(); ++f) {
    const sema::Flag &flag = model.flags[f];
    bool onKind = (flag.kinds >> seat.kind) & 1;
    bool onScope =
        std::find(flag.scopes.begin(), flag.scopes.end(), seat.scope) != flag.scopes.end();
    if (onKind || onScope)
      mask |= sema::FlagMask{1} << f;
  }
  return mask;
}

bool RequestSpace::kindHasSeats(sema::KindId kind) const {
  for (const Seat &seat : allSeats)
    if (seat.kind == kind)
      return true;
  return false;
}

} // namespace lattice::analysis
