// filter_test.cpp - list filters on hand-made policies: the terms, key ranges and SQL of known
// principals, the refusals (facts that differ per row, labels, bad requests, bad arguments) and
// the SQL rendering's own checks (column names, placeholders, buffer sizes).
#include "compile_helper.h"
#include "emit/table_writer.h"
#include "filter_world.h"
#include "lower/lower.h"

#include <gtest/gtest.h>
#include <memory>

namespace lattice::filtertest {
namespace {

const char *const kPolicy = R"(policy filters;
scope tenant;
scope account under tenant;
resource doc owned_by account { read, export, edit; }
usertype user at tenant, account;
flag mfa on request;
role admin for user {
  allow doc.read in subtree;
  allow doc.export in tenant;
  allow doc.edit in subtree when request.mfa;
}
role viewer for user {
  allow doc.read in self;
  deny doc.export in subtree;
}
)";

class Filters : public ::testing::Test {
protected:
  void SetUp() override { load(kPolicy); }
  void TearDown() override { lattice_table_free(table); }

  void load(const char *text) {
    lattice_table_free(table);
    table = nullptr;
    auto compiled = testing::compile(text);
    ASSERT_TRUE(compiled->model) << compiled->describe();
    ASSERT_EQ(compiled->diags.errors(), 0u) << compiled->describe();
    bytes = emit::writeTable(lower::lowerModel(*compiled->model));
    ASSERT_EQ(lattice_table_load(bytes.data(), bytes.size(), &table), LATTICE_LOAD_OK);
  }

  /// A principal of kind `user` holding one role at each path.
  Principal principal(std::vector<std::pair<const char *, Path>> held, const char *permission,
                      uint64_t facts = 0) {
    Principal p;
    p.kind = lattice_kind_id(table, "user");
    for (auto &[role, path] : held) {
      p.paths.push_back(path);
      p.roles.push_back({lattice_role_id(table, role)});
      p.nodeFlags.push_back(0);
    }
    p.permission = lattice_permission_id(table, permission);
    p.facts = facts;
    p.link();
    return p;
  }

  FilterPtr filter(const Principal &p) {
    lattice_filter_status status;
    FilterPtr f = makeFilter(table, p, status);
    EXPECT_EQ(status, LATTICE_FILTER_OK) << lattice_filter_status_message(status);
    return f;
  }

  static std::string sql(const lattice_list_filter *f, uint32_t dialect, uint32_t first = 1,
                         const char *column = "node_key") {
    const size_t n = lattice_list_filter_sql(f, dialect, column, first, nullptr, 0);
    std::string text(n, '\0');
    EXPECT_EQ(lattice_list_filter_sql(f, dialect, column, first, text.data(), n + 1), n);
    return text;
  }

  static std::vector<std::vector<uint8_t>> params(const lattice_list_filter *f) {
    std::vector<std::vector<uint8_t>> out;
    for (uint32_t i = 0; i < lattice_list_filter_param_count(f); ++i) {
      uint32_t size = 0;
      const uint8_t *data = lattice_list_filter_param(f, i, &size);
      out.emplace_back(data, data + size);
    }
    return out;
  }

  std::vector<uint8_t> bytes;
  lattice_table *table = nullptr;
};

TEST_F(Filters, KeysAreBigEndianIdsInOrder) {
  const uint64_t ids[2] = {1, 0x0102030405060708ull};
  uint8_t key[16];
  ASSERT_EQ(lattice_node_key({ids, 2}, key, sizeof key), 16u);
  const std::vector<uint8_t> want = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_EQ(std::vector<uint8_t>(key, key + 16), want);
  EXPECT_EQ(lattice_node_key({ids, 2}, key, 15), 16u); // too small: only the size
  EXPECT_EQ(lattice_node_key({nullptr, 2}, key, 16), 0u);
}

TEST_F(Filters, ASubtreeIsOneRange) {
  const FilterPtr f = filter(principal({{"admin", {1, 10}}}, "doc.read"));
  ASSERT_EQ(lattice_list_filter_term_count(f.get()), 1u);
  const lattice_filter_term t = lattice_list_filter_term(f.get(), 0);
  EXPECT_EQ(t.kind, LATTICE_TERM_SUBTREE);
  EXPECT_EQ(Path(t.node.ids, t.node.ids + t.node.depth), (Path{1, 10}));
  EXPECT_EQ(t.exclusion_count, 0u);
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_POSTGRESQL), "(node_key >= $1 AND node_key < $2)");
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_SQLITE, 3), "(node_key >= ?3 AND node_key < ?4)");
  // From the subtree's key to the key of the next sibling id: [1, 10] .. [1, 11].
  EXPECT_EQ(params(f.get()), (std::vector<std::vector<uint8_t>>{keyOf({1, 10}), keyOf({1, 11})}));
}

