// what_can_test.cpp - what-can (lattice_what_can*, lattice_resource_permissions, the C++
// PermissionBits): the allowed sets of a small hand-made table, and fail-closed answers (all
// zero words, a status saying why) for every kind of bad input.
#include "sample_tables.h"
#include "test_support.h"

#include <gtest/gtest.h>
#include <string>

namespace lattice::testing {
namespace {

// Tree 1: 1 -> 2 -> 3; tree 9.
const uint64_t kRoot[] = {1}, kMid[] = {1, 2}, kLeaf[] = {1, 2, 3}, kOther[] = {9};

class WhatCanTest : public ::testing::Test {
protected:
  // user: viewer (doc.view in subtree, folder.view at its node), editor (doc.* anywhere),
  // banned (denies doc.edit), auditor (doc.view when `trusted`); a policy-wide deny of
  // doc.delete when resource.locked; folder.share applies to admins only; 70 filler
  // permissions so that bitsets span two words.
  lower::Tables tables = [] {
    TablesBuilder b("what_can");
    user = b.kind("user");
    admin = b.kind("admin");
    const uint64_t all = (uint64_t(1) << user) | (uint64_t(1) << admin);
    trusted = b.flag("trusted", lower::FlagOfPrincipal);
    b.flag("suspended", lower::FlagOfNode);
    locked = b.flag("resource.locked", lower::FactOfResource);
    view = b.permission("doc.view", all);
    edit = b.permission("doc.edit", all);
    del = b.permission("doc.delete", all);
    folderView = b.permission("folder.view", all);
    share = b.permission("folder.share", uint64_t(1) << admin);
    for (int i = 0; i < 70; ++i)
      b.permission("filler.p" + std::to_string(100 + i), all);
    viewer = b.role("viewer", all);
    editor = b.role("editor", all);
    banned = b.role("banned", all);
    auditor = b.role("auditor", all);
    b.allow(viewer, view, kSubtree);
    b.allow(viewer, folderView, kSame);
    b.allow(viewer, share, kSame);
    b.allow(viewer, 5 + 66, kSame); // filler.p166, in the second word
    for (uint32_t p : {view, edit, del})
      b.allow(editor, p, kAnywhere);
    b.deny(banned, edit, kAnywhere);
    b.guarded(auditor, view, kAnywhere, false, uint64_t(1) << trusted, 0);
    b.policyDeny(del, kAnywhere, uint64_t(1) << locked, 0);
    return b.build();
  }();
  std::vector<uint8_t> bytes = emit(tables);
  Table table = mustLoad(bytes);
  uint32_t words = LATTICE_PERMISSION_WORDS(table.get());

  static inline uint32_t user, admin, trusted, locked, view, edit, del, folderView, share;
  static inline uint32_t viewer, editor, banned, auditor;

  lattice_access_request request(const std::vector<lattice_membership> &ms, lattice_node_ref target,
                                 uint64_t flags = 0, uint64_t facts = 0) const {
    return accessRequest(user, flags, ms, 0, target, facts);
  }

  /// The names allowed by the request form, checked equal to the handle's, through the C++
  /// wrapper.
  std::vector<std::string> allowed(const std::vector<Member> &members, lattice_node_ref target,
                                   uint64_t flags = 0, uint64_t facts = 0) {
    const std::vector<lattice_membership> ms = memberships(members);
    const lattice_access_request q = request(ms, target, flags, facts);
    PermissionBits bits;
    bits.words.assign(words, 0);
    bits.status = lattice_what_can(table.get(), &q, bits.words.data(), words);
    EXPECT_EQ(bits.status, LATTICE_WHAT_CAN_OK);
    auto principal = Principal::create(table, user, flags, ms);
    EXPECT_TRUE(principal.has_value());
    if (principal) {
      const PermissionBits fast = principal->whatCan(table.permissionCount(), target, facts);
      EXPECT_EQ(fast.status, LATTICE_WHAT_CAN_OK);
      EXPECT_EQ(fast.words, bits.words) << "lattice_what_can_as differs from lattice_what_can";
    }
    std::vector<std::string> names;
    for (std::string_view n : table.permissionNames(bits))
      names.emplace_back(n);
    return names;
  }

