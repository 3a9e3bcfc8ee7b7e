// testrun_test.cpp - `lattice test`'s runner on models compiled in memory: a test's custom roles
// are built through the runtime, and a role the runtime refuses fails every case holding it.
#include "compile_helper.h"
#include "testrun/runner.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

const char *const kPolicy = R"(
policy p;
scope tenant;
scope account under tenant;
usertype api_key at account;
resource card owned_by account { view, block, delete; }
custom role key_role for api_key { allow card.{view, block} in subtree; }
test "keys" {
  custom viewer: key_role { allow card.view; }
  allow viewer: card.view on self;
  deny viewer: card.delete on self;
}
)";

TEST(TestRun, DeclaredCustomRoleHoldsExactlyItsCells) {
  auto c = compile(kPolicy);
  ASSERT_TRUE(c->model) << c->describe();
  std::string error;
  std::optional<testrun::Report> report = testrun::runTests(*c->model, error);
  ASSERT_TRUE(report) << error;
  EXPECT_EQ(report->passed, 2u);
  EXPECT_EQ(report->failed, 0u);
}

// Sema refuses a test's custom role outside its ceiling (L0243); should the runtime still refuse
// one (the two disagreeing), the deny case must fail rather than pass on a refused request.
TEST(TestRun, RoleTheRuntimeRefusesFailsEveryCaseHoldingIt) {
  auto c = compile(kPolicy);
  ASSERT_TRUE(c->model) << c->describe();
  sema::Model model = *c->model;
  ASSERT_EQ(model.tests.size(), 1u);
  ASSERT_EQ(model.tests[0].customRoles.size(), 1u);
  const sema::PermissionId remove = 2; // card.delete: not in the ceiling
  ASSERT_EQ(model.permissions[remove].name, "card.delete");
  model.tests[0].customRoles[0].cells.push_back({remove, 1});
  std::string error;
  std::optional<testrun::Report> report = testrun::runTests(model, error);
  ASSERT_TRUE(report) << error;
  EXPECT_EQ(report->passed, 0u);
  EXPECT_EQ(report->failed, 2u);
  for (const testrun::CaseResult &result : report->tests[0].cases) {
    EXPECT_EQ(result.checks, 0u);
    EXPECT_NE(result.refused.find("refused custom role `viewer` of `key_role`"), std::string::npos)
        << result.refused;
    EXPECT_NE(result.refused.find("`card.delete`"), std::string::npos) << result.refused;
  }
}

} // namespace
} // namespace lattice::testing
