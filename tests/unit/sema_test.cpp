// sema_test.cpp - name resolution and type checks: ids, patterns, extends closure, conditions
// in DNF, applicability, relations, exclusive sets and test-case resolution.
#include "compile_helper.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

std::unique_ptr<Compiled> withBase(const std::string &text) {
  return compile(std::string(kBasePolicy) + text);
}

/// The codes without the unused-declaration warnings: the base policy declares more flags and
/// user types than a small test uses (those warnings have their own test below).
std::vector<std::string> withoutUnused(std::vector<std::string> codes) {
  std::erase_if(codes, [](const std::string &code) {
    return code == "L0117" || code == "L0118" || code == "L0119" || code == "L0120" ||
           code == "L0221";
  });
  return codes;
}

const sema::Role &role(const sema::Model &m, const std::string &name) {
  for (const sema::Role &r : m.roles)
    if (r.name == name)
      return r;
  throw std::runtime_error("no role " + name);
}

TEST(Sema, PermissionsFollowDeclarationOrderIncludingGroups) {
  auto c = withBase("");
  ASSERT_TRUE(c->model) << c->describe();
  std::vector<std::string> names;
  for (const sema::Permission &p : c->model->permissions)
    names.push_back(p.name);
  EXPECT_EQ(names, (std::vector<std::string>{"station.view", "station.reset",
                                             "station.use_terminal", "station.unlock",
                                             "station.set_current", "card.view", "card.block"}));
  EXPECT_EQ(c->model->permissions[2].applicableKinds, 1u); // tenant_user only
  EXPECT_EQ(c->model->permissions[0].applicableKinds, 3u);
}

TEST(Sema, ExpandsPatternsGroupsAndExcept) {
  auto c = withBase("role r for account_user { allow station.* except station.remote in subtree; "
                    "allow card.{view} , station.remote when business; }");
  ASSERT_TRUE(c->model) << c->describe();
  ASSERT_EQ(c->model->rules.size(), 2u);
  EXPECT_EQ(c->model->rules[0].permissions, (std::vector<sema::PermissionId>{0, 1, 2}));
  EXPECT_EQ(c->model->rules[0].reach, sema::Reach::Subtree);
  EXPECT_EQ(c->model->rules[1].permissions, (std::vector<sema::PermissionId>{3, 4, 5}));
  EXPECT_EQ(c->model->rules[1].reach, sema::Reach::Self);
}

TEST(Sema, ComputesTransitiveExtends) {
  auto c = withBase("role a for account_user { allow card.view; }\n"
                    "role b for account_user extends a { }\n"
                    "role c for account_user extends b, a { }");
  ASSERT_TRUE(c->model) << c->describe();
  EXPECT_EQ(role(*c->model, "c").inherited, (std::vector<sema::RoleId>{0, 1}));
  EXPECT_TRUE(role(*c->model, "a").inherited.empty());
}

TEST(Sema, RejectsExtendsCyclesAndKindMismatch) {
  auto cycle =
      withBase("role a for account_user extends b { }\nrole b for account_user extends a { }");
  EXPECT_FALSE(cycle->model);
  EXPECT_EQ(cycle->codes(), std::vector<std::string>{"L0202"}) << cycle->describe();
  auto mismatch = withBase("role a for account_user { }\nrole b for tenant_user extends a { }");
  EXPECT_EQ(mismatch->codes(), std::vector<std::string>{"L0204"}) << mismatch->describe();
}

TEST(Sema, ConvertsConditionsToMinimalDnf) {
  auto c = withBase("role r for account_user {\n"
                    "  allow card.view when not (business and active);\n"
                    "  allow card.block when business or (business and active);\n"
                    "}");
  ASSERT_TRUE(c->model) << c->describe();
  const auto &first = c->model->rules[0].guard.clauses; // not business or not active
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0], (sema::Clause{0, 1}));
  EXPECT_EQ(first[1], (sema::Clause{0, 2}));
  const auto &second = c->model->rules[1].guard.clauses; // business absorbs business and active
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0], (sema::Clause{1, 0}));
}

TEST(Sema, WarnsOnConditionsThatNeverHold) {
  auto c = withBase("role r for account_user { allow card.view when business and not business; }");
  ASSERT_TRUE(c->model);
  EXPECT_EQ(withoutUnused(c->codes()), std::vector<std::string>{"L0214"});
  EXPECT_TRUE(c->model->rules[0].guard.isNever());
}

