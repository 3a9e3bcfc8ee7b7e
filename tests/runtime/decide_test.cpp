// decide_test.cpp - every decision path and reason of lattice_decide, delegation, name lookup,
// and randomized agreement with the reference decision on several table shapes.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <random>

namespace lattice::testing {
namespace {

using namespace sample;

class SampleTest : public ::testing::Test {
protected:
  lower::Tables tables = sampleTables();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);

  Decision decide(uint32_t kind, std::vector<uint32_t> roles, uint32_t permission,
                  lattice_relation relation, uint64_t flags = 0) {
    lattice_request request{kind,       roles.data(),       uint32_t(roles.size()),
                            permission, uint32_t(relation), flags};
    return Decision(decideChecked(table, tables, request));
  }
};

/// "prefix<n>"; appending sidesteps a GCC 12 -Wrestrict false positive on "literal" + string.
std::string numbered(const char *prefix, uint64_t n) {
  std::string s = prefix;
  s += std::to_string(n);
  return s;
}

#define EXPECT_DECISION(d, isAllowed, why, role)                                                   \
  do {                                                                                             \
    Decision d_ = (d);                                                                             \
    EXPECT_EQ(d_.allowed, isAllowed);                                                              \
    EXPECT_EQ(d_.reason, why);                                                                     \
    EXPECT_EQ(d_.decidingRole, uint32_t(role));                                                    \
  } while (0)

TEST_F(SampleTest, AllowedByLowestAllowingRole) {
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_TENANT), true,
                  LATTICE_REASON_ALLOWED, kTenantAdmin);
  // The decision depends on the set of held roles, not their order.
  EXPECT_DECISION(decide(kTenantUser, {kAuditor, kTenantAdmin}, kView, LATTICE_REL_SAME), true,
                  LATTICE_REASON_ALLOWED, kTenantAdmin);
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin, kAuditor}, kView, LATTICE_REL_SAME), true,
                  LATTICE_REASON_ALLOWED, kTenantAdmin);
}

TEST_F(SampleTest, DenyOverridesAllowOfAnotherRole) {
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin, kAuditor}, kReset, LATTICE_REL_SAME), false,
                  LATTICE_REASON_DENIED_BY_RULE, kAuditor);
  EXPECT_DECISION(decide(kTenantUser, {kSupportAgent}, kInvoices, LATTICE_REL_DESCENDANT), false,
                  LATTICE_REASON_DENIED_BY_RULE, kSupportAgent);
}

TEST_F(SampleTest, LowestDenyingRoleDecides) {
  for (auto roles : {std::vector<uint32_t>{kSupportAgent, kAuditor}, {kAuditor, kSupportAgent}})
    EXPECT_DECISION(decide(kTenantUser, roles, kTerminal, LATTICE_REL_TENANT), false,
                    LATTICE_REASON_DENIED_BY_RULE, kSupportAgent);
  // support_agent denies use_terminal only in tenant; elsewhere auditor is the only denier.
  EXPECT_DECISION(decide(kTenantUser, {kSupportAgent, kAuditor}, kTerminal, LATTICE_REL_SAME),
                  false, LATTICE_REASON_DENIED_BY_RULE, kAuditor);
}

TEST_F(SampleTest, NoAllow) {
  EXPECT_DECISION(decide(kAccountUser, {kDriver}, kView, LATTICE_REL_DESCENDANT, kActive), false,
                  LATTICE_REASON_NO_ALLOW, LATTICE_NO_ID);
  EXPECT_DECISION(decide(kAccountUser, {}, kView, LATTICE_REL_SAME, kActive), false,
                  LATTICE_REASON_NO_ALLOW, LATTICE_NO_ID);
  lattice_request nullRoles{kTenantUser, nullptr, 0, kView, LATTICE_REL_SAME, 0};
  EXPECT_EQ(decideRaw(table, nullRoles).reason, LATTICE_REASON_NO_ALLOW);
}

