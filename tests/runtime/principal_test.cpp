// principal_test.cpp - principal handles (lattice_principal_new, lattice_decide_as): every status,
// and every decision field equal to lattice_decide_access's, on hand-made and random principals.
#include "sample_tables.h"
#include "test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>
#include <thread>

namespace lattice::testing {
namespace {

using namespace sample;

// Tree 1: tenant 1 -> account A (2) -> sub-account (3); tenant 1 -> account B (4). Tree 9.
const uint64_t kTenant[] = {1}, kA[] = {1, 2}, kSub[] = {1, 2, 3}, kB[] = {1, 4}, kOther[] = {9},
               kOtherAccount[] = {9, 5};

// Nodes of random principals: tree 1 as above, and an account of tree 9.
const uint64_t kRandomNodes[][3] = {{1, 0, 0}, {1, 2, 0}, {1, 2, 3}, {1, 4, 0}, {9, 5, 0}};
const uint32_t kRandomDepths[] = {1, 2, 3, 2, 2};

/// A principal refused for a flag of the wrong side must be what lattice_decide_access calls a bad
/// request; returns whether `status` is such a refusal (the caller then skips the principal).
bool refusedForSides(const lattice_table *table, lattice_principal_status status, uint32_t kind,
                     uint64_t flags, const std::vector<lattice_membership> &ms) {
  if (status != LATTICE_PRINCIPAL_BAD_FLAGS && status != LATTICE_PRINCIPAL_BAD_NODE_FLAGS)
    return false;
  const lattice_access_request request =
      accessRequest(kind, flags, ms, 0, ms.empty() ? lattice_node_ref{} : ms[0].node);
  EXPECT_EQ(lattice_decide_access(table, &request).reason, uint32_t(LATTICE_REASON_BAD_REQUEST));
  return true;
}

std::string show(const lattice_access_decision &d) {
  return "{allowed " + std::to_string(d.allowed) + ", reason " + std::to_string(d.reason) +
         ", role " + std::to_string(int(d.deciding_role)) + ", membership " +
         std::to_string(int(d.deciding_membership)) + "}";
}

bool same(const lattice_access_decision &a, const lattice_access_decision &b) {
  return a.allowed == b.allowed && a.reason == b.reason && a.deciding_role == b.deciding_role &&
         a.deciding_membership == b.deciding_membership;
}

class PrincipalTest : public ::testing::Test {
protected:
  lower::Tables tables = sampleTables();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);

  /// Decides through a principal handle and through lattice_decide_access, expects every field
  /// equal, and returns the decision.
  lattice_access_decision decide(uint32_t kind, const std::vector<Member> &members,
                                 uint32_t permission, lattice_node_ref target,
                                 uint64_t flags = kActive, uint64_t facts = 0) {
    const std::vector<lattice_membership> ms = memberships(members);
    const lattice_access_request request =
        accessRequest(kind, flags, ms, permission, target, facts);
    const lattice_access_decision want = lattice_decide_access(table.get(), &request);
    lattice_principal *principal = nullptr;
    EXPECT_EQ(
        lattice_principal_new(table.get(), kind, flags, ms.data(), uint32_t(ms.size()), &principal),
        LATTICE_PRINCIPAL_OK);
    const lattice_access_decision got = lattice_decide_as(principal, permission, target, facts);
    lattice_principal_free(principal);
    EXPECT_TRUE(same(got, want)) << "principal " << show(got) << ", decide_access " << show(want);
    return got;
  }

