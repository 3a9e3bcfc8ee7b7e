// api.h - the decision server's HTTP API as one function of (method, path, body) to a response,
// with no network: the HTTP listener calls it per request, the fuzz target calls it directly.
#pragma once

#include "server/core/decision_log.h"
#include "server/core/metrics.h"
#include "server/core/policy_store.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lattice::server::http {

/// Limits of one call (docs/server.md "Limits"). The body limit is also enforced by the listener
/// before a byte of an oversized body is read; the handler checks it again for callers without one.
struct Limits {
  size_t maxBody = size_t(1) << 20;
  size_t maxBatch = 400; // requests in one /v1/batch call
};

/// What every call reads: the policy store, and where it reports.
struct Service {
  PolicyStore &store;
  Metrics &metrics;
  DecisionLog &log;
  Limits limits;
};

struct Response {
  int status = 200;
  std::string body;
  const char *contentType = "application/json";
  const char *allow = nullptr; // the methods a path takes, for 405
};

/// Answers one call. Never throws; a call that cannot be answered is a 4xx with
/// `{"error": "..."}` (and `"decision": "deny"` where a decision was asked), never an allow.
/// Decision endpoints record their decisions, latency and errors in `service.metrics`.
Response handle(Service &service, std::string_view method, std::string_view path,
                std::string_view body);

/// The 413 handle() gives a body over `limits.maxBody`, for a listener that refuses it before
/// reading it: `bytes` is its announced length (nullopt: a chunked body found over the limit).
Response refuseOversizedBody(Service &service, std::string_view path,
                             std::optional<uint64_t> bytes);

} // namespace lattice::server::http