  void expectZero(const std::vector<uint64_t> &w) {
    for (uint64_t x : w)
      EXPECT_EQ(x, 0u);
  }
};

using Names = std::vector<std::string>;

TEST_F(WhatCanTest, AllowedSetsByRelation) {
  EXPECT_EQ(words, 2u); // 75 permissions
  EXPECT_EQ(allowed({{path(kMid, 2), {viewer}}}, path(kMid, 2)),
            (Names{"doc.view", "folder.view", "filler.p166"}));
  EXPECT_EQ(allowed({{path(kMid, 2), {viewer}}}, path(kLeaf, 3)), (Names{"doc.view"}));
  EXPECT_EQ(allowed({{path(kMid, 2), {viewer}}}, path(kRoot, 1)), Names{});
  EXPECT_EQ(allowed({{path(kMid, 2), {viewer}}}, path(kOther, 1)), Names{}); // another tree
  // Two memberships: the union of what each allows at its own relation.
  EXPECT_EQ(allowed({{path(kRoot, 1), {viewer}}, {path(kLeaf, 3), {editor}}}, path(kMid, 2)),
            (Names{"doc.view", "doc.edit", "doc.delete"}));
}

TEST_F(WhatCanTest, DenyWinsAndConditions) {
  // banned at any node of the tree takes doc.edit away from editor.
  EXPECT_EQ(allowed({{path(kMid, 2), {editor}}, {path(kRoot, 1), {banned}}}, path(kMid, 2)),
            (Names{"doc.view", "doc.delete"}));
  // The auditor's allow needs `trusted`; the policy-wide deny needs the fact.
  EXPECT_EQ(allowed({{path(kMid, 2), {auditor}}}, path(kMid, 2)), Names{});
  EXPECT_EQ(allowed({{path(kMid, 2), {auditor}}}, path(kMid, 2), uint64_t(1) << trusted),
            (Names{"doc.view"}));
  EXPECT_EQ(allowed({{path(kMid, 2), {editor}}}, path(kMid, 2), 0, uint64_t(1) << locked),
            (Names{"doc.view", "doc.edit"}));
  // folder.share is for admins only: a user holding viewer does not get it.
  const std::vector<Member> members = {{path(kMid, 2), {viewer}}};
  const std::vector<lattice_membership> ms = memberships(members);
  auto admin = Principal::create(table, WhatCanTest::admin, 0, ms);
  ASSERT_TRUE(admin.has_value());
  const PermissionBits bits = admin->whatCan(table.permissionCount(), path(kMid, 2));
  EXPECT_TRUE(bits.allows(share));
  EXPECT_FALSE(allowed({{path(kMid, 2), {viewer}}}, path(kMid, 2)).empty());
  for (const std::string &n : allowed({{path(kMid, 2), {viewer}}}, path(kMid, 2)))
    EXPECT_NE(n, "folder.share");
}

TEST_F(WhatCanTest, BadArgumentsGiveZeroWords) {
  const std::vector<Member> members = {{path(kMid, 2), {editor}}};
  const std::vector<lattice_membership> ms = memberships(members);
  const lattice_access_request q = request(ms, path(kMid, 2));
  std::vector<uint64_t> w(words, ~0ull);
  EXPECT_EQ(lattice_what_can(nullptr, &q, w.data(), words), LATTICE_WHAT_CAN_NO_TABLE);
  expectZero(w);
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can(table.get(), nullptr, w.data(), words), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  expectZero(w);
  EXPECT_EQ(lattice_what_can(table.get(), &q, nullptr, words), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can(table.get(), &q, w.data(), words - 1),
            LATTICE_WHAT_CAN_BAD_ARGUMENT); // too short: the words given are zeroed
  EXPECT_EQ(w[0], 0u);
  EXPECT_EQ(w[1], ~0ull) << "a word beyond word_count is not written";
  // A set of another table.
  Table other = mustLoad(bytes);
  lattice_custom_roles *set = lattice_custom_roles_new(other.get());
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can_custom(table.get(), set, &q, w.data(), words),
            LATTICE_WHAT_CAN_BAD_ARGUMENT);
  expectZero(w);
  lattice_custom_roles_free(set);
  // The handle forms.
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can_as(nullptr, path(kMid, 2), 0, w.data(), words),
            LATTICE_WHAT_CAN_BAD_ARGUMENT);
  expectZero(w);
  auto principal = Principal::create(table, user, 0, ms);
  ASSERT_TRUE(principal.has_value());
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can_as(principal->get(), path(kMid, 2), 0, w.data(), 1),
            LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(w[0], 0u);
  EXPECT_EQ(lattice_what_can_as(principal->get(), path(kMid, 2), 0, nullptr, words),
            LATTICE_WHAT_CAN_BAD_ARGUMENT);
  // A path without ids: no node, nothing allowed (as decide_as's OTHER_TREE).
  lattice_node_ref broken{};
  broken.path = {nullptr, 2};
  w.assign(words, ~0ull);
  EXPECT_EQ(lattice_what_can_as(principal->get(), broken, 0, w.data(), words), LATTICE_WHAT_CAN_OK);
  expectZero(w);
}

