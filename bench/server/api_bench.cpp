// api_bench.cpp - the CPU a call costs inside the decision server's API, without the network
// (docs/performance.md, "Decision server"): api.h's handle() on a /v1/decide body and on a
// /v1/batch body, repeated, on one thread. Profiles of it (perf, callgrind) show the request
// path alone; the HTTP load tests show it with the listener and the kernel.
// Usage: api_bench POLICY DECIDE.json BATCH.json [SECONDS [decide|batch]]   (prints one JSON
// object; with decide or batch, only that endpoint is called: one per profile)
#include "server/http/api.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;
namespace http = lattice::server::http;

std::string readFile(const char *path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Calls handle() on `body` for about `seconds`; the nanoseconds a call, or -1 when a call is
/// not answered 200 (the bench measures answers, not refusals).
double nanosPerCall(http::Service &service, const char *path, const std::string &body,
                    double seconds, uint64_t &calls) {
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  calls = 0;
  do {
    for (int i = 0; i < 64; ++i, ++calls)
      if (http::handle(service, "POST", path, body).status != 200)
        return -1;
  } while (Clock::now() < until);
  return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / double(calls);
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 4) {
    std::fprintf(stderr,
                 "usage: api_bench POLICY DECIDE.json BATCH.json [SECONDS [decide|batch]]\n");
    return 2;
  }
  const double seconds = argc > 4 ? std::stod(argv[4]) : 2.0;
  const std::string only = argc > 5 ? argv[5] : "";
  lattice::server::PolicyStore store(lattice::server::PolicySource{argv[1], std::nullopt});
  if (auto problem = store.loadInitial()) {
    std::fprintf(stderr, "api_bench: %s\n", problem->c_str());
    return 1;
  }
  lattice::server::Metrics metrics;
  lattice::server::DecisionLog log(lattice::server::DecisionLogConfig{});
  http::Service service{store, metrics, log, http::Limits{}};
  const std::string decide = readFile(argv[2]), batch = readFile(argv[3]);
  uint64_t decideCalls = 0, batchCalls = 0;
  const double decideNs =
      only == "batch" ? 0 : nanosPerCall(service, "/v1/decide", decide, seconds, decideCalls);
  const double batchNs =
      only == "decide" ? 0 : nanosPerCall(service, "/v1/batch", batch, seconds, batchCalls);
  if (decideNs < 0 || batchNs < 0) {
    std::fprintf(stderr, "api_bench: a call was not answered 200\n");
    return 1;
  }
  std::printf("{\"decide_ns\": %.0f, \"decide_calls\": %llu, \"batch_ns\": %.0f, "
              "\"batch_calls\": %llu}\n",
              decideNs, static_cast<unsigned long long>(decideCalls), batchNs,
              static_cast<unsigned long long>(batchCalls));
  return 0;
}
