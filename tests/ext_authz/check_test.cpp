// check_test.cpp - Check requests decided against the runtime tests' sample table (kinds
// tenant_user, account_user; roles tenant_admin, support_agent, account_admin, driver, ...) and
// answered as Envoy reads them; Envoy's fields this subset leaves out are skipped on the wire.
#include "ext_authz_test_support.h"
#include "sample_tables.h"
#include "server/ext_authz/check.h"

#include <gtest/gtest.h>

namespace lattice::ext_authz {
namespace {

const MappingConfig &gateway() {
  static const MappingConfig config =
      mappingOf("kind header x-kind\nflags header x-flags\nmemberships header x-memberships\n"
                "route GET /tenants/{tenant}/stations/{station} station.view {tenant}/{station}\n"
                "route GET /invoices billing.invoices {header:x-account}\n");
  return config;
}

std::string headerOf(
    const google::protobuf::RepeatedPtrField<envoy::config::core::v3::HeaderValueOption> &headers,
    const std::string &key) {
  for (const auto &option : headers)
    if (option.header().key() == key)
      return option.header().value();
  return "<absent>";
}

TEST(Check, AllowedThroughAMembership) {
  CheckOutcome outcome = decideCheck(
      testing::loadedSampleTable(), gateway(),
      checkRequest("GET", "/tenants/acme/stations/st-1",
                   {{"x-kind", "tenant_user"}, {"x-memberships", "tenant_admin@acme"}}));
  EXPECT_TRUE(outcome.allowed);
  EXPECT_EQ(outcome.reason, "allowed");
  EXPECT_EQ(outcome.role, "tenant_admin");
  EXPECT_EQ(outcome.membership, 1u);
  EXPECT_TRUE(outcome.error.empty());
  EXPECT_EQ(*outcome.logged.getString("permission"), "station.view");
  EXPECT_EQ(*outcome.logged.getString("target"), "acme/st-1");
  EXPECT_EQ(*outcome.logged.getString("method"), "GET");

  CheckResponse response;
  fillCheckResponse(outcome, "r7", "d-1", response);
  EXPECT_EQ(response.status().code(), kRpcOk);
  ASSERT_TRUE(response.has_ok_response());
  EXPECT_EQ(headerOf(response.ok_response().headers(), "x-lattice-revision"), "r7");
  EXPECT_EQ(headerOf(response.ok_response().headers(), "x-lattice-decision-id"), "d-1");
}

TEST(Check, DeniedByRule) {
  CheckOutcome outcome = decideCheck(testing::loadedSampleTable(), gateway(),
                                     checkRequest("GET", "/invoices",
                                                  {{"x-kind", "tenant_user"},
                                                   {"x-memberships", "support_agent@acme"},
                                                   {"x-account", "acme/a"}}));
  EXPECT_FALSE(outcome.allowed);
  EXPECT_EQ(outcome.reason, "denied_by_rule");
  EXPECT_EQ(outcome.role, "support_agent");

  CheckResponse response;
  fillCheckResponse(outcome, "r7", "", response);
  EXPECT_EQ(response.status().code(), kRpcPermissionDenied);
  ASSERT_TRUE(response.has_denied_response());
  EXPECT_EQ(response.denied_response().status().code(), envoy::type::v3::Forbidden);
  EXPECT_EQ(headerOf(response.denied_response().headers(), "x-lattice-reason"), "denied_by_rule");
  EXPECT_EQ(headerOf(response.denied_response().headers(), "x-lattice-decision-id"), "<absent>");
  EXPECT_EQ(
      response.denied_response().body(),
      R"({"decision":"deny","reason":"denied_by_rule","revision":"r7","role":"support_agent"})");
}

TEST(Check, RequirementFromFlags) {
  // account_user requires `active or business`: without the flag, denied; with it, allowed.
  auto ask = [](const char *flags) {
    std::map<std::string, std::string> headers{{"x-kind", "account_user"},
                                               {"x-memberships", "account_admin@acme/a"}};
    if (flags)
      headers["x-flags"] = flags;
    return decideCheck(testing::loadedSampleTable(), gateway(),
                       checkRequest("GET", "/tenants/acme/stations/a", headers));
  };
  EXPECT_EQ(ask(nullptr).reason, "requirement");
  EXPECT_FALSE(ask(nullptr).allowed);
  EXPECT_TRUE(ask("active").allowed);
}

TEST(Check, UnknownNamesAndUnmappableRequestsAreDenied) {
  CheckOutcome unknown =
      decideCheck(testing::loadedSampleTable(), gateway(),
                  checkRequest("GET", "/tenants/acme/stations/st-1",
                               {{"x-kind", "tenant_user"}, {"x-memberships", "tenant_admn@acme"}}));
  EXPECT_FALSE(unknown.allowed);
  EXPECT_EQ(unknown.reason, "error");
  EXPECT_EQ(unknown.error,
            "membership 1: unknown role `tenant_admn`; did you mean `tenant_admin`?");
  CheckOutcome unmapped = decideCheck(
      testing::loadedSampleTable(), gateway(),
      checkRequest("DELETE", "/tenants/acme/stations/st-1",
                   {{"x-kind", "tenant_user"}, {"x-memberships", "tenant_admin@acme"}}));
  EXPECT_FALSE(unmapped.allowed);
  EXPECT_EQ(unmapped.error, "no route matches `DELETE /tenants/acme/stations/st-1`");
  EXPECT_FALSE(unmapped.logged.get("permission"));
  CheckResponse response;
  fillCheckResponse(unmapped, "", "", response);
  EXPECT_EQ(response.status().code(), kRpcPermissionDenied);
  EXPECT_EQ(response.status().message(),
            "error: no route matches `DELETE /tenants/acme/stations/st-1`");
  EXPECT_EQ(headerOf(response.denied_response().headers(), "x-lattice-reason"), "error");
  // An empty request (no attributes at all) is unmappable too.
  EXPECT_FALSE(decideCheck(testing::loadedSampleTable(), gateway(), CheckRequest{}).allowed);
}

TEST(Check, EnvoysOtherFieldsAreSkippedOnTheWire) {
  // AttributeContext as Envoy sends it also has `source` (1: Peer, whose `service` is field 2)
  // and `context_extensions` (10: a map); this subset does not declare them.
  CheckRequest known =
      checkRequest("GET", "/tenants/acme/stations/st-1",
                   {{"x-kind", "tenant_user"}, {"x-memberships", "tenant_admin@acme"}});
  std::string attributes = known.attributes().SerializeAsString();
  const std::string source = std::string("\x0a\x04\x12\x02gw", 6);
  const std::string extension = std::string("\x52\x06\x0a\x01k\x12\x01v", 8);
  attributes = source + attributes + extension;
  std::string wire(1, '\x0a');                   // field 1, length-delimited
  for (size_t n = attributes.size();; n >>= 7) { // the length as a varint
    wire += char(n < 0x80 ? n : (n & 0x7f) | 0x80);
    if (n < 0x80)
      break;
  }
  wire += attributes;
  CheckRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  CheckOutcome outcome = decideCheck(testing::loadedSampleTable(), gateway(), parsed);
  EXPECT_TRUE(outcome.allowed) << outcome.error;
}

} // namespace
} // namespace lattice::ext_authz