TEST_F(WhatCanTest, MalformedPrincipalsAndFactsAreBadRequests) {
  const std::vector<uint32_t> roles = {editor}, unknownRole = {99};
  auto with = [&](uint32_t kind, uint64_t flags, const std::vector<uint32_t> &held,
                  uint64_t nodeFlags, uint64_t facts) {
    lattice_membership m{};
    m.node = path(kMid, 2);
    m.roles = held.data();
    m.role_count = uint32_t(held.size());
    m.node_flags = nodeFlags;
    const std::vector<lattice_membership> ms{m};
    lattice_access_request q = accessRequest(kind, flags, ms, 0, path(kMid, 2), facts);
    std::vector<uint64_t> w(words, ~0ull);
    const lattice_what_can_status s = lattice_what_can(table.get(), &q, w.data(), words);
    if (s != LATTICE_WHAT_CAN_OK)
      expectZero(w);
    return s;
  };
  EXPECT_EQ(with(7, 0, roles, 0, 0), LATTICE_WHAT_CAN_BAD_REQUEST);          // unknown kind
  EXPECT_EQ(with(user, 0, unknownRole, 0, 0), LATTICE_WHAT_CAN_BAD_REQUEST); // unknown role
  EXPECT_EQ(with(user, uint64_t(1) << locked, roles, 0, 0), LATTICE_WHAT_CAN_BAD_REQUEST);
  EXPECT_EQ(with(user, 0, roles, uint64_t(1) << trusted, 0), LATTICE_WHAT_CAN_BAD_REQUEST);
  EXPECT_EQ(with(user, 0, roles, 0, uint64_t(1) << trusted), LATTICE_WHAT_CAN_BAD_REQUEST);
  EXPECT_EQ(with(user, 0, roles, 0, 0), LATTICE_WHAT_CAN_OK);
  // Through a handle: facts of the wrong side.
  const std::vector<Member> members = {{path(kMid, 2), {editor}}};
  const std::vector<lattice_membership> ms = memberships(members);
  auto principal = Principal::create(table, user, 0, ms);
  ASSERT_TRUE(principal.has_value());
  const PermissionBits bits =
      principal->whatCan(table.permissionCount(), path(kMid, 2), uint64_t(1) << 63);
  EXPECT_EQ(bits.status, LATTICE_WHAT_CAN_BAD_REQUEST);
  EXPECT_TRUE(bits.ids().empty());
  EXPECT_STRNE(lattice_what_can_status_message(LATTICE_WHAT_CAN_BAD_REQUEST),
               lattice_what_can_status_message(LATTICE_WHAT_CAN_OK));
  EXPECT_STREQ(lattice_what_can_status_message(lattice_what_can_status(77)),
               "unknown what-can status");
}

