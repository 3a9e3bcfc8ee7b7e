// api.cpp - the routes of the decision server's HTTP API. Request bodies are request lines of
// `lattice query --requests` (query/request_line.h), parsed once and answered by the same code;
// every error path answers "deny" or no decision at all.
#include "server/http/api.h"

#include "base/json_input.h"
#include "query/answer_json.h"
#include "query/list_filter.h"
#include "query/request_line.h"
#include "query/who_can.h"
#include "server/http/request_reader.h"

#include <chrono>
#include <fmt/format.h>

namespace lattice::server::http {
namespace {

using Clock = std::chrono::steady_clock;

std::string text(const llvm::json::Value &value) {
  std::string out;
  llvm::raw_string_ostream os(out);
  // raw_string_ostream is unbuffered: every character of the answer would be a virtual call
  // through flush_tied_then_write (a quarter of a /v1/decide call's CPU in callgrind).
  os.SetBufferSize(4096);
  os << value;
  os.flush();
  return out;
}

Response json(int status, llvm::json::Value value) { return Response{status, text(value)}; }

/// A refused call: `{"error": ...}`, with `"decision": "deny"` when it asked for a decision.
Response refuse(Service &service, std::optional<Endpoint> endpoint, int status,
                std::string message) {
  llvm::json::Object body{{"error", std::move(message)}};
  if (endpoint) {
    service.metrics.observeError(*endpoint, status);
    if (*endpoint == Endpoint::WhatCan)
      body["allowed"] = llvm::json::Array{};
    else if (*endpoint != Endpoint::ListFilter && *endpoint != Endpoint::WhoCan)
      body["decision"] = "deny"; // a refused filter lists nothing, a refused who-can names no one
  }
  return json(status, std::move(body));
}

/// The body as one JSON value within the limits; nullopt and `error` otherwise.
std::optional<llvm::json::Value> parseBody(const Service &service, std::string_view body,
                                           std::string &error) {
  JsonError where;
  std::optional<llvm::json::Value> value =
      parseJson(llvm::StringRef(body.data(), body.size()),
                JsonLimits{service.limits.maxBody, kMaxJsonDepth}, where);
  if (!value)
    error = fmt::format("invalid JSON at {}", where.describe());
  return value;
}

/// What one answer says, for the metrics and the decision log.
struct Outcome {
  bool allowed = false;
  bool failed = false;
};

/// Logs one answered request; its decision id ("" when the log is off).
std::string logAnswer(Service &service, Endpoint endpoint, const ServedPolicy &policy,
                      llvm::json::Value request, const query::RequestAnswer &answer, bool allowed) {
  if (!service.log.enabled())
    return "";
  DecisionEntry entry;
  entry.endpoint = endpointLabel(endpoint);
  entry.request = std::move(request);
  entry.allowed = allowed;
  entry.policy = &policy;
  if (answer.failed) {
    entry.reason = "error";
    entry.error = answer.error;
  } else if (answer.whatCan) {
    entry.reason = "what_can"; // its answer is a list of permissions, not one decision
  } else {
    entry.reason = answer.reason ? answer.reason : "";
    if (answer.role)
      entry.role = answer.role;
  }
  return service.log.record(std::move(entry));
}

/// Answers one request parsed by either reader (`parseError`: why the one parser refused it) with
/// `policy`, appending the answer's JSON to `out` (no JSON tree is built for it); `request` is its
/// JSON for the decision log (the fast reader is used only when the log is off). `asWhatCan`: a
/// refused request is answered in what-can form.
Outcome answerParsed(Service &service, Endpoint endpoint, const ServedPolicy &policy,
                     query::RequestLine &parsed, const std::string *parseError,
                     llvm::json::Value request, std::string &out, bool asWhatCan = false) {
  const query::RequestAnswer answer = query::decideRequest(policy.table.get(), parsed, parseError);
  Outcome outcome;
  outcome.failed = answer.failed;
  outcome.allowed =
      !answer.failed && (answer.whatCan ? !answer.allowedPermissions.empty() : answer.allowed);
  const std::string id =
      logAnswer(service, endpoint, policy, std::move(request), answer, outcome.allowed);
  query::AnswerFields fields;
  fields.decisionId = id.empty() ? nullptr : &id;
  fields.asWhatCan = asWhatCan;
  query::appendAnswer(out, answer, fields);
  return outcome;
}

/// The same for a request value (a body, or an element of a batch) the one parser reads.
Outcome answerOne(Service &service, Endpoint endpoint, const ServedPolicy &policy,
                  llvm::json::Value request, std::string &out, bool asWhatCan = false) {
  query::RequestLine parsed;
  std::string error;
  const bool ok = query::parseRequestValue(request, parsed, error);
  return answerParsed(service, endpoint, policy, parsed, ok ? nullptr : &error, std::move(request),
                      out, asWhatCan);
}

/// A single request's response: its answer, 200, or 400 when it was refused.
Response answered(Service &service, Endpoint endpoint, const Outcome &outcome, Response out) {
  if (outcome.failed) {
    service.metrics.observeError(endpoint, 400);
    out.status = 400;
    return out;
  }
  service.metrics.observeDecisions(endpoint, outcome.allowed ? 1 : 0, outcome.allowed ? 0 : 1);
  return out;
}

/// /v1/decide and /v1/what-can: one request, answered 200, or 400 when it is refused.
Response single(Service &service, Endpoint endpoint, const ServedPolicy &policy,
                llvm::json::Value request) {
  llvm::json::Object *object = request.getAsObject();
  if (object == nullptr)
    return refuse(service, endpoint, 400, "a request must be a JSON object");
  const llvm::json::Value *whatCan = object->get("what_can");
  if (endpoint == Endpoint::WhatCan) {
    if (whatCan == nullptr)
      (*object)["what_can"] = true;
    else if (whatCan->getAsBoolean() != true)
      return refuse(service, endpoint, 400,
                    "`/v1/what-can` answers what-can requests: drop `what_can` or set it true");
  } else if (whatCan != nullptr && whatCan->getAsBoolean() != false) {
    return refuse(service, endpoint, 400,
                  "a `what_can` request goes to `/v1/what-can`, not `/v1/decide`");
  }
  Response out;
  // A what-can answer is a list, empty when refused, whichever step refused it.
  const Outcome outcome = answerOne(service, endpoint, policy, std::move(request), out.body,
                                    endpoint == Endpoint::WhatCan);
  return answered(service, endpoint, outcome, std::move(out));
}

/// /v1/batch's answers, `{"answers": [...]}`, written one after the other into the body:
/// `answerAt(i, body)` answers the i-th of `count` requests.
template <typename AnswerAt>
Response batchAnswers(Service &service, size_t count, AnswerAt &&answerAt) {
  Response out;
  out.body.reserve(16 + 96 * count);
  out.body += "{\"answers\":[";
  uint64_t allowed = 0, denied = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i)
      out.body += ',';
    if (answerAt(i, out.body).allowed)
      ++allowed;
    else
      ++denied;
  }
  out.body += "]}";
  service.metrics.observeDecisions(Endpoint::Batch, allowed, denied);
  return out;
}

