// rules12_test.cpp - the runtime on the rules of issue 12: policy-wide denies (sparse denies of
// every role), rules for some user types (a sparse rule's kind mask) and conditional assigns, by
// lattice_decide, lattice_decide_access and lattice_can_assign(_with), against hand-checked
// answers, the naive reference of test_support.h on random tables, and the loader's checks.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <random>

namespace lattice::testing {
namespace {

using namespace lattice::format;

// staff (kind 0) and member (kind 1); flags suspended (of nodes) and vip (of principals).
enum : uint32_t { kStaff = 0, kMember = 1 };
enum : uint64_t { kSuspended = 1, kVip = 2 };
enum : uint32_t { kEditor = 0, kViewer = 1, kLocked = 2 };
enum : uint32_t { kRead = 0, kWrite = 1, kDelete = 2 };

/// role editor for staff, member { allow doc.* in tenant; deny doc.delete for member;
///                                 assigns viewer when vip and not suspended; assigns locked; }
/// role viewer for member { allow doc.read; }   locked role locked for member { ... }
/// deny doc.write when suspended;   deny doc.read in ancestors for staff;
lower::Tables rulesTables() {
  TablesBuilder b("rules12");
  b.kind("staff");
  b.kind("member");
  b.flag("suspended", lower::FlagOfNode);
  b.flag("vip", lower::FlagOfPrincipal);
  b.role("editor", 3);
  b.role("viewer", 2);
  b.role("locked", 2, lower::RoleLocked);
  for (const char *name : {"doc.read", "doc.write", "doc.delete"})
    b.permission(name, 3);
  for (uint32_t p : {kRead, kWrite, kDelete})
    b.allow(kEditor, p, kAnywhere);
  b.allow(kViewer, kRead, kSame);
  b.guarded(kEditor, kDelete, kAnywhere, /*deny=*/true, 0, 0, /*kinds=*/1u << kMember);
  b.policyDeny(kWrite, kAnywhere, kSuspended, 0);
  b.policyDeny(kRead, kAncestor, 0, 0, 1u << kStaff);
  b.assigns(kEditor, {kLocked});
  b.assignsWhen(kEditor, kViewer, kVip, kSuspended);
  return b.build();
}

class Rules12 : public ::testing::Test {
protected:
  lower::Tables tables = rulesTables();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);

  lattice_decision decide(uint32_t kind, std::initializer_list<uint32_t> roles, uint32_t permission,
                          lattice_relation relation, uint64_t flags = 0) {
    std::vector<uint32_t> held(roles);
    const lattice_request q{kind,       held.data(),        uint32_t(held.size()),
                            permission, uint32_t(relation), flags};
    return decideChecked(table, tables, q);
  }
};

TEST_F(Rules12, ARuleForSomeUserTypesHoldsForThemOnly) {
  EXPECT_EQ(decide(kMember, {kEditor}, kDelete, LATTICE_REL_SAME).reason,
            LATTICE_REASON_DENIED_BY_RULE);
  EXPECT_EQ(decide(kMember, {kEditor}, kDelete, LATTICE_REL_SAME).deciding_role, kEditor);
  EXPECT_TRUE(decide(kStaff, {kEditor}, kDelete, LATTICE_REL_SAME).allowed);
}

TEST_F(Rules12, APolicyWideDenyHoldsWhateverRoleAllows) {
  const lattice_decision d = decide(kStaff, {kEditor}, kWrite, LATTICE_REL_DESCENDANT, kSuspended);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, LATTICE_REASON_DENIED_BY_POLICY);
  EXPECT_EQ(d.deciding_role, LATTICE_NO_ID);
  EXPECT_TRUE(decide(kStaff, {kEditor}, kWrite, LATTICE_REL_DESCENDANT).allowed);
  // Its reach and its `for`: staff only, at ancestors only.
  EXPECT_EQ(decide(kStaff, {kEditor}, kRead, LATTICE_REL_ANCESTOR).reason,
            LATTICE_REASON_DENIED_BY_POLICY);
  EXPECT_TRUE(decide(kMember, {kEditor}, kRead, LATTICE_REL_ANCESTOR).allowed);
  EXPECT_TRUE(decide(kStaff, {kEditor}, kRead, LATTICE_REL_SAME).allowed);
  // No role at all: still denied by it (not "no allow").
  EXPECT_EQ(decide(kStaff, {}, kWrite, LATTICE_REL_SAME, kSuspended).reason,
            LATTICE_REASON_DENIED_BY_POLICY);
  // A deny of a held role is named before a policy-wide one.
  EXPECT_EQ(decide(kMember, {kEditor}, kDelete, LATTICE_REL_SAME, kSuspended).reason,
            LATTICE_REASON_DENIED_BY_RULE);
}

