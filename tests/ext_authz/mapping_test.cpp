// mapping_test.cpp - HTTP requests mapped to requests by name: the memberships header, routes
// and their parameters, the header fallbacks, and every request that must be refused (and so
// denied) rather than guessed.
#include "ext_authz_test_support.h"
#include "server/ext_authz/mapping.h"

#include <gtest/gtest.h>
#include <map>

namespace lattice::ext_authz {
namespace {

const char *kGateway = "kind header x-kind\n"
                       "flags header x-flags\n"
                       "memberships header x-memberships\n"
                       "facts header x-facts\n"
                       "route GET /tenants/{tenant}/stations/{station} station.view "
                       "{tenant}/{station}\n"
                       "route POST /stations/{station}/reset station.reset "
                       "{header:x-account}/{station}\n"
                       "route * /invoices billing.invoices {header:x-account}\n";

struct Result {
  bool ok = false;
  MappedRequest mapped;
  std::string error;
};

Result map(const MappingConfig &config, std::string_view method, std::string_view path,
           std::map<std::string, std::string, std::less<>> headers) {
  auto lookup = [&](std::string_view name) -> std::optional<std::string_view> {
    auto it = headers.find(name);
    if (it == headers.end())
      return std::nullopt;
    return std::string_view(it->second);
  };
  Result result;
  result.ok = mapRequest(config, {method, path, lookup}, result.mapped, result.error);
  EXPECT_EQ(result.ok, result.error.empty()) << result.error;
  return result;
}

using Nodes = std::vector<std::string>;

TEST(MembershipsHeader, RolesJoinTheFollowingMembership) {
  std::vector<query::NamedMembership> memberships;
  std::string error;
  ASSERT_TRUE(parseMembershipsHeader(" admin@acme/a, viewer,billing@acme/b+business+trial ,@acme",
                                     memberships, error))
      << error;
  ASSERT_EQ(memberships.size(), 3u);
  EXPECT_EQ(memberships[0].roles, Nodes{"admin"});
  EXPECT_EQ(memberships[0].node, (Nodes{"acme", "a"}));
  EXPECT_EQ(memberships[1].roles, (Nodes{"viewer", "billing"}));
  EXPECT_EQ(memberships[1].node, (Nodes{"acme", "b"}));
  EXPECT_EQ(memberships[1].flags, (Nodes{"business", "trial"}));
  EXPECT_TRUE(memberships[2].roles.empty());
  EXPECT_EQ(memberships[2].node, Nodes{"acme"});
}

TEST(MembershipsHeader, Refusals) {
  std::vector<query::NamedMembership> memberships;
  std::string error;
  EXPECT_FALSE(parseMembershipsHeader("admin@acme,,viewer@acme", memberships, error));
  EXPECT_EQ(error, "memberships: an empty item (`a,,b`)");
  memberships.clear();
  EXPECT_FALSE(parseMembershipsHeader("admin@acme,viewer", memberships, error));
  EXPECT_EQ(error, "memberships: `viewer` after the last membership names no node (write "
                   "`ROLE@PATH`)");
  memberships.clear();
  EXPECT_FALSE(parseMembershipsHeader("admin@acme//a", memberships, error));
  EXPECT_NE(error.find("membership 1: "), std::string::npos) << error;
  memberships.clear();
  std::string many;
  for (int i = 0; i < 65; ++i)
    many += "r@n" + std::to_string(i) + ",";
  many.pop_back();
  EXPECT_FALSE(parseMembershipsHeader(many, memberships, error));
  EXPECT_EQ(error, "memberships: more than 64");
  memberships.clear();
  EXPECT_TRUE(parseMembershipsHeader("  ", memberships, error));
  EXPECT_TRUE(memberships.empty());
}

TEST(Mapping, RouteWithPathParameters) {
  MappingConfig gateway = mappingOf(kGateway);
  Result r = map(gateway, "GET", "/tenants/acme/stations/st%2D1?verbose=1",
                 {{"x-kind", "tenant_user"},
                  {"x-flags", "active"},
                  {"x-memberships", "tenant_admin@acme"},
                  {"x-facts", "request.mfa_used, resource.archived"}});
  ASSERT_TRUE(r.ok);
  const query::NamedAccessRequest &request = r.mapped.request;
  EXPECT_EQ(request.kind, "tenant_user");
  EXPECT_EQ(request.flags, Nodes{"active"});
  ASSERT_EQ(request.memberships.size(), 1u);
  EXPECT_EQ(request.permission, "station.view");
  EXPECT_EQ(request.target, (Nodes{"acme", "st-1"})); // decoded
  EXPECT_EQ(request.facts, (Nodes{"request.mfa_used", "resource.archived"}));
  EXPECT_EQ(r.mapped.route, &gateway.routes[0]);
}

TEST(Mapping, TargetFromAHeaderPath) {
  MappingConfig gateway = mappingOf(kGateway);
  Result r = map(
      gateway, "POST", "/stations/st-9/reset",
      {{"x-kind", "account_user"}, {"x-memberships", "driver@acme/a"}, {"x-account", "acme/a"}});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.mapped.request.permission, "station.reset");
  EXPECT_EQ(r.mapped.request.target, (Nodes{"acme", "a", "st-9"}));
  EXPECT_TRUE(r.mapped.request.flags.empty()); // no flags header: no flags
}

TEST(Mapping, MethodsMatchExactlyOrAny) {
  MappingConfig gateway = mappingOf(kGateway);
  std::map<std::string, std::string, std::less<>> headers{
      {"x-kind", "k"}, {"x-memberships", "r@a"}, {"x-account", "a"}};
  EXPECT_FALSE(map(gateway, "GET", "/stations/st-9/reset", headers).ok);
  EXPECT_FALSE(map(gateway, "post", "/stations/st-9/reset", headers).ok);
  EXPECT_TRUE(map(gateway, "DELETE", "/invoices", headers).ok);
  Result none = map(gateway, "GET", "/stations/st-9/reset", headers);
  EXPECT_EQ(none.error, "no route matches `GET /stations/st-9/reset`");
}

TEST(Mapping, FirstMatchingRouteDecides) {
  MappingConfig twoRoutes = mappingOf("kind is k\nmemberships header m\n"
                                      "route GET /s/mine station.view me\n"
                                      "route GET /s/{id} station.reset {id}\n");
  Result r = map(twoRoutes, "GET", "/s/mine", {{"m", "r@a"}});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.mapped.request.permission, "station.view");
  EXPECT_EQ(r.mapped.request.kind, "k");
}

