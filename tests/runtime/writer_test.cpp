// writer_test.cpp - the emitter's contract: verifyTables rejects what cannot be written, and
// dumpTables prints the golden text of the sample policy.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

/// Applies `edit` to the sample tables and returns verifyTables' message ("" when accepted).
std::string problemAfter(void (*edit)(lower::Tables &)) {
  lower::Tables t = sampleTables();
  edit(t);
  auto problem = emit::verifyTables(t);
  if (problem) {
    EXPECT_TRUE(emit::writeTable(t).empty()) << "written despite: " << *problem;
  }
  return problem.value_or("");
}

TEST(VerifyTables, AcceptsTheSample) {
  EXPECT_EQ(problemAfter([](lower::Tables &) {}), "");
}

TEST(VerifyTables, RejectsMalformedTables) {
  using T = lower::Tables;
  const std::pair<const char *, void (*)(T &)> cases[] = {
      {"more than 64 principal kinds",
       [](T &t) {
         for (int i = 0; i < 63; ++i)
           t.kindNames.push_back("extra" + std::to_string(i));
       }},
      {"more than 64 flags", [](T &t) { t.flagNames.resize(65, "x"); }},
      {"duplicate role name `driver`", [](T &t) { t.roleNames[0] = "driver"; }},
      {"flag name contains a NUL byte", [](T &t) { t.flagNames[0] = std::string("a\0b", 3); }},
      {"policy name contains a NUL byte", [](T &t) { t.policyName.push_back('\0'); }},
      {"revision contains a NUL byte", [](T &t) { t.revision = std::string("r\0", 2); }},
      {"flag sides do not match the number of flags", [](T &t) { t.flagSides.pop_back(); }},
      {"flag `business` has no single side", [](T &t) { t.flagSides[0] = 3; }},
      {"flag `business` has no single side", [](T &t) { t.flagSides[0] = 32; }},
      {"flag `business` has no single side", [](T &t) { t.flagSides[0] = 0; }},
      {"per-role vectors do not match the number of roles",
       [](T &t) { t.roleAttributes.pop_back(); }},
      {"per-permission kind masks do not match the number of permissions",
       [](T &t) { t.permissionKindMask.push_back(0); }},
      {"role `tenant_admin` has a kind bit out of range", [](T &t) { t.roleKindMask[0] = 4; }},
      {"role `tenant_admin` has an unknown attribute", [](T &t) { t.roleAttributes[0] = 8; }},
      {"role `tenant_admin` assigns an unknown role id", [](T &t) { t.roleAssigns[0] = {6}; }},
      {"permission `station.view` has a kind bit out of range",
       [](T &t) { t.permissionKindMask[0] = 1ull << 63; }},
      {"wordsPerBitset is not ceil(roles / 64)", [](T &t) { t.wordsPerBitset = 2; }},
      {"allow bitsets do not have permissions * 4 * wordsPerBitset words",
       [](T &t) { t.allowBits.pop_back(); }},
      {"a bitset has a bit for a role id out of range", [](T &t) { t.allowBits[3] |= 1 << 6; }},
      {"a sparse rule has an id, relation or flag out of range, or applies to no kind",
       [](T &t) { t.sparseRules[0].relationMask = 0x10; }},
      {"a sparse rule has an id, relation or flag out of range, or applies to no kind",
       [](T &t) { t.sparseRules[0].requiredFlags = 1 << 4; }},
      {"a sparse rule has an id, relation or flag out of range, or applies to no kind",
       [](T &t) { t.sparseRules[0].role = 6; }},
      {"a sparse rule has an id, relation or flag out of range, or applies to no kind",
       [](T &t) { t.sparseRules[0].kindMask = 1 << 2; }}, // a kind the table does not declare
      {"a sparse rule of every role is an allow (only policy-wide denies are)",
       [](T &t) {
         t.sparseRules[0].role = lower::kEveryRole;
         t.sparseRules[0].deny = false;
       }},
      {"a conditional assigns has a role or flag out of range",
       [](T &t) {
         t.assignConditions.push_back({0, 6, 0, 0});
       }},
      {"a conditional assigns has a role or flag out of range",
       [](T &t) {
         t.assignConditions.push_back({0, 1, 1 << 4, 0});
       }},
      {"an exclusive set has an unknown role id", [](T &t) { t.exclusiveSets[0].push_back(6); }},
      {"a require clause has a kind or flag bit out of range",
       [](T &t) { t.requireClauses[0].forbiddenFlags = 1 << 5; }},
      {"clauses of one require statement have different kind masks",
       [](T &t) { t.requireClauses[2].kindMask = 3; }},
  };
  for (auto [message, edit] : cases)
    EXPECT_EQ(problemAfter(edit), message);
}

