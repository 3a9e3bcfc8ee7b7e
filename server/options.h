// options.h - `lattice-serve`'s command line (docs/server.md "Options"): parsed strictly, every
// bad value a usage error naming the option.
#pragma once

#include "server/core/decision_log.h"
#include "server/http/http_server.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace lattice::server {

struct ServeOptions {
  std::string policy;                             // BUNDLE, TABLE or DIR
  std::optional<std::string> publicKeyFile;       // --public-key
  http::ListenOptions listen;                     // --listen, --threads, --timeout
  http::Limits limits;                            // --max-body, --max-batch
  std::chrono::milliseconds reloadInterval{1000}; // 0: SIGHUP only
  DecisionLogConfig decisionLog;                  // --decision-log, --mask
  /// The Envoy ext_authz gRPC service (docs/server.md "Envoy ext_authz"): runs when
  /// --ext-authz-config is given, on --ext-authz-listen (default 127.0.0.1:9191).
  std::optional<std::string> extAuthzConfig;
  std::string extAuthzListen = "127.0.0.1:9191";
  bool extAuthzListenGiven = false;
  bool help = false;
};

/// Parses argv (without the program name); nullopt and `error` on a usage error.
std::optional<ServeOptions> parseServeOptions(const std::vector<std::string> &argv,
                                              std::string &error);

/// `lattice-serve --help`.
std::string serveHelp();

} // namespace lattice::server
