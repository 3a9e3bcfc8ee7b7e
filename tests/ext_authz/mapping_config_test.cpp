// mapping_config_test.cpp - the ext_authz mapping file: a full valid file read back, and every
// configuration error with its line, column and message (docs/server.md, "Envoy ext_authz").
#include "server/ext_authz/mapping_config.h"

#include <gtest/gtest.h>

namespace lattice::ext_authz {
namespace {

/// The errors of a file, each as `LINE:COL: MESSAGE`.
std::vector<std::string> errorsOf(std::string_view text) {
  std::vector<ConfigError> errors;
  std::optional<MappingConfig> config = parseMappingConfig(text, errors);
  EXPECT_EQ(config.has_value(), errors.empty());
  std::vector<std::string> out;
  for (const ConfigError &e : errors)
    out.push_back(std::to_string(e.at.line) + ":" + std::to_string(e.at.column) + ": " + e.message);
  return out;
}

constexpr std::string_view kPrincipal = "kind header x-lattice-kind\n"
                                        "memberships header x-lattice-memberships\n";

std::string withPrincipal(std::string_view rest) {
  return std::string(kPrincipal) + std::string(rest);
}

TEST(MappingConfig, ReadsEveryDirective) {
  std::vector<ConfigError> errors;
  std::optional<MappingConfig> config = parseMappingConfig(
      "# the EV platform's gateway\n"
      "kind header X-Lattice-Kind   # names are case-insensitive\n"
      "flags header x-lattice-flags\n"
      "memberships header x-lattice-memberships\n"
      "facts header x-lattice-facts\n"
      "permission header x-lattice-permission\n"
      "target header x-lattice-target\n"
      "\n"
      "route GET /tenants/{tenant}/stations/{station} station.view {tenant}/{station}\n"
      "route * /stations/{station}/reset station.reset {header:x-account}/{station}\n"
      "route POST / station.import\n",
      errors);
  ASSERT_TRUE(config) << (errors.empty() ? "" : errors[0].message);
  EXPECT_EQ(config->kindHeader.name, "x-lattice-kind");
  EXPECT_EQ(config->kindHeader.at.line, 2u);
  EXPECT_EQ(config->kindHeader.at.column, 13u);
  EXPECT_TRUE(config->kind.empty());
  EXPECT_EQ(config->flagsHeader.name, "x-lattice-flags");
  EXPECT_EQ(config->factsHeader.name, "x-lattice-facts");
  EXPECT_EQ(config->permissionHeader.name, "x-lattice-permission");
  EXPECT_EQ(config->targetHeader.name, "x-lattice-target");
  ASSERT_EQ(config->routes.size(), 3u);
  const Route &first = config->routes[0];
  EXPECT_EQ(first.method, "GET");
  ASSERT_EQ(first.path.size(), 4u);
  EXPECT_FALSE(first.path[0].parameter);
  EXPECT_EQ(first.path[0].text, "tenants");
  EXPECT_TRUE(first.path[1].parameter);
  EXPECT_EQ(first.path[1].text, "tenant");
  EXPECT_EQ(first.permission, "station.view");
  EXPECT_EQ(first.permissionAt.line, 9u);
  EXPECT_EQ(first.permissionAt.column, 48u);
  ASSERT_EQ(first.target.size(), 2u);
  EXPECT_EQ(first.target[1].kind, TargetPart::Kind::Parameter);
  EXPECT_EQ(first.target[1].text, "station");
  const Route &second = config->routes[1];
  EXPECT_EQ(second.method, "*");
  ASSERT_EQ(second.target.size(), 2u);
  EXPECT_EQ(second.target[0].kind, TargetPart::Kind::Header);
  EXPECT_EQ(second.target[0].text, "x-account");
  EXPECT_TRUE(config->routes[2].path.empty());
  EXPECT_TRUE(config->routes[2].target.empty());
}

TEST(MappingConfig, FixedKind) {
  std::vector<ConfigError> errors;
  auto config = parseMappingConfig("kind is tenant_user\nmemberships header m\n"
                                   "route GET /s/{s} station.view t/{s}\n",
                                   errors);
  ASSERT_TRUE(config);
  EXPECT_EQ(config->kind, "tenant_user");
  EXPECT_FALSE(config->kindHeader.configured());
  EXPECT_EQ(config->kindAt.column, 9u);
}

// One test per error, each with its location.
TEST(MappingConfigErrors, UnknownDirective) {
  EXPECT_EQ(errorsOf(withPrincipal("rout GET /a b.c a\n")),
            std::vector<std::string>{"3:1: unknown directive `rout`; expected `kind`, `flags`, "
                                     "`memberships`, `facts`, `permission`, `target` or `route`; "
                                     "did you mean `route`?"});
}

TEST(MappingConfigErrors, DirectiveTwice) {
  EXPECT_EQ(errorsOf(withPrincipal("  flags header a\nflags header b\nroute GET /a b.c a\n")),
            std::vector<std::string>{"4:1: `flags` given twice (first at line 3)"});
}

TEST(MappingConfigErrors, ExpectedHeader) {
  EXPECT_EQ(errorsOf(withPrincipal("flags hdr a\nroute GET /a b.c a\n")),
            std::vector<std::string>{"3:7: expected `header` after `flags`, found `hdr`"});
  EXPECT_EQ(errorsOf("kind\nmemberships header m\nroute GET /a b.c a\n"),
            std::vector<std::string>{"1:5: expected `header` or `is` after `kind`"});
}

TEST(MappingConfigErrors, HeaderTakesOneName) {
  EXPECT_EQ(errorsOf(withPrincipal("facts header a b\nroute GET /a b.c a\n")),
            std::vector<std::string>{"3:16: `facts header` takes one header name"});
  EXPECT_EQ(errorsOf(withPrincipal("facts header\nroute GET /a b.c a\n")),
            std::vector<std::string>{"3:7: `facts header` takes one header name"});
}

TEST(MappingConfigErrors, BadHeaderName) {
  EXPECT_EQ(errorsOf(withPrincipal("flags header x(flags)\nroute GET /a b.c a\n")),
            std::vector<std::string>{"3:14: `x(flags)` is not a header name (letters, digits and "
                                     "`!#$%&'*+-.^_`|~`)"});
}

TEST(MappingConfigErrors, KindIs) {
  EXPECT_EQ(errorsOf("kind is\nmemberships header m\nroute GET /a b.c a\n"),
            std::vector<std::string>{"1:1: `kind is` takes one user type: `kind is KIND`"});
  EXPECT_EQ(errorsOf("kind is 9lives\nmemberships header m\nroute GET /a b.c a\n"),
            std::vector<std::string>{"1:9: `9lives` is not a user type name"});
}

TEST(MappingConfigErrors, RouteWordCount) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a\n")),
            std::vector<std::string>{
                "3:1: `route` takes `METHOD PATH PERMISSION [TARGET]`, found 2 words"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a b.c a extra\n")),
            std::vector<std::string>{
                "3:1: `route` takes `METHOD PATH PERMISSION [TARGET]`, found 5 words"});
}

TEST(MappingConfigErrors, Method) {
  EXPECT_EQ(errorsOf(withPrincipal("route get /a b.c a\n")),
            std::vector<std::string>{"3:7: `get` is not a method: write it in capitals as HTTP "
                                     "does (`GET`), or `*` for any method"});
}

TEST(MappingConfigErrors, PathTemplate) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET a/b b.c a\n")),
            std::vector<std::string>{"3:11: a path template starts with `/`"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a//b b.c a\n")),
            std::vector<std::string>{"3:14: empty path segment (a path template has no `//` and "
                                     "no trailing `/`)"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a/{9} b.c a\n")),
            std::vector<std::string>{"3:14: `{9}` is not a parameter: write `{name}` with a name "
                                     "of letters, digits and `_`"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /{a}/{a} b.c {a}\n")),
            std::vector<std::string>{"3:16: parameter `a` appears twice in the path"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a/st-{id} b.c a\n")),
            std::vector<std::string>{
                "3:14: `st-{id}` is not a path segment: a literal segment is made of letters, "
                "digits and `-._~!$&'()*+,;=:@` (no `%`, `?`, `{` or `}`; not `.` or `..`), a "
                "parameter is a whole segment `{name}`"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a/.. b.c a\n")).size(), 1u);
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a%2Fb b.c a\n")).size(), 1u);
}

TEST(MappingConfigErrors, Permission) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a view a\n")),
            std::vector<std::string>{"3:14: `view` is not a permission: write `RESOURCE.ACTION` "
                                     "(`station.view`)"});
}

TEST(MappingConfigErrors, Target) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c acme//{id}\n")),
            std::vector<std::string>{"3:28: empty node name in the target (write `a/{param}` "
                                     "without a leading, trailing or doubled `/`)"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c acme/{station}\n")),
            std::vector<std::string>{"3:28: `{station}` names no parameter of the route's path"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c acme/st-{id}\n")),
            std::vector<std::string>{"3:28: `st-{id}` mixes a literal and a parameter: a "
                                     "parameter is a whole node name `{name}`"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c {header:}/{id}\n")),
            std::vector<std::string>{"3:23: `{header:}` names no header"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c {header:a@b}/{id}\n")),
            std::vector<std::string>{"3:31: `a@b` is not a header name (letters, digits and "
                                     "`!#$%&'*+-.^_`|~`)"});
}

TEST(MappingConfigErrors, RepeatedRoute) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s/{id} b.c {id}\nroute GET /s/{id} b.d {id}\n")),
            std::vector<std::string>{"4:1: route `GET /s/{id}` repeats line 3's: the first "
                                     "matching route decides, so this one would never be used"});
}

TEST(MappingConfigErrors, ControlCharacter) {
  EXPECT_EQ(errorsOf(withPrincipal("route GET /s b.c\x01 a\n")),
            std::vector<std::string>{"3:17: control character in the mapping file"});
}

TEST(MappingConfigErrors, WholeFile) {
  EXPECT_EQ(
      errorsOf("memberships header m\nroute GET /a b.c a\n"),
      std::vector<std::string>{"0:0: no `kind` line: say where the principal's user type "
                               "comes from (`kind header x-lattice-kind` or `kind is KIND`)"});
  EXPECT_EQ(errorsOf("kind is k\nroute GET /a b.c a\n"),
            std::vector<std::string>{"0:0: no `memberships` line: say which header carries the "
                                     "principal's memberships (`memberships header "
                                     "x-lattice-memberships`)"});
  EXPECT_EQ(errorsOf(kPrincipal),
            std::vector<std::string>{"0:0: no `route` and no `permission header`: no request "
                                     "could be given a permission"});
  EXPECT_EQ(errorsOf(withPrincipal("permission header p\n")),
            std::vector<std::string>{"3:1: `permission header` needs a `target header`: a "
                                     "request matching no route has no target otherwise"});
  EXPECT_EQ(errorsOf(withPrincipal("route GET /a b.c\n")),
            std::vector<std::string>{"3:1: the route has no target and there is no `target "
                                     "header`: add a target (`{param}/...`) or a `target header` "
                                     "line"});
}

TEST(MappingConfigErrors, EveryBadLineReported) {
  EXPECT_EQ(errorsOf(withPrincipal("route get /a b.c a\nroute GET a b.c a\n")).size(), 2u);
}

TEST(MappingConfigErrors, RenderedWithFile) {
  EXPECT_EQ(renderConfigError("gw.map", {{3, 7}, "bad"}), "gw.map:3:7: error: bad");
  EXPECT_EQ(renderConfigError("gw.map", {{0, 0}, "bad"}), "gw.map: error: bad");
}

TEST(MappingConfigErrors, UnreadableFile) {
  std::vector<ConfigError> errors;
  EXPECT_FALSE(loadMappingConfig("/nonexistent/ext_authz.map", errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].at.line, 0u);
  EXPECT_NE(errors[0].message.find("cannot read the ext_authz mapping"), std::string::npos);
}

} // namespace
} // namespace lattice::ext_authz