TEST_F(SampleTest, BadRequests) {
  const uint32_t unknownRole = uint32_t(tables.roleNames.size());
  EXPECT_EQ(decide(2, {kTenantAdmin}, kView, LATTICE_REL_SAME).reason, LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin}, 5, LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin, unknownRole}, kView, LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {LATTICE_NO_ID}, kView, LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin}, kView, lattice_relation(5)).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_SAME, 1u << 4).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_SAME, 1ull << 63).reason,
            LATTICE_REASON_BAD_REQUEST);
  // A bad id wins over another tree: the request is checked before it is interpreted.
  EXPECT_EQ(decide(kTenantUser, {unknownRole}, kView, LATTICE_REL_NONE).reason,
            LATTICE_REASON_BAD_REQUEST);
  lattice_request nullRoles{kTenantUser, nullptr, 1, kView, LATTICE_REL_SAME, 0};
  EXPECT_DECISION(decideRaw(table, nullRoles), false, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID);
  EXPECT_EQ(lattice_decide(table.get(), nullptr).reason, LATTICE_REASON_BAD_REQUEST);
}

TEST_F(SampleTest, NoTable) {
  lattice_request request{kTenantUser, nullptr, 0, kView, LATTICE_REL_SAME, 0};
  lattice_decision d = lattice_decide(nullptr, &request);
  EXPECT_EQ(d.allowed, 0);
  EXPECT_EQ(d.reason, LATTICE_REASON_NO_TABLE);
  EXPECT_EQ(d.deciding_role, LATTICE_NO_ID);
  EXPECT_EQ(lattice_decide(nullptr, nullptr).reason, LATTICE_REASON_NO_TABLE);
}

TEST_F(SampleTest, OtherTree) {
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_NONE), false,
                  LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID);
}

TEST_F(SampleTest, RoleNotForKind) {
  EXPECT_DECISION(decide(kAccountUser, {kDriver, kTenantAdmin}, kView, LATTICE_REL_SAME, kActive),
                  false, LATTICE_REASON_ROLE_NOT_FOR_KIND, kTenantAdmin);
  EXPECT_DECISION(decide(kAccountUser, {kSupportAgent, kDriver, kTenantAdmin}, kView,
                         LATTICE_REL_SAME, kActive),
                  false, LATTICE_REASON_ROLE_NOT_FOR_KIND, kTenantAdmin);
  // Checked before exclusivity: both roles are also exclusive with each other.
  EXPECT_DECISION(decide(kAccountUser, {kSupportAgent, kTenantAdmin}, kView, LATTICE_REL_SAME),
                  false, LATTICE_REASON_ROLE_NOT_FOR_KIND, kTenantAdmin);
}

TEST_F(SampleTest, Exclusive) {
  for (auto roles : {std::vector<uint32_t>{kTenantAdmin, kSupportAgent},
                     {kSupportAgent, kTenantAdmin},
                     {kTenantAdmin, kTenantAdmin, kSupportAgent},
                     {kAuditor, kSupportAgent, kTenantAdmin}})
    EXPECT_DECISION(decide(kTenantUser, roles, kView, LATTICE_REL_SAME), false,
                    LATTICE_REASON_EXCLUSIVE, kTenantAdmin);
  EXPECT_DECISION(decide(kAccountUser, {kLegacy, kAccountAdmin}, kView, LATTICE_REL_SAME, kActive),
                  false, LATTICE_REASON_EXCLUSIVE, kAccountAdmin);
  // The same role twice is one role.
  EXPECT_DECISION(decide(kTenantUser, {kSupportAgent, kSupportAgent}, kView, LATTICE_REL_SAME),
                  true, LATTICE_REASON_ALLOWED, kSupportAgent);
  // Checked before applicability.
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin, kSupportAgent}, kInvite, LATTICE_REL_SAME).reason,
            LATTICE_REASON_EXCLUSIVE);
}

TEST_F(SampleTest, NotApplicable) {
  EXPECT_DECISION(decide(kAccountUser, {kDriver}, kTerminal, LATTICE_REL_SAME, kActive), false,
                  LATTICE_REASON_NOT_APPLICABLE, LATTICE_NO_ID);
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin}, kInvite, LATTICE_REL_SAME), false,
                  LATTICE_REASON_NOT_APPLICABLE, LATTICE_NO_ID);
  // Checked before requirements: this account user is neither active nor business.
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kTerminal, LATTICE_REL_SAME).reason,
            LATTICE_REASON_NOT_APPLICABLE);
}

