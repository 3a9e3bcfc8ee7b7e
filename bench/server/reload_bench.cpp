// reload_bench.cpp - the reload time of the decision server's policy store on a given bundle
// (docs/performance.md, "Decision server"): bundles A and B are renamed over the served file in
// turn and each PolicyStore::reload is timed, while one thread decides without pause against
// whatever policy is current; the longest gap between two of its decisions, with and without
// reloads, says whether answers paused.
// Usage: reload_bench A.lbundle B.lbundle [RELOADS]   (prints one JSON object)
#include "server/core/policy_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <time.h>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using lattice::server::PolicyStore;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

/// This thread's CPU time in ms: on a loaded machine the wall time of a reload includes the
/// time other processes ran, so both are reported.
double threadCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) / 1e6;
}

/// Decides permission 0 for a principal of kind 0 holding role 0, until told to stop; returns
/// the longest gap between two consecutive decisions and their count.
void decideLoop(const PolicyStore &store, const std::atomic<bool> &stop, double &maxGapMs,
                uint64_t &decisions) {
  uint32_t role = 0;
  auto last = Clock::now();
  Clock::duration longest{};
  uint64_t count = 0, allowed = 0;
  while (!stop.load(std::memory_order_relaxed)) {
    lattice::server::ServedPolicyPtr policy = store.current();
    lattice_request request{};
    request.roles = &role;
    request.role_count = 1;
    request.relation = LATTICE_REL_SAME;
    allowed += lattice_decide(policy->table.get(), &request).allowed;
    ++count;
    const auto now = Clock::now();
    longest = std::max(longest, now - last);
    last = now;
  }
  maxGapMs = ms(longest);
  decisions = count + (allowed & 0); // `allowed` keeps the decision from being optimised away
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: reload_bench A.lbundle B.lbundle [RELOADS]\n");
    return 2;
  }
  const int reloads = argc > 3 ? std::stoi(argv[3]) : 200;
  const fs::path folder = fs::temp_directory_path() / "lattice-reload-bench";
  fs::create_directories(folder);
  const fs::path served = folder / "served.lbundle";
  fs::copy_file(argv[1], served, fs::copy_options::overwrite_existing);
  PolicyStore store({served.string(), {}});
  if (auto error = store.loadInitial()) {
    std::fprintf(stderr, "reload_bench: %s\n", error->c_str());
    return 1;
  }
  // Without reloads: the decision loop's own longest gap (scheduling, the clock).
  std::atomic<bool> stop{false};
  double quietGap = 0, stormGap = 0;
  uint64_t quietDecisions = 0, stormDecisions = 0;
  std::thread quiet([&] { decideLoop(store, stop, quietGap, quietDecisions); });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  stop = true;
  quiet.join();

  stop = false;
  std::thread storm([&] { decideLoop(store, stop, stormGap, stormDecisions); });
  std::vector<double> times, cpuTimes;
  const auto stormStart = Clock::now();
  for (int i = 0; i < reloads; ++i) {
    const fs::path next = folder / "next.lbundle";
    fs::copy_file(argv[i % 2 == 0 ? 2 : 1], next, fs::copy_options::overwrite_existing);
    fs::rename(next, served);
    const auto start = Clock::now();
    const double cpuStart = threadCpuMs();
    const auto outcome = store.reload(true);
    cpuTimes.push_back(threadCpuMs() - cpuStart);
    times.push_back(ms(Clock::now() - start));
    if (outcome != lattice::server::ReloadOutcome::Published) {
      std::fprintf(stderr, "reload_bench: reload %d was not published: %s\n", i,
                   store.status().lastError.c_str());
      stop = true;
      storm.join();
      return 1;
    }
  }
  const double stormSeconds = ms(Clock::now() - stormStart) / 1000;
  stop = true;
  storm.join();
  std::sort(times.begin(), times.end());
  std::sort(cpuTimes.begin(), cpuTimes.end());
  std::printf("{\"bundle_bytes\": %ju, \"reloads\": %d, \"reload_median_ms\": %.3f, "
              "\"reload_p99_ms\": %.3f, \"reload_max_ms\": %.3f, \"reload_cpu_median_ms\": %.3f, "
              "\"quiet_max_gap_ms\": %.3f, "
              "\"storm_max_gap_ms\": %.3f, \"storm_decisions_per_second\": %.0f, "
              "\"quiet_decisions_per_second\": %.0f}\n",
              uintmax_t(fs::file_size(argv[1])), reloads, times[times.size() / 2],
              times[std::min(times.size() - 1, times.size() * 99 / 100)], times.back(),
              cpuTimes[cpuTimes.size() / 2], quietGap, stormGap, stormDecisions / stormSeconds,
              quietDecisions / 1.0);
  fs::remove_all(folder);
  return 0;
}
