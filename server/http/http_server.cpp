// http_server.cpp - Boost.Beast wired to api.h's handle: one single-threaded event loop a thread,
// each connection an asynchronous keep-alive loop on one of them (its parser, a reused buffer and
// answer), the body limit checked on the header before a byte of the body is read, a deadline on
// every read and write.
#include "server/http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <limits>
#include <thread>
#include <vector>

namespace lattice::server::http {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = net::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;
// The io_context's own executor, not the type-erased any_io_executor: no indirection per call.
using Executor = net::io_context::executor_type;
using Socket = net::basic_stream_socket<tcp, Executor>;

class Connection;

/// Appends `value` in decimal.
void appendNumber(std::string &out, uint64_t value) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
}

/// Whether `ec` only says the peer went away or was too slow: the connection closes silently.
bool peerGone(const error_code &ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::operation_aborted || ec == net::error::connection_reset ||
         ec == net::error::broken_pipe || ec == net::error::bad_descriptor ||
         ec == bhttp::error::partial_message;
}

} // namespace

/// One event loop: an io_context run by one thread (so a connection's steps never run at once,
/// and nothing on a request's path takes a lock or wakes another thread), and its connections.
struct Loop {
  Connection *first = nullptr; // its connections, for the deadline sweep (an intrusive list)
  net::io_context ioc{1};
  net::steady_timer sweep{ioc};
};

struct HttpServer::Impl {
  Service &service;
  const ListenOptions options;
  // Declared before the loops: connections destroyed with an io_context still report their close.
  std::atomic<size_t> open{0};
  std::atomic<bool> stopped{false};
  bool acceptPaused = false; // on the first loop only
  size_t nextLoop = 0;       // on the first loop only: connections are dealt round the loops
  std::vector<std::unique_ptr<Loop>> loops;
  std::optional<net::basic_socket_acceptor<tcp, Executor>> acceptor; // on the first loop
  std::optional<net::steady_timer> retry; // after a failed accept (out of descriptors)

  Impl(Service &service, ListenOptions options);
  void accept();
  void closed();
  void sweep(Loop &loop);
};

namespace {

/// One client connection: reads a request, answers it, and reads the next while kept alive.
/// Every pending step holds a shared_ptr to it; it is gone when none is pending. Its loop's
/// sweep closes it when a read or write outlives its deadline.
class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(HttpServer::Impl &server, Loop &loop, Socket socket)
      : server_(server), loop_(loop), socket_(std::move(socket)) {}
  ~Connection() {
    if (linked_) {
      (prev_ ? prev_->next_ : loop_.first) = next_;
      if (next_)
        next_->prev_ = prev_;
    }
    server_.closed();
  }

  /// On the connection's loop.
  void start() {
    next_ = loop_.first;
    if (next_)
      next_->prev_ = this;
    loop_.first = this;
    linked_ = true;
    readHeader();
  }

  /// Closes the connection when its read or write is past its deadline: the pending step then
  /// completes with operation_aborted and drops its reference.
  void expireIfLate(Clock::time_point now) {
    if (now >= deadline_)
      close();
  }

  Connection *next() const { return next_; }

private:
  const ListenOptions &options() const { return server_.options; }