TEST_F(SampleTest, Requirements) {
  // `require not suspended` applies to every kind.
  EXPECT_DECISION(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_SAME, kSuspended), false,
                  LATTICE_REASON_REQUIREMENT, LATTICE_NO_ID);
  // `require active or business for account_user`: either clause satisfies it.
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kView, LATTICE_REL_SAME).reason,
            LATTICE_REASON_REQUIREMENT);
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kView, LATTICE_REL_SAME, kActive).reason,
            LATTICE_REASON_ALLOWED);
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kView, LATTICE_REL_SAME, kBusiness).reason,
            LATTICE_REASON_ALLOWED);
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kView, LATTICE_REL_SAME, kActive | kSuspended).reason,
            LATTICE_REASON_REQUIREMENT);
  // ...and not to tenant users.
  EXPECT_EQ(decide(kTenantUser, {kTenantAdmin}, kView, LATTICE_REL_SAME).reason,
            LATTICE_REASON_ALLOWED);
  // A request with no roles is still subject to requirements.
  EXPECT_EQ(decide(kAccountUser, {}, kView, LATTICE_REL_SAME).reason, LATTICE_REASON_REQUIREMENT);
}

TEST_F(SampleTest, GuardedAllow) {
  EXPECT_DECISION(decide(kAccountUser, {kAccountAdmin}, kInvite, LATTICE_REL_SAME, kBusiness), true,
                  LATTICE_REASON_ALLOWED, kAccountAdmin);
  EXPECT_EQ(decide(kAccountUser, {kAccountAdmin}, kInvite, LATTICE_REL_SAME, kActive).reason,
            LATTICE_REASON_NO_ALLOW); // condition false
  EXPECT_EQ(
      decide(kAccountUser, {kAccountAdmin}, kInvite, LATTICE_REL_DESCENDANT, kBusiness).reason,
      LATTICE_REASON_NO_ALLOW); // relation not covered
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kInvite, LATTICE_REL_SAME, kBusiness).reason,
            LATTICE_REASON_NO_ALLOW); // role not held
  // Forbidden flags: driver may reset when business and not trial.
  EXPECT_DECISION(decide(kAccountUser, {kDriver}, kReset, LATTICE_REL_SAME, kBusiness), true,
                  LATTICE_REASON_ALLOWED, kDriver);
  EXPECT_EQ(decide(kAccountUser, {kDriver}, kReset, LATTICE_REL_SAME, kBusiness | kTrial).reason,
            LATTICE_REASON_NO_ALLOW);
}

TEST_F(SampleTest, GuardedDeny) {
  // account_admin: allow invoices in self, but deny in self when not business.
  EXPECT_DECISION(decide(kAccountUser, {kAccountAdmin}, kInvoices, LATTICE_REL_SAME, kActive),
                  false, LATTICE_REASON_DENIED_BY_RULE, kAccountAdmin);
  EXPECT_DECISION(decide(kAccountUser, {kAccountAdmin}, kInvoices, LATTICE_REL_SAME, kBusiness),
                  true, LATTICE_REASON_ALLOWED, kAccountAdmin);
  // A guarded deny of one role beats a dense allow of another.
  EXPECT_DECISION(
      decide(kAccountUser, {kAuditor, kAccountAdmin}, kInvoices, LATTICE_REL_SAME, kActive), false,
      LATTICE_REASON_DENIED_BY_RULE, kAccountAdmin);
}