/// /v1/batch: `{"requests": [...]}` to `{"answers": [...]}` in order. A refused element is
/// answered "deny" with its error in its place; the call itself is refused only when its
/// envelope is wrong or it is over the batch limit.
Response batch(Service &service, const ServedPolicy &policy, llvm::json::Value &value) {
  llvm::json::Object *object = value.getAsObject();
  llvm::json::Array *requests = object ? object->getArray("requests") : nullptr;
  if (requests == nullptr)
    return refuse(service, Endpoint::Batch, 400,
                  "a batch must be a JSON object `{\"requests\": [...]}`");
  if (requests->size() > service.limits.maxBatch)
    return refuse(service, Endpoint::Batch, 400,
                  fmt::format("{} requests in one batch; at most {} (`--max-batch`)",
                              requests->size(), service.limits.maxBatch));
  return batchAnswers(service, requests->size(), [&](size_t i, std::string &body) {
    return answerOne(service, Endpoint::Batch, policy, std::move((*requests)[i]), body);
  });
}

/// /v1/decide and /v1/batch through the fast reader (request_reader.h), when it reads the body
/// and the decision log is off; nullopt otherwise, and the body goes to the one parser. The
/// answers are the same either way: the reader reads only what that parser reads alike.
std::optional<Response> fastPost(Service &service, Endpoint endpoint, const ServedPolicy &policy,
                                 std::string_view body) {
  if (service.log.enabled())
    return std::nullopt;
  if (endpoint == Endpoint::Decide) {
    query::RequestLine parsed;
    if (!readDecideBody(body, parsed))
      return std::nullopt;
    Response out;
    const Outcome outcome =
        answerParsed(service, endpoint, policy, parsed, nullptr, nullptr, out.body);
    return answered(service, endpoint, outcome, std::move(out));
  }
  if (endpoint != Endpoint::Batch)
    return std::nullopt;
  std::vector<query::RequestLine> requests;
  if (!readBatchBody(body, service.limits.maxBatch, requests))
    return std::nullopt;
  return batchAnswers(service, requests.size(), [&](size_t i, std::string &out) {
    return answerParsed(service, Endpoint::Batch, policy, requests[i], nullptr, nullptr, out);
  });
}