TEST_F(Filters, ANodeAloneIsOneKeyAndTreesAreSeparateRanges) {
  const FilterPtr f = filter(principal({{"viewer", {2, 5}}, {"admin", {1, 10}}}, "doc.read"));
  ASSERT_EQ(lattice_list_filter_term_count(f.get()), 2u);
  EXPECT_EQ(lattice_list_filter_term(f.get(), 0).kind, LATTICE_TERM_SUBTREE); // [1, 10] first
  EXPECT_EQ(lattice_list_filter_term(f.get(), 1).kind, LATTICE_TERM_NODE);
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_POSTGRESQL),
            "((node_key >= $1 AND node_key < $2) OR node_key = $3)");
  EXPECT_EQ(params(f.get()).back(), keyOf({2, 5}));
}

TEST_F(Filters, ADenyThroughAnotherMembershipIsCutOut) {
  // admin exports anywhere in tenant 1, but the viewer's deny wins at and below account 11.
  const FilterPtr f = filter(principal({{"admin", {1, 10}}, {"viewer", {1, 11}}}, "doc.export"));
  ASSERT_EQ(lattice_list_filter_term_count(f.get()), 1u);
  const lattice_filter_term t = lattice_list_filter_term(f.get(), 0);
  EXPECT_EQ(t.kind, LATTICE_TERM_SUBTREE);
  EXPECT_EQ(Path(t.node.ids, t.node.ids + t.node.depth), Path{1});
  ASSERT_EQ(t.exclusion_count, 1u);
  EXPECT_EQ(Path(t.exclusions[0].ids, t.exclusions[0].ids + 2), (Path{1, 11}));
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_SQLITE),
            "((node_key >= ?1 AND node_key < ?2) OR (node_key >= ?3 AND node_key < ?4))");
  EXPECT_EQ(params(f.get()), (std::vector<std::vector<uint8_t>>{keyOf({1}), keyOf({1, 11}),
                                                                keyOf({1, 12}), keyOf({2})}));
}

TEST_F(Filters, RequestFactsDecideAndNothingAllowedIsFalse) {
  const uint64_t mfa = uint64_t(1) << lattice_flag_id(table, "request.mfa");
  const FilterPtr with = filter(principal({{"admin", {1, 10}}}, "doc.edit", mfa));
  EXPECT_EQ(lattice_list_filter_range_count(with.get()), 1u);
  const FilterPtr without = filter(principal({{"admin", {1, 10}}}, "doc.edit"));
  EXPECT_EQ(lattice_list_filter_term_count(without.get()), 0u);
  EXPECT_EQ(sql(without.get(), LATTICE_SQL_POSTGRESQL), "FALSE");
  EXPECT_EQ(sql(without.get(), LATTICE_SQL_SQLITE), "0");
  EXPECT_EQ(lattice_list_filter_param_count(without.get()), 0u);
}

TEST_F(Filters, TheLastIdHasNoUpperBound) {
  const FilterPtr f = filter(principal({{"admin", {~0ull, ~0ull}}}, "doc.read"));
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_POSTGRESQL), "node_key >= $1");
  const lattice_key_range r = lattice_list_filter_range(f.get(), 0);
  EXPECT_EQ(r.high, nullptr);
  EXPECT_EQ(r.exact, 0u);
}

