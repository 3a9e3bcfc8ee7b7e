// http_server.cpp - cpp-httplib wired to api.h's handle: one catch-all handler per method (so
// unknown paths and wrong methods are answered by the API, in JSON), limits and timeouts set on
// the listener, errors the library answers itself (413, 400) given a JSON body too.
#include "server/http/http_server.h"

#include <httplib.h>

namespace lattice::server::http {

struct HttpServer::Impl {
  httplib::Server server;
};

HttpServer::HttpServer(Service &service, ListenOptions options)
    : impl_(std::make_unique<Impl>()), options_(std::move(options)) {
  httplib::Server &server = impl_->server;
  Service *svc = &service;
  auto serve = [svc](const httplib::Request &request, httplib::Response &response) {
    // HEAD is GET without the body (the library drops it).
    const std::string_view method =
        request.method == "HEAD" ? std::string_view("GET") : std::string_view(request.method);
    Response answer = handle(*svc, method, request.path, request.body);
    response.status = answer.status;
    if (answer.allow)
      response.set_header("Allow", answer.allow);
    response.set_content(std::move(answer.body), answer.contentType);
  };
  server.Get(".*", serve);
  server.Post(".*", serve);
  server.Put(".*", serve);
  server.Patch(".*", serve);
  server.Delete(".*", serve);
  server.Options(".*", serve);
  // What the library refuses before a handler runs (a body over the limit, a malformed request
  // line) gets a JSON error as well; a decision endpoint's refusal never reads as an allow.
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request &request, httplib::Response &response) {
        if (!response.body.empty())
          return httplib::Server::HandlerResponse::Unhandled;
        const std::string error =
            response.status == 413 ? "the body is over the size limit (`--max-body`)"
            : response.status == 404
                ? "no such path"
                : "the request was refused (HTTP " + std::to_string(response.status) + ")";
        const bool decision = request.path.rfind("/v1/", 0) == 0;
        response.set_content(std::string("{\"error\":\"") + error + "\"" +
                                 (decision ? ",\"decision\":\"deny\"}" : "}"),
                             "application/json");
        return httplib::Server::HandlerResponse::Handled;
      }));
  server.set_exception_handler(
      [](const httplib::Request &, httplib::Response &response, std::exception_ptr) {
        response.status = 500;
        response.set_content("{\"error\":\"internal error\",\"decision\":\"deny\"}",
                             "application/json");
      });
  server.set_payload_max_length(service.limits.maxBody);
  // The library writes an answer's headers and body in separate sends: with Nagle's algorithm on,
  // the body waits for the client's delayed ACK (40 ms a call on Linux).
  server.set_tcp_nodelay(true);
  const size_t threads = options_.threads == 0 ? 1 : options_.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_max_count(options_.keepAliveMaxRequests);
  server.set_keep_alive_timeout(options_.keepAliveTimeout.count());
  server.set_read_timeout(options_.readTimeout);
  server.set_write_timeout(options_.writeTimeout);
}

HttpServer::~HttpServer() = default;

std::optional<std::string> HttpServer::bind() {
  httplib::Server &server = impl_->server;
  if (options_.port == 0) {
    port_ = server.bind_to_any_port(options_.host);
    if (port_ <= 0)
      return "cannot listen on " + options_.host + " (any port)";
    return std::nullopt;
  }
  if (!server.bind_to_port(options_.host, options_.port))
    return "cannot listen on " + options_.host + ":" + std::to_string(options_.port) +
           " (in use, or not an address of this machine)";
  port_ = options_.port;
  return std::nullopt;
}

bool HttpServer::run() { return impl_->server.listen_after_bind(); }

void HttpServer::stop() { impl_->server.stop(); }

} // namespace lattice::server::http