TEST_F(WhatCanTest, PagesOfOneResourceType) {
  uint32_t first = 0, count = 0;
  ASSERT_EQ(lattice_resource_permissions(table.get(), "doc", &first, &count), 1);
  EXPECT_EQ(first, view);
  EXPECT_EQ(count, 3u);
  ASSERT_EQ(lattice_resource_permissions(table.get(), "filler", &first, &count), 1);
  EXPECT_EQ(count, 70u);
  for (const char *bad : {"do", "doc.view", "", "zzz"}) {
    EXPECT_EQ(lattice_resource_permissions(table.get(), bad, &first, &count), 0) << bad;
    EXPECT_EQ(first, LATTICE_NO_ID);
    EXPECT_EQ(count, 0u);
  }
  EXPECT_EQ(lattice_resource_permissions(table.get(), nullptr, &first, &count), 0);
  EXPECT_EQ(lattice_resource_permissions(nullptr, "doc", &first, &count), 0);
  EXPECT_FALSE(table.resourcePermissions("nope").has_value());

  const std::vector<Member> members = {{path(kMid, 2), {viewer}}};
  const std::vector<lattice_membership> ms = memberships(members);
  auto principal = Principal::create(table, user, 0, ms);
  ASSERT_TRUE(principal.has_value());
  const lattice_node_ref rows[] = {path(kMid, 2), path(kLeaf, 3), path(kRoot, 1), path(kOther, 1)};
  std::vector<uint64_t> page(4, ~0ull);
  EXPECT_EQ(lattice_what_can_page(principal->get(), view, 3, rows, nullptr, 4, page.data(), 1),
            LATTICE_WHAT_CAN_OK);
  EXPECT_EQ(page, (std::vector<uint64_t>{1, 1, 0, 0})); // doc.view at its node and below
  // filler: permission 71 (filler.p166) is bit 66 of the range, in the second word of a row.
  const auto filler = table.resourcePermissions("filler");
  ASSERT_TRUE(filler.has_value());
  page.assign(4, ~0ull);
  EXPECT_EQ(lattice_what_can_page(principal->get(), filler->first, filler->second, rows, nullptr, 2,
                                  page.data(), 2),
            LATTICE_WHAT_CAN_OK);
  EXPECT_EQ(page, (std::vector<uint64_t>{0, uint64_t(1) << 2, 0, 0}));
  // A row with facts of the wrong side is zero; the others are answered.
  const uint64_t facts[] = {0, uint64_t(1) << trusted, 0};
  page.assign(3, ~0ull);
  EXPECT_EQ(lattice_what_can_page(principal->get(), view, 3, rows, facts, 3, page.data(), 1),
            LATTICE_WHAT_CAN_BAD_REQUEST);
  EXPECT_EQ(page, (std::vector<uint64_t>{1, 0, 0}));
  // Bad arguments: every word zero.
  auto refused = [&](const lattice_principal *p, uint32_t at, uint32_t n,
                     const lattice_node_ref *targets, uint32_t perRow) {
    std::vector<uint64_t> w(2, ~0ull);
    const lattice_what_can_status s =
        lattice_what_can_page(p, at, n, targets, nullptr, 2, w.data(), perRow);
    EXPECT_EQ(w, (std::vector<uint64_t>(2, 0)));
    return s;
  };
  EXPECT_EQ(refused(nullptr, view, 3, rows, 1), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(refused(principal->get(), 74, 2, rows, 1), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(refused(principal->get(), UINT32_MAX, 2, rows, 1), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(refused(principal->get(), 0, 70, rows, 1), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(refused(principal->get(), view, 3, nullptr, 1), LATTICE_WHAT_CAN_BAD_ARGUMENT);
  EXPECT_EQ(lattice_what_can_page(principal->get(), view, 3, rows, nullptr, 1, nullptr, 1),
            LATTICE_WHAT_CAN_BAD_ARGUMENT);
}

} // namespace
} // namespace lattice::testing
