// service.cpp - the gRPC server of the ext_authz service (gRPC's synchronous API, a bounded
// thread pool). Each call decides against the policy current when it started, whole.
#include "server/ext_authz/service.h"

#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "server/core/decision_log.h"
#include "server/core/metrics.h"
#include "server/core/policy_store.h"
#include "server/ext_authz/check.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <fmt/format.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <thread>

namespace lattice::ext_authz {
namespace {

/// A CheckRequest is headers and a path; Envoy's own limit on all headers is 60 KiB, so 1 MiB
/// leaves room for any real request while bounding what a call may cost.
constexpr int kMaxMessageBytes = 1 << 20;

class AuthorizationService final : public envoy::service::auth::v3::Authorization::Service {
public:
  AuthorizationService(MappingConfig config, server::PolicyStore &store, server::Metrics &metrics,
                       server::DecisionLog *log)
      : config(std::move(config)), store(store), metrics(metrics), log(log) {}

  grpc::Status Check(grpc::ServerContext *, const CheckRequest *request,
                     CheckResponse *response) override {
    const auto started = std::chrono::steady_clock::now();
    // Held for the whole call: a reload publishing the next policy meanwhile changes nothing
    // for this request.
    server::ServedPolicyPtr policy = store.current();
    CheckOutcome outcome;
    if (policy && policy->table)
      outcome = decideCheck(policy->table.get(), config, *request);
    else
      outcome.error = "no policy loaded";
    std::string decisionId;
    if (log && log->enabled()) {
      server::DecisionEntry entry;
      entry.endpoint = server::endpointLabel(server::Endpoint::ExtAuthz);
      entry.request = std::move(outcome.logged); // fillCheckResponse does not read it
      entry.allowed = outcome.allowed;
      entry.reason = outcome.reason;
      entry.error = outcome.error;
      entry.role = outcome.role;
      entry.policy = policy.get();
      decisionId = log->record(std::move(entry));
    }
    fillCheckResponse(outcome, policy ? policy->revision : std::string(), decisionId, *response);
    if (outcome.error.empty())
      metrics.observeDecisions(server::Endpoint::ExtAuthz, outcome.allowed ? 1 : 0,
                               outcome.allowed ? 0 : 1);
    else
      // Refused as the HTTP API refuses a malformed or unknown request (its 400), though Envoy
      // answers the client 403.
      metrics.observeError(server::Endpoint::ExtAuthz, 400);
    metrics.observeLatency(server::Endpoint::ExtAuthz, std::chrono::steady_clock::now() - started);
    return grpc::Status::OK;
  }

private:
  const MappingConfig config;
  server::PolicyStore &store;
  server::Metrics &metrics;
  server::DecisionLog *log;
};

} // namespace

struct ExtAuthzServer::State {
  std::string host;
  int port = 0;
  std::unique_ptr<AuthorizationService> service;
  std::unique_ptr<grpc::Server> server;
  bool stopped = false;
};

bool splitListenAddress(const std::string &listen, std::string &host, int &port,
                        std::string &error) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    error = fmt::format("`{}` is not HOST:PORT", listen);
    return false;
  }
  host = listen.substr(0, colon);
  if (host.front() == '[' && host.back() != ']') {
    error = fmt::format("`{}` is not HOST:PORT", listen);
    return false;
  }
  const std::string digits = listen.substr(colon + 1);
  unsigned value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() ||
      value > 65535) {
    error = fmt::format("`{}` has no port number (0 to 65535) after its last `:`", listen);
    return false;
  }
  port = int(value);
  return true;
}

std::unique_ptr<ExtAuthzServer>
ExtAuthzServer::start(const std::string &listen, MappingConfig config, server::PolicyStore &store,
                      server::Metrics &metrics, server::DecisionLog *log, std::string &error) {
  auto state = std::make_unique<State>();
  int askedPort = 0;
  if (!splitListenAddress(listen, state->host, askedPort, error))
    return nullptr;
  state->service = std::make_unique<AuthorizationService>(std::move(config), store, metrics, log);
  grpc::ServerBuilder builder;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &state->port);
  builder.RegisterService(state->service.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  // Bounded concurrency: calls beyond the pool wait in gRPC's queue instead of each taking a
  // thread.
  grpc::ResourceQuota quota("lattice-ext-authz");
  quota.SetMaxThreads(int(std::max(8u, 4 * std::thread::hardware_concurrency())));
  builder.SetResourceQuota(quota);
  // No port reuse: a second server on a taken port must fail, not share it.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  state->server = builder.BuildAndStart();
  if (!state->server || state->port == 0) {
    error = fmt::format("cannot listen on `{}` for ext_authz gRPC", listen);
    return nullptr;
  }
  return std::unique_ptr<ExtAuthzServer>(new ExtAuthzServer(std::move(state)));
}

ExtAuthzServer::ExtAuthzServer(std::unique_ptr<State> state) : state_(std::move(state)) {}

ExtAuthzServer::~ExtAuthzServer() { shutdown(); }

int ExtAuthzServer::port() const { return state_->port; }

const std::string &ExtAuthzServer::host() const { return state_->host; }

void ExtAuthzServer::shutdown() {
  if (state_->stopped)
    return;
  state_->stopped = true;
  // Calls in flight get a second to finish; then they are cancelled.
  state_->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
  state_->server->Wait();
}

std::unique_ptr<ExtAuthzServer> startExtAuthz(const ExtAuthzOptions &options,
                                              server::PolicyStore &store, server::Metrics &metrics,
                                              server::DecisionLog *log, std::string &error) {
  std::vector<ConfigError> errors;
  std::optional<MappingConfig> config = loadMappingConfig(options.configPath, errors);
  if (config) {
    server::ServedPolicyPtr policy = store.current();
    if (policy && policy->table)
      errors = checkMappingNames(*config, policy->table.get());
  }
  if (!errors.empty()) {
    error.clear();
    for (const ConfigError &e : errors)
      error += (error.empty() ? "" : "\n") + renderConfigError(options.configPath, e);
    return nullptr;
  }
  return ExtAuthzServer::start(options.listen, std::move(*config), store, metrics, log, error);
}

std::string listeningLine(const ExtAuthzServer &server) {
  return fmt::format("lattice serve: ext_authz gRPC on {}:{}", server.host(), server.port());
}

} // namespace lattice::ext_authz
