// query_access_test.cpp - requests with memberships by name (compiler/query/): node paths parsed
// and interned into ancestor paths, the command line's membership syntax, JSON request lines of
// both shapes, and resolution against a real compiled table decided by the runtime.
#include "compile_helper.h"
#include "emit/table_writer.h"
#include "lower/lower.h"
#include "query/access_request.h"
#include "query/node_path.h"
#include "query/request_line.h"

#include <gtest/gtest.h>

namespace lattice::query {
namespace {

NodeName path(std::string_view text) {
  std::string error;
  std::optional<NodeName> parsed = parseNodePath(text, error);
  EXPECT_TRUE(parsed) << text << ": " << error;
  return parsed.value_or(NodeName{});
}

std::string pathError(std::string_view text) {
  std::string error;
  EXPECT_FALSE(parseNodePath(text, error)) << text;
  return error;
}

lattice_relation relation(const std::vector<uint64_t> &node, const std::vector<uint64_t> &target) {
  return lattice_relation_of_paths({node.data(), uint32_t(node.size())},
                                   {target.data(), uint32_t(target.size())});
}

TEST(NodePath, ParsesSlashSeparatedNames) {
  EXPECT_EQ(path("acme"), (NodeName{"acme"}));
  EXPECT_EQ(path("acme/eu/doc-1"), (NodeName{"acme", "eu", "doc-1"}));
  // Anything but `/` is part of a name: the host's names are its own.
  EXPECT_EQ(path("a b/x+y@z"), (NodeName{"a b", "x+y@z"}));
  EXPECT_EQ(nodePathText({"acme", "eu", "doc-1"}), "acme/eu/doc-1");
}

TEST(NodePath, RefusesEmptyNamesAndDeepPaths) {
  EXPECT_EQ(pathError(""), "empty node path");
  for (const char *bad : {"/acme", "acme/", "acme//eu", "/"})
    EXPECT_NE(pathError(bad).find("has an empty node name"), std::string::npos) << bad;
  std::string deep = "n";
  for (size_t i = 1; i < kMaxNodeDepth; ++i)
    deep += "/n";
  EXPECT_EQ(path(deep).size(), kMaxNodeDepth);
  EXPECT_EQ(pathError(deep + "/n"), "node path deeper than 64 nodes");
}

TEST(NodePath, ChecksListsLikeText) {
  std::string error;
  EXPECT_TRUE(checkNodeName({"acme", "eu"}, error));
  EXPECT_FALSE(checkNodeName({}, error));
  EXPECT_EQ(error, "empty node path");
  EXPECT_FALSE(checkNodeName({"acme", ""}, error));
  EXPECT_FALSE(checkNodeName({"acme", "eu/west"}, error));
  EXPECT_EQ(error, "node name `eu/west` contains `/`; a list gives one name per node");
  EXPECT_FALSE(checkNodeName(NodeName(kMaxNodeDepth + 1, "n"), error));
}

TEST(NodePath, MessagesQuoteLongTextShortened) {
  EXPECT_EQ(quotedText("acme/eu"), "acme/eu");
  const std::string exactly80(80, 'a');
  EXPECT_EQ(quotedText(exactly80), exactly80);
  std::string shown = quotedText(std::string(48, 'a') + std::string(1000, 'b') + "/tail");
  EXPECT_EQ(shown, std::string(48, 'a') + "..." + std::string(19, 'b') + "/tail");
  // A cut never splits a UTF-8 character: `é` is two bytes, the head stops before it.
  std::string accents = std::string(47, 'a');
  for (int i = 0; i < 100; ++i)
    accents += "\xc3\xa9";
  shown = quotedText(accents);
  EXPECT_EQ(shown.substr(0, 50), std::string(47, 'a') + "...");
  EXPECT_EQ(shown.size(), 47u + 3u + 24u);
  EXPECT_EQ(pathError(std::string(100000, 'x') + "//"),
            "node path `" + std::string(48, 'x') + "..." + std::string(22, 'x') +
                "//` has an empty node name; write `root/child/...` without a leading, trailing "
                "or doubled `/`");
}

TEST(NodePathInterner, EqualPrefixesGetEqualIds) {
  NodePathInterner interner;
  std::vector<uint64_t> a = interner.intern(path("acme/eu/a"));
  std::vector<uint64_t> b = interner.intern(path("acme/eu/b"));
  std::vector<uint64_t> us = interner.intern(path("acme/us"));
  std::vector<uint64_t> again = interner.intern(path("acme/eu/a"));
  EXPECT_EQ(a, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(b, (std::vector<uint64_t>{1, 2, 4}));
  EXPECT_EQ(us, (std::vector<uint64_t>{1, 5}));
  EXPECT_EQ(again, a);
  EXPECT_EQ(interner.size(), 5u);
  // The same name under another parent is another node.
  std::vector<uint64_t> otherEu = interner.intern(path("globex/eu"));
  EXPECT_NE(otherEu[1], a[1]);
}

TEST(NodePathInterner, RelationsAreThoseOfTheNamedNodes) {
  NodePathInterner interner;
  auto ids = [&](std::string_view text) { return interner.intern(path(text)); };
  EXPECT_EQ(relation(ids("acme/eu"), ids("acme/eu")), LATTICE_REL_SAME);
  EXPECT_EQ(relation(ids("acme/eu"), ids("acme/eu/doc-1")), LATTICE_REL_DESCENDANT);
  EXPECT_EQ(relation(ids("acme/eu/doc-1"), ids("acme")), LATTICE_REL_ANCESTOR);
  EXPECT_EQ(relation(ids("acme/eu"), ids("acme/us/doc-2")), LATTICE_REL_TENANT);
  EXPECT_EQ(relation(ids("acme/eu"), ids("globex/eu")), LATTICE_REL_NONE);
  // `eu` and `eu/x` are siblings' names, not a prefix of each other's text.
  EXPECT_EQ(relation(ids("acme/eu"), ids("acme/euro")), LATTICE_REL_TENANT);
}

TEST(MembershipSpec, ParsesRolesPathAndFlags) {
  NamedMembership m;
  std::string error;
  ASSERT_TRUE(parseMembershipSpec("admin,billing@acme/eu+business+trial", m, error)) << error;
  EXPECT_EQ(m.roles, (std::vector<std::string>{"admin", "billing"}));
  EXPECT_EQ(m.node, (NodeName{"acme", "eu"}));
  EXPECT_EQ(m.flags, (std::vector<std::string>{"business", "trial"}));
  ASSERT_TRUE(parseMembershipSpec("@acme", m, error)) << error;
  EXPECT_TRUE(m.roles.empty());
  EXPECT_EQ(m.node, (NodeName{"acme"}));
  EXPECT_TRUE(m.flags.empty());
  // The first `@` ends the roles; the path may hold another one, but no `+`.
  ASSERT_TRUE(parseMembershipSpec("owner@acme/a@b", m, error)) << error;
  EXPECT_EQ(m.node, (NodeName{"acme", "a@b"}));
}

TEST(MembershipSpec, RefusesMalformedSpellings) {
  NamedMembership m;
  std::string error;
  auto refused = [&](std::string_view text) {
    EXPECT_FALSE(parseMembershipSpec(text, m, error)) << text;
    return error;
  };
  EXPECT_EQ(refused("admin"), "no `@` before the node path; write ROLE[,ROLE...]@PATH[+FLAG...]");
  EXPECT_EQ(refused("admin@"), "empty node path");
  EXPECT_EQ(refused("admin@+business"), "empty node path");
  EXPECT_EQ(refused("admin,@acme"), "empty role name");
  EXPECT_EQ(refused(",admin@acme"), "empty role name");
  EXPECT_EQ(refused("admin@acme+"), "empty flag name");
  EXPECT_EQ(refused("admin@acme+a++b"), "empty flag name");
  EXPECT_NE(refused("admin@acme//eu").find("empty node name"), std::string::npos);
}

/// A compiled table of a small policy, loaded by the runtime.
class AccessRequests : public ::testing::Test {
protected:
  void SetUp() override {
    compiled = testing::compile(R"(policy t;
scope tenant;
scope account under tenant;
resource doc owned_by account { read, write; }
usertype user at account;
flag active on user;
flag frozen on account;
role admin for user { allow doc.* in subtree when not frozen; }
role viewer for user { allow doc.read in self; deny doc.write in tenant; }
)");
    ASSERT_TRUE(compiled->model) << compiled->describe();
    bytes = emit::writeTable(lower::lowerModel(*compiled->model));
    lattice_table *raw = nullptr;
    ASSERT_EQ(lattice_table_load(bytes.data(), bytes.size(), &raw), LATTICE_LOAD_OK);
    table.reset(raw);
  }

  NamedAccessRequest request(std::vector<NamedMembership> memberships, std::string permission,
                             std::string_view target) {
    return NamedAccessRequest{
        "user", {"active"}, std::move(memberships), std::move(permission), path(target), {}};
  }

  std::unique_ptr<testing::Compiled> compiled;
  std::vector<uint8_t> bytes;
  TablePtr table;
};

TEST_F(AccessRequests, DecidesAndNamesTheDecidingMembership) {
  NamedAccessRequest named = request(
      {{path("acme/a"), {"admin"}, {}}, {path("acme/b"), {"viewer"}, {}}}, "doc.read", "acme/b");
  ResolvedAccessRequest resolved;
  std::string error;
  ASSERT_TRUE(resolveAccessRequest(table.get(), named, resolved, error)) << error;
  const lattice_access_request &q = resolved.request();
  ASSERT_EQ(q.membership_count, 2u);
  EXPECT_EQ(q.flags, uint64_t{1} << lattice_flag_id(table.get(), "active"));
  EXPECT_EQ(q.memberships[0].node_flags, 0u);
  // The memberships share the root's id; the target is the second membership's node.
  EXPECT_EQ(q.memberships[0].node.path.ids[0], q.target.path.ids[0]);
  EXPECT_EQ(lattice_relation_of_refs(q.memberships[1].node, q.target), LATTICE_REL_SAME);
  lattice_access_decision d = lattice_decide_access(table.get(), &q);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(describeAccessDecision(table.get(), named, d),
            "granted by role `viewer` held at `acme/b` (membership 2)");
  EXPECT_EQ(decidingMembership(d, 2), 2u);

  // The viewer's deny reaches the whole tree: it wins on A, where the admin allows.
  named.permission = "doc.write";
  named.target = path("acme/a");
  ASSERT_TRUE(resolveAccessRequest(table.get(), named, resolved, error)) << error;
  d = lattice_decide_access(table.get(), &resolved.request());
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(describeAccessDecision(table.get(), named, d),
            "denied by a rule of role `viewer` held at `acme/b` (membership 2)");
}

TEST_F(AccessRequests, MembershipFlagsAreTheNodes) {
  NamedAccessRequest named =
      request({{path("acme/a"), {"admin"}, {"frozen"}}}, "doc.read", "acme/a");
  ResolvedAccessRequest resolved;
  std::string error;
  ASSERT_TRUE(resolveAccessRequest(table.get(), named, resolved, error)) << error;
  EXPECT_EQ(resolved.request().memberships[0].node_flags,
            uint64_t{1} << lattice_flag_id(table.get(), "frozen"));
  EXPECT_FALSE(lattice_decide_access(table.get(), &resolved.request()).allowed);
  named.memberships[0].flags.clear();
  ASSERT_TRUE(resolveAccessRequest(table.get(), named, resolved, error)) << error;
  EXPECT_TRUE(lattice_decide_access(table.get(), &resolved.request()).allowed);
}

TEST_F(AccessRequests, AnotherTreeIsNamed) {
  NamedAccessRequest named = request({{path("acme/a"), {"admin"}, {}}}, "doc.read", "globex/a");
  ResolvedAccessRequest resolved;
  std::string error;
  ASSERT_TRUE(resolveAccessRequest(table.get(), named, resolved, error)) << error;
  lattice_access_decision d = lattice_decide_access(table.get(), &resolved.request());
  EXPECT_EQ(d.reason, LATTICE_REASON_OTHER_TREE);
  EXPECT_EQ(describeAccessDecision(table.get(), named, d), "no membership is in the target's tree");
}

TEST_F(AccessRequests, RefusesUnknownNamesBadPathsAndExcess) {
  auto refused = [&](const NamedAccessRequest &named) {
    ResolvedAccessRequest resolved;
    std::string error;
    EXPECT_FALSE(resolveAccessRequest(table.get(), named, resolved, error));
    return error;
  };
  EXPECT_EQ(refused(request({{path("acme"), {"admin"}, {}}, {path("acme/b"), {"viewr"}, {}}},
                            "doc.read", "acme")),
            "membership 2: unknown role `viewr`; did you mean `viewer`?");
  EXPECT_EQ(refused(request({{path("acme"), {"admin"}, {"frozn"}}}, "doc.read", "acme")),
            "membership 1: unknown flag `frozn`; did you mean `frozen`?");
  EXPECT_EQ(refused(request({{{}, {"admin"}, {}}}, "doc.read", "acme")),
            "membership 1: empty node path");
  NamedAccessRequest noTarget = request({{path("acme"), {"admin"}, {}}}, "doc.read", "acme");
  noTarget.target.clear();
  EXPECT_EQ(refused(noTarget), "`target`: empty node path");
  EXPECT_EQ(refused(request({}, "doc.reed", "acme")),
            "unknown permission `doc.reed`; did you mean `doc.read`?");

  std::vector<NamedMembership> many(kMaxMemberships + 1, {path("acme"), {"admin"}, {}});
  EXPECT_EQ(refused(request(many, "doc.read", "acme")), "65 memberships; at most 64");
  many.resize(kMaxMemberships);
  ResolvedAccessRequest resolved;
  std::string error;
  EXPECT_TRUE(resolveAccessRequest(table.get(), request(many, "doc.read", "acme"), resolved, error))
      << error;
  NamedMembership crowded{
      path("acme"), std::vector<std::string>(kMaxMembershipRoles + 1, "admin"), {}};
  EXPECT_EQ(refused(request({crowded}, "doc.read", "acme")), "membership 1: 65 roles; at most 64");
}

TEST(RequestLine, ParsesBothShapes) {
  RequestLine line;
  std::string error;
  ASSERT_TRUE(parseRequestLine(R"({"kind": "user", "roles": ["admin"], "permission": "doc.read",
      "relation": "self"})",
                               line, error))
      << error;
  EXPECT_FALSE(line.access);
  EXPECT_EQ(line.request.roles, (std::vector<std::string>{"admin"}));

