// custom_roles_test.cpp - the runtime's custom roles: ceilings in the table (lookups, loader
// checks), building roles within them (every refusal, naming the offending entry), and deciding
// with them by lattice_decide_access_custom and by principal handles, which must agree.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <random>

namespace lattice::testing {
namespace {

using namespace lattice::format;

enum : uint32_t { kUser = 0, kKey = 1, kAuditor = 2 };
enum : uint32_t { kAdmin = 0, kViewer = 1 };
enum : uint32_t { kView = 0, kReset = 1, kFirmware = 2, kBilling = 3 };
enum : uint64_t { kSuspended = 1 };

/// usertype user, api_key, auditor;  station.{view, reset, firmware}, billing.read (user only)
/// role admin for user { allow station.*, billing.read in subtree; }
/// role viewer for user { allow station.view; }
/// deny station.reset when suspended;   (policy-wide; suspended is a node flag)
/// custom role key_role for api_key, user { allow station.{view, reset} in subtree;
///                                          allow billing.read; created_by admin; }
/// custom role audit_role for auditor { allow station.view in tenant; }
lower::Tables customTables() {
  TablesBuilder b("custom");
  b.kind("user");
  b.kind("api_key");
  b.kind("auditor");
  b.flag("suspended", lower::FlagOfNode);
  b.role("admin", 1u << kUser);
  b.role("viewer", 1u << kUser);
  b.permission("station.view", 7);
  b.permission("station.reset", 7);
  b.permission("station.firmware", 7);
  b.permission("billing.read", 1u << kUser);
  for (uint32_t p : {kView, kReset, kFirmware, kBilling})
    b.allow(kAdmin, p, kSubtree);
  b.allow(kViewer, kView, kSame);
  b.policyDeny(kReset, kAnywhere, kSuspended, 0);
  lower::Tables t = b.build();
  t.ceilings.push_back(
      {"key_role",
       (1u << kUser) | (1u << kKey),
       {{kView, uint8_t(kSubtree)}, {kReset, uint8_t(kSubtree)}, {kBilling, kSame}},
       {kAdmin}});
  t.ceilings.push_back({"audit_role", 1u << kAuditor, {{kView, uint8_t(kAnywhere)}}, {}});
  return t;
}

class CustomRoles : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_EQ(lattice_table_load(bytes.data(), bytes.size(), &table), LATTICE_LOAD_OK);
    set = lattice_custom_roles_new(table);
    ASSERT_NE(set, nullptr);
  }
  void TearDown() override {
    lattice_custom_roles_free(set);
    lattice_table_free(table);
  }
  uint32_t build(uint32_t ceiling, std::vector<uint32_t> permissions,
                 std::vector<uint32_t> reaches) {
    uint32_t role = LATTICE_NO_ID, bad = LATTICE_NO_ID;
    EXPECT_EQ(lattice_custom_role_add(set, ceiling, permissions.data(), reaches.data(),
                                      uint32_t(permissions.size()), &role, &bad),
              LATTICE_CUSTOM_OK);
    return role;
  }
  /// The refusal of a role and the index it names; the set must stay as it was.
  std::pair<lattice_custom_status, uint32_t>
  refusal(uint32_t ceiling, std::vector<uint32_t> permissions, std::vector<uint32_t> reaches) {
    const uint32_t before = lattice_custom_roles_count(set);
    uint32_t role = LATTICE_NO_ID, bad = LATTICE_NO_ID;
    const lattice_custom_status status =
        lattice_custom_role_add(set, ceiling, permissions.data(), reaches.data(),
                                uint32_t(permissions.size()), &role, &bad);
    EXPECT_EQ(lattice_custom_roles_count(set), before);
    EXPECT_EQ(role, LATTICE_NO_ID);
    return {status, bad};
  }
  /// Decides with lattice_decide_access_custom and with a principal handle, which must agree
  /// on every field.
  lattice_access_decision decide(uint32_t kind, const std::vector<Member> &members,
                                 uint32_t permission, lattice_node_ref target) {
    const std::vector<lattice_membership> ms = memberships(members);
    const lattice_access_request q = accessRequest(kind, 0, ms, permission, target);
    const lattice_access_decision d = lattice_decide_access_custom(table, set, &q);
    lattice_principal *p = nullptr;
    EXPECT_EQ(lattice_principal_new_custom(table, set, kind, 0, ms.data(), uint32_t(ms.size()), &p),
              LATTICE_PRINCIPAL_OK);
    const lattice_access_decision h = lattice_decide_as(p, permission, target, 0);
    lattice_principal_free(p);
    EXPECT_EQ(h.allowed, d.allowed);
    EXPECT_EQ(h.reason, d.reason);
    EXPECT_EQ(h.deciding_role, d.deciding_role);
    EXPECT_EQ(h.deciding_membership, d.deciding_membership);
    return d;
  }

