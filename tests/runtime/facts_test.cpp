// facts_test.cpp - the runtime on facts (issue 12): flags of the resource, of the target's node
// (`target.x`) and of the request, given in the request's `facts` word, by lattice_decide (one
// mask), lattice_decide_access and principal handles (lattice_decide_as), with wrong-side bits
// refused (BAD_REQUEST) and requests without facts decided from the precomputed bytes.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

enum : uint32_t { kStaff = 0 };
// Flags: suspended (of nodes), vip (of principals), resource.archived, target.suspended,
// request.mfa.
enum : uint64_t { kSuspended = 1, kVip = 2, kArchived = 4, kTargetSuspended = 8, kMfa = 16 };
enum : uint32_t { kEditor = 0 };
enum : uint32_t { kRead = 0, kWrite = 1, kDelete = 2 };

/// role editor for staff { allow doc.* in tenant; deny doc.write in tenant when
/// resource.archived; }  allow doc.delete only when request.mfa and not target.suspended.
lower::Tables factTables(bool requireMfa) {
  TablesBuilder b("facts");
  b.kind("staff");
  b.flag("suspended", lower::FlagOfNode);
  b.flag("vip", lower::FlagOfPrincipal);
  b.flag("resource.archived", lower::FactOfResource);
  b.flag("target.suspended", lower::FactOfTarget);
  b.flag("request.mfa", lower::FactOfRequest);
  b.role("editor", 1);
  for (const char *name : {"doc.read", "doc.write", "doc.delete"})
    b.permission(name, 1);
  b.allow(kEditor, kRead, kAnywhere);
  b.allow(kEditor, kWrite, kAnywhere);
  b.guarded(kEditor, kWrite, kAnywhere, /*deny=*/true, kArchived, 0);
  b.guarded(kEditor, kDelete, kAnywhere, /*deny=*/false, kMfa, kTargetSuspended);
  if (requireMfa) { // require request.mfa or vip;
    b.require(0, 1, kMfa, 0);
    b.require(0, 1, kVip, 0);
  }
  return b.build();
}

class Facts : public ::testing::Test {
public:
  lower::Tables tables = factTables(false);
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);
  const uint64_t tenant[1] = {1};
  const uint64_t account[2] = {1, 2};
  const uint32_t editor[1] = {kEditor};

  lattice_access_decision access(const lattice_table *t, uint32_t permission, uint64_t facts,
                                 uint64_t flags = 0) {
    const std::vector<lattice_membership> ms = {{path(tenant, 1), editor, 1, 0}};
    const lattice_access_request q =
        accessRequest(kStaff, flags, ms, permission, path(account, 2), facts);
    return lattice_decide_access(t, &q);
  }
  /// lattice_decide_as on a handle of the same principal: equal to lattice_decide_access.
  lattice_access_decision as(const lattice_table *t, uint32_t permission, uint64_t facts,
                             uint64_t flags = 0) {
    const std::vector<lattice_membership> ms = {{path(tenant, 1), editor, 1, 0}};
    lattice_principal *p = nullptr;
    EXPECT_EQ(lattice_principal_new(t, kStaff, flags, ms.data(), 1, &p), LATTICE_PRINCIPAL_OK);
    const lattice_access_decision d = lattice_decide_as(p, permission, path(account, 2), facts);
    lattice_principal_free(p);
    return d;
  }
};

TEST_F(Facts, SidesAreRecordedAndNamed) {
  EXPECT_EQ(lattice_flag_side(table.get(), 2), LATTICE_FLAG_RESOURCE);
  EXPECT_EQ(lattice_flag_side(table.get(), 3), LATTICE_FLAG_TARGET);
  EXPECT_EQ(lattice_flag_side(table.get(), 4), LATTICE_FLAG_REQUEST);
  EXPECT_EQ(lattice_flag_mask(table.get(), LATTICE_FLAG_FACTS),
            kArchived | kTargetSuspended | kMfa);
  EXPECT_EQ(lattice_flag_mask(table.get(), LATTICE_FLAG_NODE), kSuspended);
  EXPECT_EQ(lattice_flag_id(table.get(), "resource.archived"), 2u);
  EXPECT_EQ(lattice_flag_id(table.get(), "target.suspended"), 3u);
  EXPECT_EQ(lattice_flag_id(table.get(), "request.mfa"), 4u);
}