  void readHeader() {
    path_.clear();
    parser_.emplace();
    parser_->header_limit(16 * 1024);
    // The body limit is set once the header is read (onHeader), so that an announced length
    // over it is answered here with the size; Beast would refuse it without one. (Not
    // boost::none: Beast 1.74 compares a length with it as less than every length.)
    parser_->body_limit(std::numeric_limits<uint64_t>::max());
    deadline_ = Clock::now() + options().readTimeout;
    bhttp::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->onHeader(ec); });
  }

  void onHeader(error_code ec) {
    if (ec)
      return refused(ec);
    const auto &request = parser_->get();
    setPath();
    // An announced body over the limit is refused before any of it is read.
    if (auto length = parser_->content_length(); length && *length > server_.service.limits.maxBody)
      return answerAndClose(refuseOversizedBody(server_.service, path_, *length));
    // Bounds a chunked body, whose size is not announced.
    parser_->body_limit(server_.service.limits.maxBody);
    if (beast::iequals(request[bhttp::field::expect], "100-continue") && !parser_->is_done()) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      deadline_ = Clock::now() + options().writeTimeout;
      return net::async_write(socket_, net::buffer(kContinue.data(), kContinue.size()),
                              [self = shared_from_this()](error_code ec, size_t) {
                                if (ec)
                                  return self->close();
                                self->readBody();
                              });
    }
    readBody();
  }

  void readBody() {
    if (parser_->is_done())
      return onRequest();
    deadline_ = Clock::now() + options().readTimeout;
    bhttp::async_read(socket_, buffer_, *parser_,
                      [self = shared_from_this()](error_code ec, size_t) {
                        if (ec)
                          return self->refused(ec);
                        self->onRequest();
                      });
  }

  /// A read that failed: a client gone or too slow is closed; a request the parser refused
  /// (malformed, headers too long, a chunked body over the limit) gets a JSON error first.
  void refused(error_code ec) {
    if (peerGone(ec) || server_.stopped)
      return close();
    setPath(); // the request line is parsed before any header: its path is known
    if (ec == bhttp::error::body_limit)
      return answerAndClose(refuseOversizedBody(server_.service, path_, std::nullopt));
    const bool decision = path_.rfind("/v1/", 0) == 0;
    answerAndClose(Response{400, std::string("{\"error\":\"the request was refused (HTTP 400)\"") +
                                     (decision ? ",\"decision\":\"deny\"}" : "}")});
  }

  /// The request's path without its query: the API's routes.
  void setPath() {
    const std::string_view target = parser_->get().target();
    path_.assign(target.substr(0, target.find('?')));
  }

  void onRequest() {
    const auto &request = parser_->get();
    std::string_view method = request.method_string();
    headOnly_ = method == "HEAD";
    if (headOnly_)
      method = "GET"; // HEAD is GET without the body
    keepAlive_ = request.keep_alive() && ++served_ < options().keepAliveMaxRequests;
    http10_ = request.version() < 11;
    try {
      answer_ = handle(server_.service, method, path_, request.body());
    } catch (...) { // handle() does not throw; an allocation failure still denies
      answer_ = Response{500, "{\"error\":\"internal error\",\"decision\":\"deny\"}"};
    }
    write();
  }

  void answerAndClose(Response answer) {
    answer_ = std::move(answer);
    headOnly_ = false;
    http10_ = false;
    keepAlive_ = false;
    write();
  }

  /// The answer's head and body in one write (one `writev`).
  void write() {
    head_.clear();
    head_ += "HTTP/1.1 ";
    appendNumber(head_, unsigned(answer_.status));
    head_ += ' ';
    const auto reason = bhttp::obsolete_reason(bhttp::int_to_status(unsigned(answer_.status)));
    head_.append(reason.data(), reason.size());
    head_ += "\r\nContent-Type: ";
    head_ += answer_.contentType;
    head_ += "\r\nContent-Length: ";
    appendNumber(head_, answer_.body.size());
    if (answer_.allow) {
      head_ += "\r\nAllow: ";
      head_ += answer_.allow;
    }
    if (!keepAlive_ || server_.stopped)
      head_ += "\r\nConnection: close";
    else if (http10_) // an HTTP/1.0 client closes unless told the connection stays
      head_ += "\r\nConnection: keep-alive";
    head_ += "\r\n\r\n";
    const std::array<net::const_buffer, 2> buffers{
        net::buffer(head_), headOnly_ ? net::const_buffer() : net::buffer(answer_.body)};
    deadline_ = Clock::now() + options().writeTimeout;
    net::async_write(socket_, buffers,
                     [self = shared_from_this()](error_code ec, size_t) { self->onWritten(ec); });
  }

  void onWritten(error_code ec) {
    if (ec)
      return close();
    if (keepAlive_ && !server_.stopped)
      return readHeader();
    drainAndClose();
  }

  /// Closes after the last answer without losing it: a close with unread bytes (a refused body)
  /// would reset the connection and could drop the answer before the client reads it, so the
  /// server stops sending and reads what is left, until the client closes or the deadline.
  void drainAndClose() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    deadline_ = Clock::now() + options().readTimeout;
    drain();
  }

  void drain() {
    buffer_.clear();
    socket_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](error_code ec, size_t) {
                              if (ec)
                                return self->close();
                              self->drain();
                            });
  }

  void close() {
    error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  HttpServer::Impl &server_;
  Loop &loop_;
  Connection *prev_ = nullptr, *next_ = nullptr;
  bool linked_ = false;
  Socket socket_;
  Clock::time_point deadline_ = Clock::time_point::max();
  beast::flat_buffer buffer_; // kept between requests: a pipelined request may already be in it
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string path_;
  Response answer_;
  std::string head_; // the answer's status line and headers
  size_t served_ = 0;
  bool keepAlive_ = true, headOnly_ = false, http10_ = false;
};

} // namespace