  lower::Tables tables = customTables();
  std::vector<uint8_t> bytes = emit(tables);
  lattice_table *table = nullptr;
  lattice_custom_roles *set = nullptr;
  const uint64_t account[2] = {1, 2}, station[3] = {1, 2, 3}, tenant[1] = {1};
};

TEST_F(CustomRoles, CeilingsAreFoundByNameAndDescribeTheirCells) {
  EXPECT_EQ(lattice_ceiling_count(table), 2u);
  EXPECT_EQ(lattice_ceiling_id(table, "key_role"), 0u);
  EXPECT_EQ(lattice_ceiling_id(table, "audit_role"), 1u);
  EXPECT_EQ(lattice_ceiling_id(table, "admin"), LATTICE_NO_ID); // a role is not a ceiling
  EXPECT_EQ(lattice_ceiling_id(table, nullptr), LATTICE_NO_ID);
  EXPECT_STREQ(lattice_ceiling_name(table, 1), "audit_role");
  EXPECT_EQ(lattice_ceiling_name(table, 2), nullptr);
  EXPECT_EQ(lattice_ceiling_kinds(table, 0), (1u << kUser) | (1u << kKey));
  EXPECT_EQ(lattice_ceiling_reach(table, 0, kReset), LATTICE_REACH_SUBTREE);
  EXPECT_EQ(lattice_ceiling_reach(table, 0, kFirmware), 0u);
  EXPECT_EQ(lattice_ceiling_reach(table, 1, kView), LATTICE_REACH_TENANT);
}

TEST_F(CustomRoles, BuildingRefusesAnythingOutsideTheCeilingNamingTheFirstOffender) {
  EXPECT_EQ(refusal(0, {kView, 99}, {1, 1}), std::make_pair(LATTICE_CUSTOM_UNKNOWN_PERMISSION, 1u));
  EXPECT_EQ(refusal(0, {kView, kReset}, {1, 0}), std::make_pair(LATTICE_CUSTOM_BAD_REACH, 1u));
  EXPECT_EQ(refusal(0, {kView}, {16}), std::make_pair(LATTICE_CUSTOM_BAD_REACH, 0u));
  EXPECT_EQ(refusal(0, {kView, kFirmware, 99}, {1, 1, 1}),
            std::make_pair(LATTICE_CUSTOM_OUTSIDE_CEILING, 1u));
  EXPECT_EQ(refusal(0, {kReset}, {LATTICE_REACH_TENANT}),
            std::make_pair(LATTICE_CUSTOM_REACH_BEYOND_CEILING, 0u));
  EXPECT_EQ(refusal(0, {kBilling}, {LATTICE_REACH_SUBTREE}),
            std::make_pair(LATTICE_CUSTOM_REACH_BEYOND_CEILING, 0u));
  EXPECT_EQ(refusal(1, {kBilling}, {1}), std::make_pair(LATTICE_CUSTOM_NOT_FOR_KINDS, 0u));
  uint32_t role = 0, bad = 0;
  EXPECT_EQ(lattice_custom_role_add(set, 7, nullptr, nullptr, 0, &role, &bad),
            LATTICE_CUSTOM_UNKNOWN_CEILING);
  EXPECT_EQ(lattice_custom_role_add(nullptr, 0, nullptr, nullptr, 0, &role, &bad),
            LATTICE_CUSTOM_BAD_ARGUMENT);
  EXPECT_STREQ(lattice_custom_status_message(LATTICE_CUSTOM_OUTSIDE_CEILING),
               "the ceiling does not hold the permission");
  // By names: the unknown name is the offender.
  const char *names[] = {"station.view", "station.unlock"};
  const uint32_t reaches[] = {1, 1};
  EXPECT_EQ(lattice_custom_role_add_names(set, "key_role", names, reaches, 2, &role, &bad),
            LATTICE_CUSTOM_UNKNOWN_PERMISSION);
  EXPECT_EQ(bad, 1u);
  EXPECT_EQ(lattice_custom_role_add_names(set, "nope", names, reaches, 1, &role, &bad),
            LATTICE_CUSTOM_UNKNOWN_CEILING);
  EXPECT_EQ(lattice_custom_role_add_names(set, "key_role", names, reaches, 1, &role, &bad),
            LATTICE_CUSTOM_OK);
  EXPECT_EQ(role, LATTICE_CUSTOM_ROLE | 0u);
  EXPECT_EQ(lattice_custom_role_ceiling(set, role), 0u);
  EXPECT_EQ(lattice_custom_role_reach(set, role, kView), LATTICE_REACH_SELF);
  EXPECT_EQ(lattice_custom_role_reach(set, role, kReset), 0u);
}