TEST(Mapping, PermissionAndTargetFromHeaders) {
  MappingConfig headers = mappingOf("kind header x-kind\nmemberships header m\n"
                                    "permission header x-permission\ntarget header x-target\n"
                                    "route GET /health station.view ops\n");
  Result r = map(headers, "PUT", "/anything",
                 {{"x-kind", "k"},
                  {"m", "r@a"},
                  {"x-permission", "card.block"},
                  {"x-target", "acme/a/card-7"}});
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.mapped.route, nullptr);
  EXPECT_EQ(r.mapped.request.permission, "card.block");
  EXPECT_EQ(r.mapped.request.target, (Nodes{"acme", "a", "card-7"}));
  Result missing = map(headers, "PUT", "/anything", {{"x-kind", "k"}, {"m", "r@a"}});
  EXPECT_EQ(missing.error, "no route matches `PUT /anything` and header `x-permission` is missing");
  Result noTarget =
      map(headers, "PUT", "/anything", {{"x-kind", "k"}, {"m", "r@a"}, {"x-permission", "a.b"}});
  EXPECT_EQ(noTarget.error, "missing header `x-target` (the target's path)");
}

TEST(Mapping, MissingPrincipalHeaders) {
  MappingConfig gateway = mappingOf(kGateway);
  EXPECT_EQ(
      map(gateway, "DELETE", "/invoices", {{"x-memberships", "r@a"}, {"x-account", "a"}}).error,
      "missing header `x-kind` (the principal's user type)");
  EXPECT_EQ(map(gateway, "DELETE", "/invoices", {{"x-kind", " "}, {"x-account", "a"}}).error,
            "missing header `x-kind` (the principal's user type)");
  EXPECT_EQ(map(gateway, "DELETE", "/invoices", {{"x-kind", "k"}, {"x-account", "a"}}).error,
            "missing header `x-memberships` (the principal's memberships)");
  EXPECT_EQ(map(gateway, "DELETE", "/invoices", {{"x-kind", "k"}, {"x-memberships", "r@a"}}).error,
            "missing header `x-account` (the route's target needs it)");
  EXPECT_EQ(map(gateway, "DELETE", "/invoices",
                {{"x-kind", "k"}, {"x-memberships", "r@a"}, {"x-account", "a//b"}})
                .error.substr(0, 14),
            "header `x-acco");
  EXPECT_EQ(map(gateway, "DELETE", "/invoices",
                {{"x-kind", "k"},
                 {"x-memberships", "r@a"},
                 {"x-account", "a"},
                 {"x-flags", "active,,business"}})
                .error,
            "header `x-flags` has an empty item");
}

TEST(Mapping, PathsThatAreNotNormalizedAreRefused) {
  MappingConfig gateway = mappingOf(kGateway);
  std::map<std::string, std::string, std::less<>> headers{
      {"x-kind", "k"}, {"x-memberships", "r@a"}, {"x-account", "a"}};
  for (const char *path :
       {"/tenants/acme/stations/../stations/1", "/tenants/acme/stations/./1",
        "/tenants//acme/stations/1", "/tenants/acme/stations/1/", "/tenants/acme/stations/%2e%2e",
        "/tenants/acme/stations/a%2Fb", "/tenants/acme/stations/%zz", "/tenants/acme/stations/%4",
        "tenants/acme/stations/1", ""}) {
    Result r = map(gateway, "GET", path, headers);
    EXPECT_FALSE(r.ok) << path;
  }
  EXPECT_EQ(map(gateway, "GET", "/tenants/acme/stations/../x", headers).error,
            "path `/tenants/acme/stations/../x` is not normalized (an empty, `.` or `..` segment)");
}

TEST(Mapping, OverlongHeaderIsRefused) {
  MappingConfig gateway = mappingOf(kGateway);
  Result r = map(gateway, "DELETE", "/invoices",
                 {{"x-kind", "k"},
                  {"x-memberships", std::string(kMaxHeaderValueBytes + 1, 'r')},
                  {"x-account", "a"}});
  EXPECT_EQ(r.error, "header `x-memberships` is longer than 65536 bytes");
}

TEST(Mapping, RequestAsJson) {
  MappingConfig gateway = mappingOf(kGateway);
  Result r = map(gateway, "GET", "/tenants/acme/stations/s1",
                 {{"x-kind", "tenant_user"}, {"x-memberships", "tenant_admin@acme+business"}});
  ASSERT_TRUE(r.ok);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(requestToJson(r.mapped.request));
  os.flush();
  EXPECT_EQ(text, R"({"flags":[],"kind":"tenant_user","memberships":[{"flags":["business"],)"
                  R"("node":"acme","roles":["tenant_admin"]}],"permission":"station.view",)"
                  R"("target":"acme/s1"})");
}

} // namespace
} // namespace lattice::ext_authz