/// /v1/list-filter: a principal with memberships and a permission (a request without `target`),
/// plus `sql` (generic, postgres, sqlite; default generic) and `column` (default node_key), to
/// the filter `lattice query --list-filter` prints, as `{"format": ..., "filter": "..."}`.
Response listFilter(Service &service, const ServedPolicy &policy, const llvm::json::Value &value) {
  query::RequestLine parsed;
  std::string error;
  if (!query::parseRequestValue(value, parsed, error, query::RequestUse::ListFilter))
    return refuse(service, Endpoint::ListFilter, 400, error);
  const llvm::json::Object &object = *value.getAsObject();
  std::string format = "generic", column = "node_key";
  for (auto [key, field] : {std::pair{"sql", &format}, std::pair{"column", &column}}) {
    if (const llvm::json::Value *given = object.get(key)) {
      if (!given->getAsString())
        return refuse(service, Endpoint::ListFilter, 400,
                      fmt::format("`{}` must be a string", key));
      *field = given->getAsString()->str();
    }
  }
  std::optional<query::FilterFormat> filterFormat = query::parseFilterFormat(format);
  if (!filterFormat)
    return refuse(service, Endpoint::ListFilter, 400,
                  fmt::format("`sql`: `{}` is not `generic`, `postgres` or `sqlite`", format));
  std::optional<std::string> text =
      query::listFilterText(policy.table.get(), *parsed.access, *filterFormat, column, error);
  if (!text)
    return refuse(service, Endpoint::ListFilter, 400, error);
  llvm::json::Object out{{"format", format}, {"filter", std::move(*text)}};
  if (parsed.id)
    out["id"] = std::move(*parsed.id);
  return json(200, std::move(out));
}

