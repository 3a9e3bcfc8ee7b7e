// main.cpp - `lattice-serve` (run by `lattice serve`): parses the options, loads the policy,
// starts the reloader and the signal thread, prints the listening line and serves until SIGINT or
// SIGTERM.
#include "base/input_file.h"
#include "server/core/decision_log.h"
#include "server/core/metrics.h"
#include "server/core/policy_store.h"
#include "server/ext_authz/service.h"
#include "server/http/http_server.h"
#include "server/options.h"

#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <fmt/format.h>
#include <malloc.h>
#include <mutex>
#include <pthread.h>
#include <thread>

using namespace lattice;
using namespace lattice::server;

namespace {

/// The reloader's wake-ups: its interval, SIGHUP (a forced reload), and shutdown.
struct ReloadSignal {
  std::mutex mutex;
  std::condition_variable wake;
  bool force = false, stop = false;
};

void reloadLoop(PolicyStore &store, Metrics &metrics, std::chrono::milliseconds interval,
                ReloadSignal &signal) {
  for (;;) {
    bool force = false;
    {
      std::unique_lock lock(signal.mutex);
      auto ready = [&] { return signal.stop || signal.force; };
      if (interval.count() == 0)
        signal.wake.wait(lock, ready);
      else
        signal.wake.wait_for(lock, interval, ready);
      if (signal.stop)
        return;
      force = std::exchange(signal.force, false);
    }
    const ReloadOutcome outcome = store.reload(force);
    if (outcome == ReloadOutcome::Unchanged) {
      if (force) // SIGHUP: say that it was seen
        fmt::print(stderr, "lattice serve: reload asked: unchanged, still serving generation {}\n",
                   store.current()->generation);
      continue;
    }
    const bool published = outcome == ReloadOutcome::Published;
    metrics.observeReload(published);
    ServedPolicyPtr policy = store.current();
    if (published)
      fmt::print(stderr, "lattice serve: reloaded `{}`: generation {}, revision `{}`\n",
                 policy->path, policy->generation, policy->revision);
    else
      fmt::print(stderr, "lattice serve: reload refused, still serving generation {}: {}\n",
                 policy ? policy->generation : 0, store.status().lastError);
  }
}

std::optional<bundle::PublicKey> readPublicKey(const std::string &path, std::string &error) {
  std::string text;
  if (!readWholeFile(path, 4096, text, error)) {
    error = fmt::format("cannot read `{}`: {}", path, error);
    return std::nullopt;
  }
  std::optional<bundle::PublicKey> key = bundle::parsePublicKey(text, error);
  if (!key)
    error = fmt::format("`{}`: {}", path, error);
  return key;
}

} // namespace

int main(int argc, char **argv) {
  // glibc hands a call's freed memory back to the kernel (trimming the heap top, unmapping large
  // blocks) and the next call faults it in again: 760,000 page faults in 4 s of /v1/batch load,
  // with the TLB shootdowns they bring, and 30 % less CPU a call without (docs/performance.md).
  // The server's memory is bounded by its limits anyway; it keeps what it used.
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  std::string error;
  std::optional<ServeOptions> options =
      parseServeOptions(std::vector<std::string>(argv + 1, argv + argc), error);
  if (!options) {
    fmt::print(stderr, "lattice serve: error: {}\n(see `lattice serve --help`)\n", error);
    return 2;
  }
  if (options->help) {
    fmt::print("{}", serveHelp());
    return 0;
  }
  PolicySource source{options->policy, std::nullopt};
  if (options->publicKeyFile &&
      !(source.publicKey = readPublicKey(*options->publicKeyFile, error))) {
    fmt::print(stderr, "lattice serve: error: {}\n", error);
    return 2;
  }

  // Signals go to the signal thread only: every thread started below inherits this mask.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGINT, SIGTERM})
    sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN); // a client gone mid-answer is the write's error, not our exit

  PolicyStore store(source);
  if (std::optional<std::string> problem = store.loadInitial()) {
    fmt::print(stderr, "lattice serve: error: {}\n", *problem);
    return 1;
  }
  DecisionLog log(options->decisionLog);
  if (!log.openError().empty()) {
    fmt::print(stderr, "lattice serve: error: {}\n", log.openError());
    return 1;
  }
  Metrics metrics;
  http::Service service{store, metrics, log, options->limits};
  http::HttpServer server(service, options->listen);
  if (std::optional<std::string> problem = server.bind()) {
    fmt::print(stderr, "lattice serve: error: {}\n", *problem);
    return 1;
  }

  // The ext_authz service decides from the same store, metrics and log; its mapping is checked
  // against the policy just loaded, and any error stops the start.
  std::unique_ptr<ext_authz::ExtAuthzServer> extAuthz;
  if (options->extAuthzConfig) {
    extAuthz = ext_authz::startExtAuthz({options->extAuthzListen, *options->extAuthzConfig}, store,
                                        metrics, &log, error);
    if (!extAuthz) {
      fmt::print(stderr, "{}\n", error);
      return 1;
    }
  }

  ReloadSignal reload;
  std::thread reloader([&] { reloadLoop(store, metrics, options->reloadInterval, reload); });
  std::thread signalThread([&] {
    for (;;) {
      int received = 0;
      if (sigwait(&signals, &received) != 0)
        continue;
      if (received == SIGHUP) {
        std::lock_guard lock(reload.mutex);
        reload.force = true;
        reload.wake.notify_all();
        continue;
      }
      if (received == SIGINT || received == SIGTERM) {
        server.stop();
        return;
      }
    }
  });

  ServedPolicyPtr policy = store.current();
  fmt::print(stderr, "lattice serve: serving `{}`: generation {}, revision `{}`\n", policy->path,
             policy->generation, policy->revision);
  const std::string host = options->listen.host.find(':') != std::string::npos
                               ? "[" + options->listen.host + "]"
                               : options->listen.host;
  // Tests and scripts wait for exactly this line (with --listen HOST:0, it names the port).
  std::printf("lattice serve: listening on http://%s:%d\n", host.c_str(), server.port());
  if (extAuthz)
    std::printf("%s\n", ext_authz::listeningLine(*extAuthz).c_str());
  std::fflush(stdout);
  const bool ran = server.run();

  // run() returns after SIGINT/SIGTERM (the signal thread has stopped it) or a listener failure.
  if (!ran) {
    fmt::print(stderr, "lattice serve: error: the listener stopped\n");
    pthread_kill(signalThread.native_handle(), SIGTERM);
  }
  signalThread.join();
  if (extAuthz)
    extAuthz->shutdown();
  {
    std::lock_guard lock(reload.mutex);
    reload.stop = true;
    reload.wake.notify_all();
  }
  reloader.join();
  log.flush();
  return ran ? 0 : 1;
}