  RequestLine access;
  ASSERT_TRUE(parseRequestLine(R"({"kind": "user", "flags": ["active"], "memberships": [
      {"node": "acme/a", "roles": ["admin"], "flags": ["frozen"]},
      {"node": ["acme", "b"], "roles": ["viewer"]}], "permission": "doc.read",
      "target": ["acme", "b", "doc-1"], "id": 3})",
                               access, error))
      << error;
  ASSERT_TRUE(access.access);
  const NamedAccessRequest &q = *access.access;
  EXPECT_EQ(q.flags, (std::vector<std::string>{"active"}));
  ASSERT_EQ(q.memberships.size(), 2u);
  EXPECT_EQ(q.memberships[0].node, (NodeName{"acme", "a"}));
  EXPECT_EQ(q.memberships[0].flags, (std::vector<std::string>{"frozen"}));
  EXPECT_EQ(q.memberships[1].node, (NodeName{"acme", "b"}));
  EXPECT_TRUE(q.memberships[1].flags.empty());
  EXPECT_EQ(q.target, (NodeName{"acme", "b", "doc-1"}));
  EXPECT_TRUE(access.id);
}

// llvm::json reads 1e999 as infinity and would echo it as `inf`, which is not JSON (found by
// fuzz_http_api): such an id is refused, at any depth, and not echoed.
TEST(RequestLine, RefusesAnIdItCouldNotEcho) {
  for (llvm::StringRef text : {R"({"kind": "u", "roles": [], "permission": "p", "id": 1e999})",
                               R"({"id": {"a": [1, -1e999]}, "kind": "u", "roles": [],
                                   "permission": "p"})"}) {
    RequestLine line;
    std::string error;
    EXPECT_FALSE(parseRequestLine(text, line, error)) << text.str();
    EXPECT_EQ(error, kUnechoableId);
    EXPECT_FALSE(line.id.has_value());
    bool failed = false;
    std::string answer;
    answerRequestLine(nullptr, text, 1, failed, answer);
    EXPECT_TRUE(failed);
    llvm::Expected<llvm::json::Value> echoed = llvm::json::parse(answer);
    EXPECT_TRUE(static_cast<bool>(echoed)) << answer;
    if (!echoed)
      llvm::consumeError(echoed.takeError());
  }
  RequestLine line;
  std::string error;
  EXPECT_TRUE(parseRequestLine(R"({"kind": "u", "roles": [], "permission": "p", "relation": "self",
      "id": [1e308, -12345678901234567890, 0.5]})",
                               line, error))
      << error;
  ASSERT_TRUE(line.id.has_value());
}