TEST_F(SampleTest, CanAssign) {
  const lattice_table *t = table.get();
  auto can = [&](std::vector<uint32_t> roles, uint32_t target) {
    bool result = lattice_can_assign(t, roles.data(), uint32_t(roles.size()), target) != 0;
    EXPECT_EQ(result, referenceCanAssign(tables, roles, target));
    return result;
  };
  EXPECT_TRUE(can({kTenantAdmin}, kSupportAgent));
  EXPECT_TRUE(can({kTenantAdmin}, kAuditor)); // deprecated roles may still be assigned
  EXPECT_FALSE(can({kTenantAdmin}, kLegacy)); // locked: nobody may be given it
  EXPECT_FALSE(can({kAccountAdmin}, kLegacy));
  EXPECT_FALSE(can({kTenantAdmin}, kDriver)); // not in its assigns list
  EXPECT_TRUE(can({kAccountAdmin}, kDriver));
  EXPECT_TRUE(can({kDriver, kAccountAdmin}, kDriver));
  EXPECT_FALSE(can({kDriver}, kDriver));
  EXPECT_FALSE(can({}, kDriver));
  EXPECT_FALSE(can({kAccountAdmin}, 6));             // unknown target
  EXPECT_FALSE(can({kAccountAdmin}, LATTICE_NO_ID)); // unknown target
  EXPECT_FALSE(can({kAccountAdmin, 99}, kDriver));   // any bad held id fails closed
  EXPECT_EQ(lattice_can_assign(t, nullptr, 0, kDriver), 0);
  EXPECT_EQ(lattice_can_assign(t, nullptr, 1, kDriver), 0);
  const uint32_t admin = kAccountAdmin;
  EXPECT_EQ(lattice_can_assign(nullptr, &admin, 1, kDriver), 0);
  EXPECT_TRUE(table.canAssign({table.roleId("account_admin")}, table.roleId("driver")));
  EXPECT_FALSE(table.canAssign(table.roles({"account_admin"}), table.roleId("legacy")));
  EXPECT_FALSE(table.canAssign({table.roleId("account_admin")}, RoleId()));
}

TEST_F(SampleTest, NameLookup) {
  const lattice_table *t = table.get();
  EXPECT_EQ(lattice_kind_id(t, "account_user"), kAccountUser);
  EXPECT_EQ(lattice_role_id(t, "driver"), kDriver);
  EXPECT_EQ(lattice_permission_id(t, "station.use_terminal"), kTerminal);
  EXPECT_EQ(lattice_flag_id(t, "trial"), 3u);
  for (const char *unknown : {"", "drive", "drivers", "Driver", "station", "zzz", "\xff"})
    EXPECT_EQ(lattice_role_id(t, unknown), LATTICE_NO_ID) << unknown;
  EXPECT_EQ(lattice_role_id(t, nullptr), LATTICE_NO_ID);
  EXPECT_EQ(lattice_role_id(nullptr, "driver"), LATTICE_NO_ID);
  EXPECT_STREQ(lattice_policy_name(t), "sample");
  EXPECT_EQ(lattice_policy_name(nullptr), nullptr);

  // Every name of every category round-trips.
  const std::vector<std::string> *lists[] = {&tables.kindNames, &tables.roleNames,
                                             &tables.permissionNames, &tables.flagNames};
  using IdFn = uint32_t (*)(const lattice_table *, const char *);
  using NameFn = const char *(*)(const lattice_table *, uint32_t);
  using CountFn = uint32_t (*)(const lattice_table *);
  const IdFn ids[] = {lattice_kind_id, lattice_role_id, lattice_permission_id, lattice_flag_id};
  const NameFn names[] = {lattice_kind_name, lattice_role_name, lattice_permission_name,
                          lattice_flag_name};
  const CountFn counts[] = {lattice_kind_count, lattice_role_count, lattice_permission_count,
                            lattice_flag_count};
  for (int c = 0; c < 4; ++c) {
    ASSERT_EQ(counts[c](t), lists[c]->size());
    EXPECT_EQ(counts[c](nullptr), 0u);
    for (uint32_t id = 0; id < lists[c]->size(); ++id) {
      EXPECT_EQ(ids[c](t, (*lists[c])[id].c_str()), id);
      EXPECT_STREQ(names[c](t, id), (*lists[c])[id].c_str());
    }
    EXPECT_EQ(names[c](t, uint32_t(lists[c]->size())), nullptr);
    EXPECT_EQ(names[c](t, LATTICE_NO_ID), nullptr);
    EXPECT_EQ(names[c](nullptr, 0), nullptr);
  }
}

