// http_server.h - the HTTP/1.1 listener of the decision server (Boost.Beast on Asio): event-driven
// keep-alive connections on a few threads, bounded connections, body size limit and timeouts.
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
  /// Threads running the event loop (0: one per core). Every connection is served by whichever
  /// is free when it has a request ready; a kept-alive connection holds no thread while idle.
  size_t threads = 0;
  /// Connections open at once; at the limit the server stops accepting (further connections wait
  /// in the listen backlog) until one closes.
  size_t maxConnections = 512;
  /// A request must arrive in full within `readTimeout` (an idle keep-alive connection is closed
  /// after as long); an answer must be written within `writeTimeout`.
  std::chrono::milliseconds readTimeout{5000}, writeTimeout{5000};
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
  /// Stops accepting and serving, and returns from run(); safe from another thread.
  void stop();

  struct Impl; // the event loop and acceptor (http_server.cpp), which connections report to

private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

} // namespace lattice::server::http
