// ext_authz_test_support.h - what the ext_authz tests build their inputs with: a mapping file that
// must read, and a Check request as Envoy sends one.
#pragma once

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "server/ext_authz/mapping_config.h"

#include <gtest/gtest.h>
#include <map>
#include <string>
#include <string_view>

namespace lattice::ext_authz {

/// The mapping file `text`, which must read (a test failure names its first error; the config is
/// then empty).
inline MappingConfig mappingOf(std::string_view text) {
  std::vector<ConfigError> errors;
  std::optional<MappingConfig> parsed = parseMappingConfig(text, errors);
  EXPECT_TRUE(parsed) << (errors.empty() ? "" : errors[0].message);
  return parsed ? *parsed : MappingConfig{};
}

/// A Check request for `METHOD PATH` with `headers`, on host gateway.example.
inline envoy::service::auth::v3::CheckRequest
checkRequest(const std::string &method, const std::string &path,
             const std::map<std::string, std::string> &headers) {
  envoy::service::auth::v3::CheckRequest check;
  auto *http = check.mutable_attributes()->mutable_request()->mutable_http();
  http->set_method(method);
  http->set_path(path);
  http->set_host("gateway.example");
  for (const auto &[name, value] : headers)
    (*http->mutable_headers())[name] = value;
  return check;
}

} // namespace lattice::ext_authz
