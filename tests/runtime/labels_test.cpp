// labels_test.cpp - node references: lattice_relation_of on hand-made and computed labels,
// labelTree (and its C form) on forests, bad parents, cycles and a million-node chain (no
// recursion), and lattice_relation_of_paths against the labels.
#include "lattice/lattice.hpp"

#include <gtest/gtest.h>
#include <random>

namespace lattice {
namespace {

lattice_node_label label(uint64_t tree, uint32_t pre, uint32_t last) { return {tree, pre, last}; }

TEST(RelationOf, Cases) {
  // tree 1:  0 [0,4] -> 1 [1,2] -> 2 [2,2];  0 -> 3 [3,4] -> 4 [4,4]
  const auto root = label(1, 0, 4), a = label(1, 1, 2), aChild = label(1, 2, 2), b = label(1, 3, 4),
             bChild = label(1, 4, 4);
  EXPECT_EQ(relationOf(root, root), LATTICE_REL_SAME);
  EXPECT_EQ(relationOf(aChild, aChild), LATTICE_REL_SAME);
  EXPECT_EQ(relationOf(root, aChild), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(relationOf(a, aChild), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(relationOf(aChild, root), LATTICE_REL_ANCESTOR);
  EXPECT_EQ(relationOf(bChild, b), LATTICE_REL_ANCESTOR);
  EXPECT_EQ(relationOf(a, b), LATTICE_REL_TENANT);
  EXPECT_EQ(relationOf(aChild, bChild), LATTICE_REL_TENANT);
  EXPECT_EQ(relationOf(bChild, a), LATTICE_REL_TENANT);
  EXPECT_EQ(relationOf(root, label(2, 0, 4)), LATTICE_REL_NONE); // another tree
  EXPECT_EQ(relationOf(label(2, 1, 1), aChild), LATTICE_REL_NONE);
}

TEST(RelationOf, InconsistentLabelsAreNone) {
  EXPECT_EQ(relationOf(label(1, 3, 2), label(1, 3, 2)), LATTICE_REL_NONE); // last < pre
  EXPECT_EQ(relationOf(label(1, 0, 4), label(1, 5, 4)), LATTICE_REL_NONE);
  EXPECT_EQ(relationOf(label(1, 2, 3), label(1, 2, 4)), LATTICE_REL_NONE); // same pre
  EXPECT_EQ(relationOf(label(1, 0, 4), label(1, 3, 6)), LATTICE_REL_NONE); // overlap
  EXPECT_EQ(relationOf(label(1, 3, 6), label(1, 0, 4)), LATTICE_REL_NONE);
  EXPECT_EQ(relationOf(label(1, 0, UINT32_MAX), label(1, UINT32_MAX, UINT32_MAX)),
            LATTICE_REL_DESCENDANT);
}

TEST(LabelTree, SmallForestInAnyOrder) {
  // Nodes:       0    1   2   3   4   5   6
  // parents:     2   -1   1   1  -1   3   2     (two trees: 1 -> {2 -> {0, 6}, 3 -> {5}}; 4)
  TreeLabels result = labelTree({2, -1, 1, 1, -1, 3, 2});
  ASSERT_TRUE(result.ok());
  const auto &l = result.labels;
  // Pre-order from root 1 visiting children by index: 1, 2, 0, 6, 3, 5.
  EXPECT_EQ(l[1].tree, 0u);
  EXPECT_EQ(l[1].pre, 0u);
  EXPECT_EQ(l[1].last, 5u);
  EXPECT_EQ(l[2].pre, 1u);
  EXPECT_EQ(l[2].last, 3u);
  EXPECT_EQ(l[0].pre, 2u);
  EXPECT_EQ(l[0].last, 2u);
  EXPECT_EQ(l[6].pre, 3u);
  EXPECT_EQ(l[3].pre, 4u);
  EXPECT_EQ(l[3].last, 5u);
  EXPECT_EQ(l[5].pre, 5u);
  EXPECT_EQ(l[4].tree, 1u);
  EXPECT_EQ(l[4].pre, 0u);
  EXPECT_EQ(l[4].last, 0u);
  EXPECT_EQ(relationOf(l[2], l[6]), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(relationOf(l[5], l[1]), LATTICE_REL_ANCESTOR);
  EXPECT_EQ(relationOf(l[0], l[5]), LATTICE_REL_TENANT);
  EXPECT_EQ(relationOf(l[0], l[4]), LATTICE_REL_NONE);
}

TEST(LabelTree, Empty) {
  TreeLabels result = labelTree(std::vector<int64_t>{});
  EXPECT_TRUE(result.ok());
  EXPECT_TRUE(result.labels.empty());
}

TEST(LabelTree, BadParents) {
  for (std::vector<int64_t> parents :
       {std::vector<int64_t>{-1, -2}, {-1, 2}, {-1, 0, 7}, {INT64_MIN}, {INT64_MAX}}) {
    TreeLabels result = labelTree(parents);
    EXPECT_EQ(result.error, LabelError::ParentOutOfRange);
    EXPECT_TRUE(result.labels.empty());
  }
  EXPECT_EQ(labelTree({-1, 0, 7}).node, 2u);
}

TEST(LabelTree, Cycles) {
  TreeLabels self = labelTree({-1, 1});
  EXPECT_EQ(self.error, LabelError::Cycle);
  EXPECT_EQ(self.node, 1u);
  TreeLabels pair = labelTree({1, 0});
  EXPECT_EQ(pair.error, LabelError::Cycle);
  // A tail hanging off a cycle: the reported node is on the cycle itself (3 -> 4 -> 5 -> 3).
  TreeLabels tail = labelTree({-1, 0, 3, 4, 5, 3});
  EXPECT_EQ(tail.error, LabelError::Cycle);
  EXPECT_TRUE(tail.node == 3 || tail.node == 4 || tail.node == 5) << tail.node;
  EXPECT_TRUE(tail.labels.empty());
}

TEST(LabelTree, MillionNodeChainNeedsNoRecursion) {
  const size_t n = 1000000;
  std::vector<int64_t> parents(n);
  for (size_t i = 0; i < n; ++i)
    parents[i] = int64_t(i) - 1; // node 0 is the root; each node the parent of the next
  TreeLabels result = labelTree(parents);
  ASSERT_TRUE(result.ok());
  for (size_t i = 0; i < n; i += 99991) {
    EXPECT_EQ(result.labels[i].pre, i);
    EXPECT_EQ(result.labels[i].last, n - 1);
  }
  EXPECT_EQ(relationOf(result.labels[0], result.labels[n - 1]), LATTICE_REL_DESCENDANT);
  // Reversed: the root is the last node.
  for (size_t i = 0; i < n; ++i)
    parents[i] = i + 1 < n ? int64_t(i + 1) : -1;
  result = labelTree(parents);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.labels[n - 1].pre, 0u);
  EXPECT_EQ(result.labels[0].pre, n - 1);
  // A million-node cycle is found without recursion too.
  parents[n - 1] = 0;
  EXPECT_EQ(labelTree(parents).error, LabelError::Cycle);
}

/// Random forests: every pair's relation matches the one computed by walking parents.
TEST(LabelTree, RandomForestsMatchParentWalks) {
  std::mt19937 rng(99);
  for (int round = 0; round < 20; ++round) {
    const size_t n = 1 + rng() % 120;
    // Build with a random permutation so parents may have larger indices than children.
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
      order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<int64_t> parents(n);
    for (size_t i = 0; i < n; ++i)
      parents[order[i]] = (i == 0 || rng() % 8 == 0) ? -1 : int64_t(order[rng() % i]);
    TreeLabels result = labelTree(parents);
    ASSERT_TRUE(result.ok());
    auto isAncestor = [&](size_t a, size_t d) { // strictly
      for (int64_t v = parents[d]; v != -1; v = parents[size_t(v)])
        if (size_t(v) == a)
          return true;
      return false;
    };
    auto rootOf = [&](size_t v) {
      while (parents[v] != -1)
        v = size_t(parents[v]);
      return v;
    };
    for (size_t p = 0; p < n; ++p)
      for (size_t o = 0; o < n; ++o) {
        lattice_relation want = rootOf(p) != rootOf(o) ? LATTICE_REL_NONE
                                : p == o               ? LATTICE_REL_SAME
                                : isAncestor(p, o)     ? LATTICE_REL_DESCENDANT
                                : isAncestor(o, p)     ? LATTICE_REL_ANCESTOR
                                                       : LATTICE_REL_TENANT;
        ASSERT_EQ(relationOf(result.labels[p], result.labels[o]), want) << p << " " << o;
      }
  }
}

lattice_relation pathRelation(const std::vector<uint64_t> &principal,
                              const std::vector<uint64_t> &owner) {
  return lattice_relation_of_paths({principal.data(), uint32_t(principal.size())},
                                   {owner.data(), uint32_t(owner.size())});
}

TEST(RelationOfPaths, Cases) {
  // tenant 10 -> account 20 -> subaccount 30;  tenant 10 -> account 21;  tenant 11
  const std::vector<uint64_t> tenant{10}, a{10, 20}, sub{10, 20, 30}, b{10, 21}, other{11};
  EXPECT_EQ(pathRelation(a, a), LATTICE_REL_SAME);
  EXPECT_EQ(pathRelation(a, sub), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(pathRelation(tenant, sub), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(pathRelation(sub, tenant), LATTICE_REL_ANCESTOR);
  EXPECT_EQ(pathRelation(a, b), LATTICE_REL_TENANT);
  EXPECT_EQ(pathRelation(sub, b), LATTICE_REL_TENANT);
  EXPECT_EQ(pathRelation(a, other), LATTICE_REL_NONE);
  EXPECT_EQ(pathRelation({}, a), LATTICE_REL_NONE); // no node: never a relation
  EXPECT_EQ(lattice_relation_of_paths({nullptr, 2}, {a.data(), 2}), LATTICE_REL_NONE);
  // The same ids below different roots are different nodes.
  EXPECT_EQ(pathRelation({10, 20}, {11, 20}), LATTICE_REL_NONE);
}

/// Random forests: the relation of two nodes' ancestor paths matches the labels' relation (and
/// so the parent walks of RandomForestsMatchParentWalks), including after the tree changed:
/// paths of untouched nodes stay valid when a node is inserted.
TEST(RelationOfPaths, RandomForestsMatchLabels) {
  std::mt19937 rng(7);
  for (int round = 0; round < 20; ++round) {
    const size_t n = 1 + rng() % 100;
    std::vector<int64_t> parents(n);
    for (size_t i = 0; i < n; ++i)
      parents[i] = (i == 0 || rng() % 8 == 0) ? -1 : int64_t(rng() % i);
    TreeLabels labels = labelTree(parents);
    ASSERT_TRUE(labels.ok());
    auto pathOf = [&](size_t v) {
      std::vector<uint64_t> path;
      for (int64_t x = int64_t(v); x != -1; x = parents[size_t(x)])
        path.insert(path.begin(), 1000 + uint64_t(x)); // the host's ids, not the indexes
      return path;
    };
    for (size_t p = 0; p < n; ++p)
      for (size_t o = 0; o < n; ++o)
        ASSERT_EQ(pathRelation(pathOf(p), pathOf(o)),
                  relationOf(labels.labels[p], labels.labels[o]))
            << p << " " << o;
  }
}

TEST(LabelTreeC, StatusesAndLabels) {
  const int64_t parents[] = {-1, 0, 1, 0};
  lattice_node_label labels[4];
  size_t bad = 99;
  ASSERT_EQ(lattice_label_tree(parents, 4, labels, &bad), LATTICE_LABEL_OK);
  EXPECT_EQ(labels[0].last, 3u);
  EXPECT_EQ(labels[2].pre, 2u);
  EXPECT_EQ(relationOf(labels[1], labels[2]), LATTICE_REL_DESCENDANT);
  const int64_t outOfRange[] = {-1, 7};
  EXPECT_EQ(lattice_label_tree(outOfRange, 2, labels, &bad), LATTICE_LABEL_PARENT_OUT_OF_RANGE);
  EXPECT_EQ(bad, 1u);
  const int64_t cycle[] = {-1, 2, 1};
  EXPECT_EQ(lattice_label_tree(cycle, 3, labels, nullptr), LATTICE_LABEL_CYCLE);
  EXPECT_EQ(lattice_label_tree(nullptr, 3, labels, nullptr), LATTICE_LABEL_BAD_ARGUMENT);
  EXPECT_EQ(lattice_label_tree(nullptr, 0, nullptr, nullptr), LATTICE_LABEL_OK);
}

} // namespace
} // namespace lattice