TEST_F(SampleTest, CxxWrapperLookupTakesUnterminatedViews) {
  const std::string buffer = "driverXYZ";
  EXPECT_EQ(table.roleId(std::string_view(buffer).substr(0, 6)).value(), kDriver);
  EXPECT_EQ(table.roleId(std::string_view(buffer)).value(), LATTICE_NO_ID);
  EXPECT_EQ(table.roleId(std::string_view("driver\0", 7)).value(), LATTICE_NO_ID); // embedded NUL
  EXPECT_EQ(table.roleId(std::string_view()).value(), LATTICE_NO_ID);
  EXPECT_FALSE(table.roleId("nobody").known());
  EXPECT_EQ(table.kindId("tenant_user").value(), kTenantUser);
  EXPECT_EQ(table.permissionId("billing.invoices").value(), kInvoices);
  EXPECT_EQ(table.flagId("business").value(), 0u);
  EXPECT_EQ(table.roleId("driver").vocabulary(), table.fingerprint());
  EXPECT_EQ(table.roleName(kLegacy), "legacy");
  EXPECT_EQ(table.roleName(1000), "");
  EXPECT_EQ(table.roleName(table.roleId("legacy")), "legacy");
  EXPECT_EQ(table.roleName(RoleId()), "");
  EXPECT_EQ(table.policyName(), "sample");
  EXPECT_EQ(table.revision(), "");
  EXPECT_EQ(table.flagSide(table.flagId("active")), LATTICE_FLAG_PRINCIPAL);
  EXPECT_EQ(table.flagSide(table.flagId("business")), LATTICE_FLAG_NODE);
  EXPECT_EQ(table.flagSide(table.flagId("nothing")), 0u);
  const KindId tenantUser = table.kindId("tenant_user");
  const PermissionId view = table.permissionId("station.view");
  Decision d = table.decide(tenantUser, {table.roleId("tenant_admin")}, view, LATTICE_REL_SAME);
  EXPECT_TRUE(d);
  EXPECT_EQ(d.decidingRole, kTenantAdmin);
  // By name, resolved in this table on each call; an unknown name is a bad request.
  EXPECT_DECISION(table.decide("account_user", {"account_admin"}, "billing.invoices",
                               LATTICE_REL_SAME, {"active", "business"}),
                  true, LATTICE_REASON_ALLOWED, kAccountAdmin);
  EXPECT_DECISION(table.decide("account_user", {"account_admin"}, "billing.invoices",
                               LATTICE_REL_SAME, {"active"}),
                  false, LATTICE_REASON_DENIED_BY_RULE, kAccountAdmin);
  EXPECT_EQ(table.decide("account_user", {"nobody"}, "station.view", LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(
      table.decide("account_user", {"driver"}, "station.view", LATTICE_REL_SAME, {"nope"}).reason,
      LATTICE_REASON_BAD_REQUEST);
  EXPECT_EQ(table.decide(tenantUser, {RoleId()}, view, LATTICE_REL_SAME).reason,
            LATTICE_REASON_BAD_REQUEST);
  // Move keeps exactly one owner.
  Table moved = std::move(table);
  EXPECT_EQ(table.get(), nullptr);
  EXPECT_EQ(moved.roleId("driver").value(), kDriver);
  EXPECT_EQ(table.roleId("driver").value(), LATTICE_NO_ID);
  EXPECT_EQ(table.decide(tenantUser, {moved.roleId("tenant_admin")}, view, LATTICE_REL_SAME).reason,
            LATTICE_REASON_NO_TABLE);
  EXPECT_TRUE(moved.decide(tenantUser, {moved.roleId("tenant_admin")}, view, LATTICE_REL_SAME));
}

/// Random requests, mostly valid, compared with the reference decision.
void compareWithReference(const lower::Tables &tables, uint32_t seed, int requests) {
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);
  std::mt19937_64 rng(seed);
  const uint32_t roles = uint32_t(tables.roleNames.size());
  const uint32_t flags = uint32_t(tables.flagNames.size());
  int allowed = 0;
  for (int i = 0; i < requests; ++i) {
    std::vector<uint32_t> held(rng() % 5);
    for (uint32_t &r : held)
      r = uint32_t(rng() % (roles + (rng() % 50 == 0))); // rarely out of range
    lattice_request q{};
    q.kind = uint32_t(rng() % (tables.kindNames.size() + (rng() % 50 == 0)));
    q.roles = held.data();
    q.role_count = uint32_t(held.size());
    q.permission = uint32_t(rng() % (tables.permissionNames.size() + (rng() % 50 == 0)));
    q.relation = uint32_t(rng() % 5 + (rng() % 50 == 0));
    q.flags =
        rng() & (flags >= 64 ? ~0ull : ((1ull << flags) - 1) | (rng() % 50 == 0 ? 1ull << 63 : 0));
    lattice_decision got = lattice_decide(table.get(), &q);
    lattice_decision want = referenceDecide(tables, q);
    ASSERT_EQ(got.allowed, want.allowed) << "request " << i;
    ASSERT_EQ(got.reason, want.reason) << "request " << i;
    ASSERT_EQ(got.deciding_role, want.deciding_role) << "request " << i;
    ASSERT_EQ(
        lattice_can_assign(table.get(), held.data(), q.role_count, q.permission % (roles + 1)),
        referenceCanAssign(tables, held, q.permission % (roles + 1)));
    allowed += got.allowed;
  }
  EXPECT_GT(allowed, 0) << "the random requests never reach an allow: the test is too weak";
}

TEST(DecideRandom, SampleAgreesWithReference) { compareWithReference(sampleTables(), 1, 20000); }

TEST(DecideRandom, EvShapeAgreesWithReference) {
  compareWithReference(evShapedTables(12, 20, 80), 2, 20000);
}

/// Many roles: bitsets of several words, and beyond the runtime's stack bitset for held roles
/// (64 words), where guarded entries fall back to scanning the held roles.
lower::Tables wideTables(uint32_t roleCount) {
  TablesBuilder b("wide");
  b.kind("user");
  b.flag("f0");
  b.flag("f1");
  for (uint32_t r = 0; r < roleCount; ++r)
    b.role(numbered("role_", r), 1);
  for (uint32_t p = 0; p < 3; ++p)
    b.permission("res.p" + std::to_string(p), 1);
  std::mt19937 rng(roleCount);
  for (uint32_t r = 0; r < roleCount; ++r) {
    b.allow(r, r % 3, uint8_t(1 + rng() % 15));
    if (r % 7 == 0)
      b.deny(r, (r + 1) % 3, uint8_t(1 + rng() % 15));
    if (r % 5 == 0)
      b.guarded(r, rng() % 3, uint8_t(1 + rng() % 15), rng() % 3 == 0, rng() % 4, rng() % 2 * 2);
    if (r % 11 == 0)
      b.assigns(r, {(r * 7) % roleCount, (r * 13) % roleCount});
  }
  b.exclusive({roleCount - 1, roleCount - 2});
  return b.build();
}

TEST(DecideRandom, WideTablesAgreeWithReference) {
  for (uint32_t roles : {63u, 64u, 65u, 200u, 4096u, 4097u, 5000u})
    compareWithReference(wideTables(roles), roles, 3000);
}

/// Requests holding many roles, including the guarded path over a role id above 4096.
TEST(DecideRandom, HighRoleIdsWithGuardedEntries) {
  TablesBuilder b("high");
  b.kind("user");
  b.flag("f");
  for (uint32_t r = 0; r < 5000; ++r)
    b.role(numbered("r", r), 1);
  b.permission("res.p", 1);
  b.guarded(4999, 0, kSame, false, 1, 0);
  b.guarded(4500, 0, kSame, true, 0, 1);
  lower::Tables tables = b.build();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);
  EXPECT_DECISION(decideRaw(table, 0, {1, 4999}, 0, LATTICE_REL_SAME, 1), true,
                  LATTICE_REASON_ALLOWED, 4999);
  EXPECT_DECISION(decideRaw(table, 0, {4500, 4999}, 0, LATTICE_REL_SAME, 0), false,
                  LATTICE_REASON_DENIED_BY_RULE, 4500);
  EXPECT_DECISION(decideRaw(table, 0, {4999}, 0, LATTICE_REL_SAME, 0), false,
                  LATTICE_REASON_NO_ALLOW, LATTICE_NO_ID);
}