TEST_F(Rules12, APolicyWideDenyHoldsThroughEveryMembership) {
  const uint64_t tenant[] = {1}, account[] = {1, 2}, other[] = {9};
  const uint32_t editor[] = {kEditor};
  // The editor at the tenant may write the account's document; a membership holding no role at
  // the account itself, whose node is suspended, brings the policy-wide deny.
  const std::vector<lattice_membership> ms = {{path(tenant, 1), editor, 1, 0},
                                              {path(other, 1), nullptr, 0, kSuspended},
                                              {path(account, 2), nullptr, 0, kSuspended}};
  lattice_access_request q = accessRequest(kStaff, 0, ms, kWrite, path(account, 2));
  lattice_access_decision d = lattice_decide_access(table.get(), &q);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, LATTICE_REASON_DENIED_BY_POLICY);
  EXPECT_EQ(d.deciding_role, LATTICE_NO_ID);
  EXPECT_EQ(d.deciding_membership, 2u); // not the one in another tree
  q.membership_count = 2;               // without it: allowed through the tenant membership
  d = lattice_decide_access(table.get(), &q);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.deciding_membership, 0u);
  // A rule for some user types through memberships too.
  q.kind = kMember;
  q.permission = kDelete;
  d = lattice_decide_access(table.get(), &q);
  EXPECT_EQ(d.reason, LATTICE_REASON_DENIED_BY_RULE);
  EXPECT_EQ(d.deciding_role, kEditor);
}

TEST_F(Rules12, ConditionalAssignsNeedTheAssignersFlags) {
  const uint32_t editor[] = {kEditor};
  // Without flags a conditional assigns never counts (fail closed); an unconditional one does.
  EXPECT_EQ(lattice_can_assign(table.get(), editor, 1, kViewer), 0);
  EXPECT_EQ(lattice_can_assign_with(table.get(), editor, 1, kViewer, kVip), 1);
  EXPECT_EQ(lattice_can_assign_with(table.get(), editor, 1, kViewer, kVip | kSuspended), 0);
  EXPECT_EQ(lattice_can_assign_with(table.get(), editor, 1, kViewer, 0), 0);
  // Locked: never, whatever the flags; unknown flag bits: refused.
  EXPECT_EQ(lattice_can_assign_with(table.get(), editor, 1, kLocked, kVip), 0);
  EXPECT_EQ(lattice_can_assign_with(table.get(), editor, 1, kViewer, kVip | 1ull << 9), 0);
  EXPECT_EQ(lattice_can_assign_with(nullptr, editor, 1, kViewer, kVip), 0);
  const uint32_t viewer[] = {kViewer};
  EXPECT_EQ(lattice_can_assign_with(table.get(), viewer, 1, kViewer, kVip), 0);
  // The C++ wrapper, by names.
  const RoleSet roles{table.roleId("editor")};
  EXPECT_FALSE(table.canAssign(roles, table.roleId("viewer")));
  EXPECT_TRUE(table.canAssign(roles, table.roleId("viewer"), table.flags({"vip"})));
}