TEST(Sema, ChecksApplicabilityAndFlagAvailability) {
  auto applicability = withBase("role r for account_user { allow station.use_terminal; }");
  EXPECT_EQ(applicability->codes(), std::vector<std::string>{"L0203"});
  // A wildcard may span permissions that do not apply: no error.
  EXPECT_TRUE(withBase("role r for account_user { allow station.*; }")->model);
  auto flag = withBase("role r for tenant_user { allow card.view when business; }");
  EXPECT_EQ(flag->codes(), std::vector<std::string>{"L0205"});
}

TEST(Sema, ReportsEveryUnknownName) {
  auto c = withBase("role r for nobody extends ghost { allow nothing.view, card.fly in nowhere "
                    "when unknown; assigns phantom; }");
  EXPECT_FALSE(c->model);
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"L0105", "L0108", "L0106", "L0107", "L0111",
                                                  "L0109", "L0108"}))
      << c->describe();
}

TEST(Sema, ReportsRedefinitionsWithTheFirstLocation) {
  auto c = withBase("role r for account_user { }\nrole r for account_user { }\n"
                    "resource dup { a, a; }");
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"L0101", "L0101"})) << c->describe();
  for (const Diagnostic &diag : c->diags.sorted())
    EXPECT_EQ(diag.notes.size(), 1u);
}

TEST(Sema, WarnsWhenARelationCanNeverOccur) {
  auto c = compile("scope t; scope a under t; resource r { x; }\nusertype leaf at a;\n"
                   "role r for leaf { allow r.x in descendants; }");
  EXPECT_EQ(c->codes(), std::vector<std::string>{"L0211"}) << c->describe();
  EXPECT_TRUE(c->model);
}

TEST(Sema, ResolvesExclusiveSetsAndRequirements) {
  auto c = withBase("role a for account_user { }\nrole b for account_user { }\n"
                    "exclusive b, a;\nrequire active for account_user;");
  ASSERT_TRUE(c->model) << c->describe();
  ASSERT_EQ(c->model->exclusives.size(), 1u);
  EXPECT_EQ(c->model->exclusives[0].roles, (std::vector<sema::RoleId>{0, 1}));
  ASSERT_EQ(c->model->requirements.size(), 1u);
  EXPECT_EQ(c->model->requirements[0].kinds, 2u);
  EXPECT_EQ(withBase("role a for account_user { }\nexclusive a, a;")->codes(),
            (std::vector<std::string>{"L0206", "L0215"}));
}

TEST(Sema, ResolvesTestCasesAndInfersTheirKind) {
  auto c = withBase("role a for account_user { }\nrole t for tenant_user, account_user { }\n"
                    "test \"x\" { allow a + t with business: card.* on {self, elsewhere}; }");
  ASSERT_TRUE(c->model) << c->describe();
  const sema::TestCase &tc = c->model->tests[0].cases[0];
  EXPECT_EQ(tc.kind, 1u);
  EXPECT_EQ(tc.roles.size(), 2u);
  EXPECT_EQ(tc.relations, 0b1001);
  EXPECT_EQ(tc.flags, 1u);
  auto ambiguous = withBase("role t for tenant_user, account_user { }\n"
                            "test \"x\" { allow t: card.view on self; }");
  EXPECT_EQ(ambiguous->codes(), std::vector<std::string>{"L0212"});
  auto mismatch = withBase("role a for account_user { }\n"
                           "test \"x\" { allow a as tenant_user: card.view on nowhere; }");
  EXPECT_EQ(mismatch->codes(), (std::vector<std::string>{"L0112"}));
  // A deny case may check that a kind cannot use a role; an allow case never could pass.
  auto denyForeign = withBase("role a for account_user { }\n"
                              "test \"x\" { deny a as tenant_user: card.view on self; }");
  EXPECT_TRUE(denyForeign->model) << denyForeign->describe();
  auto allowForeign = withBase("role a for account_user { }\n"
                               "test \"x\" { allow a as tenant_user: card.view on self; }");
  EXPECT_EQ(allowForeign->codes(), std::vector<std::string>{"L0213"});
}

