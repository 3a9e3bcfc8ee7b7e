// concrete_tree.cpp - the universal forest of a kind graph and the placements it shows, by
// breadth-first construction and plain ancestor tests (pre/post order numbers).
#include "concrete_tree.h"

#include <algorithm>
#include <set>

namespace lattice::difftest {

std::vector<uint64_t> ConcreteTree::path(uint32_t node) const {
  std::vector<uint64_t> ids;
  for (int v = int(node); v != -1; v = parent[v])
    ids.push_back(1000 + uint64_t(v));
  std::reverse(ids.begin(), ids.end());
  return ids;
}

std::optional<sema::Relation> ConcreteTree::relation(uint32_t node, uint32_t target) const {
  auto above = [&](uint32_t a, uint32_t d) { // a strictly above d
    for (int v = parent[d]; v != -1; v = parent[v])
      if (uint32_t(v) == a)
        return true;
    return false;
  };
  auto root = [&](uint32_t v) {
    while (parent[v] != -1)
      v = uint32_t(parent[v]);
    return v;
  };
  if (root(node) != root(target))
    return std::nullopt;
  if (node == target)
    return sema::Relation::Same;
  if (above(node, target))
    return sema::Relation::Descendant;
  if (above(target, node))
    return sema::Relation::Ancestor;
  return sema::Relation::Tenant;
}

ConcreteTree ConcreteTree::universal(const sema::Model &model, size_t maxNodes) {
  const size_t kinds = model.scopeKinds.size();
  std::vector<std::vector<sema::ScopeKindId>> children(kinds);
  for (sema::ScopeKindId c = 0; c < kinds; ++c)
    for (sema::ScopeKindId p : model.scopeKinds[c].parents)
      children[p].push_back(c);
  ConcreteTree tree;
  for (sema::ScopeKindId k = 0; k < kinds; ++k)
    if (model.scopeKinds[k].canBeRoot(k)) { // under nothing, or only itself
      tree.kind.push_back(k);
      tree.parent.push_back(-1);
    }
  for (size_t next = 0; next < tree.size(); ++next) { // breadth first: shallow levels first
    for (sema::ScopeKindId c : children[tree.kind[next]]) {
      unsigned repeats = 0;
      for (int v = int(next); v != -1; v = tree.parent[v])
        repeats += tree.kind[v] == c;
      if (repeats >= 3)
        continue;
      const unsigned copies = tree.parent[next] == -1 ? 3 : 2;
      for (unsigned i = 0; i < copies; ++i) {
        if (tree.size() >= maxNodes) {
          tree.complete = false;
          return tree;
        }
        tree.kind.push_back(c);
        tree.parent.push_back(int(next));
      }
    }
  }
  return tree;
}

Placements::Placements(const ConcreteTree &tree, size_t scopeKinds) : kinds(scopeKinds) {
  singles.assign(kinds * kinds * sema::kRelationCount, false);
  pairs.assign(kinds * slots() * slots(), false);
  const size_t n = tree.size();
  // Pre/post order numbers and roots: `a` is strictly above `d` iff pre[a] < pre[d] and
  // post[d] < post[a].
  std::vector<std::vector<uint32_t>> children(n);
  std::vector<uint32_t> root(n);
  for (uint32_t v = 0; v < n; ++v)
    if (tree.parent[v] >= 0)
      children[tree.parent[v]].push_back(v);
  std::vector<uint32_t> pre(n), post(n);
  uint32_t clock = 0;
  for (uint32_t r = 0; r < n; ++r) {
    if (tree.parent[r] != -1)
      continue;
    std::vector<std::pair<uint32_t, size_t>> stack{{r, 0}};
    pre[r] = clock++;
    while (!stack.empty()) {
      auto &[v, i] = stack.back();
      root[v] = r;
      if (i < children[v].size()) {
        uint32_t c = children[v][i++];
        pre[c] = clock++;
        stack.push_back({c, 0});
      } else {
        post[v] = clock++;
        stack.pop_back();
      }
    }
  }
  auto above = [&](uint32_t a, uint32_t d) { return pre[a] < pre[d] && post[d] < post[a]; };
  // Per target node, how many nodes of each (kind, relation) its tree has (0, 1, 2 = more);
  // targets with the same counts show the same placements.
  std::set<std::pair<sema::ScopeKindId, std::vector<uint8_t>>> seen;
  std::vector<uint8_t> count(slots());
  for (uint32_t t = 0; t < n; ++t) {
    std::fill(count.begin(), count.end(), 0);
    for (uint32_t v = 0; v < n; ++v) {
      if (root[v] != root[t])
        continue;
      sema::Relation r = v == t        ? sema::Relation::Same
                         : above(v, t) ? sema::Relation::Descendant
                         : above(t, v) ? sema::Relation::Ancestor
                                       : sema::Relation::Tenant;
      uint8_t &c = count[slot(tree.kind[v], r)];
      c = uint8_t(std::min(c + 1, 2));
    }
    const sema::ScopeKindId o = tree.kind[t];
    if (!seen.insert({o, count}).second)
      continue;
    for (size_t i = 0; i < slots(); ++i) {
      if (count[i] == 0)
        continue;
      singles[o * slots() + i] = true;
      for (size_t j = 0; j < slots(); ++j)
        if (count[j] != 0 && (i != j || count[i] >= 2))
          pairs[(o * slots() + i) * slots() + j] = true;
    }
  }
}

} // namespace lattice::difftest