TEST_F(Facts, RulesReadTheRequestsFacts) {
  for (auto decide : {&Facts::access, &Facts::as}) {
    EXPECT_ACCESS((this->*decide)(table.get(), kWrite, 0, 0), 1, LATTICE_REASON_ALLOWED, kEditor,
                  0);
    EXPECT_ACCESS((this->*decide)(table.get(), kWrite, kArchived, 0), 0,
                  LATTICE_REASON_DENIED_BY_RULE, kEditor, 0);
    EXPECT_ACCESS((this->*decide)(table.get(), kDelete, 0, 0), 0, LATTICE_REASON_NO_ALLOW,
                  LATTICE_NO_ID, LATTICE_NO_ID);
    EXPECT_ACCESS((this->*decide)(table.get(), kDelete, kMfa, 0), 1, LATTICE_REASON_ALLOWED,
                  kEditor, 0);
    EXPECT_ACCESS((this->*decide)(table.get(), kDelete, kMfa | kTargetSuspended, 0), 0,
                  LATTICE_REASON_NO_ALLOW, LATTICE_NO_ID, LATTICE_NO_ID);
    // A permission whose rules read no fact decides alike whatever the facts.
    EXPECT_ACCESS((this->*decide)(table.get(), kRead, kArchived | kMfa, 0), 1,
                  LATTICE_REASON_ALLOWED, kEditor, 0);
  }
  // lattice_decide: one mask with every side.
  const lattice_request q{kStaff, editor, 1, kWrite, LATTICE_REL_DESCENDANT, kArchived};
  EXPECT_EQ(decideChecked(table, tables, q).reason, LATTICE_REASON_DENIED_BY_RULE);
}

TEST_F(Facts, ABitOnTheWrongSideIsABadRequest) {
  for (auto decide : {&Facts::access, &Facts::as}) {
    EXPECT_EQ((this->*decide)(table.get(), kRead, kVip, 0).reason, LATTICE_REASON_BAD_REQUEST);
    EXPECT_EQ((this->*decide)(table.get(), kRead, kSuspended, 0).reason,
              LATTICE_REASON_BAD_REQUEST);
    EXPECT_EQ((this->*decide)(table.get(), kRead, uint64_t(1) << 9, 0).reason,
              LATTICE_REASON_BAD_REQUEST);
  }
  // A fact given as the principal's flag.
  EXPECT_EQ(access(table.get(), kRead, 0, kMfa).reason, LATTICE_REASON_BAD_REQUEST);
  const std::vector<lattice_membership> ms = {{path(tenant, 1), editor, 1, kArchived}};
  lattice_principal *p = nullptr;
  EXPECT_EQ(lattice_principal_new(table.get(), kStaff, kMfa, ms.data(), 0, &p),
            LATTICE_PRINCIPAL_BAD_FLAGS);
  EXPECT_EQ(lattice_principal_new(table.get(), kStaff, 0, ms.data(), 1, &p),
            LATTICE_PRINCIPAL_BAD_NODE_FLAGS);
}

TEST_F(Facts, ARequirementReadingAFactIsCheckedPerRequest) {
  const lower::Tables required = factTables(true);
  const std::vector<uint8_t> requiredBytes = emit(required);
  const Table t = mustLoad(requiredBytes);
  for (auto decide : {&Facts::access, &Facts::as}) {
    EXPECT_EQ((this->*decide)(t.get(), kRead, 0, 0).reason, LATTICE_REASON_REQUIREMENT);
    EXPECT_TRUE((this->*decide)(t.get(), kRead, kMfa, 0).allowed);
    EXPECT_TRUE((this->*decide)(t.get(), kRead, 0, kVip).allowed);
  }
}

} // namespace
} // namespace lattice::testing