/// /v1/who-can: `{"permission": ..., "relation": ..., "flags": [...], "facts": [...]}` (relation
/// optional: each of the four) to who can be allowed it, from the table (lattice_who_can, what
/// `lattice query --who-can` prints): per relation the roles, custom-role ceilings and user types.
Response whoCan(Service &service, const ServedPolicy &policy, const llvm::json::Value &value) {
  const llvm::json::Object *object = value.getAsObject();
  if (object == nullptr)
    return refuse(service, Endpoint::WhoCan, 400, "a who-can request must be a JSON object");
  const llvm::json::Value *id = object->get("id");
  if (id != nullptr && !query::echoableId(*id))
    return refuse(service, Endpoint::WhoCan, 400, query::kUnechoableId);
  query::NamedWhoCan named;
  auto permission = object->getString("permission");
  if (!permission)
    return refuse(service, Endpoint::WhoCan, 400, "missing string field `permission`");
  named.permission = permission->str();
  if (const llvm::json::Value *relation = object->get("relation")) {
    if (!relation->getAsString())
      return refuse(service, Endpoint::WhoCan, 400, "`relation` must be a string");
    named.relation = relation->getAsString()->str();
  }
  std::string error;
  if (!query::readStringArray(*object, "flags", named.flags, error) ||
      !query::readStringArray(*object, "facts", named.facts, error))
    return refuse(service, Endpoint::WhoCan, 400, error);
  const lattice_table *table = policy.table.get();
  query::WhoCanTableAnswer answer;
  if (!query::whoCanFromTable(table, named, answer, error))
    return refuse(service, Endpoint::WhoCan, 400, error);
  auto names = [&](const std::vector<uint32_t> &ids,
                   const char *(*name)(const lattice_table *, uint32_t)) {
    llvm::json::Array out;
    for (uint32_t id : ids)
      out.push_back(name(table, id));
    return out;
  };
  llvm::json::Array flags, relations;
  for (uint32_t f = 0; f < 64; ++f)
    if ((answer.flags >> f) & 1)
      flags.push_back(lattice_flag_name(table, f));
  for (const query::WhoCanAtRelation &at : answer.relations) {
    llvm::json::Object one{{"relation", query::relationWord(at.relation)}};
    one["roles"] = names(at.roles, lattice_role_name);
    one["custom_roles"] = names(at.ceilings, lattice_ceiling_name);
    one["user_types"] = names(at.kinds, lattice_kind_name);
    relations.push_back(std::move(one));
  }
  llvm::json::Object out{{"permission", named.permission}};
  out["flags"] = std::move(flags);
  out["relations"] = std::move(relations);
  if (id != nullptr)
    out["id"] = *id;
  return json(200, std::move(out));
}

/// Why a body over `--max-body` is refused (`bytes`: its size, when known).
std::string oversized(const Service &service, std::optional<uint64_t> bytes) {
  if (!bytes)
    return fmt::format("the body is over the size limit of {} bytes (`--max-body`)",
                       service.limits.maxBody);
  return fmt::format("the body has {} bytes, over the size limit of {} (`--max-body`)", *bytes,
                     service.limits.maxBody);
}

/// A decision endpoint's call: the body within the limit, parsed once, answered by its route
/// against the policy served now.
Response post(Service &service, Endpoint endpoint, std::string_view body) {
  if (body.size() > service.limits.maxBody)
    return refuse(service, endpoint, 413, oversized(service, body.size()));
  ServedPolicyPtr policy = service.store.current();
  if (!policy)
    return refuse(service, endpoint, 503, "no policy is loaded");
  if (std::optional<Response> fast = fastPost(service, endpoint, *policy, body))
    return std::move(*fast);
  std::string error;
  std::optional<llvm::json::Value> value = parseBody(service, body, error);
  if (!value)
    return refuse(service, endpoint, 400, error);
  if (endpoint == Endpoint::Batch)
    return batch(service, *policy, *value);
  if (endpoint == Endpoint::ListFilter)
    return listFilter(service, *policy, *value);
  if (endpoint == Endpoint::WhoCan)
    return whoCan(service, *policy, *value);
  return single(service, endpoint, *policy, std::move(*value));
}

llvm::json::Object policyJson(const ServedPolicy &policy) {
  const char *name = lattice_policy_name(policy.table.get());
  llvm::json::Object out{{"path", policy.path},
                         {"policy", name ? name : ""},
                         {"revision", policy.revision},
                         {"fingerprint", fmt::format("{:016x}", policy.fingerprint)},
                         {"generation", int64_t(policy.generation)},
                         {"loaded_at_ms", policy.loadedAtUnixMs}};
  if (policy.manifest) {
    llvm::Expected<llvm::json::Value> manifest =
        llvm::json::parse(bundle::manifestJson(*policy.manifest));
    if (manifest)
      out["manifest"] = std::move(*manifest);
    else
      llvm::consumeError(manifest.takeError());
  }
  return out;
}