TEST_F(CustomRoles, ACustomRoleAllowsExactlyItsCells) {
  // A key that may view in the subtree and reset at its own node only.
  const uint32_t key = build(0, {kView, kReset, kView},
                             {LATTICE_REACH_SELF, LATTICE_REACH_SELF, LATTICE_REACH_DESCENDANTS});
  EXPECT_EQ(lattice_custom_role_reach(set, key, kView), LATTICE_REACH_SUBTREE); // the union
  const std::vector<Member> holder{{path(account, 2), {key}}};
  EXPECT_ACCESS(decide(kKey, holder, kView, path(station, 3)), 1, LATTICE_REASON_ALLOWED, key, 0);
  EXPECT_ACCESS(decide(kKey, holder, kReset, path(account, 2)), 1, LATTICE_REASON_ALLOWED, key, 0);
  EXPECT_ACCESS(decide(kKey, holder, kReset, path(station, 3)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kKey, holder, kView, path(tenant, 1)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kKey, holder, kFirmware, path(account, 2)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  // The ceiling's user types: an auditor may not hold it.
  EXPECT_ACCESS(decide(kAuditor, holder, kView, path(account, 2)), 0,
                LATTICE_REASON_ROLE_NOT_FOR_KIND, key, LATTICE_NO_ID);
  // Policy-wide denies hold through a membership holding a custom role.
  const std::vector<Member> suspended{{path(account, 2), {key}, kSuspended}};
  EXPECT_ACCESS(decide(kKey, suspended, kReset, path(account, 2)), 0,
                LATTICE_REASON_DENIED_BY_POLICY, LATTICE_NO_ID, 0);
  // Beside compiled roles: the compiled role is named first; the custom one where only it allows.
  const uint32_t userKey = build(0, {kReset}, {LATTICE_REACH_SUBTREE});
  const std::vector<Member> both{{path(account, 2), {userKey, kViewer}}};
  EXPECT_ACCESS(decide(kUser, both, kView, path(account, 2)), 1, LATTICE_REASON_ALLOWED, kViewer,
                0);
  EXPECT_ACCESS(decide(kUser, both, kReset, path(station, 3)), 1, LATTICE_REASON_ALLOWED, userKey,
                0);
  // Without the set, a custom role id is an unknown role: refused, never allowed.
  const std::vector<lattice_membership> ms = memberships(holder);
  const lattice_access_request q = accessRequest(kKey, 0, ms, kView, path(account, 2));
  EXPECT_EQ(lattice_decide_access(table, &q).reason, uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(lattice_decide_access_custom(table, nullptr, &q).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  lattice_principal *p = nullptr;
  EXPECT_EQ(lattice_principal_new(table, kKey, 0, ms.data(), 1, &p),
            LATTICE_PRINCIPAL_UNKNOWN_ROLE);
  const std::vector<Member> unknown{{path(account, 2), {LATTICE_CUSTOM_ROLE | 99u}}};
  const std::vector<lattice_membership> ums = memberships(unknown);
  const lattice_access_request uq = accessRequest(kKey, 0, ums, kView, path(account, 2));
  EXPECT_EQ(lattice_decide_access_custom(table, set, &uq).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(lattice_principal_new_custom(table, set, kKey, 0, ums.data(), 1, &p),
            LATTICE_PRINCIPAL_UNKNOWN_ROLE);
}

TEST_F(CustomRoles, CreatedByDecidesWhoMayCreateAndGiveThem) {
  const uint32_t admin[] = {kAdmin}, viewer[] = {kViewer};
  EXPECT_EQ(lattice_can_create(table, admin, 1, 0), 1);
  EXPECT_EQ(lattice_can_create(table, viewer, 1, 0), 0);
  EXPECT_EQ(lattice_can_create(table, admin, 1, 1), 0); // nobody creates audit roles
  EXPECT_EQ(lattice_can_create(table, admin, 1, 2), 0);
  const uint32_t key = build(0, {kView}, {1});
  EXPECT_EQ(lattice_can_assign(table, admin, 1, key), 0); // ask lattice_can_create instead
}

// A tenant admin cannot obtain, through a custom role it creates, a right it does not hold: the
// key_role ceiling leaves out firmware and reaches the subtree at most, so a role with firmware,
// or with reset across the tenant, is refused however the admin asks, and every role that is
// built decides within the admin's own rights.
TEST_F(CustomRoles, ACreatorGetsNothingBeyondTheCeilingThroughACustomRole) {
  EXPECT_EQ(refusal(0, {kView, kFirmware}, {1, 1}).first, LATTICE_CUSTOM_OUTSIDE_CEILING);
  EXPECT_EQ(refusal(0, {kReset}, {LATTICE_REACH_TENANT}).first,
            LATTICE_CUSTOM_REACH_BEYOND_CEILING);
  std::mt19937 rng(12);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint32_t> ps, rs;
    for (uint32_t p : {kView, kReset, kBilling})
      if (rng() % 2) {
        ps.push_back(p);
        rs.push_back(1 + rng() % 15);
      }
    uint32_t role = 0, bad = 0;
    if (lattice_custom_role_add(set, 0, ps.data(), rs.data(), uint32_t(ps.size()), &role, &bad) !=
        LATTICE_CUSTOM_OK)
      continue;
    for (uint32_t p = 0; p < 4; ++p)
      for (const lattice_node_ref target : {path(tenant, 1), path(account, 2), path(station, 3)}) {
        const lattice_access_decision withKey =
            decide(kUser, {{path(account, 2), {role}}}, p, target);
        const lattice_access_decision asAdmin =
            decide(kUser, {{path(account, 2), {kAdmin}}}, p, target);
        if (withKey.allowed) {
          EXPECT_TRUE(asAdmin.allowed) << "permission " << p;
        }
      }
  }
}

TEST_F(CustomRoles, HandlesAndAccessDecisionsAgreeOnRandomRoles) {
  std::mt19937 rng(7);
  std::vector<uint32_t> roles;
  for (int i = 0; i < 40; ++i) {
    std::vector<uint32_t> ps, rs;
    const uint32_t ceiling = rng() % 2;
    for (uint32_t p = 0; p < 4; ++p)
      if (rng() % 2) {
        ps.push_back(p);
        rs.push_back(lattice_ceiling_reach(table, ceiling, p) & uint32_t(1 + rng() % 15));
      }
    uint32_t role = 0, bad = 0;
    if (lattice_custom_role_add(set, ceiling, ps.data(), rs.data(), uint32_t(ps.size()), &role,
                                &bad) == LATTICE_CUSTOM_OK)
      roles.push_back(role);
  }
  ASSERT_GT(roles.size(), 5u);
  const lattice_node_ref nodes[] = {path(tenant, 1), path(account, 2), path(station, 3)};
  for (int round = 0; round < 300; ++round) {
    std::vector<Member> members;
    for (uint32_t m = 0, n = 1 + rng() % 3; m < n; ++m) {
      Member member{nodes[rng() % 3], {}, rng() % 4 == 0 ? uint64_t{kSuspended} : 0};
      for (uint32_t r = 0, k = rng() % 3; r < k; ++r)
        member.roles.push_back(rng() % 3 ? roles[rng() % roles.size()] : rng() % 2);
      members.push_back(member);
    }
    decide(rng() % 3, members, rng() % 4, nodes[rng() % 3]); // checks handle == access
  }
}

TEST_F(CustomRoles, TheLoaderRefusesMalformedCeilings) {
  const size_t at = sectionOffset(bytes, kCeilings);
  const size_t record = at + ceiling::kHeadSize;
  const size_t cells = record + 2 * ceiling::kSize;
  const size_t creators = cells + 4 * ceiling::kCellSize;
  auto refused = [&](size_t offset, uint32_t value, bool byte = false) {
    std::vector<uint8_t> bad = bytes;
    if (byte)
      patchU8(bad, offset, uint8_t(value));
    else
      patchU32(bad, offset, value);
    reseal(bad);
    return loadStatus(bad) == LATTICE_LOAD_BAD_LAYOUT;
  };
  EXPECT_TRUE(refused(at + ceiling::kHeadReserved, 1));
  EXPECT_TRUE(refused(at + ceiling::kCeilingCount, 3));            // size mismatch
  EXPECT_TRUE(refused(record + ceiling::kKindMask, 0));            // no user type
  EXPECT_TRUE(refused(record + ceiling::kKindMask, 8));            // kind 3 undeclared
  EXPECT_TRUE(refused(record + ceiling::kCellsEnd, 2));            // ranges do not tile
  EXPECT_TRUE(refused(cells + ceiling::kCellRelations, 0, true));  // reaches nothing
  EXPECT_TRUE(refused(cells + ceiling::kCellRelations, 16, true)); // a fifth relation
  EXPECT_TRUE(refused(cells + ceiling::kCellPermission, 4));       // unknown permission
  EXPECT_TRUE(refused(cells + ceiling::kCellSize + ceiling::kCellPermission, kView)); // unsorted
  EXPECT_TRUE(refused(creators, 2));                     // unknown role
  EXPECT_TRUE(refused(creators + 4, 0));                 // name index: not sorted
  EXPECT_FALSE(refused(record + ceiling::kKindMask, 1)); // a valid edit loads
}

} // namespace
} // namespace lattice::testing
