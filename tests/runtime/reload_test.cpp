// reload_test.cpp - safe reload (issue 17): a table's vocabulary fingerprint and revision, and
// the exact scenario of a host that cached an id when a new table shifts the ids.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

/// A support desk. Version 2 inserts `supervisor` above `agent`, so `supervisor` takes agent's
/// old id 0 and `agent` moves to 1; `rulesChanged` keeps version 1's names but lets agents
/// close tickets too.
lower::Tables deskTables(bool withSupervisor, bool rulesChanged = false) {
  TablesBuilder b("desk");
  const uint64_t staff = 1u << b.kind("staff");
  b.flag("on_call");
  b.flag("frozen", lower::FlagOfNode);
  const uint32_t supervisor = withSupervisor ? b.role("supervisor", staff) : LATTICE_NO_ID;
  const uint32_t agent = b.role("agent", staff);
  const uint32_t read = b.permission("ticket.read", staff);
  const uint32_t close = b.permission("ticket.close", staff);
  const uint32_t refund = b.permission("ticket.refund", staff);
  b.allow(agent, read, kAnywhere);
  if (rulesChanged)
    b.allow(agent, close, kSame);
  if (withSupervisor)
    for (uint32_t p : {read, close, refund})
      b.allow(supervisor, p, kAnywhere);
  return b.build();
}

TEST(Reload, FingerprintIsTheVocabularyAlone) {
  lower::Tables v1 = deskTables(false), same = deskTables(false, /*rulesChanged=*/true);
  same.revision = "2024-06-01.2";
  same.policyName = "desk_renamed";
  const std::vector<uint8_t> a = emit(v1), b = emit(same), c = emit(deskTables(true));
  const Table t1 = mustLoad(a), tSame = mustLoad(b), t2 = mustLoad(c);
  // Rules, revision and policy name are not vocabulary: ids cached from t1 mean the same in
  // tSame. Inserting a role changes the vocabulary.
  EXPECT_EQ(t1.fingerprint(), tSame.fingerprint());
  EXPECT_NE(t1.fingerprint(), t2.fingerprint());
  EXPECT_EQ(t1.fingerprint(), lattice_table_fingerprint(t1.get()));
  EXPECT_EQ(t1.fingerprint(), emit::vocabularyFingerprint(v1));
  EXPECT_EQ(lattice_table_fingerprint(nullptr), 0u);
  EXPECT_STREQ(lattice_table_revision(t1.get()), "");
  EXPECT_STREQ(lattice_table_revision(tSame.get()), "2024-06-01.2");
  EXPECT_EQ(tSame.revision(), "2024-06-01.2");
  EXPECT_EQ(lattice_table_revision(nullptr), nullptr);

  // Each part of the vocabulary counts: a renamed, reordered or re-sided name of any category.
  const uint64_t base = emit::vocabularyFingerprint(v1);
  auto changed = [&](void (*edit)(lower::Tables &)) {
    lower::Tables t = deskTables(false);
    edit(t);
    return emit::vocabularyFingerprint(t);
  };
  EXPECT_NE(changed([](lower::Tables &t) { t.kindNames[0] = "staffs"; }), base);
  EXPECT_NE(changed([](lower::Tables &t) { t.roleNames[0] = "agents"; }), base);
  EXPECT_NE(changed([](lower::Tables &t) { t.permissionNames[0] = "ticket.reads"; }), base);
  EXPECT_NE(
      changed([](lower::Tables &t) { std::swap(t.permissionNames[0], t.permissionNames[1]); }),
      base);
  EXPECT_NE(changed([](lower::Tables &t) { t.flagNames[1] = "frozen2"; }), base);
  EXPECT_NE(changed([](lower::Tables &t) { t.flagSides[1] = lower::FlagOfPrincipal; }), base);
  // Length prefixes keep names apart: "ab" + "c" is not "a" + "bc".
  EXPECT_NE(changed([](lower::Tables &t) { t.flagNames = {"on_callf", "rozen"}; }), base);
}

