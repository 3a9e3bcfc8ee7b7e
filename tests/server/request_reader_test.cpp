// request_reader_test.cpp - the server's fast body reader (server/http/request_reader.h): it reads
// the common shapes to what the one request parser reads, and declines everything else.
#include "base/json_input.h"
#include "same_request_line.h"
#include "server/http/request_reader.h"

#include <gtest/gtest.h>

namespace lattice::server::http {
namespace {

/// The one parser's reading of a /v1/decide body (it must succeed for these tests' bodies).
query::RequestLine parsedByTheOneParser(std::string_view body) {
  JsonError where;
  std::optional<llvm::json::Value> value =
      parseJson(llvm::StringRef(body.data(), body.size()), JsonLimits{1 << 20}, where);
  EXPECT_TRUE(value) << where.describe();
  query::RequestLine out;
  std::string error;
  EXPECT_TRUE(value && query::parseRequestValue(*value, out, error)) << error;
  return out;
}

TEST(RequestReader, ReadsBothShapesAsTheOneParserDoes) {
  const char *bodies[] = {
      R"({"kind": "tenant_user", "memberships": [{"node": "acme", "roles": ["support_agent"]}],
          "permission": "station.view", "target": "acme/a"})",
      R"({"id": "r-1", "kind": "k", "flags": ["f"], "facts": ["resource.x"],
          "memberships": [{"node": ["acme", "eu"], "roles": [], "flags": ["b"]}, {"node": "x"}],
          "permission": "p", "target": ["acme", "eu", "s1"]})",
      R"({"kind": "tenant_user", "roles": ["driver", "admin"], "permission": "station.view",
          "relation": "descendants", "flags": ["business"], "facts": [], "id": 42})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": null})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": false})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": -9223372036854775808})",
      "{\"kind\": \"caf\xc3\xa9\", \"relation\": \"self\", \"permission\": \"p\"}",
  };
  for (const char *body : bodies) {
    query::RequestLine fast;
    ASSERT_TRUE(readDecideBody(body, fast)) << body;
    EXPECT_EQ(testing::requestLineDifference(fast, parsedByTheOneParser(body)), "") << body;
  }
}

TEST(RequestReader, ReadsTheFieldsThemselves) {
  query::RequestLine fast;
  ASSERT_TRUE(readDecideBody(R"({"kind": "k", "memberships": [{"node": "a/b", "roles": ["r"]}],
                                "permission": "p", "target": ["a", "b", "c"], "id": 7})",
                             fast));
  ASSERT_TRUE(fast.access);
  EXPECT_EQ(fast.access->kind, "k");
  ASSERT_EQ(fast.access->memberships.size(), 1u);
  EXPECT_EQ(fast.access->memberships[0].node, (query::NodeName{"a", "b"}));
  EXPECT_EQ(fast.access->memberships[0].roles, std::vector<std::string>{"r"});
  EXPECT_EQ(fast.access->target, (query::NodeName{"a", "b", "c"}));
  ASSERT_TRUE(fast.id);
  EXPECT_EQ(fast.id->getAsInteger().getValueOr(0), 7);
}

TEST(RequestReader, DeclinesWhatItMightReadDifferently) {
  const char *bodies[] = {
      // escapes, numbers llvm::json may spell differently, keys it does not know or sees twice
      R"({"kind": "k\u00e9", "relation": "self", "permission": "p"})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": 1.5})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": 18446744073709551615})",
      R"({"kind": "k", "relation": "self", "permission": "p", "id": {"a": 1}})",
      R"({"kind": "k", "relation": "self", "permission": "p", "extra": 1})",
      R"({"kind": "k", "kind": "j", "relation": "self", "permission": "p"})",
      R"({"kind": "k", "relation": "self", "permission": "p", "what_can": false})",
      // what the one parser refuses, with its own error
      R"({"relation": "self", "permission": "p"})",
      R"({"kind": "k", "permission": "p"})",
      R"({"kind": "k", "relation": "self", "permission": 3})",
      R"({"kind": "k", "relation": "self", "permission": "p", "roles": "admin"})",
      R"({"kind": "k", "relation": "self", "permission": "p", "roles": [1]})",
      R"({"kind": "k", "roles": [], "memberships": [], "permission": "p", "target": "a"})",
      R"({"kind": "k", "memberships": [], "permission": "p"})",
      R"({"kind": "k", "memberships": [{"roles": []}], "permission": "p", "target": "a"})",
      R"({"kind": "k", "memberships": [{"node": ""}], "permission": "p", "target": "a"})",
      R"({"kind": "k", "memberships": [{"node": "a", "x": 1}], "permission": "p", "target": "a"})",
      R"({"kind": "k", "memberships": [], "permission": "p", "target": "a//b"})",
      R"({"kind": "k", "memberships": [], "permission": "p", "target": []})",
      R"({"kind": "k", "memberships": {}, "permission": "p", "target": "a"})",
      R"(["kind"])",
      R"({"kind": "k", "relation": "self", "permission": "p"} x)",
      R"({"kind": "k", "relation": "self", "permission": "p")",
      "",
      "{\"kind\": \"\xff\", \"relation\": \"self\", \"permission\": \"p\"}",
  };
  for (const char *body : bodies) {
    query::RequestLine fast;
    EXPECT_FALSE(readDecideBody(body, fast)) << body;
  }
}

TEST(RequestReader, DeclinesMoreMembershipsThanTheLimit) {
  std::string memberships;
  for (size_t i = 0; i <= query::kMaxMemberships; ++i)
    memberships += std::string(i ? "," : "") + R"({"node": "a"})";
  const std::string over =
      R"({"kind": "k", "permission": "p", "target": "a", "memberships": [)" + memberships + "]}";
  query::RequestLine fast;
  EXPECT_FALSE(readDecideBody(over, fast));
  const std::string at = R"({"kind": "k", "permission": "p", "target": "a", "memberships": [)" +
                         memberships.substr(memberships.find(',') + 1) + "]}";
  query::RequestLine atLimit;
  ASSERT_TRUE(readDecideBody(at, atLimit));
  EXPECT_EQ(atLimit.access->memberships.size(), query::kMaxMemberships);
}

TEST(RequestReader, ReadsABatchInOrderAndDeclinesItWhole) {
  const std::string one = R"({"kind": "k", "relation": "self", "permission": "p", "id": 1})";
  const std::string two = R"({"kind": "k", "relation": "self", "permission": "q", "id": 2})";
  std::vector<query::RequestLine> requests;
  ASSERT_TRUE(readBatchBody(R"({"requests": [)" + one + "," + two + "]}", 2, requests));
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].request.permission, "p");
  EXPECT_EQ(requests[1].request.permission, "q");
  EXPECT_EQ(testing::requestLineDifference(requests[1], parsedByTheOneParser(two)), "");

  std::vector<query::RequestLine> none;
  EXPECT_TRUE(readBatchBody(R"({"requests": []})", 2, none));
  EXPECT_TRUE(none.empty());
  const std::string declined[] = {
      R"({"requests": [)" + one + "," + two + "," + one + "]}", // over the limit of 2
      R"({"requests": [)" + one + R"(, {"kind": 1}]})",         // one element the parser refuses
      R"({"requests": [)" + one + R"(], "extra": true})",       // a key the envelope has not
      R"({"requests": {}})",
      R"({"request": []})",
      R"([])",
  };
  for (const std::string &body : declined) {
    std::vector<query::RequestLine> out;
    EXPECT_FALSE(readBatchBody(body, 2, out)) << body;
  }
}

} // namespace
} // namespace lattice::server::http