HttpServer::Impl::Impl(Service &service, ListenOptions options)
    : service(service), options(std::move(options)) {
  size_t threads = this->options.threads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  for (size_t i = 0; i < threads; ++i)
    loops.push_back(std::make_unique<Loop>());
  acceptor.emplace(loops[0]->ioc.get_executor());
  retry.emplace(loops[0]->ioc);
}

void HttpServer::Impl::accept() {
  Loop &loop = *loops[nextLoop++ % loops.size()];
  acceptor->async_accept(loop.ioc.get_executor(), [this, &loop](error_code ec, Socket socket) {
    if (stopped || ec == net::error::operation_aborted)
      return;
    if (ec) { // out of descriptors, or a connection reset before it was accepted: try again soon
      retry->expires_after(std::chrono::milliseconds(50));
      retry->async_wait([this](error_code waited) {
        if (!waited && !stopped)
          accept();
      });
      return;
    }
    error_code ignored;
    // Nagle's algorithm would hold a small answer back until the client's delayed ACK.
    socket.set_option(tcp::no_delay(true), ignored);
    ++open;
    auto connection = std::make_shared<Connection>(*this, loop, std::move(socket));
    net::post(loop.ioc, [connection = std::move(connection)] { connection->start(); });
    if (open.load() >= options.maxConnections) {
      acceptPaused = true; // closed() resumes on the first loop when a connection closes
      return;
    }
    accept();
  });
}

void HttpServer::Impl::closed() {
  --open;
  if (stopped)
    return;
  net::post(loops[0]->ioc, [this] {
    if (acceptPaused && !stopped && open.load() < options.maxConnections) {
      acceptPaused = false;
      accept();
    }
  });
}

void HttpServer::Impl::sweep(Loop &loop) {
  const auto period =
      std::clamp<Clock::duration>(std::min(options.readTimeout, options.writeTimeout) / 8,
                                  std::chrono::milliseconds(10), std::chrono::milliseconds(250));
  loop.sweep.expires_after(period);
  loop.sweep.async_wait([this, &loop](error_code ec) {
    if (ec || stopped)
      return;
    const Clock::time_point now = Clock::now();
    for (Connection *c = loop.first; c != nullptr; c = c->next())
      c->expireIfLate(now); // closing completes its step later: the list stays as it is now
    sweep(loop);
  });
}

HttpServer::HttpServer(Service &service, ListenOptions options)
    : impl_(std::make_unique<Impl>(service, std::move(options))) {}

HttpServer::~HttpServer() { stop(); }

std::optional<std::string> HttpServer::bind() {
  const ListenOptions &options = impl_->options;
  const std::string where =
      options.host + (options.port == 0 ? " (any port)" : ":" + std::to_string(options.port));
  error_code ec;
  // A name (`localhost`) is resolved; its first address is the one listened on.
  tcp::resolver resolver(impl_->loops[0]->ioc);
  const auto found = resolver.resolve(options.host, std::to_string(options.port),
                                      tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || found.empty())
    return "cannot listen on " + where + " (not an address of this machine)";
  auto &acceptor = *impl_->acceptor;
  const tcp::endpoint endpoint = found.begin()->endpoint();
  acceptor.open(endpoint.protocol(), ec);
  if (!ec)
    acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec)
    acceptor.bind(endpoint, ec);
  if (!ec)
    acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return "cannot listen on " + where + " (in use, or not an address of this machine)";
  port_ = acceptor.local_endpoint().port();
  return std::nullopt;
}

bool HttpServer::run() {
  Impl &impl = *impl_;
  if (!impl.acceptor->is_open())
    return false;
  net::post(impl.loops[0]->ioc, [&impl] { impl.accept(); });
  for (auto &loop : impl.loops)
    net::post(loop->ioc, [&impl, &loop = *loop] { impl.sweep(loop); });
  std::vector<std::thread> others;
  for (size_t i = 1; i < impl.loops.size(); ++i)
    others.emplace_back([&loop = *impl.loops[i]] { loop.ioc.run(); });
  impl.loops[0]->ioc.run();
  for (std::thread &thread : others)
    thread.join();
  return impl.stopped.load();
}

void HttpServer::stop() {
  impl_->stopped = true;
  for (auto &loop : impl_->loops)
    loop->ioc.stop();
}

} // namespace lattice::server::http