// The scenario of issue 17: a host caches role_id("agent") and swaps in a table where a role was
// inserted above it, so the cached number now names `supervisor`.
TEST(Reload, ACachedIdNeverGrantsAnotherRolesRights) {
  const std::vector<uint8_t> before = emit(deskTables(false)), after = emit(deskTables(true));
  std::optional<Table> table = Table::load(before.data(), before.size());
  ASSERT_TRUE(table);
  // Resolved once at start-up, as hosts do.
  const RoleId agent = table->roleId("agent");
  const KindId staff = table->kindId("staff");
  ASSERT_EQ(agent.value(), 0u);
  EXPECT_EQ(
      table->decide(staff, {agent}, table->permissionId("ticket.refund"), LATTICE_REL_SAME).reason,
      LATTICE_REASON_NO_ALLOW);

  // The reload.
  const uint64_t oldFingerprint = table->fingerprint();
  table = Table::load(after.data(), after.size());
  ASSERT_TRUE(table);
  ASSERT_EQ(table->roleId("supervisor").value(), 0u) << "the scenario: supervisor took agent's id";
  ASSERT_EQ(table->roleId("agent").value(), 1u);

  // Through the C++ wrapper a stale id is refused, never reinterpreted...
  const PermissionId refund = table->permissionId("ticket.refund");
  Decision stale = table->decide(table->kindId("staff"), {agent}, refund, LATTICE_REL_SAME);
  EXPECT_FALSE(stale);
  EXPECT_EQ(stale.reason, LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(table->decide(staff, {table->roleId("agent")}, refund, LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST); // a stale kind id likewise
  EXPECT_FALSE(table->canAssign({agent}, table->roleId("agent")));
  EXPECT_EQ(table->roleName(agent), "");
  std::vector<Membership> ms = {{lattice_node_ref{}, {agent}, {}}};
  const uint64_t node[] = {1};
  ms[0].node.path = {node, 1};
  EXPECT_EQ(table->decideAccess(table->kindId("staff"), {}, ms, refund, ms[0].node).reason,
            LATTICE_REASON_BAD_REQUEST);
  // ...ids resolved again in the new table decide as agent's...
  EXPECT_EQ(
      table->decide(table->kindId("staff"), {table->roleId("agent")}, refund, LATTICE_REL_SAME)
          .reason,
      LATTICE_REASON_NO_ALLOW);
  ms[0].roles = table->roles({"agent"});
  EXPECT_EQ(table->decideAccess(table->kindId("staff"), {}, ms, refund, ms[0].node).reason,
            LATTICE_REASON_NO_ALLOW);
  // ...and name-based calls resolve in the table they are made on.
  EXPECT_EQ(table->decide("staff", {"agent"}, "ticket.refund", LATTICE_REL_SAME).reason,
            LATTICE_REASON_NO_ALLOW);
  EXPECT_TRUE(table->decide("staff", {"agent"}, "ticket.read", LATTICE_REL_SAME));

  // Through the C API the raw number would be read as supervisor's (what the wrapper prevents),
  // and the host detects the change by the fingerprint.
  const uint32_t raw = agent.value();
  const lattice_request request{0, &raw, 1, refund.value(), LATTICE_REL_SAME, 0};
  EXPECT_EQ(lattice_decide(table->get(), &request).allowed, 1) << "the hazard being guarded";
  EXPECT_NE(lattice_table_fingerprint(table->get()), oldFingerprint);
  EXPECT_NE(table->fingerprint(), agent.vocabulary());
  EXPECT_FALSE(table->resolves(agent));
}

// A reload that changes only rules keeps the vocabulary: cached ids stay valid and decide by the
// new rules.
TEST(Reload, CachedIdsSurviveARulesOnlyReload) {
  const std::vector<uint8_t> before = emit(deskTables(false)),
                             after = emit(deskTables(false, true));
  std::optional<Table> table = Table::load(before.data(), before.size());
  ASSERT_TRUE(table);
  const RoleId agent = table->roleId("agent");
  const KindId staff = table->kindId("staff");
  const PermissionId close = table->permissionId("ticket.close");
  EXPECT_FALSE(table->decide(staff, {agent}, close, LATTICE_REL_SAME));
  table = Table::load(after.data(), after.size());
  ASSERT_TRUE(table);
  EXPECT_TRUE(table->resolves(agent));
  EXPECT_TRUE(table->decide(staff, {agent}, close, LATTICE_REL_SAME));
}

TEST(Reload, SetsMixingTwoVocabulariesFitNeither) {
  const std::vector<uint8_t> a = emit(deskTables(false)), b = emit(deskTables(true));
  const Table t1 = mustLoad(a), t2 = mustLoad(b);
  const RoleSet mixed{t1.roleId("agent"), t2.roleId("agent")};
  EXPECT_FALSE(mixed.fits(t1.fingerprint()));
  EXPECT_FALSE(mixed.fits(t2.fingerprint()));
  EXPECT_TRUE(RoleSet().fits(t1.fingerprint()));
  EXPECT_EQ(
      t2.decide(t2.kindId("staff"), mixed, t2.permissionId("ticket.read"), LATTICE_REL_SAME).reason,
      LATTICE_REASON_BAD_REQUEST);
  const FlagSet flags{t1.flagId("on_call"), t2.flagId("on_call")};
  EXPECT_FALSE(flags.fits(t2.fingerprint()));
  const FlagSet unknown{t2.flagId("no_such_flag")};
  EXPECT_FALSE(unknown.fits(t2.fingerprint()));
}

} // namespace
} // namespace lattice::testing
