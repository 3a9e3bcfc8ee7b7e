// service.h - the Envoy ext_authz gRPC service of lattice-serve: envoy.service.auth.v3
// Authorization/Check answered from the policy store's current policy through the mapping,
// with metrics (Endpoint::ExtAuthz) and the decision log.
#pragma once

#include "server/ext_authz/mapping_config.h"

#include <memory>
#include <string>

namespace lattice::server {
class PolicyStore;
class Metrics;
class DecisionLog;
} // namespace lattice::server

namespace lattice::ext_authz {

class ExtAuthzServer {
public:
  /// Listens on `listen` (HOST:PORT; port 0 picks a free one) and serves until shut down.
  /// Returns null with `error` set when the address is malformed or cannot be bound. `log` may
  /// be null (no decision log). The store, metrics and log must outlive the server.
  static std::unique_ptr<ExtAuthzServer> start(const std::string &listen, MappingConfig config,
                                               server::PolicyStore &store, server::Metrics &metrics,
                                               server::DecisionLog *log, std::string &error);
  ~ExtAuthzServer(); // shuts down, waiting for calls in flight
  ExtAuthzServer(const ExtAuthzServer &) = delete;
  ExtAuthzServer &operator=(const ExtAuthzServer &) = delete;

  /// The port it listens on (the chosen one when 0 was asked for).
  int port() const;
  /// The host it listens on, as given.
  const std::string &host() const;
  /// Stops accepting and finishes the calls in flight.
  void shutdown();

  struct State;

private:
  explicit ExtAuthzServer(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// lattice-serve's two options for the service.
struct ExtAuthzOptions {
  std::string listen = "127.0.0.1:9191"; // --ext-authz-listen (loopback unless told otherwise)
  std::string configPath;                // --ext-authz-config; the service runs when it is set
};

/// Reads the mapping (every error rendered `FILE:LINE:COL: error: ...`, one per line), checks
/// its names against the policy serving now, and starts the service: what lattice-serve does for
/// `--ext-authz-config`. Null with `error` set when any step fails (the server must not start).
std::unique_ptr<ExtAuthzServer> startExtAuthz(const ExtAuthzOptions &options,
                                              server::PolicyStore &store, server::Metrics &metrics,
                                              server::DecisionLog *log, std::string &error);

/// `lattice serve: ext_authz gRPC on HOST:PORT`, the line lattice-serve prints once the service
/// accepts calls (tests read the port from it).
std::string listeningLine(const ExtAuthzServer &server);

/// Splits `HOST:PORT` (`[::1]:9191` for IPv6) checking the port is a number below 65536;
/// false with `error` set otherwise.
bool splitListenAddress(const std::string &listen, std::string &host, int &port,
                        std::string &error);

} // namespace lattice::ext_authz
