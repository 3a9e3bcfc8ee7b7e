// labels.cpp - scope-tree node labels: lattice_relation_of (O(1)) and lattice_label_tree (linear,
// iterative; lattice::labelTree in lattice.hpp wraps it). A label is (tree, pre, last): the
// subtree of a node is exactly the pre-order interval [pre, last].
#include "relations.h"

#include <cstdlib>

extern "C" lattice_relation lattice_relation_of(lattice_node_label principal,
                                                lattice_node_label owner) {
  // Labels from one labelling are well-formed intervals that nest or are disjoint; anything
  // else means stale or forged labels, so it is treated like another tree: denied.
  return lattice_relation(lattice::detail::relationOfLabels(principal, owner));
}

namespace {

/// Scratch arrays of one labelling, released together (malloc: no C++ runtime for C callers).
struct Scratch {
  uint32_t *firstChild = nullptr, *children = nullptr, *fill = nullptr, *stackNode = nullptr,
           *stackChild = nullptr;
  bool allocate(size_t n) {
    firstChild = static_cast<uint32_t *>(std::malloc((n + 1) * sizeof(uint32_t)));
    children = static_cast<uint32_t *>(std::malloc((n ? n : 1) * sizeof(uint32_t)));
    fill = static_cast<uint32_t *>(std::malloc((n ? n : 1) * sizeof(uint32_t)));
    stackNode = static_cast<uint32_t *>(std::malloc((n ? n : 1) * sizeof(uint32_t)));
    stackChild = static_cast<uint32_t *>(std::malloc((n ? n : 1) * sizeof(uint32_t)));
    return firstChild && children && fill && stackNode && stackChild;
  }
  ~Scratch() {
    std::free(firstChild);
    std::free(children);
    std::free(fill);
    std::free(stackNode);
    std::free(stackChild);
  }
};

} // namespace

extern "C" lattice_label_status lattice_label_tree(const int64_t *parents, size_t count,
                                                   lattice_node_label *out, size_t *badNode) {
  if (count > 0 && (!parents || !out))
    return LATTICE_LABEL_BAD_ARGUMENT;
  if (count >= UINT32_MAX) // pre-order numbers and the "unvisited" mark must fit in 32 bits
    return LATTICE_LABEL_TOO_MANY_NODES;
  const uint32_t n = uint32_t(count);
  for (uint32_t v = 0; v < n; ++v)
    if (parents[v] < -1 || parents[v] >= int64_t(n)) {
      if (badNode)
        *badNode = v;
      return LATTICE_LABEL_PARENT_OUT_OF_RANGE;
    }
  Scratch s;
  if (!s.allocate(n))
    return LATTICE_LABEL_OUT_OF_MEMORY;
  // Children in compressed rows, each row in increasing node index (a stable counting sort).
  for (uint32_t v = 0; v <= n; ++v)
    s.firstChild[v] = 0;
  for (uint32_t v = 0; v < n; ++v)
    if (parents[v] >= 0)
      ++s.firstChild[size_t(parents[v]) + 1];
  for (uint32_t v = 0; v < n; ++v)
    s.firstChild[v + 1] += s.firstChild[v];
  for (uint32_t v = 0; v < n; ++v)
    s.fill[v] = s.firstChild[v];
  for (uint32_t v = 0; v < n; ++v)
    if (parents[v] >= 0)
      s.children[s.fill[size_t(parents[v])]++] = v;

  // The pre-order number per node (`fill` is free now), UINT32_MAX while unvisited.
  constexpr uint32_t kUnvisited = UINT32_MAX;
  uint32_t *pre = s.fill;
  for (uint32_t v = 0; v < n; ++v)
    pre[v] = kUnvisited;
  uint64_t tree = 0;
  size_t depth = 0;
  for (uint32_t root = 0; root < n; ++root) {
    if (parents[root] != -1)
      continue;
    uint32_t next = 0;
    pre[root] = next++;
    out[root] = lattice_node_label{tree, pre[root], 0};
    s.stackNode[depth] = root;
    s.stackChild[depth++] = s.firstChild[root];
    while (depth > 0) {
      const uint32_t node = s.stackNode[depth - 1];
      uint32_t &child = s.stackChild[depth - 1];
      if (child == s.firstChild[node + 1]) {
        out[node].last = next - 1; // every node of the subtree is numbered by now
        --depth;
        continue;
      }
      const uint32_t c = s.children[child++];
      pre[c] = next++;
      out[c] = lattice_node_label{tree, pre[c], 0};
      s.stackNode[depth] = c;
      s.stackChild[depth++] = s.firstChild[c];
    }
    ++tree;
  }
  // A node no root reaches lies on or below a cycle; n parent steps from it land on the cycle.
  for (uint32_t v = 0; v < n; ++v) {
    if (pre[v] != kUnvisited)
      continue;
    uint32_t onCycle = v;
    for (uint32_t step = 0; step < n; ++step)
      onCycle = uint32_t(parents[onCycle]);
    if (badNode)
      *badNode = onCycle;
    return LATTICE_LABEL_CYCLE;
  }
  return LATTICE_LABEL_OK;
}
