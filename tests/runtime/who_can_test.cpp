// who_can_test.cpp - who-can from a table (lattice_who_can, Table::whoCan): each gate a role,
// ceiling or user type passes or fails by (per-kind `for`, kinds that may hold a role,
// relations, conditions, a role's deny, policy-wide denies, `require`), every answer checked
// against single-role lattice_decide calls, and fail-closed answers for every kind of bad input.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace lattice::testing {
namespace {

enum : uint32_t { kUser = 0, kAdmin = 1, kKey = 2 };
enum : uint32_t { kTrusted = 0, kSuspended = 1, kLocked = 2 }; // principal, node, fact
enum : uint32_t { kView = 0, kEdit = 1, kDelete = 2, kAudit = 3 };
enum : uint32_t { kViewer = 0, kEditor = 1, kLimited = 2, kAuditor = 3, kOps = 4 };

constexpr uint64_t bit(uint32_t i) { return uint64_t(1) << i; }

/// usertype user, admin, api_key; flags trusted (principal), suspended (node), resource.locked.
/// doc.view, doc.edit, doc.delete for all; admin.audit for admins only.
/// role viewer for user { allow doc.view in subtree; allow admin.audit; }
/// role editor for admin { allow doc.view, doc.edit, doc.delete anywhere; allow admin.audit; }
/// role limited for user, admin { allow doc.edit; deny doc.edit when suspended; }
/// role auditor for user, admin { allow doc.view anywhere when trusted for user; }
/// role ops for user { allow doc.delete in subtree; }
/// deny doc.delete when resource.locked;     require trusted for admin;
/// custom role key_role for api_key { allow doc.view in subtree; allow doc.delete; }
/// custom role audit_role for admin { allow admin.audit; }
lower::Tables whoCanTables() {
  TablesBuilder b("who_can");
  b.kind("user");
  b.kind("admin");
  b.kind("api_key");
  b.flag("trusted", lower::FlagOfPrincipal);
  b.flag("suspended", lower::FlagOfNode);
  b.flag("resource.locked", lower::FactOfResource);
  const uint64_t all = bit(kUser) | bit(kAdmin) | bit(kKey);
  b.permission("doc.view", all);
  b.permission("doc.edit", all);
  b.permission("doc.delete", all);
  b.permission("admin.audit", bit(kAdmin));
  b.role("viewer", bit(kUser));
  b.role("editor", bit(kAdmin));
  b.role("limited", bit(kUser) | bit(kAdmin));
  b.role("auditor", bit(kUser) | bit(kAdmin));
  b.role("ops", bit(kUser));
  b.allow(kViewer, kView, kSubtree);
  b.allow(kViewer, kAudit, kSame); // the permission is for admins, the role for users: never
  for (uint32_t p : {kView, kEdit, kDelete})
    b.allow(kEditor, p, kAnywhere);
  b.allow(kEditor, kAudit, kSame);
  b.allow(kLimited, kEdit, kSame);
  b.guarded(kLimited, kEdit, kSame, true, bit(kSuspended), 0);
  b.guarded(kAuditor, kView, kAnywhere, false, bit(kTrusted), 0, bit(kUser));
  b.allow(kOps, kDelete, kSubtree);
  b.policyDeny(kDelete, kAnywhere, bit(kLocked), 0);
  b.require(0, bit(kAdmin), bit(kTrusted), 0);
  lower::Tables t = b.build();
  t.ceilings.push_back(
      {"key_role", bit(kKey), {{kView, uint8_t(kSubtree)}, {kDelete, uint8_t(kSame)}}, {}});
  t.ceilings.push_back({"audit_role", bit(kAdmin), {{kAudit, uint8_t(kSame)}}, {}});
  return t;
}

class WhoCan : public ::testing::Test {
protected:
  std::vector<uint8_t> bytes = emit(whoCanTables());
  Table table = mustLoad(bytes);