  lattice_principal_status status(uint32_t kind, uint64_t flags,
                                  const std::vector<lattice_membership> &ms) {
    lattice_principal *principal = reinterpret_cast<lattice_principal *>(&principal); // not NULL
    const lattice_principal_status s =
        lattice_principal_new(table.get(), kind, flags, ms.data(), uint32_t(ms.size()), &principal);
    if (s != LATTICE_PRINCIPAL_OK) {
      EXPECT_EQ(principal, nullptr) << "a refused principal leaves no handle";
    }
    lattice_principal_free(principal);
    return s;
  }
};

TEST_F(PrincipalTest, EveryStatus) {
  const uint32_t admin[] = {kAccountAdmin};
  const lattice_membership good{path(kA, 2), admin, 1, 0};
  lattice_principal *out = nullptr;
  EXPECT_EQ(lattice_principal_new(table.get(), kAccountUser, kActive, &good, 1, nullptr),
            LATTICE_PRINCIPAL_BAD_ARGUMENT);
  EXPECT_EQ(lattice_principal_new(nullptr, kAccountUser, kActive, &good, 1, &out),
            LATTICE_PRINCIPAL_NO_TABLE);
  EXPECT_EQ(out, nullptr);
  EXPECT_EQ(lattice_principal_new(table.get(), kAccountUser, kActive, nullptr, 1, &out),
            LATTICE_PRINCIPAL_BAD_ARGUMENT);
  EXPECT_EQ(status(kAccountUser, kActive, {good}), LATTICE_PRINCIPAL_OK);
  EXPECT_EQ(status(kAccountUser, kActive, {}), LATTICE_PRINCIPAL_OK);
  EXPECT_EQ(status(2, kActive, {good}), LATTICE_PRINCIPAL_UNKNOWN_KIND);
  EXPECT_EQ(status(LATTICE_NO_ID, kActive, {good}), LATTICE_PRINCIPAL_UNKNOWN_KIND);
  const uint32_t unknown[] = {kDriver, 6};
  EXPECT_EQ(status(kAccountUser, kActive, {good, {path(kB, 2), unknown, 2, 0}}),
            LATTICE_PRINCIPAL_UNKNOWN_ROLE);
  EXPECT_EQ(status(kAccountUser, kActive, {good, {path(kB, 2), nullptr, 1, 0}}),
            LATTICE_PRINCIPAL_NULL_ROLES);
  EXPECT_EQ(status(kAccountUser, kActive, {{path(kB, 2), nullptr, 0, 0}}), LATTICE_PRINCIPAL_OK);
  EXPECT_EQ(status(kAccountUser, kActive, {{path(nullptr, 2), admin, 1, 0}}),
            LATTICE_PRINCIPAL_BAD_NODE);
  EXPECT_EQ(status(kAccountUser, kActive, {{label(0, 3, 2), admin, 1, 0}}),
            LATTICE_PRINCIPAL_BAD_NODE);
  EXPECT_EQ(status(kAccountUser, kActive | 1u << 4, {good}), LATTICE_PRINCIPAL_BAD_FLAGS);
  EXPECT_EQ(status(kAccountUser, kActive, {{path(kA, 2), admin, 1, 1ull << 63}}),
            LATTICE_PRINCIPAL_BAD_NODE_FLAGS);
  // A role the kind may not hold is a valid principal; its requests are denied.
  EXPECT_EQ(status(kAccountUser, kActive, {{path(kA, 2), unknown, 1, 0}}), LATTICE_PRINCIPAL_OK);

  // More memberships than a lattice_principal_new call takes, through the C++ wrapper.
  lattice_principal_status s = LATTICE_PRINCIPAL_OK;
  EXPECT_FALSE(Principal::create(table, kAccountUser, kActive, &good, size_t(UINT32_MAX) + 1, &s));
  EXPECT_EQ(s, LATTICE_PRINCIPAL_TOO_LARGE);

  for (unsigned v = 0; v <= 11; ++v)
    EXPECT_FALSE(
        std::string(lattice_principal_status_message(lattice_principal_status(v))).empty());
  EXPECT_STREQ(lattice_principal_status_message(lattice_principal_status(11)),
               "unknown principal status");
  lattice_principal_free(nullptr); // a no-op
}

#if defined(__SANITIZE_ADDRESS__)
#define LATTICE_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define LATTICE_TEST_ASAN 1
#endif
#endif

// Path ids are copied after the handle's one allocation, which is sized for them: 256 paths of
// 2^32 - 1 ids (never read) ask for 8 TiB, which malloc refuses.
TEST_F(PrincipalTest, OutOfMemoryIsAStatus) {
#ifdef LATTICE_TEST_ASAN
  GTEST_SKIP() << "AddressSanitizer aborts on a failed allocation instead of returning null";
#else
  const uint32_t admin[] = {kAccountAdmin};
  std::vector<lattice_membership> huge(256, {path(kA, UINT32_MAX), admin, 1, 0});
  EXPECT_EQ(status(kAccountUser, kActive, huge), LATTICE_PRINCIPAL_OUT_OF_MEMORY);
#endif
}

TEST_F(PrincipalTest, BadRequestsAreDenied) {
  const std::vector<Member> alice = {{path(kA, 2), {kAccountAdmin}}};
  EXPECT_ACCESS(lattice_decide_as(nullptr, kView, path(kA, 2), 0), 0, LATTICE_REASON_BAD_REQUEST,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, alice, kPermissions, path(kA, 2)), 0,
                LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, alice, LATTICE_NO_ID, path(kA, 2)), 0,
                LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  // Facts are reserved until the policy can declare them.
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(kA, 2), kActive, 1), 0,
                LATTICE_REASON_BAD_REQUEST, LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(kA, 2), kActive, 0), 1,
                LATTICE_REASON_ALLOWED, kAccountAdmin, 0);
  // A target path without ids, or a label no labelling produces, is in no tree.
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(nullptr, 2)), 0, LATTICE_REASON_OTHER_TREE,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, {{label(0, 1, 2), {kAccountAdmin}}}, kView, label(0, 2, 1)), 0,
                LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
}