TEST_F(Filters, TheHandlesFilterIsTheRequestsFilter) {
  const Principal p = principal({{"admin", {1, 10}}, {"viewer", {1, 11}}}, "doc.export");
  const FilterPtr f = filter(p);
  lattice_principal *handle = nullptr;
  ASSERT_EQ(lattice_principal_new(table, p.kind, 0, p.memberships.data(), 2, &handle),
            LATTICE_PRINCIPAL_OK);
  lattice_list_filter *raw = nullptr;
  ASSERT_EQ(lattice_list_filter_as(handle, p.permission, 0, &raw), LATTICE_FILTER_OK);
  EXPECT_EQ(sql(raw, LATTICE_SQL_POSTGRESQL), sql(f.get(), LATTICE_SQL_POSTGRESQL));
  EXPECT_EQ(params(raw), params(f.get()));
  lattice_list_filter_free(raw);
  lattice_principal_free(handle);
}

TEST_F(Filters, ARuleReadingAResourceFactIsRefused) {
  load(R"(policy facts;
scope tenant;
resource doc owned_by tenant { read; }
usertype user at tenant;
flag archived on resource doc;
role admin for user { allow doc.read in subtree when not resource.archived; }
)");
  const Principal p = principal({{"admin", {1}}}, "doc.read");
  lattice_filter_status status;
  const FilterPtr f = makeFilter(table, p, status);
  EXPECT_EQ(status, LATTICE_FILTER_NEEDS_FACTS);
  EXPECT_EQ(f.get(), nullptr);
}

TEST_F(Filters, CustomRolesFilterAsTheyDecide) {
  load(R"(policy custom;
scope tenant;
scope account under tenant;
resource doc owned_by account { read, edit; }
usertype user at tenant, account;
role admin for user { allow doc.read in subtree; deny doc.edit in self; }
custom role key_role for user {
  allow doc.{read, edit} in subtree;
  created_by admin;
}
)");
  std::unique_ptr<lattice_custom_roles, void (*)(lattice_custom_roles *)> set(
      lattice_custom_roles_new(table), lattice_custom_roles_free);
  const char *permissions[] = {"doc.edit"};
  const uint32_t reaches[] = {LATTICE_REACH_SUBTREE};
  uint32_t role = LATTICE_NO_ID;
  ASSERT_EQ(
      lattice_custom_role_add_names(set.get(), "key_role", permissions, reaches, 1, &role, nullptr),
      LATTICE_CUSTOM_OK);
  // The custom role edits at and below tenant 1; the admin's deny at account [1, 5] wins there.
  Principal p = principal({{"admin", {1, 5}}}, "doc.edit");
  p.paths.push_back({1});
  p.roles.push_back({role});
  p.nodeFlags.push_back(0);
  p.link();
  lattice_access_request q = p.request(nullptr);
  lattice_list_filter *raw = nullptr;
  ASSERT_EQ(lattice_list_filter_new(table, set.get(), &q, &raw), LATTICE_FILTER_OK);
  FilterPtr f(raw, lattice_list_filter_free);
  ASSERT_EQ(lattice_list_filter_term_count(f.get()), 2u);
  lattice_filter_term t = lattice_list_filter_term(f.get(), 0);
  EXPECT_EQ(t.kind, LATTICE_TERM_SUBTREE);
  ASSERT_EQ(t.exclusion_count, 1u);
  EXPECT_EQ(Path(t.exclusions[0].ids, t.exclusions[0].ids + 2), (Path{1, 5}));
  t = lattice_list_filter_term(f.get(), 1); // below the admin's account: `deny ... in self`
  EXPECT_EQ(t.kind, LATTICE_TERM_BELOW);
  EXPECT_EQ(Path(t.node.ids, t.node.ids + t.node.depth), (Path{1, 5}));
  // The handle built with the set gives the same filter; without the set the id is unknown.
  lattice_principal *handle = nullptr;
  ASSERT_EQ(
      lattice_principal_new_custom(table, set.get(), p.kind, 0, p.memberships.data(), 2, &handle),
      LATTICE_PRINCIPAL_OK);
  lattice_list_filter *viaHandle = nullptr;
  ASSERT_EQ(lattice_list_filter_as(handle, p.permission, 0, &viaHandle), LATTICE_FILTER_OK);
  EXPECT_EQ(sql(viaHandle, LATTICE_SQL_POSTGRESQL), sql(f.get(), LATTICE_SQL_POSTGRESQL));
  EXPECT_EQ(params(viaHandle), params(f.get()));
  lattice_list_filter_free(viaHandle);
  lattice_principal_free(handle);
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, &raw), LATTICE_FILTER_BAD_REQUEST);
  // A set of another table is refused.
  std::vector<uint8_t> otherBytes = bytes;
  lattice_table *other = nullptr;
  ASSERT_EQ(lattice_table_load(otherBytes.data(), otherBytes.size(), &other), LATTICE_LOAD_OK);
  EXPECT_EQ(lattice_list_filter_new(other, set.get(), &q, &raw), LATTICE_FILTER_BAD_ARGUMENT);
  lattice_table_free(other);
}

