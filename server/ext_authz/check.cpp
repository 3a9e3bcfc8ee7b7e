// check.cpp - a CheckRequest decided and answered. The runtime decides (through
// query::resolveAccessRequest, as `query --requests` does); every path that is not a decided
// allow answers PERMISSION_DENIED.
#include "server/ext_authz/check.h"

#include "query/access_request.h"
#include "query/request.h"

namespace lattice::ext_authz {
namespace {

void addHeader(google::protobuf::RepeatedPtrField<envoy::config::core::v3::HeaderValueOption> &list,
               const char *key, const std::string &value) {
  envoy::config::core::v3::HeaderValueOption *option = list.Add();
  option->mutable_header()->set_key(key);
  option->mutable_header()->set_value(validUtf8(value));
  // Overwrite: a client must not be able to pass its own `x-lattice-*` value upstream.
  option->set_append_action(envoy::config::core::v3::HeaderValueOption::OVERWRITE_IF_EXISTS_OR_ADD);
}

} // namespace

CheckOutcome decideCheck(const lattice_table *table, const MappingConfig &config,
                         const CheckRequest &request) {
  CheckOutcome outcome;
  const auto &http = request.attributes().request().http();
  outcome.logged["method"] = validUtf8(http.method());
  outcome.logged["path"] = validUtf8(http.path().substr(0, 1024));
  auto header = [&](std::string_view name) -> std::optional<std::string_view> {
    auto it = http.headers().find(std::string(name));
    if (it == http.headers().end())
      return std::nullopt;
    return std::string_view(it->second);
  };
  HttpRequestView view{http.method(), http.path(), header};
  MappedRequest mapped;
  if (!mapRequest(config, view, mapped, outcome.error))
    return outcome;
  llvm::json::Object logged = requestToJson(mapped.request);
  logged["method"] = std::move(outcome.logged["method"]);
  logged["path"] = std::move(outcome.logged["path"]);
  outcome.logged = std::move(logged);
  query::ResolvedAccessRequest resolved;
  if (!query::resolveAccessRequest(table, mapped.request, resolved, outcome.error))
    return outcome;
  const lattice_access_decision decision = resolved.decide(table);
  outcome.allowed = decision.allowed != 0;
  outcome.reason = query::reasonKey(decision.reason);
  if (const char *role = lattice_role_name(table, decision.deciding_role))
    outcome.role = role;
  outcome.membership = query::decidingMembership(decision, mapped.request.memberships.size());
  return outcome;
}

void fillCheckResponse(const CheckOutcome &outcome, const std::string &revision,
                       const std::string &decisionId, CheckResponse &response) {
  response.Clear();
  if (outcome.allowed) {
    response.mutable_status()->set_code(kRpcOk);
    auto *ok = response.mutable_ok_response();
    addHeader(*ok->mutable_headers(), "x-lattice-revision", revision);
    if (!decisionId.empty())
      addHeader(*ok->mutable_headers(), "x-lattice-decision-id", decisionId);
    return;
  }
  response.mutable_status()->set_code(kRpcPermissionDenied);
  response.mutable_status()->set_message(
      validUtf8(outcome.error.empty() ? outcome.reason : outcome.reason + ": " + outcome.error));
  auto *denied = response.mutable_denied_response();
  denied->mutable_status()->set_code(envoy::type::v3::Forbidden);
  addHeader(*denied->mutable_headers(), "x-lattice-reason", outcome.reason);
  addHeader(*denied->mutable_headers(), "x-lattice-revision", revision);
  if (!decisionId.empty())
    addHeader(*denied->mutable_headers(), "x-lattice-decision-id", decisionId);
  addHeader(*denied->mutable_headers(), "content-type", "application/json");
  llvm::json::Object body{{"decision", "deny"}, {"reason", outcome.reason}};
  if (!outcome.error.empty())
    body["error"] = validUtf8(outcome.error);
  if (!outcome.role.empty())
    body["role"] = outcome.role;
  body["revision"] = validUtf8(revision);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(body));
  os.flush();
  denied->set_body(std::move(text));
}

} // namespace lattice::ext_authz