// The example, as for lattice_decide_access.
TEST_F(PrincipalTest, EachMembershipGivesItsNodesRights) {
  const std::vector<Member> alice = {{path(kA, 2), {kAccountAdmin}}, {path(kB, 2), {kDriver}}};
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, alice, kReset, path(kB, 2)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(kB, 2)), 1, LATTICE_REASON_ALLOWED, kDriver,
                1);
  EXPECT_ACCESS(decide(kAccountUser, alice, kView, path(kTenant, 1)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  // `business` is a node flag: given with the membership of the business account.
  const std::vector<Member> business = {{path(kA, 2), {kAccountAdmin}, kBusiness},
                                        {path(kB, 2), {kDriver}}};
  EXPECT_ACCESS(decide(kAccountUser, business, kInvite, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
}

TEST_F(PrincipalTest, ADenyThroughAnyMembershipWinsAndNamesItsMembership) {
  const std::vector<Member> bob = {{path(kA, 2), {kAccountAdmin}, kBusiness},
                                   {path(kA, 2), {kAccountAdmin}, 0}};
  EXPECT_ACCESS(decide(kAccountUser, bob, kInvoices, path(kA, 2)), 0, LATTICE_REASON_DENIED_BY_RULE,
                kAccountAdmin, 1);
  EXPECT_ACCESS(decide(kAccountUser, {bob[0]}, kInvoices, path(kA, 2)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  // The lowest denying role decides, through the first membership it denies through.
  const std::vector<Member> carol = {{path(kB, 2), {kAuditor}},
                                     {path(kTenant, 1), {kSupportAgent, kAuditor}},
                                     {path(kA, 2), {kSupportAgent}}};
  EXPECT_ACCESS(decide(kTenantUser, carol, kInvoices, path(kA, 2)), 0,
                LATTICE_REASON_DENIED_BY_RULE, kSupportAgent, 1);
  EXPECT_ACCESS(decide(kTenantUser, carol, kReset, path(kSub, 3)), 0, LATTICE_REASON_DENIED_BY_RULE,
                kAuditor, 0);
}

TEST_F(PrincipalTest, TwoTreesAndExclusiveInOneTreeOnly) {
  // account_admin and legacy are exclusive: held in different trees they do not conflict.
  const std::vector<Member> apart = {{path(kA, 2), {kAccountAdmin}},
                                     {path(kOtherAccount, 2), {kLegacy}}};
  EXPECT_ACCESS(decide(kAccountUser, apart, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, apart, kView, path(kOtherAccount, 2)), 1,
                LATTICE_REASON_ALLOWED, kLegacy, 1);
  EXPECT_ACCESS(decide(kAccountUser, apart, kView, path(kOther, 1)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  // A third membership brings legacy into tree 1: every request there is EXCLUSIVE, tree 9 not.
  std::vector<Member> together = apart;
  together.push_back({path(kB, 2), {kDriver, kLegacy}});
  EXPECT_ACCESS(decide(kAccountUser, together, kView, path(kSub, 3)), 0, LATTICE_REASON_EXCLUSIVE,
                kAccountAdmin, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, together, kView, path(kOtherAccount, 2)), 1,
                LATTICE_REASON_ALLOWED, kLegacy, 1);
  // One role at several nodes is not a conflict.
  EXPECT_ACCESS(decide(kAccountUser,
                       {{path(kA, 2), {kAccountAdmin}}, {path(kB, 2), {kAccountAdmin}}}, kReset,
                       path(kB, 2)),
                1, LATTICE_REASON_ALLOWED, kAccountAdmin, 1);
  // Role-kind is checked over every tree, before exclusivity.
  EXPECT_ACCESS(decide(kAccountUser, {{path(kA, 2), {kDriver}}, {path(kOther, 1), {kTenantAdmin}}},
                       kView, path(kA, 2)),
                0, LATTICE_REASON_ROLE_NOT_FOR_KIND, kTenantAdmin, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, {{path(kOther, 1), {kAccountAdmin}}}, kView, path(kA, 2)), 0,
                LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
}

TEST_F(PrincipalTest, NodeFlagRequirementsHoldPerTree) {
  // `require not suspended`: a suspended account blocks its whole tree, not the other one.
  const std::vector<Member> dave = {{path(kA, 2), {kAccountAdmin}, kSuspended},
                                    {path(kB, 2), {kDriver}},
                                    {path(kOtherAccount, 2), {kDriver}}};
  EXPECT_ACCESS(decide(kAccountUser, dave, kView, path(kB, 2)), 0, LATTICE_REASON_REQUIREMENT,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, dave, kView, path(kOtherAccount, 2)), 1,
                LATTICE_REASON_ALLOWED, kDriver, 2);
  // `require active or business` for account users: business on one node satisfies it there only.
  const std::vector<Member> erin = {{path(kA, 2), {kDriver}, kBusiness}, {path(kB, 2), {kDriver}}};
  EXPECT_ACCESS(decide(kAccountUser, erin, kView, path(kA, 2), 0), 0, LATTICE_REASON_REQUIREMENT,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, {erin[0]}, kView, path(kA, 2), 0), 1, LATTICE_REASON_ALLOWED,
                kDriver, 0);
  // Conditions read the principal's flags with each node's: `reset when business and not trial`.
  const std::vector<Member> fay = {{path(kA, 2), {kDriver}, kTrial | kBusiness},
                                   {path(kB, 2), {kDriver}, kBusiness}};
  EXPECT_ACCESS(decide(kAccountUser, fay, kReset, path(kA, 2)), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, fay, kReset, path(kB, 2)), 1, LATTICE_REASON_ALLOWED, kDriver,
                1);
  // The permission's kinds come before the requirement.
  EXPECT_ACCESS(decide(kAccountUser, dave, kTerminal, path(kB, 2)), 0,
                LATTICE_REASON_NOT_APPLICABLE, LATTICE_NO_ID, LATTICE_NO_ID);
}

TEST_F(PrincipalTest, LabelsWorkLikePathsAndDoNotMixWithThem) {
  // tenant [0,3], A [1,2], sub [2,2], B [3,3]
  const lattice_node_ref a = label(0, 1, 2), sub = label(0, 2, 2), b = label(0, 3, 3);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, sub), 1,
                LATTICE_REASON_ALLOWED, kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, b), 0, LATTICE_REASON_NO_ALLOW,
                LATTICE_NO_ID, LATTICE_NO_ID);
  EXPECT_ACCESS(decide(kAccountUser, {{a, {kAccountAdmin}}}, kReset, path(kA, 2)), 0,
                LATTICE_REASON_OTHER_TREE, LATTICE_NO_ID, LATTICE_NO_ID);
  // A label and a path whose root id equals the label's tree are still apart.
  EXPECT_ACCESS(decide(kAccountUser, {{label(1, 0, 3), {kAccountAdmin}}, {path(kA, 2), {kDriver}}},
                       kView, path(kA, 2)),
                1, LATTICE_REASON_ALLOWED, kDriver, 1);
  // Labels of one tree that no labelling produces together: the overlapping membership is in no
  // tree for this target, so it neither conflicts (legacy) nor allows.
  EXPECT_ACCESS(decide(kAccountUser,
                       {{label(0, 1, 3), {kAccountAdmin}}, {label(0, 2, 5), {kLegacy}}}, kView,
                       label(0, 1, 3)),
                1, LATTICE_REASON_ALLOWED, kAccountAdmin, 0);
  EXPECT_ACCESS(decide(kAccountUser,
                       {{label(0, 1, 3), {kAccountAdmin}}, {label(0, 2, 5), {kLegacy}}}, kView,
                       label(0, 2, 2)),
                1, LATTICE_REASON_ALLOWED, kAccountAdmin, 0);
  // Below both (they relate to a common ancestor): both count, and conflict.
  EXPECT_ACCESS(decide(kAccountUser,
                       {{label(0, 1, 3), {kAccountAdmin}}, {label(0, 2, 5), {kLegacy}}}, kView,
                       label(0, 0, 9)),
                0, LATTICE_REASON_EXCLUSIVE, kAccountAdmin, LATTICE_NO_ID);
}