/// More exclusive sets than the 64 that load summarizes per role, over three bitset words, and
/// requests of up to 9 roles (repeats included) that often conflict: both the mask shortcut and
/// the exact scan, below and above set 64, must give the reference's set and role.
TEST(DecideRandom, ManyExclusiveSetsAgreeWithReference) {
  TablesBuilder b("exclusive");
  b.kind("user");
  const uint32_t roleCount = 150;
  for (uint32_t r = 0; r < roleCount; ++r)
    b.role(numbered("r", r), 1);
  b.permission("res.p", 1);
  std::mt19937 rng(64);
  for (uint32_t r = 0; r < roleCount; r += 3)
    b.allow(r, 0, kSame);
  for (uint32_t s = 0; s < 140; ++s) {
    const uint32_t first = rng() % roleCount, size = 2 + rng() % 3;
    std::vector<uint32_t> set;
    for (uint32_t k = 0; k < size; ++k)
      set.push_back((first + k * (1 + s % 7)) % roleCount);
    b.exclusive(set);
  }
  const lower::Tables tables = b.build();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);
  int exclusive = 0, allowed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::vector<uint32_t> held(rng() % 10);
    for (uint32_t &r : held)
      r = rng() % 4 == 0 && !held.empty() ? held[0] : rng() % roleCount;
    const lattice_request q{0, held.data(), uint32_t(held.size()), 0, LATTICE_REL_SAME, 0};
    lattice_decision got = lattice_decide(table.get(), &q);
    lattice_decision want = referenceDecide(tables, q);
    ASSERT_EQ(got.allowed, want.allowed) << "request " << i;
    ASSERT_EQ(got.reason, want.reason) << "request " << i;
    ASSERT_EQ(got.deciding_role, want.deciding_role) << "request " << i;
    exclusive += got.reason == LATTICE_REASON_EXCLUSIVE;
    allowed += got.allowed;
  }
  EXPECT_GT(exclusive, 1000);
  EXPECT_GT(allowed, 1000);
}