TEST(RequestLine, RefusesMixedAndMalformedShapes) {
  auto refused = [](llvm::StringRef text) {
    RequestLine line;
    std::string error;
    EXPECT_FALSE(parseRequestLine(text, line, error)) << text.str();
    return error;
  };
  const std::string both = "a request has either `roles` and `relation` (a principal at one "
                           "node) or `memberships` and `target`, not both";
  EXPECT_EQ(refused(R"({"kind": "u", "roles": [], "memberships": [], "permission": "p",
      "target": "a"})"),
            both);
  EXPECT_EQ(refused(R"({"kind": "u", "relation": "self", "target": "a", "permission": "p"})"),
            both);
  EXPECT_EQ(refused(R"({"kind": "u", "target": "a", "permission": "p"})"),
            "missing field `memberships` (an array of objects)");
  EXPECT_EQ(refused(R"({"kind": "u", "memberships": [], "permission": "p"})"),
            R"(missing field `target` (a node path: "a/b" or ["a", "b"]))");
  EXPECT_EQ(refused(R"({"kind": "u", "memberships": [], "permission": "p", "target": 7})"),
            R"(`target`: must be a node path: a string "a/b" or an array of strings)");
  EXPECT_EQ(refused(R"({"kind": "u", "memberships": [{"node": "a", "roles": "x"}],
      "permission": "p", "target": "a"})"),
            "membership 1: `roles` must be an array of strings");
  EXPECT_EQ(refused(R"({"kind": "u", "memberships": [{"node": "a"}, {"node": "a/"}],
      "permission": "p", "target": "a"})"),
            "membership 2: `node`: node path `a/` has an empty node name; write `root/child/...` "
            "without a leading, trailing or doubled `/`");
}

} // namespace
} // namespace lattice::query
