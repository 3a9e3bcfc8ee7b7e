// stdio.cpp - `lattice lsp`'s loop: a reader thread frames messages from the input (and takes
// `$/cancelRequest` at once, so a queued request can still be cancelled); the caller's thread
// handles them in order; the server's worker checks in the background.
#include "base/json_input.h"
#include "lsp/server.h"
#include "lsp/transport.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <deque>
#include <poll.h>
#include <unistd.h>

namespace lattice::lsp {

namespace {

bool writeAll(int fd, const std::string &bytes) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

/// The optional trace of `--log FILE`: one line per message, with its direction.
class Trace {
public:
  explicit Trace(const std::string &path)
      : file(path.empty() ? nullptr : std::fopen(path.c_str(), "a")) {}
  ~Trace() {
    if (file)
      std::fclose(file);
  }
  void line(const char *direction, llvm::StringRef text) {
    if (!file)
      return;
    std::lock_guard lock(mutex);
    std::fprintf(file, "%s %.*s\n", direction, static_cast<int>(text.size()), text.data());
    std::fflush(file);
  }
  bool failed(const std::string &path) const { return !path.empty() && file == nullptr; }

private:
  std::FILE *file;
  std::mutex mutex;
};

} // namespace

int runStdio(int in, int out, ServerOptions options, const std::string &logPath) {
  Trace trace(logPath);
  if (trace.failed(logPath))
    std::fprintf(stderr, "lattice lsp: warning: cannot open the log `%s`\n", logPath.c_str());
  Server server(
      [&](const std::string &message) {
        trace.line("-->", message);
        writeAll(out, encodeFrame(message));
      },
      std::move(options));

  std::mutex mutex;
  std::condition_variable arrived;
  std::deque<std::string> queue;
  bool ended = false;
  std::atomic<bool> stop = false;
  std::thread reader([&] {
    FrameDecoder decoder;
    char chunk[65536];
    while (!stop.load()) {
      // Polled, so that the reader notices the end of the session without more input.
      pollfd waiting{in, POLLIN, 0};
      int ready = ::poll(&waiting, 1, 100);
      if (ready == 0 || (ready < 0 && errno == EINTR))
        continue;
      if (ready < 0)
        break;
      ssize_t n = ::read(in, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      decoder.feed(llvm::StringRef(chunk, static_cast<size_t>(n)));
      while (std::optional<std::string> body = decoder.next()) {
        trace.line("<--", *body);
        // A cancellation is noted at once: the request it names may be waiting in the queue.
        if (llvm::StringRef(*body).contains("$/cancelRequest")) {
          JsonError error;
          if (auto message = parseJson(*body, JsonLimits{body->size() + 1}, error))
            if (auto *object = message->getAsObject())
              if (object->getString("method") == llvm::StringRef("$/cancelRequest"))
                if (auto *params = object->getObject("params"))
                  if (auto *id = params->get("id")) {
                    server.cancel(*id);
                    continue;
                  }
        }
        std::lock_guard lock(mutex);
        queue.push_back(std::move(*body));
        arrived.notify_one();
      }
      if (decoder.failed()) {
        std::fprintf(stderr, "lattice lsp: error: %s\n", decoder.failure().c_str());
        break;
      }
    }
    std::lock_guard lock(mutex);
    ended = true;
    arrived.notify_one();
  });

  int exitCode = 1; // the input ended without `exit`
  while (true) {
    std::string body;
    {
      std::unique_lock lock(mutex);
      arrived.wait(lock, [&] { return !queue.empty() || ended; });
      if (queue.empty())
        break;
      body = std::move(queue.front());
      queue.pop_front();
    }
    if (!server.handleText(body)) {
      exitCode = server.exitCode();
      break;
    }
  }
  stop = true;
  reader.join();
  return exitCode;
}

} // namespace lattice::lsp
