// labels.cpp - scope-tree node labels: lattice_relation_of (O(1)) and labelTree (linear,
// iterative). A label is (tree, pre, last): the subtree of a node is exactly the pre-order interval
// [pre, last].
#include "lattice/lattice.hpp"

#include <utility>

extern "C" lattice_relation lattice_relation_of(lattice_node_label principal,
                                                lattice_node_label owner) {
  // Labels from one labelling are well-formed intervals that nest or are disjoint; anything
  // else means stale or forged labels, so it is treated like another tree: denied.
  if (principal.tree != owner.tree || principal.last < principal.pre || owner.last < owner.pre)
    return LATTICE_REL_NONE;
  if (principal.pre == owner.pre)
    return principal.last == owner.last ? LATTICE_REL_SAME : LATTICE_REL_NONE;
  if (principal.pre < owner.pre && owner.pre <= principal.last)
    return owner.last <= principal.last ? LATTICE_REL_DESCENDANT : LATTICE_REL_NONE;
  if (owner.pre < principal.pre && principal.pre <= owner.last)
    return principal.last <= owner.last ? LATTICE_REL_ANCESTOR : LATTICE_REL_NONE;
  return LATTICE_REL_TENANT;
}

lattice::TreeLabels lattice::labelTree(const int64_t *parents, size_t count) {
  TreeLabels result;
  if (count > UINT32_MAX) {
    result.error = LabelError::TooManyNodes;
    return result;
  }
  const uint32_t n = uint32_t(count);
  for (uint32_t v = 0; v < n; ++v) {
    if (parents[v] < -1 || parents[v] >= int64_t(n)) {
      result.error = LabelError::ParentOutOfRange;
      result.node = v;
      return result;
    }
  }
  // Children in compressed rows, each row in increasing node index (a stable counting sort).
  std::vector<uint32_t> firstChild(size_t(n) + 1, 0), children(n);
  for (uint32_t v = 0; v < n; ++v)
    if (parents[v] >= 0)
      ++firstChild[size_t(parents[v]) + 1];
  for (uint32_t v = 0; v < n; ++v)
    firstChild[v + 1] += firstChild[v];
  {
    std::vector<uint32_t> fill(firstChild.begin(), firstChild.end() - 1);
    for (uint32_t v = 0; v < n; ++v)
      if (parents[v] >= 0)
        children[fill[size_t(parents[v])]++] = v;
  }

  constexpr uint32_t kUnvisited = UINT32_MAX;
  std::vector<lattice_node_label> labels(n, lattice_node_label{0, kUnvisited, 0});
  std::vector<std::pair<uint32_t, uint32_t>> stack; // (node, index of its next child in `children`)
  uint64_t tree = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (parents[root] != -1)
      continue;
    uint32_t next = 0;
    labels[root] = {tree, next++, 0};
    stack.emplace_back(root, firstChild[root]);
    while (!stack.empty()) {
      auto &[node, child] = stack.back();
      if (child == firstChild[node + 1]) {
        labels[node].last = next - 1; // every node of the subtree is numbered by now
        stack.pop_back();
        continue;
      }
      uint32_t c = children[child++];
      labels[c] = {tree, next++, 0};
      stack.emplace_back(c, firstChild[c]);
    }
    ++tree;
  }
  // A node no root reaches lies on or below a cycle; n parent steps from it land on the cycle.
  for (uint32_t v = 0; v < n; ++v) {
    if (labels[v].pre != kUnvisited)
      continue;
    uint32_t onCycle = v;
    for (uint32_t step = 0; step < n; ++step)
      onCycle = uint32_t(parents[onCycle]);
    result.error = LabelError::Cycle;
    result.node = onCycle;
    return result;
  }
  result.labels = std::move(labels);
  return result;
}
