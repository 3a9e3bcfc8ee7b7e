// parser_test.cpp - the parse phase: AST shape and source ranges, error recovery, input limits.
// Ranges are byte offsets; a test with non-ASCII text checks the code-point mapping.
#include "compile_helper.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

std::string slice(const Compiled &c, SourceRange range) {
  return c.sources.text(range.file).substr(range.begin, range.end - range.begin).str();
}

TEST(Parser, GivesScopesLabelsLikeOtherDeclarations) {
  auto c = compile("scope tenant \"Tenant\";\nscope account \"Customer \\\"A\\\"\" under tenant;\n"
                   "scope sub under account;\n");
  ASSERT_TRUE(c->file) << c->describe();
  ASSERT_EQ(c->file->scopes.size(), 3u);
  EXPECT_EQ(c->file->scopes[0].label, "Tenant");
  EXPECT_EQ(c->file->scopes[1].label, "Customer \"A\"");
  ASSERT_EQ(c->file->scopes[1].parents.size(), 1u);
  EXPECT_EQ(c->file->scopes[1].parents[0].name, "tenant");
  EXPECT_EQ(c->file->scopes[2].label, "");
  ASSERT_TRUE(c->model) << c->describe();
  EXPECT_EQ(c->model->scopeKinds[1].label, "Customer \"A\"");
  // The label comes before `under`, as a user type's comes before `at`.
  EXPECT_FALSE(compile("scope a; scope b under a \"B\";")->file);
}

TEST(Parser, BuildsRolesWithRulesAndRanges) {
  auto c = compile(std::string(kBasePolicy) + R"(
role driver "Driver" for account_user extends viewer {
  allow station.{view, reset}, card.* except card.block in subtree when business and not active;
  deny station.remote;
  assigns viewer;
}
role viewer for account_user { allow * in tenant; }
)");
  ASSERT_TRUE(c->file) << c->describe();
  ASSERT_EQ(c->file->roles.size(), 2u);
  const ast::RoleDecl &role = c->file->roles[0];
  EXPECT_EQ(role.name.name, "driver");
  EXPECT_EQ(role.label, "Driver");
  EXPECT_EQ(slice(*c, role.name.range), "driver");
  ASSERT_EQ(role.rules.size(), 2u);
  const ast::RuleDecl &rule = role.rules[0];
  EXPECT_EQ(rule.effect, ast::Effect::Allow);
  ASSERT_EQ(rule.patterns.size(), 2u);
  EXPECT_EQ(rule.patterns[0].form, ast::PermissionPattern::Form::Actions);
  EXPECT_EQ(rule.patterns[0].actions.size(), 2u);
  EXPECT_EQ(rule.patterns[1].form, ast::PermissionPattern::Form::AnyAction);
  ASSERT_EQ(rule.except.size(), 1u);
  ASSERT_TRUE(rule.relation);
  EXPECT_EQ(rule.relation->name, "subtree");
  ASSERT_TRUE(rule.when);
  EXPECT_EQ(rule.when->op, ast::Condition::Op::And);
  EXPECT_EQ(rule.when->rhs->op, ast::Condition::Op::Not);
  EXPECT_EQ(slice(*c, rule.range).substr(0, 5), "allow");
  EXPECT_EQ(slice(*c, rule.range).back(), ';');
  EXPECT_FALSE(role.rules[1].relation); // defaults to self in sema
  ASSERT_EQ(role.assigns.size(), 1u);
}

TEST(Parser, KeywordsAreUsableAsNames) {
  auto c = compile("scope tenant; resource station owned_by tenant { import, test, group, role; }");
  ASSERT_TRUE(c->file) << c->describe();
  EXPECT_EQ(c->file->resources[0].actions.size(), 4u);
  EXPECT_EQ(c->file->resources[0].actions[0].name.name, "import");
}

TEST(Parser, ReportsEverySyntaxErrorInOneRun) {
  auto c = compile("scope a\nscope b;\nrole x for { }\nresource r { a b; }\n");
  EXPECT_FALSE(c->file);
  std::vector<std::string> codes = c->codes();
  EXPECT_GE(codes.size(), 3u) << c->describe();
  for (const std::string &code : codes)
    EXPECT_EQ(code, "L0001");
  std::string text = c->describe();
  EXPECT_NE(text.find("1:8 L0001 expected `;`, `under` or a string after `a`"), std::string::npos) << text;
  EXPECT_NE(text.find("3:11 L0001 missing a name after `for`"), std::string::npos) << text;
  EXPECT_NE(text.find("4:16"), std::string::npos) << text;
}