Response health(Service &service) {
  ServedPolicyPtr policy = service.store.current();
  const LoadStatus status = service.store.status();
  const char *state = !policy ? "no_policy" : status.lastError.empty() ? "ok" : "reload_failed";
  llvm::json::Object out{{"status", state},
                         {"reloads", int64_t(status.reloads)},
                         {"failed_reloads", int64_t(status.failedReloads)},
                         {"last_error", status.lastError},
                         {"last_attempt_ms", status.lastAttemptUnixMs},
                         {"decision_log_dropped", int64_t(service.log.dropped())}};
  if (policy)
    out["policy"] = policyJson(*policy);
  return json(200, std::move(out));
}

Response ready(Service &service) {
  if (ServedPolicyPtr policy = service.store.current())
    return json(200,
                llvm::json::Object{{"ready", true}, {"generation", int64_t(policy->generation)}});
  return json(503, llvm::json::Object{{"ready", false}, {"error", "no policy is loaded"}});
}

Response metrics(Service &service) {
  ServedPolicyPtr policy = service.store.current();
  Response out{200, service.metrics.prometheusText(policy.get()),
               "text/plain; version=0.0.4; charset=utf-8"};
  out.body += fmt::format("# HELP lattice_decision_log_dropped_total Decision log entries dropped "
                          "because the writer fell behind.\n"
                          "# TYPE lattice_decision_log_dropped_total counter\n"
                          "lattice_decision_log_dropped_total {}\n",
                          service.log.dropped());
  return out;
}

Response policyInfo(Service &service) {
  if (ServedPolicyPtr policy = service.store.current())
    return json(200, policyJson(*policy));
  return json(503, llvm::json::Object{{"error", "no policy is loaded"}});
}

struct Route {
  std::string_view path, method;
  std::optional<Endpoint> endpoint;     // decision endpoints: their latency is recorded
  Response (*get)(Service &) = nullptr; // the others: what answers them
};
constexpr Route kRoutes[] = {{"/v1/decide", "POST", Endpoint::Decide},
                             {"/v1/batch", "POST", Endpoint::Batch},
                             {"/v1/what-can", "POST", Endpoint::WhatCan},
                             {"/v1/list-filter", "POST", Endpoint::ListFilter},
                             {"/v1/who-can", "POST", Endpoint::WhoCan},
                             {"/health", "GET", std::nullopt, health},
                             {"/ready", "GET", std::nullopt, ready},
                             {"/metrics", "GET", std::nullopt, metrics},
                             {"/v1/policy", "GET", std::nullopt, policyInfo}};

const Route *findRoute(std::string_view path) {
  for (const Route &r : kRoutes)
    if (r.path == path)
      return &r;
  return nullptr;
}

} // namespace

Response refuseOversizedBody(Service &service, std::string_view path,
                             std::optional<uint64_t> bytes) {
  const Route *route = findRoute(path);
  if (route != nullptr && route->endpoint)
    return refuse(service, route->endpoint, 413, oversized(service, bytes));
  // Not a decision endpoint; a path under /v1/ still denies, whatever a client meant by it.
  llvm::json::Object body{{"error", oversized(service, bytes)}};
  if (path.rfind("/v1/", 0) == 0)
    body["decision"] = "deny";
  return json(413, std::move(body));
}

Response handle(Service &service, std::string_view method, std::string_view path,
                std::string_view body) {
  const auto start = Clock::now();
  const Route *route = findRoute(path);
  if (route == nullptr)
    return json(404, llvm::json::Object{{"error", fmt::format("no such path `{}`", path)}});
  if (route->method != method) {
    Response out =
        json(405, llvm::json::Object{{"error", fmt::format("`{}` takes {} only, not {}", path,
                                                           route->method, method)}});
    out.allow = route->method == "GET" ? "GET" : "POST";
    if (route->endpoint)
      service.metrics.observeError(*route->endpoint, 405);
    return out;
  }
  if (!route->endpoint)
    return route->get(service);
  Response out = post(service, *route->endpoint, body);
  service.metrics.observeLatency(*route->endpoint, Clock::now() - start);
  return out;
}

} // namespace lattice::server::http