TEST(Sema, ResolvesAssignsCases) {
  auto c = withBase("role a for account_user { assigns t; }\nrole t for tenant_user { }\n"
                    "test \"x\" { assigns a + t: t, a; not assigns t: a; }");
  ASSERT_TRUE(c->model) << c->describe();
  const std::vector<sema::TestCase> &cases = c->model->tests[0].cases;
  ASSERT_EQ(cases.size(), 2u);
  EXPECT_TRUE(cases[0].assigns);
  EXPECT_EQ(cases[0].expect, sema::Effect::Allow);
  EXPECT_EQ(cases[0].roles, (std::vector<sema::RoleId>{0, 1}));
  EXPECT_EQ(cases[0].targets, (std::vector<sema::RoleId>{1, 0}));
  EXPECT_TRUE(cases[0].permissions.empty());
  EXPECT_EQ(cases[1].expect, sema::Effect::Deny);
  EXPECT_EQ(cases[1].targets, (std::vector<sema::RoleId>{0}));
  auto unknown = withBase("role a for account_user { }\ntest \"x\" { assigns a: b; }");
  EXPECT_EQ(unknown->codes(), std::vector<std::string>{"L0108"});
}

TEST(Sema, RulesAndTestsShareOneVocabularyOfRelations) {
  // Each word is the same set of relations after `in` and after `on` (docs/language.md).
  struct Word {
    const char *word;
    sema::RelationMask relations;
  } words[] = {{"self", 0b0001},      {"descendants", 0b0010}, {"ancestors", 0b0100},
               {"elsewhere", 0b1000}, {"subtree", 0b0011},     {"tenant", 0b1111}};
  for (const Word &w : words) {
    auto c = withBase(std::string("role a for account_user { allow card.view in ") + w.word +
                      "; }\ntest \"x\" { deny a: card.view on " + w.word + "; }");
    ASSERT_TRUE(c->model) << w.word << "\n" << c->describe();
    EXPECT_EQ(sema::reachRelations(c->model->rules[0].reach), w.relations) << w.word;
    EXPECT_EQ(c->model->tests[0].cases[0].relations, w.relations) << w.word;
  }
  // The old request words: the same sets, each with a warning (L0116).
  auto old = withBase("role a for account_user { allow card.view in same; }\n"
                      "test \"x\" { deny a: card.view on {same, descendant, ancestor}; }");
  ASSERT_TRUE(old->model) << old->describe();
  EXPECT_EQ(withoutUnused(old->codes()),
            (std::vector<std::string>{"L0116", "L0116", "L0116", "L0116"}));
  EXPECT_EQ(old->model->rules[0].reach, sema::Reach::Self);
  EXPECT_EQ(old->model->tests[0].cases[0].relations, 0b0111);
}

TEST(Sema, WarnsAboutDeclarationsNothingUses) {
  // The base policy reads `business` nowhere and has no role for `tenant_user` here.
  auto c = withBase("role r for account_user { allow card.view when active; }\n"
                    "role empty for account_user { }\nactions unused { a; }\n");
  ASSERT_TRUE(c->model) << c->describe();
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"L0117", "L0118", "L0221", "L0119"}));
  // Nothing is reported after an error: the use that failed may be why a name looks unused.
  auto broken = withBase("role r for account_user { allow card.view when activ; }\n");
  EXPECT_EQ(broken->codes(), std::vector<std::string>{"L0109"});
  // A module's declarations are its importers' to use or not.
  auto module = compile("module lib;\nscope s;\nusertype u at s;\nflag f on u;\n");
  EXPECT_EQ(module->codes(), std::vector<std::string>{});
}

TEST(Sema, SuggestsNamesWithinABudget) {
  // 3,000 roles each extending an unknown near-miss of a declared one: every error is reported,
  // but comparing each unknown name with every role would be 9 million comparisons, so the
  // suggestions stop once a budget is spent (the first errors keep theirs).
  std::string text = "scope t;\nusertype u at t;\nresource doc { read; }\n";
  for (int i = 0; i < 3000; ++i)
    text += "role role_" + std::to_string(i) + " for u extends rol_" + std::to_string(i) +
            " { allow doc.read; }\n";
  auto c = compile(text);
  std::vector<Diagnostic> diags = c->diags.sorted();
  ASSERT_EQ(diags.size(), 3000u);
  EXPECT_EQ(diags.front().help, "did you mean `role_0`?");
  EXPECT_EQ(diags.back().help, "");
}

} // namespace
} // namespace lattice::testing