TEST(DecideEdge, EmptyPolicy) {
  lower::Tables empty;
  empty.policyName = "empty";
  std::vector<uint8_t> bytes = emit(empty);
  Table table = mustLoad(bytes);
  EXPECT_EQ(table.roleCount(), 0u);
  EXPECT_EQ(table.policyName(), "empty");
  EXPECT_EQ(decideRaw(table, 0, {}, 0, LATTICE_REL_SAME).reason, LATTICE_REASON_BAD_REQUEST);
  EXPECT_FALSE(table.canAssign({}, table.roleId("r")));
  EXPECT_EQ(lattice_can_assign(table.get(), nullptr, 0, 0), 0);
  EXPECT_EQ(table.kindId("").value(), LATTICE_NO_ID);
}

TEST(DecideEdge, SixtyFourKindsAndFlags) {
  TablesBuilder b("full");
  for (int i = 0; i < 64; ++i) {
    b.kind(numbered("k", i));
    b.flag(numbered("f", i));
  }
  b.role("r", 1ull << 63);
  b.permission("res.p", 1ull << 63);
  b.guarded(0, 0, kSame, false, 1ull << 63, 0);
  b.require(0, 1ull << 63, 0, 1ull << 62);
  std::vector<uint8_t> bytes = emit(b.build());
  Table table = mustLoad(bytes);
  EXPECT_DECISION(decideRaw(table, 63, {0}, 0, LATTICE_REL_SAME, 1ull << 63), true,
                  LATTICE_REASON_ALLOWED, 0);
  EXPECT_EQ(decideRaw(table, 63, {0}, 0, LATTICE_REL_SAME, 3ull << 62).reason,
            LATTICE_REASON_REQUIREMENT);
  EXPECT_EQ(decideRaw(table, 62, {0}, 0, LATTICE_REL_SAME, 1ull << 63).reason,
            LATTICE_REASON_ROLE_NOT_FOR_KIND);
  EXPECT_EQ(decideRaw(table, 64, {0}, 0, LATTICE_REL_SAME).reason, LATTICE_REASON_BAD_REQUEST);
}

} // namespace
} // namespace lattice::testing
