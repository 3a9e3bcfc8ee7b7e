// access_test.cpp - lattice_decide_access on the sample table: memberships at several nodes by
// path and by label, deny through any membership, exclusivity per tree, and every bad request.
// (Random agreement with the reference interpreter is the differential test's, tests/diff.)
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

using namespace sample;

// tenant 1 -> account A (2) -> sub-account (3);  tenant 1 -> account B (4);  tenant 9 (another
// tree)
const uint64_t kTenant[] = {1}, kA[] = {1, 2}, kSub[] = {1, 2, 3}, kB[] = {1, 4}, kOther[] = {9};

class AccessTest : public ::testing::Test {
protected:
  lower::Tables tables = sampleTables();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);

  lattice_access_decision decide(uint32_t kind, const std::vector<Member> &members,
                                 uint32_t permission, lattice_node_ref target,
                                 uint64_t flags = kActive) {
    const std::vector<lattice_membership> ms = memberships(members);
    const lattice_access_request request = accessRequest(kind, flags, ms, permission, target);
    return lattice_decide_access(table.get(), &request);
  }
};

// The example: admin of account A, a plain driver at account B. A's admin rights hold on
// A's resources (and below), not on B's.
TEST_F(AccessTest, EachMembershipGivesItsNodesRights) {
  const std::vector<Member> alice = {{path(kA, 2), {kAccountAdmin}}, {path(kB, 2), {kDriver}}};
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kB, 2)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(kB, 2)), 1, LATTICE_REASON_ALLOWED, kDriver,
                1);
}

// account_admin's `deny billing.invoices when not business` applies through the membership whose
// node has no `business`, although another membership at the same node allows it.
TEST_F(AccessTest, ADenyThroughAnyMembershipWins) {
  const std::vector<Member> bob = {{path(kA, 2), {kAccountAdmin}, kBusiness},
                                   {path(kA, 2), {kAccountAdmin}, 0}};
  EXPECT_ACCESS(decide(kAccountUser, bob, kInvoices, path(kA, 2)), 0, LATTICE_REASON_DENIED_BY_RULE,
                kAccountAdmin, 1);
  EXPECT_ACCESS(decide(kAccountUser, {bob[0]}, kInvoices, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
}

TEST_F(AccessTest, MembershipsInAnotherTreeDoNotCount) {
  EXPECT_ACCESS(decide(kAccountUser, {{path(kOther, 1), {kAccountAdmin}}}, kView, path(kA, 2)), 0,
                LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, {}, kView, path(kA, 2)), 0, LATTICE_REASON_OTHER_TREE,
                LATTICE_NO_ID, LATTICE_NO_ID);
  // A role the kind may not hold is refused even in another tree: the principal is malformed.
  EXPECT_ACCESS(decide(kAccountUser, {{path(kA, 2), {kDriver}}, {path(kOther, 1), {kTenantAdmin}}},
                       kView, path(kA, 2)),
                0, LATTICE_REASON_ROLE_NOT_FOR_KIND, kTenantAdmin, LATTICE_NO_ID);
}

TEST_F(AccessTest, LabelsWorkLikePathsAndDoNotMixWithThem) {
  // tenant [0,3], A [1,2], sub [2,2], B [3,3]
  const lattice_node_ref a = label(0, 1, 2), sub = label(0, 2, 2), b = label(0, 3, 3);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, sub), 1,
                LATTICE_REASON_ALLOWED, kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, b), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_EQ(lattice_relation_of_refs(a, path(kA, 2)), LATTICE_REL_NONE);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, path(kA, 2)), 0,
                LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
}