TEST_F(PrincipalTest, ManyMemberships) {
  // 100 memberships at B that allow nothing at the sub-account, then the one that does, then
  // more past it; and the same principal asked about B.
  std::vector<Member> many(100, Member{path(kB, 2), {kDriver}});
  many.push_back({path(kA, 2), {kAccountAdmin}});
  for (int i = 0; i < 30; ++i)
    many.push_back({path(kSub, 3), {kDriver}, kBusiness});
  EXPECT_ACCESS(decide(kAccountUser, many, kReset, path(kSub, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 100);
  EXPECT_ACCESS(decide(kAccountUser, many, kView, path(kB, 2)), 1, LATTICE_REASON_ALLOWED, kDriver,
                0);
  EXPECT_ACCESS(decide(kAccountUser, many, kInvoices, path(kA, 2)), 0,
                LATTICE_REASON_DENIED_BY_RULE, kAccountAdmin, 100);
  // Past the relation cache, labels that no labelling produces together still decide alike.
  std::vector<Member> labels(70, Member{label(0, 1, 3), {kDriver}});
  labels.push_back({label(0, 2, 5), {kLegacy}});
  labels.push_back({label(0, 1, 3), {kAccountAdmin}});
  EXPECT_ACCESS(decide(kAccountUser, labels, kReset, label(0, 1, 3)), 1, LATTICE_REASON_ALLOWED,
                kAccountAdmin, 71);
  EXPECT_ACCESS(decide(kAccountUser, labels, kView, label(0, 0, 9)), 0, LATTICE_REASON_EXCLUSIVE,
                kAccountAdmin, LATTICE_NO_ID);
}

// Random principals on the sample table: forests of paths, labels of one small range (so that
// some pairs come from no labelling), roles the kind may or may not hold, every flag; every field
// of every decision equal. Includes bad permission ids and facts.
TEST_F(PrincipalTest, RandomPrincipalsDecideAsDecideAccess) {
  std::mt19937_64 rng(20261124);
  auto pick = [&](uint64_t n) { return uint64_t(rng() % n); };
  const uint64_t nodes[][3] = {{1, 0, 0}, {1, 2, 0}, {1, 2, 3}, {1, 4, 0},
                               {1, 2, 6}, {9, 0, 0}, {9, 5, 0}, {9, 5, 7}};
  const uint32_t depths[] = {1, 2, 3, 2, 3, 1, 2, 3};
  auto randomNode = [&]() {
    if (pick(5) == 0) {
      const uint32_t pre = uint32_t(pick(5));
      return label(pick(2), pre, pre + uint32_t(pick(3)));
    }
    const size_t n = pick(4) == 0 ? 5 + pick(3) : pick(5); // mostly tree 1
    return path(nodes[n], depths[n]);
  };
  size_t decisions = 0, allowed = 0;
  std::vector<size_t> reasons(LATTICE_REASON_NO_TABLE, 0);
  for (int round = 0; round < 3000; ++round) {
    const uint32_t kind = uint32_t(pick(2));
    const std::vector<uint32_t> holdable =
        kind == kTenantUser ? std::vector<uint32_t>{kTenantAdmin, kSupportAgent, kAuditor}
                            : std::vector<uint32_t>{kAccountAdmin, kDriver, kLegacy, kAuditor};
    // Flags of their sides (active: principal; business, suspended, trial: node), now and then
    // any bits, whose principal is refused as decide_access refuses the request.
    const uint64_t flags = pick(10) == 0 ? pick(16) : (pick(2) ? uint64_t(kActive) : 0);
    std::vector<Member> members(round % 100 == 0 ? 70 + pick(5) : pick(5));
    for (Member &m : members) {
      m.node = randomNode();
      for (uint64_t n = pick(4); n > 0; --n)
        m.roles.push_back(pick(20) == 0 ? uint32_t(pick(6)) : holdable[pick(holdable.size())]);
      m.nodeFlags = pick(40) == 0 ? pick(16) : pick(3) == 0 ? (pick(16) & ~uint64_t(kActive)) : 0;
    }
    const std::vector<lattice_membership> ms = memberships(members);
    lattice_principal *principal = nullptr;
    const lattice_principal_status status =
        lattice_principal_new(table.get(), kind, flags, ms.data(), uint32_t(ms.size()), &principal);
    if (refusedForSides(table.get(), status, kind, flags, ms))
      continue;
    ASSERT_EQ(status, LATTICE_PRINCIPAL_OK);
    for (int q = 0; q < 12; ++q) {
      const uint32_t permission =
          pick(20) == 0 ? uint32_t(kPermissions) : uint32_t(pick(kPermissions));
      const lattice_node_ref target = randomNode();
      const lattice_access_request request =
          accessRequest(kind, flags, ms, permission, target, pick(50) == 0);
      const lattice_access_decision want = lattice_decide_access(table.get(), &request);
      const lattice_access_decision got =
          lattice_decide_as(principal, request.permission, request.target, request.facts);
      ASSERT_TRUE(same(got, want))
          << "round " << round << ": principal " << show(got) << ", decide_access " << show(want);
      ++decisions;
      allowed += size_t(got.allowed);
      ++reasons.at(got.reason);
    }
    lattice_principal_free(principal);
  }
  // The sample is not degenerate: both answers occur often, and every reason occurs.
  EXPECT_GT(allowed, decisions / 25);
  EXPECT_LT(allowed, decisions - decisions / 25);
  for (size_t reason = 0; reason < reasons.size(); ++reason)
    EXPECT_GT(reasons[reason], 0u) << "reason " << reason << " never occurred";
}

// A table past every summary: 5,000 roles (no stack bitsets in lattice_decide_access), 70
// exclusive sets (past the 64 summarised per role), rules of every kind; random principals.
TEST(PrincipalLargeTable, DecidesAsDecideAccess) {
  TablesBuilder b("large");
  const uint64_t user = 1u << b.kind("user");
  const uint64_t other = 1u << b.kind("other");
  const uint64_t paid = 1u << b.flag("paid");
  b.flag("locked");
  constexpr uint32_t kRoles = 5000, kPerms = 6;
  std::mt19937_64 rng(70);
  for (uint32_t r = 0; r < kRoles; ++r)
    b.role("r" + std::to_string(r), r % 97 == 0 ? other : user | (r % 5 == 0 ? other : 0));
  for (uint32_t p = 0; p < kPerms; ++p)
    b.permission("p" + std::to_string(p), p == 5 ? other : user | other);
  std::vector<uint32_t> ruled, paired; // roles with rules, roles in exclusive sets
  for (uint32_t r = 0; r < kRoles; r += 1 + uint32_t(rng() % 7)) {
    ruled.push_back(r);
    for (uint32_t p = 0; p < kPerms; ++p) {
      const uint8_t relations = uint8_t(1 + rng() % 15);
      switch (rng() % 5) {
      case 0:
        b.allow(r, p, relations);
        break;
      case 1:
        b.deny(r, p, relations);
        break;
      case 2:
        b.guarded(r, p, relations, rng() % 3 == 0, paid, 0);
        break;
      default:
        break;
      }
    }
  }
  for (uint32_t s = 0; s < 70; ++s) {
    const uint32_t a = ruled[rng() % ruled.size()], c = ruled[rng() % ruled.size()];
    b.exclusive({std::min(a, c), std::max(a, c)});
    paired.push_back(a);
    paired.push_back(c);
  }
  b.require(0, user, 0, 2); // require not locked
  const std::vector<uint8_t> bytes = emit(b.build());
  Table table = mustLoad(bytes);

  size_t allowed = 0, exclusive = 0, decisions = 0;
  for (int round = 0; round < 400; ++round) {
    const uint32_t kind = uint32_t(rng() % 8 == 0);
    std::vector<Member> members(1 + rng() % 4);
    for (Member &m : members) {
      const size_t n = rng() % 5;
      m.node = path(kRandomNodes[n], kRandomDepths[n]);
      for (uint64_t k = rng() % 4; k > 0; --k) {
        const uint64_t dice = rng() % 10;
        m.roles.push_back(dice == 0   ? uint32_t(rng() % kRoles)
                          : dice == 1 ? paired[rng() % paired.size()]
                                      : ruled[rng() % ruled.size()]);
      }
      m.nodeFlags = rng() % 8 == 0 ? rng() % 4 : rng() % 2; // `locked` (bit 1) rarely
    }
    if (round % 5 == 0) { // both roles of one exclusive set, at one node or two of one tree
      const size_t set = rng() % (paired.size() / 2);
      members[0].roles.push_back(paired[2 * set]);
      members[rng() % members.size()].roles.push_back(paired[2 * set + 1]);
    }
    const std::vector<lattice_membership> ms = memberships(members);
    const uint64_t flags = rng() % 8 == 0 ? rng() % 4 : rng() % 2;
    lattice_principal *principal = nullptr;
    const lattice_principal_status status =
        lattice_principal_new(table.get(), kind, flags, ms.data(), uint32_t(ms.size()), &principal);
    if (refusedForSides(table.get(), status, kind, flags, ms))
      continue;
    ASSERT_EQ(status, LATTICE_PRINCIPAL_OK);
    for (uint32_t p = 0; p < kPerms; ++p) {
      const size_t n = rng() % 5;
      const lattice_access_request request =
          accessRequest(kind, flags, ms, p, path(kRandomNodes[n], kRandomDepths[n]));
      const lattice_access_decision want = lattice_decide_access(table.get(), &request);
      const lattice_access_decision got = lattice_decide_as(principal, p, request.target, 0);
      ASSERT_TRUE(same(got, want))
          << "round " << round << ": principal " << show(got) << ", decide_access " << show(want);
      ++decisions;
      allowed += size_t(got.allowed);
      exclusive += got.reason == LATTICE_REASON_EXCLUSIVE;
    }
    lattice_principal_free(principal);
  }
  EXPECT_GT(allowed, decisions / 25);
  EXPECT_GT(exclusive, 0u);
}

// The rules of issue 12 through principal handles: rules for some user types (kind masks) and
// policy-wide denies (every role's, also through a membership holding no role), on random tables
// and principals; every field equal to lattice_decide_access's, DENIED_BY_POLICY included.
TEST(PrincipalRules12, DecidesAsDecideAccess) {
  size_t decisions = 0, byPolicy = 0, byRule = 0, allowed = 0;
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    std::mt19937_64 rng(seed * 7919);
    TablesBuilder b("rules12");
    const uint32_t kinds = 1 + uint32_t(rng() % 3), roles = 1 + uint32_t(rng() % 6);
    const uint32_t perms = 1 + uint32_t(rng() % 3);
    for (uint32_t k = 0; k < kinds; ++k)
      b.kind("k" + std::to_string(k));
    const uint64_t principalFlag = 1u << b.flag("vip", lower::FlagOfPrincipal);
    const uint64_t nodeFlag = 1u << b.flag("frozen", lower::FlagOfNode);
    const uint64_t allKinds = (1ull << kinds) - 1;
    for (uint32_t r = 0; r < roles; ++r)
      b.role("r" + std::to_string(r), 1 + rng() % allKinds);
    for (uint32_t p = 0; p < perms; ++p)
      b.permission("p" + std::to_string(p), allKinds);
    auto someKinds = [&] { return rng() % 2 ? ~0ull : 1 + rng() % allKinds; };
    auto someFlags = [&] { return rng() % 3 == 0 ? principalFlag : rng() % 2 ? nodeFlag : 0; };
    for (uint32_t i = 0; i < roles * 3; ++i) {
      const uint32_t r = uint32_t(rng() % roles), p = uint32_t(rng() % perms);
      const uint8_t relations = uint8_t(1 + rng() % 15);
      if (rng() % 3 == 0)
        b.allow(r, p, relations);
      else
        b.guarded(r, p, relations, rng() % 3 == 0, someFlags(), 0, someKinds());
    }
    for (uint32_t i = 1 + uint32_t(rng() % 2); i > 0; --i)
      b.policyDeny(uint32_t(rng() % perms), uint8_t(1 + rng() % 15), someFlags(), 0, someKinds());
    const std::vector<uint8_t> bytes = emit(b.build());
    Table table = mustLoad(bytes);
    for (int round = 0; round < 100; ++round) {
      const uint32_t kind = uint32_t(rng() % kinds);
      std::vector<Member> members(1 + rng() % 3);
      for (Member &m : members) {
        const size_t n = rng() % 5;
        m.node = path(kRandomNodes[n], kRandomDepths[n]);
        for (uint64_t k = rng() % 3; k > 0; --k) // none now and then: policy denies still hold
          m.roles.push_back(uint32_t(rng() % roles));
        m.nodeFlags = rng() % 2 ? nodeFlag : 0;
      }
      const std::vector<lattice_membership> ms = memberships(members);
      const uint64_t flags = rng() % 2 ? principalFlag : 0;
      lattice_principal *principal = nullptr;
      ASSERT_EQ(lattice_principal_new(table.get(), kind, flags, ms.data(), uint32_t(ms.size()),
                                      &principal),
                LATTICE_PRINCIPAL_OK);
      for (uint32_t p = 0; p < perms; ++p) {
        const size_t n = rng() % 5;
        const lattice_access_request request =
            accessRequest(kind, flags, ms, p, path(kRandomNodes[n], kRandomDepths[n]));
        const lattice_access_decision want = lattice_decide_access(table.get(), &request);
        const lattice_access_decision got = lattice_decide_as(principal, p, request.target, 0);
        ASSERT_TRUE(same(got, want)) << "seed " << seed << " round " << round << ": principal "
                                     << show(got) << ", decide_access " << show(want);
        ++decisions;
        allowed += size_t(got.allowed);
        byPolicy += got.reason == LATTICE_REASON_DENIED_BY_POLICY;
        byRule += got.reason == LATTICE_REASON_DENIED_BY_RULE;
      }
      lattice_principal_free(principal);
    }
  }
  EXPECT_GT(allowed, decisions / 25);
  EXPECT_GT(byPolicy, decisions / 50);
  EXPECT_GT(byRule, decisions / 50);
}

TEST_F(PrincipalTest, OneHandleManyThreads) {
  const std::vector<Member> alice = {{path(kA, 2), {kAccountAdmin}}, {path(kB, 2), {kDriver}}};
  const std::vector<lattice_membership> ms = memberships(alice);
  std::optional<Principal> principal = Principal::create(table, kAccountUser, kActive, ms);
  ASSERT_TRUE(principal);
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int n = 0; n < 20000; ++n) {
        wrong[i] += !principal->decide(kReset, kSub, 3).allowed;
        wrong[i] += principal->decide(kReset, kB, 2).allowed;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
}

TEST_F(PrincipalTest, CxxWrapper) {
  const uint32_t roles[] = {kAccountAdmin};
  const lattice_membership m{path(kA, 2), roles, 1, 0};
  lattice_principal_status s = LATTICE_PRINCIPAL_TOO_LARGE;
  std::optional<Principal> principal = Principal::create(table, kAccountUser, kActive, &m, 1, &s);
  ASSERT_TRUE(principal);
  EXPECT_EQ(s, LATTICE_PRINCIPAL_OK);
  AccessDecision d = principal->decide(kReset, path(kSub, 3));
  EXPECT_TRUE(d);
  EXPECT_EQ(d.decidingRole, uint32_t(kAccountAdmin));
  EXPECT_EQ(d.decidingMembership, 0u);
  EXPECT_FALSE(principal->decide(kReset, kB, 2));
  EXPECT_EQ(principal->decide(kReset, kB, 0).reason, LATTICE_REASON_OTHER_TREE);
  EXPECT_EQ(principal->decide(kPermissions, kB, 0).reason, LATTICE_REASON_BAD_REQUEST);
  Principal moved = std::move(*principal);
  EXPECT_EQ(principal->get(), nullptr);
  EXPECT_TRUE(moved.decide(kView, kA, 2));
  EXPECT_EQ(principal->decide(kView, kA, 2).reason, LATTICE_REASON_BAD_REQUEST);
  EXPECT_FALSE(Principal::create(table, 7, 0, &m, 1, &s));
  EXPECT_EQ(s, LATTICE_PRINCIPAL_UNKNOWN_KIND);
}

} // namespace
} // namespace lattice::testing