TEST(Parser, ReportsLexicalErrors) {
  auto c = compile("scope a; $\nscope \"open\nscope b;\n/* never closed");
  // The rest of the unterminated string's line is dropped; the parser's complaints about the
  // gap (`scope scope b;`) follow from it and are not reported.
  EXPECT_EQ(c->codes(), (std::vector<std::string>{"L0002", "L0003", "L0004"})) << c->describe();
}

TEST(Parser, RangesCountBytesAfterNonAsciiText) {
  auto c = compile("scope tenant;\nusertype u \"Gestionnaire de la facturation é\" at tenant;\n"
                   "resource r \"Rôles\" { a; }\nrole x for u { allow r.b; }");
  ASSERT_TRUE(c->file);
  const ast::PermissionPattern &pattern = c->file->roles[0].rules[0].patterns[0];
  EXPECT_EQ(slice(*c, pattern.actions[0].range), "b");
  EXPECT_EQ(slice(*c, c->file->resources[0].actions[0].name.range), "a");
}

TEST(Parser, RejectsBinaryAndHugeInput) {
  EXPECT_EQ(compile(std::string("scope a;\0", 9))->codes(), std::vector<std::string>{"L0006"});
  EXPECT_EQ(compile("scope \xff;")->codes(), std::vector<std::string>{"L0006"});
  EXPECT_EQ(compile(std::string(5u << 20, ' '))->codes(), std::vector<std::string>{"L0005"});
}

TEST(Parser, RejectsDeepNestingWithoutRecursing) {
  std::string deep = "role x for u { allow * when " + std::string(100000, '(') + "a;}";
  EXPECT_EQ(compile(deep)->codes(), std::vector<std::string>{"L0007"});
  std::string longCondition = "role x for u { allow * when a";
  for (int i = 0; i < 100000; ++i)
    longCondition += " and a";
  EXPECT_EQ(compile(longCondition + "; }")->codes(), std::vector<std::string>{"L0007"});
}

TEST(Parser, StopsAfterTooManyErrors) {
  std::string garbage;
  for (int i = 0; i < 500; ++i)
    garbage += "role ; ";
  auto c = compile(garbage);
  std::vector<std::string> codes = c->codes();
  EXPECT_LE(codes.size(), 51u);
  EXPECT_NE(std::find(codes.begin(), codes.end(), "L0008"), codes.end());
}

TEST(Parser, ParsesFilesWithoutTokensButRefusesAnEmptyPolicy) {
  for (const char *text : {"", "// only a comment\n", "/* block */ \n\t", "policy p;"}) {
    auto c = compile(text);
    EXPECT_TRUE(c->file) << c->describe(); // parsing succeeds (no crash on zero tokens)
    EXPECT_FALSE(c->model);
    EXPECT_EQ(c->codes(), std::vector<std::string>{"L0010"});
  }
}

TEST(Parser, StopsAtTheErrorLimitForStrayCharacters) {
  std::string spaced;
  for (int i = 0; i < 300; ++i)
    spaced += "$ ";
  auto c = compile("scope a;\n" + spaced);
  std::vector<std::string> codes = c->codes();
  ASSERT_EQ(codes.size(), 101u);
  EXPECT_EQ(codes.back(), "L0008");
  // Stray characters written together are one mistake (`&&`): one diagnostic for the run.
  auto run = compile("scope a;\n" + std::string(300, '$'));
  EXPECT_EQ(run->codes(), std::vector<std::string>{"L0002"});
}

TEST(Parser, KeepsCommentsForLaterPasses) {
  auto c = compile("// lattice: allow(redundant) \"why\"\nscope a; /* block */");
  ASSERT_TRUE(c->file);
  ASSERT_EQ(c->file->comments.size(), 2u);
  EXPECT_EQ(c->file->comments[0].text, "// lattice: allow(redundant) \"why\"");
}

} // namespace
} // namespace lattice::testing