  /// The C API's answer, checked against lattice_decide with one role for every role and kind
  /// that may hold it (roles and the user types they give), then as names.
  WhoCanNames ask(uint32_t permission, lattice_relation relation, uint64_t flags = 0) {
    WhoCanBits bits;
    bits.roleWords.assign(1, ~uint64_t(0)); // junk the call must clear
    bits.ceilingWords.assign(1, ~uint64_t(0));
    bits.kindWords.assign(1, ~uint64_t(0));
    bits.status = lattice_who_can(table.get(), permission, relation, flags, bits.roleWords.data(),
                                  1, bits.ceilingWords.data(), 1, bits.kindWords.data(), 1);
    EXPECT_EQ(bits.status, LATTICE_WHO_CAN_OK);
    for (uint32_t r = 0; r < table.roleCount(); ++r) {
      bool any = false;
      for (uint32_t k = 0; k < table.kindCount(); ++k) {
        const uint32_t roles[] = {r};
        const lattice_request q{k, roles, 1, permission, uint32_t(relation), flags};
        const bool allowed = lattice_decide(table.get(), &q).allowed != 0;
        any = any || allowed;
        if (allowed) {
          EXPECT_TRUE(bits.kind(k)) << "role " << r << " allows kind " << k;
        }
      }
      EXPECT_EQ(bits.role(r), any) << "role " << table.roleName(r);
    }
    return table.whoCanNames(bits);
  }
};

using Names = std::vector<std::string_view>;

TEST_F(WhoCan, RolesByRelationAndKind) {
  // doc.view at its own node: viewer (user), editor (admin, which needs `trusted`), and
  // auditor's conditional allow only when trusted.
  WhoCanNames a = ask(kView, LATTICE_REL_SAME, bit(kTrusted));
  EXPECT_EQ(a.roles, (Names{"viewer", "editor", "auditor"}));
  EXPECT_EQ(a.ceilings, (Names{"key_role"}));
  EXPECT_EQ(a.userTypes, (Names{"user", "admin", "api_key"}));
  // Above the principal's node: viewer's subtree does not reach, the ceiling neither.
  a = ask(kView, LATTICE_REL_ANCESTOR, bit(kTrusted));
  EXPECT_EQ(a.roles, (Names{"editor", "auditor"}));
  EXPECT_EQ(a.ceilings, Names{});
  EXPECT_EQ(a.userTypes, (Names{"user", "admin"}));
}

TEST_F(WhoCan, ConditionsAndPerKindRules) {
  // Without `trusted`: auditor's allow does not hold; admins fail `require`, so editor is out.
  WhoCanNames a = ask(kView, LATTICE_REL_SAME);
  EXPECT_EQ(a.roles, (Names{"viewer"}));
  EXPECT_EQ(a.userTypes, (Names{"user", "api_key"}));
  // auditor's allow is `for user`: held by an admin it allows nothing, so user is its only type.
  a = ask(kView, LATTICE_REL_TENANT, bit(kTrusted));
  EXPECT_EQ(a.roles, (Names{"editor", "auditor"}));
}

TEST_F(WhoCan, RoleDenyAndRequirement) {
  // limited allows doc.edit at its node unless the node is suspended (its own deny).
  EXPECT_EQ(ask(kEdit, LATTICE_REL_SAME).roles, (Names{"limited"}));
  EXPECT_EQ(ask(kEdit, LATTICE_REL_SAME, bit(kSuspended)).roles, Names{});
  // With `trusted`, admins pass `require`: editor and limited (held by an admin) are allowed.
  const WhoCanNames a = ask(kEdit, LATTICE_REL_SAME, bit(kTrusted) | bit(kSuspended));
  EXPECT_EQ(a.roles, (Names{"editor"}));
  EXPECT_EQ(a.userTypes, (Names{"admin"}));
}

TEST_F(WhoCan, PolicyWideDenyTakesRolesAndCeilings) {
  const WhoCanNames open = ask(kDelete, LATTICE_REL_SAME, bit(kTrusted));
  EXPECT_EQ(open.roles, (Names{"editor", "ops"}));
  EXPECT_EQ(open.ceilings, (Names{"key_role"}));
  const WhoCanNames locked = ask(kDelete, LATTICE_REL_SAME, bit(kTrusted) | bit(kLocked));
  EXPECT_EQ(locked.roles, Names{});
  EXPECT_EQ(locked.ceilings, Names{});
  EXPECT_EQ(locked.userTypes, Names{});
}

TEST_F(WhoCan, PermissionForSomeKindsOnly) {
  // admin.audit is for admins: viewer (a user role) is never listed although its rule allows it;
  // audit_role's user type is admin, which needs `trusted`.
  WhoCanNames a = ask(kAudit, LATTICE_REL_SAME, bit(kTrusted));
  EXPECT_EQ(a.roles, (Names{"editor"}));
  EXPECT_EQ(a.ceilings, (Names{"audit_role"}));
  EXPECT_EQ(a.userTypes, (Names{"admin"}));
  a = ask(kAudit, LATTICE_REL_SAME);
  EXPECT_EQ(a.ceilings, Names{});
}

TEST_F(WhoCan, OtherTreeIsNoOne) {
  const WhoCanNames a = ask(kView, LATTICE_REL_NONE, bit(kTrusted));
  EXPECT_EQ(a.status, LATTICE_WHO_CAN_OK);
  EXPECT_TRUE(a.roles.empty() && a.ceilings.empty() && a.userTypes.empty());
}

TEST_F(WhoCan, BadInputIsAllZeroWithAStatus) {
  uint64_t roles[2], ceilings[2], kinds[2];
  auto call = [&](const lattice_table *t, uint32_t p, uint32_t rel, uint64_t flags, uint32_t nr,
                  uint32_t nc, uint32_t nk, bool nullRoles = false) {
    for (uint32_t i = 0; i < 2; ++i)
      roles[i] = ceilings[i] = kinds[i] = ~uint64_t(0);
    const lattice_who_can_status s =
        lattice_who_can(t, p, rel, flags, nullRoles ? nullptr : roles, nr, ceilings, nc, kinds, nk);
    if (s != LATTICE_WHO_CAN_OK) { // refused: every given word is 0
      for (uint32_t i = 0; i < nr && !nullRoles; ++i)
        EXPECT_EQ(roles[i], 0u);
      for (uint32_t i = 0; i < nc; ++i)
        EXPECT_EQ(ceilings[i], 0u);
      for (uint32_t i = 0; i < nk; ++i)
        EXPECT_EQ(kinds[i], 0u);
    }
    return s;
  };
  const lattice_table *t = table.get();
  EXPECT_EQ(call(nullptr, kView, 0, 0, 1, 1, 1), LATTICE_WHO_CAN_NO_TABLE);
  EXPECT_EQ(call(t, kView, 0, 0, 0, 1, 1), LATTICE_WHO_CAN_BAD_ARGUMENT);       // no role words
  EXPECT_EQ(call(t, kView, 0, 0, 1, 0, 1), LATTICE_WHO_CAN_BAD_ARGUMENT);       // no ceiling words
  EXPECT_EQ(call(t, kView, 0, 0, 1, 1, 0), LATTICE_WHO_CAN_BAD_ARGUMENT);       // no kind words
  EXPECT_EQ(call(t, kView, 0, 0, 1, 1, 1, true), LATTICE_WHO_CAN_BAD_ARGUMENT); // NULL roles
  EXPECT_EQ(call(t, 4, 0, 0, 1, 1, 1), LATTICE_WHO_CAN_BAD_REQUEST);            // permission
  EXPECT_EQ(call(t, LATTICE_NO_ID, 0, 0, 1, 1, 1), LATTICE_WHO_CAN_BAD_REQUEST);
  EXPECT_EQ(call(t, kView, 5, 0, 1, 1, 1), LATTICE_WHO_CAN_BAD_REQUEST); // relation
  EXPECT_EQ(call(t, kView, 0, bit(3), 1, 1, 1), LATTICE_WHO_CAN_BAD_REQUEST);
  EXPECT_EQ(call(t, kView, 0, bit(63), 1, 1, 1), LATTICE_WHO_CAN_BAD_REQUEST);
  // More words than needed are fine; the extra ones are 0.
  EXPECT_EQ(call(t, kView, 0, 0, 2, 2, 2), LATTICE_WHO_CAN_OK);
  EXPECT_EQ(roles[0], bit(kViewer));
  EXPECT_EQ(roles[1], 0u);
  EXPECT_STREQ(lattice_who_can_status_message(LATTICE_WHO_CAN_BAD_REQUEST),
               "unknown permission, bad relation, or a flag the table does not declare");
  EXPECT_STREQ(lattice_who_can_status_message(lattice_who_can_status(99)), "unknown status");
}

TEST_F(WhoCan, TableWithoutCeilingsTakesNoCeilingWords) {
  const std::vector<uint8_t> plain = emit(sampleTables());
  Table sample = mustLoad(plain);
  uint64_t roles = ~uint64_t(0), kinds = ~uint64_t(0);
  EXPECT_EQ(LATTICE_CEILING_WORDS(sample.get()), 0u);
  EXPECT_EQ(lattice_who_can(sample.get(), sample::kView, LATTICE_REL_SAME, sample::kActive, &roles,
                            1, nullptr, 0, &kinds, 1),
            LATTICE_WHO_CAN_OK);
  EXPECT_NE(roles, 0u);
  EXPECT_NE(kinds, 0u);
}

TEST_F(WhoCan, WrapperRefusesUnknownNamesAndForeignIds) {
  EXPECT_EQ(table.whoCan("doc.veiw", LATTICE_REL_SAME).status, LATTICE_WHO_CAN_BAD_REQUEST);
  const WhoCanNames badFlag = table.whoCan("doc.view", LATTICE_REL_SAME, {"trustd"});
  EXPECT_EQ(badFlag.status, LATTICE_WHO_CAN_BAD_REQUEST);
  EXPECT_TRUE(badFlag.roles.empty() && badFlag.userTypes.empty());
  const WhoCanNames good = table.whoCan("doc.view", LATTICE_REL_SAME, {"trusted"});
  EXPECT_EQ(good.status, LATTICE_WHO_CAN_OK);
  EXPECT_EQ(good.roles, (Names{"viewer", "editor", "auditor"}));
  // An id resolved in a table of another vocabulary is refused, not read as this table's.
  const std::vector<uint8_t> plain = emit(sampleTables());
  Table other = mustLoad(plain);
  const WhoCanBits foreign = table.whoCan(other.permissionId("station.view"), LATTICE_REL_SAME);
  EXPECT_EQ(foreign.status, LATTICE_WHO_CAN_BAD_REQUEST);
  EXPECT_EQ(foreign.roleWords, std::vector<uint64_t>(1, 0));
}

} // namespace
} // namespace lattice::testing