TEST_F(Filters, RefusalsSayWhy) {
  Principal p = principal({{"admin", {1, 10}}}, "doc.read");
  lattice_list_filter *f = reinterpret_cast<lattice_list_filter *>(1);
  lattice_access_request q = p.request(nullptr);
  EXPECT_EQ(lattice_list_filter_new(nullptr, nullptr, &q, &f), LATTICE_FILTER_NO_TABLE);
  EXPECT_EQ(f, nullptr);
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, nullptr, &f), LATTICE_FILTER_BAD_ARGUMENT);
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, nullptr), LATTICE_FILTER_BAD_ARGUMENT);
  q.permission = lattice_permission_count(table);
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, &f), LATTICE_FILTER_BAD_REQUEST);
  q = p.request(nullptr);
  q.facts = uint64_t(1) << 63; // not a request fact
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, &f), LATTICE_FILTER_BAD_REQUEST);
  q = p.request(nullptr);
  q.kind = 99;
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, &f), LATTICE_FILTER_BAD_REQUEST);
  // A label: rows are keyed by paths.
  p.memberships[0].node.path = {nullptr, 0};
  p.memberships[0].node.label = {1, 0, 3};
  q = p.request(nullptr);
  EXPECT_EQ(lattice_list_filter_new(table, nullptr, &q, &f), LATTICE_FILTER_NOT_A_PATH);
  EXPECT_EQ(lattice_list_filter_as(nullptr, 0, 0, &f), LATTICE_FILTER_NO_TABLE);
  EXPECT_STREQ(lattice_filter_status_message(LATTICE_FILTER_NEEDS_FACTS),
               "a rule or requirement of the permission reads a resource or target fact, which "
               "the node alone cannot decide");
  EXPECT_STREQ(lattice_filter_status_message(lattice_filter_status(99)), "unknown filter status");
}

TEST_F(Filters, OnlyPlainColumnNamesReachTheSql) {
  const FilterPtr f = filter(principal({{"admin", {1, 10}}}, "doc.read"));
  char buffer[256];
  for (const char *bad :
       {"", "1key", "key; DROP TABLE docs", "a.b.c", "key--", "\"key\"", "a.", ".a", "k\xC3\xA9y"})
    EXPECT_EQ(
        lattice_list_filter_sql(f.get(), LATTICE_SQL_POSTGRESQL, bad, 1, buffer, sizeof buffer), 0u)
        << bad;
  EXPECT_EQ(lattice_list_filter_sql(f.get(), LATTICE_SQL_POSTGRESQL, nullptr, 1, buffer, 9), 0u);
  EXPECT_EQ(lattice_list_filter_sql(f.get(), 7, "k", 1, buffer, sizeof buffer), 0u);
  EXPECT_EQ(lattice_list_filter_sql(f.get(), LATTICE_SQL_POSTGRESQL, "k", 0, buffer, 9), 0u);
  EXPECT_EQ(lattice_list_filter_sql(nullptr, LATTICE_SQL_POSTGRESQL, "k", 1, buffer, 9), 0u);
  EXPECT_EQ(sql(f.get(), LATTICE_SQL_POSTGRESQL, 1, "docs.owner_key"),
            "(docs.owner_key >= $1 AND docs.owner_key < $2)");
  // snprintf's contract: the full length, the text cut to fit with its NUL.
  EXPECT_EQ(lattice_list_filter_sql(f.get(), LATTICE_SQL_POSTGRESQL, "k", 1, buffer, 5), 20u);
  EXPECT_STREQ(buffer, "(k >");
}

} // namespace
} // namespace lattice::filtertest