TEST(DumpTables, SampleGolden) {
  EXPECT_EQ(emit::dumpTables(sampleTables()), R"(policy sample
kind 0 tenant_user
kind 1 account_user
flag 0 business of nodes
flag 1 active of principals
flag 2 suspended of nodes
flag 3 trial of nodes
role 0 tenant_admin for tenant_user assigns support_agent, account_admin, legacy, auditor
role 1 support_agent for tenant_user
role 2 account_admin for account_user assigns driver, legacy
role 3 driver for account_user
role 4 legacy for account_user locked
role 5 auditor for tenant_user, account_user deprecated
permission 0 station.view for tenant_user, account_user
permission 1 station.reset for tenant_user, account_user
permission 2 station.use_terminal for tenant_user
permission 3 billing.invoices for tenant_user, account_user
permission 4 users.invite_driver for account_user
allow station.view self: tenant_admin, support_agent, account_admin, driver, legacy, auditor
allow station.view descendants: tenant_admin, support_agent, account_admin, legacy, auditor
allow station.view ancestors: tenant_admin, support_agent, auditor
allow station.view elsewhere: tenant_admin, support_agent, auditor
allow station.reset self: tenant_admin, support_agent, account_admin
allow station.reset descendants: tenant_admin, support_agent, account_admin
allow station.reset ancestors: tenant_admin, support_agent
allow station.reset elsewhere: tenant_admin, support_agent
allow station.use_terminal self: tenant_admin
allow station.use_terminal descendants: tenant_admin
allow station.use_terminal ancestors: tenant_admin
allow station.use_terminal elsewhere: tenant_admin
allow billing.invoices self: tenant_admin, account_admin, auditor
allow billing.invoices descendants: tenant_admin, auditor
allow billing.invoices ancestors: tenant_admin, auditor
allow billing.invoices elsewhere: tenant_admin, auditor
sparse station.reset allow driver on self when business and not trial
sparse station.reset deny auditor on self, descendants, ancestors, elsewhere
sparse station.use_terminal deny support_agent on elsewhere
sparse station.use_terminal deny auditor on self, descendants, ancestors, elsewhere
sparse billing.invoices deny support_agent on self, descendants, ancestors, elsewhere
sparse billing.invoices deny account_admin on self when not business
sparse users.invite_driver allow account_admin on self when business
exclusive tenant_admin, support_agent
exclusive account_admin, legacy
require 0 for tenant_user, account_user: not suspended
require 1 for account_user: business
require 1 for account_user: active
)");
}

TEST(DumpTables, ToleratesBadIds) {
  lower::Tables t = sampleTables();
  t.sparseRules.push_back({99, 77, 0x30, false, 1ull << 40, 0});
  t.roleAssigns[1] = {42};
  const std::string dump = emit::dumpTables(t);
  EXPECT_NE(dump.find("sparse #99 allow #77 on #4, #5 when #40"), std::string::npos) << dump;
  EXPECT_NE(dump.find("role 1 support_agent for tenant_user assigns #42"), std::string::npos);
  t.flagSides = {5};
  const std::string sides = emit::dumpTables(t);
  EXPECT_NE(sides.find("flag 0 business of side #5\nflag 1 active of side #0\n"), std::string::npos)
      << sides;
}

TEST(DumpTables, RevisionLineWhenGiven) {
  lower::Tables t = sampleTables();
  EXPECT_EQ(emit::dumpTables(t).find("revision"), std::string::npos);
  t.revision = "v1.2 (abc123)";
  EXPECT_EQ(emit::dumpTables(t).rfind("policy sample\nrevision v1.2 (abc123)\nkind 0", 0), 0u);
}

} // namespace
} // namespace lattice::testing
