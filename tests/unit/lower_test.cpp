// lower_test.cpp - lowering: extends flattened into allow bitsets, denies and conditional rules
// as sparse rules (one per DNF clause), requirements and exclusive sets carried over.
#include "compile_helper.h"
#include "lower/lower.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

bool bit(const std::vector<uint64_t> &bits, const lower::Tables &t, uint32_t permission,
         sema::Relation relation, uint32_t role) {
  size_t word =
      (permission * lower::kRelationCount + static_cast<uint32_t>(relation)) * t.wordsPerBitset +
      role / 64;
  return bits[word] >> (role % 64) & 1;
}

TEST(Lower, FlattensExtendsIntoTheChildsBits) {
  auto c = compile(std::string(kBasePolicy) +
                   "role parent for account_user { allow card.view in subtree; deny card.block; }\n"
                   "role child for account_user extends parent { allow card.block in tenant; }");
  ASSERT_TRUE(c->model) << c->describe();
  lower::Tables t = lower::lowerModel(*c->model);
  const uint32_t cardView = 5, cardBlock = 6, parent = 0, child = 1;
  using R = sema::Relation;
  EXPECT_TRUE(bit(t.allowBits, t, cardView, R::Same, child));
  EXPECT_TRUE(bit(t.allowBits, t, cardView, R::Descendant, child));
  EXPECT_FALSE(bit(t.allowBits, t, cardView, R::Ancestor, child));
  EXPECT_TRUE(bit(t.allowBits, t, cardBlock, R::Tenant, child));
  EXPECT_FALSE(bit(t.allowBits, t, cardBlock, R::Tenant, parent));
  // Unconditional denies are sparse rules without flags, inherited like allows.
  ASSERT_EQ(t.sparseRules.size(), 2u);
  for (uint32_t i = 0; i < 2; ++i) {
    const lower::SparseRule &rule = t.sparseRules[i];
    EXPECT_EQ(rule.role, i == 0 ? parent : child); // sorted by permission, then role
    EXPECT_EQ(rule.permission, cardBlock);
    EXPECT_TRUE(rule.deny);
    EXPECT_TRUE(rule.relationMask & 1u << uint32_t(R::Same));
    EXPECT_EQ(rule.requiredFlags | rule.forbiddenFlags, 0u);
  }
}

TEST(Lower, MergesSparseRulesThatDifferOnlyInRelations) {
  auto c = compile(std::string(kBasePolicy) +
                   "role parent for account_user { deny card.block in ancestors; }\n"
                   "role child for account_user extends parent { deny card.block in self; }");
  ASSERT_TRUE(c->model) << c->describe();
  lower::Tables t = lower::lowerModel(*c->model);
  using R = sema::Relation;
  ASSERT_EQ(t.sparseRules.size(), 2u); // parent's, then child's own and inherited as one
  EXPECT_EQ(t.sparseRules[0].relationMask, 1u << uint32_t(R::Ancestor));
  EXPECT_EQ(t.sparseRules[1].relationMask, 1u << uint32_t(R::Same) | 1u << uint32_t(R::Ancestor));
}

TEST(Lower, EmitsOneSparseRulePerClause) {
  auto c =
      compile(std::string(kBasePolicy) +
              "role r for account_user { allow card.view in subtree when business or active; }");
  ASSERT_TRUE(c->model) << c->describe();
  lower::Tables t = lower::lowerModel(*c->model);
  ASSERT_EQ(t.sparseRules.size(), 2u);
  EXPECT_EQ(t.sparseRules[0].permission, 5u);
  EXPECT_EQ(t.sparseRules[0].relationMask, 0b0011);
  EXPECT_FALSE(t.sparseRules[0].deny);
  EXPECT_EQ(t.sparseRules[0].requiredFlags | t.sparseRules[1].requiredFlags, 3u);
  for (uint64_t word : t.allowBits)
    EXPECT_EQ(word, 0u); // conditional rules never reach the dense bitsets
}

TEST(Lower, CarriesNamesMasksExclusivesAndRequirements) {
  auto c =
      compile(std::string(kBasePolicy) + "locked role a for account_user { assigns b; }\n"
                                         "deprecated role b for account_user, tenant_user { }\n"
                                         "exclusive a, b;\nrequire active;");
  ASSERT_TRUE(c->model) << c->describe();
  lower::Tables t = lower::lowerModel(*c->model);
  EXPECT_EQ(t.policyName, "base");
  EXPECT_EQ(t.roleNames, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(t.roleKindMask, (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(t.roleAttributes, (std::vector<uint32_t>{lower::RoleLocked, lower::RoleDeprecated}));
  EXPECT_EQ(t.roleAssigns[0], std::vector<uint32_t>{1});
  EXPECT_EQ(t.exclusiveSets, (std::vector<std::vector<uint32_t>>{{0, 1}}));
  ASSERT_EQ(t.requireClauses.size(), 1u);
  EXPECT_EQ(t.requireClauses[0].requiredFlags, 2u);
  EXPECT_EQ(t.requireClauses[0].kindMask, 3u);
  EXPECT_EQ(t.wordsPerBitset, 1u);
}

TEST(Lower, IsDeterministic) {
  std::string text = std::string(kBasePolicy) +
                     "role r for account_user { allow * in subtree when business; deny card.*; }";
  auto first = compile(text), second = compile(text);
  ASSERT_TRUE(first->model && second->model);
  EXPECT_EQ(lower::lowerModel(*first->model), lower::lowerModel(*second->model));
}

} // namespace
} // namespace lattice::testing