TEST_F(AccessTest, ManyMembershipsBeyondTheRelationCache) {
  // 100 memberships at B's level that allow nothing here, then the one that does.
  std::vector<Member> many(100, Member{path(kB, 2), {kDriver}});
  many.push_back({path(kA, 2), {kAccountAdmin}});
  EXPECT_ACCESS(decide(kAccountUser, many, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 100);
}

TEST_F(AccessTest, CxxWrapperDecidesAccess) {
  const KindId accountUser = table.kindId("account_user");
  const PermissionId reset = table.permissionId("station.reset");
  const FlagSet active = table.flags({"active"});
  std::vector<Membership> ms = {{path(kA, 2), table.roles({"account_admin"}), {}}};
  AccessDecision d = table.decideAccess(accountUser, active, ms, reset, path(kSub, 3));
  EXPECT_TRUE(d);
  EXPECT_EQ(d.reason, LATTICE_REASON_ALLOWED);
  EXPECT_EQ(d.decidingRole, uint32_t(kAccountAdmin));
  EXPECT_EQ(d.decidingMembership, 0u);
  EXPECT_FALSE(table.decideAccess(accountUser, active, ms, reset, path(kB, 2)));
  // Node flags in the membership, principal flags apart: account_admin's invoices need
  // `business` at the node.
  const PermissionId invoices = table.permissionId("billing.invoices");
  ms[0].nodeFlags = table.flags({"business"});
  EXPECT_TRUE(table.decideAccess(accountUser, active, ms, invoices, path(kA, 2)));
  // A flag on the wrong side is refused, through the wrapper as through the C API.
  EXPECT_EQ(
      table
          .decideAccess(accountUser, table.flags({"active", "business"}), ms, invoices, path(kA, 2))
          .reason,
      LATTICE_REASON_BAD_REQUEST);
  ms[0].nodeFlags = table.flags({"business", "active"});
  EXPECT_EQ(table.decideAccess(accountUser, active, ms, invoices, path(kA, 2)).reason,
            LATTICE_REASON_BAD_REQUEST);
  // More memberships than fit on the wrapper's stack array.
  std::vector<Membership> many(40, Membership{path(kB, 2), table.roles({"driver"}), {}});
  many.push_back({path(kA, 2), table.roles({"account_admin"}), {}});
  d = table.decideAccess(accountUser, active, many, reset, path(kSub, 3));
  EXPECT_TRUE(d);
  EXPECT_EQ(d.decidingMembership, 40u);
  EXPECT_EQ(table.decideAccess(accountUser, active, nullptr, 1, reset, path(kA, 2)).reason,
            LATTICE_REASON_BAD_REQUEST);
}

// Flags have a side (table format 3): the principal's mask takes flags declared on user types,
// a membership's node_flags flags declared on scope kinds; anything else is a host error.
TEST_F(AccessTest, FlagsOfTheWrongSideAreBadRequests) {
  ASSERT_EQ(lattice_flag_side(table.get(), 0), LATTICE_FLAG_NODE);      // business
  ASSERT_EQ(lattice_flag_side(table.get(), 1), LATTICE_FLAG_PRINCIPAL); // active
  EXPECT_EQ(lattice_flag_mask(table.get(), LATTICE_FLAG_PRINCIPAL), uint64_t(kActive));
  EXPECT_EQ(lattice_flag_mask(table.get(), LATTICE_FLAG_NODE), uint64_t(kBusiness | 4 | 8));
  EXPECT_EQ(lattice_flag_mask(table.get(), LATTICE_FLAG_PRINCIPAL | LATTICE_FLAG_NODE), 15u);
  EXPECT_EQ(lattice_flag_mask(nullptr, LATTICE_FLAG_NODE), 0u);
  EXPECT_EQ(lattice_flag_side(table.get(), 4), 0u);
  EXPECT_EQ(lattice_flag_side(nullptr, 0), 0u);

  const Member business{path(kA, 2), {kAccountAdmin}, kBusiness};
  EXPECT_ACCESS(decide(kAccountUser, {business}, kInvoices, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  // `business` given as the principal's: refused, not read as the node's.
  EXPECT_ACCESS(decide(kAccountUser, {{path(kA, 2), {kAccountAdmin}}}, kInvoices, path(kA, 2),
                       kActive | kBusiness),
                0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  // `active` given as a node's, in any membership, even one in another tree.
  EXPECT_ACCESS(
      decide(kAccountUser, {business, {path(kOther, 1), {kDriver}, kActive}}, kView, path(kA, 2)),
      0, LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  // lattice_decide (one node) still takes both sides in one mask.
  const uint32_t admin = kAccountAdmin;
  const lattice_request one{kAccountUser, &admin,           1,
                            kInvoices,    LATTICE_REL_SAME, kActive | kBusiness};
  EXPECT_EQ(lattice_decide(table.get(), &one).allowed, 1);
}

TEST_F(AccessTest, BadRequestsAreDenied) {
  const Member good{path(kA, 2), {kAccountAdmin}};
  EXPECT_EQ(lattice_decide_access(nullptr, nullptr).reason, uint32_t(LATTICE_REASON_NO_TABLE));
  EXPECT_EQ(lattice_decide_access(table.get(), nullptr).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(decide(7, {good}, kView, path(kA, 2)).reason, uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(decide(kAccountUser, {good}, 99, path(kA, 2)).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(decide(kAccountUser, {{path(kA, 2), {77}}}, kView, path(kA, 2)).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(
      decide(kAccountUser, {{path(kA, 2), {kAccountAdmin}, 1ull << 40}}, kView, path(kA, 2)).reason,
      uint32_t(LATTICE_REASON_BAD_REQUEST));
  EXPECT_EQ(decide(kAccountUser, {good}, kView, path(kA, 2), kActive | 1ull << 40).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  lattice_membership noRoles{path(kA, 2), nullptr, 2, 0};
  lattice_access_request request{};
  request.kind = kAccountUser;
  request.flags = kActive;
  request.memberships = &noRoles;
  request.membership_count = 1;
  request.permission = kView;
  request.target = path(kA, 2);
  EXPECT_EQ(lattice_decide_access(table.get(), &request).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  request.memberships = nullptr;
  EXPECT_EQ(lattice_decide_access(table.get(), &request).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  // Facts are reserved until the policy can declare them.
  noRoles.roles = &good.roles[0];
  noRoles.role_count = 1;
  request.memberships = &noRoles;
  request.facts = 1;
  EXPECT_EQ(lattice_decide_access(table.get(), &request).reason,
            uint32_t(LATTICE_REASON_BAD_REQUEST));
  request.facts = 0;
  EXPECT_EQ(lattice_decide_access(table.get(), &request).allowed, 1);
}

TEST(ReachableGroups, NestedGroupsWithACycle) {
  // team 0 is in team 1, team 1 in org 2, org 2 in team 0 (a cycle); team 3 stands alone.
  const uint32_t from[] = {0, 1, 2}, to[] = {1, 2, 0};
  const uint32_t direct[] = {1};
  uint8_t reached[4] = {};
  ASSERT_EQ(lattice_reachable_groups(from, to, 3, 4, direct, 1, reached), 0);
  EXPECT_EQ(std::vector<uint8_t>(reached, reached + 4), (std::vector<uint8_t>{1, 1, 1, 0}));
  const uint32_t alone[] = {3};
  uint8_t only[4] = {};
  ASSERT_EQ(lattice_reachable_groups(from, to, 3, 4, alone, 1, only), 0);
  EXPECT_EQ(std::vector<uint8_t>(only, only + 4), (std::vector<uint8_t>{0, 0, 0, 1}));
}

TEST(ReachableGroups, BadArgumentsAreRefused) {
  const uint32_t from[] = {0}, to[] = {5};
  const uint32_t direct[] = {0};
  uint8_t reached[2] = {};
  EXPECT_EQ(lattice_reachable_groups(from, to, 1, 2, direct, 1, reached), -1); // id >= count
  EXPECT_EQ(lattice_reachable_groups(nullptr, nullptr, 1, 2, direct, 1, reached), -1);
  EXPECT_EQ(lattice_reachable_groups(nullptr, nullptr, 0, 2, nullptr, 1, reached), -1);
  EXPECT_EQ(lattice_reachable_groups(nullptr, nullptr, 0, 0, nullptr, 0, nullptr), 0);
}

// The host's pattern: a user's own memberships plus those of every group it reaches, decided as
// one principal, so that a deny held through a group still wins.
TEST_F(AccessTest, MembershipsFromNestedGroupsDecideAsOnePrincipal) {
  // The user is in group 0 (its team), which is in group 1 (account admins of A), and in group 2
  // (drivers at B); its own membership is driver at A's sub-account.
  const uint32_t from[] = {0}, to[] = {1};
  const uint32_t direct[] = {0, 2};
  uint8_t reached[3] = {};
  ASSERT_EQ(lattice_reachable_groups(from, to, 1, 3, direct, 2, reached), 0);
  const std::vector<Member> groupMemberships[3] = {
      {}, {{path(kA, 2), {kAccountAdmin}}}, {{path(kB, 2), {kDriver}}}};
  std::vector<Member> all = {{path(kSub, 3), {kDriver}}}; // the user's own
  for (uint32_t g = 0; g < 3; ++g)
    if (reached[g])
      all.insert(all.end(), groupMemberships[g].begin(), groupMemberships[g].end());
  EXPECT_ACCESS(decide(kAccountUser, all, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 1);
  // account_admin's `deny billing.invoices when not business` applies through the group's
  // membership at A, whose node has no `business`.
  EXPECT_ACCESS(decide(kAccountUser, all, kInvoices, path(kA, 2)), 0, LATTICE_REASON_DENIED_BY_RULE,
                kAccountAdmin, 1);
}

} // namespace
} // namespace lattice::testing
