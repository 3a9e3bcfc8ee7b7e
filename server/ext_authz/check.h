// check.h - one ext_authz Check decided against one table: the CheckRequest mapped (mapping.h),
// resolved and decided by the runtime, and the CheckResponse Envoy acts on. No server state, so
// the gRPC service, the unit tests and the fuzz target share it.
#pragma once

#include "envoy/service/auth/v3/external_auth.pb.h"
#include "server/ext_authz/mapping.h"

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace lattice::ext_authz {

using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;

/// google.rpc.Code values a CheckResponse uses.
inline constexpr int kRpcOk = 0;
inline constexpr int kRpcPermissionDenied = 7;

struct CheckOutcome {
  bool allowed = false;
  /// query::reasonKey() of a decision, or "error" when the request could not be mapped or names
  /// what the table does not know (`error` says why).
  std::string reason = "error";
  std::string error;
  std::string role;                 // the deciding role, when one decided
  std::optional<size_t> membership; // the deciding membership, numbered from 1
  /// What the decision log records: the method and path, with the mapped request's fields
  /// (requestToJson) when mapping succeeded; no other header is ever logged.
  llvm::json::Object logged;
};

/// Maps, resolves and decides. Never allows on an error.
CheckOutcome decideCheck(const lattice_table *table, const MappingConfig &config,
                         const CheckRequest &request);

/// The answer: status OK with an ok_response (adding `x-lattice-revision` and, when given,
/// `x-lattice-decision-id` to the upstream request) for an allow; PERMISSION_DENIED with a
/// denied_response (HTTP 403, headers `x-lattice-reason`, `x-lattice-revision`,
/// `x-lattice-decision-id`, and a JSON body `{"decision": "deny", "reason": ..., "error": ...,
/// "revision": ...}`) for anything else.
void fillCheckResponse(const CheckOutcome &outcome, const std::string &revision,
                       const std::string &decisionId, CheckResponse &response);

} // namespace lattice::ext_authz