/// Random tables with rules for some user types, policy-wide denies and conditional assigns;
/// random requests against the reference.
TEST(Rules12Random, AgreesWithReference) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 rng(seed);
    TablesBuilder b("random");
    const uint32_t kinds = 1 + rng() % 3, flags = rng() % 4, roles = 1 + rng() % 6,
                   permissions = 1 + rng() % 4;
    for (uint32_t k = 0; k < kinds; ++k)
      b.kind("k" + std::to_string(k));
    for (uint32_t f = 0; f < flags; ++f)
      b.flag("f" + std::to_string(f), rng() % 2 ? lower::FlagOfNode : lower::FlagOfPrincipal);
    const uint64_t allKinds = (1ull << kinds) - 1, allFlags = (1ull << flags) - 1;
    for (uint32_t r = 0; r < roles; ++r)
      b.role("r" + std::to_string(r), 1 + rng() % allKinds,
             rng() % 8 == 0 ? uint32_t(lower::RoleLocked) : 0u);
    for (uint32_t p = 0; p < permissions; ++p)
      b.permission("p" + std::to_string(p), 1 + rng() % allKinds);
    for (uint32_t i = 0; i < roles * 3; ++i) {
      const uint32_t role = uint32_t(rng() % roles), p = uint32_t(rng() % permissions);
      const uint8_t relations = uint8_t(1 + rng() % 15);
      switch (rng() % 4) {
      case 0:
        b.allow(role, p, relations);
        break;
      default:
        b.guarded(role, p, relations, rng() % 3 == 0, rng() & allFlags, rng() & allFlags,
                  rng() % 2 ? ~0ull : 1 + rng() % allKinds);
      }
    }
    const uint32_t policyDenies = uint32_t(rng() % 3);
    for (uint32_t i = 0; i < policyDenies; ++i)
      b.policyDeny(uint32_t(rng() % permissions), uint8_t(1 + rng() % 15), rng() & allFlags,
                   rng() & allFlags, rng() % 2 ? ~0ull : 1 + rng() % allKinds);
    for (uint32_t r = 0; r < roles; ++r)
      for (uint32_t t = 0; t < roles; ++t)
        if (rng() % 4 == 0)
          b.assignsWhen(r, t, rng() & allFlags, rng() & allFlags);
    const lower::Tables tables = b.build();
    std::vector<uint8_t> bytes = emit(tables);
    Table table = mustLoad(bytes);
    for (int i = 0; i < 2000; ++i) {
      std::vector<uint32_t> held(rng() % 4);
      for (uint32_t &r : held)
        r = uint32_t(rng() % roles);
      const lattice_request q{uint32_t(rng() % kinds), held.data(),
                              uint32_t(held.size()),   uint32_t(rng() % permissions),
                              uint32_t(rng() % 4),     rng() & allFlags};
      const lattice_decision got = lattice_decide(table.get(), &q);
      const lattice_decision want = referenceDecide(tables, q);
      ASSERT_EQ(got.reason, want.reason) << "seed " << seed << " request " << i;
      ASSERT_EQ(got.deciding_role, want.deciding_role) << "seed " << seed << " request " << i;
      const uint32_t target = uint32_t(rng() % roles);
      ASSERT_EQ(lattice_can_assign(table.get(), held.data(), q.role_count, target) != 0,
                referenceCanAssign(tables, held, target));
      ASSERT_EQ(lattice_can_assign_with(table.get(), held.data(), q.role_count, target, q.flags) !=
                    0,
                referenceCanAssign(tables, held, target, q.flags))
          << "seed " << seed << " request " << i;
    }
  }
}

/// The loader refuses what the writer never writes: a sparse rule for no kind or for undeclared
/// kinds, an allow of every role, conditional assigns out of order or out of range.
TEST_F(Rules12, LoaderChecksTheNewFields) {
  ASSERT_EQ(loadStatus(bytes), LATTICE_LOAD_OK);
  const size_t sparseAt = sectionOffset(bytes, kSparseRules);
  auto patched = [&](auto edit) {
    std::vector<uint8_t> copy = bytes;
    edit(copy);
    reseal(copy);
    return loadStatus(copy);
  };
  // Entry 0 is a rule of a role; find the policy-wide ones (role kEveryRole) too.
  size_t every = 0;
  for (uint32_t e = 0; e < uint32_t(tables.sparseRules.size()) && !every; ++e)
    if (loadU32(&bytes[sparseAt + sparse::kSize * e + sparse::kRole]) == kEveryRole)
      every = sparseAt + sparse::kSize * e;
  ASSERT_NE(every, 0u);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, sparseAt + sparse::kKindMask, 0); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, sparseAt + sparse::kKindMask, 4); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU8(b, every + sparse::kDeny, 0); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU8(b, sparseAt + sparse::kReserved + 5, 1); }),
            LATTICE_LOAD_BAD_LAYOUT);
  const size_t conditionAt = sectionOffset(bytes, kAssignConditions);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, conditionAt + assigncond::kTarget, 3); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, conditionAt + assigncond::kRequired, 4); }),
            LATTICE_LOAD_BAD_LAYOUT);
}

/// Two conditional assigns out of (assigner, target) order are refused: the lookup searches.
TEST(Rules12Loader, ConditionalAssignsMustBeSorted) {
  TablesBuilder b("sorted");
  b.kind("k");
  b.flag("f");
  b.role("a", 1);
  b.role("b", 1);
  b.assignsWhen(0, 1, 1, 0);
  b.assignsWhen(1, 0, 0, 1);
  std::vector<uint8_t> bytes = emit(b.build());
  ASSERT_EQ(loadStatus(bytes), LATTICE_LOAD_OK);
  const size_t at = sectionOffset(bytes, kAssignConditions);
  patchU32(bytes, at + assigncond::kAssigner, 1);
  patchU32(bytes, at + assigncond::kSize + assigncond::kAssigner, 0);
  reseal(bytes);
  EXPECT_EQ(loadStatus(bytes), LATTICE_LOAD_BAD_LAYOUT);
}

} // namespace
} // namespace lattice::testing
