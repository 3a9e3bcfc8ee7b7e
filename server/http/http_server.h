// http_server.h - the HTTP/1.1 listener of the decision server (cpp-httplib): keep-alive, a
// bounded pool of worker threads, body size limit and timeouts; every call goes to api.h's handle.
#pragma once

#include "server/http/api.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace lattice::server::http {

struct ListenOptions {
  std::string host = "127.0.0.1";
  int port = 8181; // 0: any free port (port() says which)
  /// Worker threads: each serves one connection at a time (a keep-alive connection holds its
  /// worker until it is idle for `keepAliveTimeout`); further connections wait for a worker.
  size_t threads = 64;
  std::chrono::milliseconds readTimeout{5000}, writeTimeout{5000};
  std::chrono::seconds keepAliveTimeout{5};
  size_t keepAliveMaxRequests = 100000; // per connection, then it is closed
};

class HttpServer {
public:
  HttpServer(Service &service, ListenOptions options);
  ~HttpServer();
  /// Binds and listens; nullopt on success, else why not.
  std::optional<std::string> bind();
  int port() const { return port_; }
  /// Accepts and serves until stop(); returns false when it could not run.
  bool run();
  /// Stops accepting and returns from run(); safe from another thread.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  ListenOptions options_;
  int port_ = 0;
};

} // namespace lattice::server::http
