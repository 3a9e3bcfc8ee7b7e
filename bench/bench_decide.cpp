// bench_decide.cpp - how long lattice_decide takes on random but realistic requests, and how
// long loading (checksum + validation) takes per megabyte. Results: docs/performance.md.
#include "emit/table_writer.h"
#include "lattice/format.h"
#include "lattice/lattice.h"
#include "sample_tables.h"

#include <algorithm>
#include <benchmark/benchmark.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <vector>

namespace {

/// The table under test: the file named by $LATTICE_BENCH_TABLE, else an EV-charging-shaped
/// table (12 tenant roles, 20 account roles, 80 permissions) built by hand.
const std::vector<uint8_t> &tableBytes() {
  static const std::vector<uint8_t> bytes = [] {
    if (const char *path = std::getenv("LATTICE_BENCH_TABLE")) {
      std::ifstream in(path, std::ios::binary);
      return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
    }
    return lattice::emit::writeTable(lattice::testing::evShapedTables(12, 20, 80));
  }();
  return bytes;
}

lattice_table *table() {
  static lattice_table *loaded = [] {
    lattice_table *t = nullptr;
    lattice_load_status status = lattice_table_load(tableBytes().data(), tableBytes().size(), &t);
    if (status != LATTICE_LOAD_OK) {
      std::fprintf(stderr, "bench_decide: cannot load the table: %s\n",
                   lattice_load_status_message(status));
      std::exit(1);
    }
    return t;
  }();
  return loaded;
}

/// Requests a real host would send: a kind, `held` distinct roles that kind may hold, any
/// permission, relation (same/descendant/ancestor/tenant) and flags. Only the C API is used,
/// so this works for any table, including compiled policies.
struct Workload {
  std::vector<lattice_request> requests;
  std::vector<uint32_t> roleStorage;
  uint32_t held = 0; // roles per request (fewer than asked if no kind may hold that many)
};

Workload makeWorkload(uint32_t held, size_t count) {
  lattice_table *t = table();
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t perms = lattice_permission_count(t), flags = lattice_flag_count(t);
  // Which roles each kind may hold, found by asking the runtime itself.
  std::vector<std::vector<uint32_t>> holdable(kinds);
  for (uint32_t k = 0; k < kinds; ++k)
    for (uint32_t r = 0; r < roles; ++r) {
      lattice_request probe{k, &r, 1, 0, LATTICE_REL_SAME, 0};
      if (lattice_decide(t, &probe).reason != LATTICE_REASON_ROLE_NOT_FOR_KIND)
        holdable[k].push_back(r);
    }
  // Kinds that may hold `held` distinct roles; if none can, hold as many as the best kind can.
  size_t most = 0;
  for (const auto &r : holdable)
    most = std::max(most, r.size());
  if (most == 0 || perms == 0)
    return {};
  held = uint32_t(std::min<size_t>(held, most));
  std::vector<uint32_t> eligible;
  for (uint32_t k = 0; k < kinds; ++k)
    if (holdable[k].size() >= held)
      eligible.push_back(k);
  std::mt19937_64 rng(42);
  Workload w;
  w.held = held;
  w.roleStorage.reserve(count * held);
  for (size_t i = 0; i < count; ++i) {
    const uint32_t kind = eligible[rng() % eligible.size()];
    const size_t first = w.roleStorage.size();
    while (w.roleStorage.size() - first < held) {
      uint32_t r = holdable[kind][rng() % holdable[kind].size()];
      bool duplicate = false;
      for (size_t j = first; j < w.roleStorage.size(); ++j)
        duplicate = duplicate || w.roleStorage[j] == r;
      if (!duplicate)
        w.roleStorage.push_back(r);
    }
    const uint64_t flagMask = flags >= 64 ? ~0ull : (1ull << flags) - 1;
    w.requests.push_back(
        {kind, nullptr, held, uint32_t(rng() % perms), uint32_t(rng() % 4), rng() & flagMask});
  }
  for (size_t i = 0; i < count; ++i)
    w.requests[i].roles = w.roleStorage.data() + i * held;
  return w;
}

void BM_Decide(benchmark::State &state) {
  const uint32_t held = uint32_t(state.range(0));
  const Workload w = makeWorkload(held, 4096);
  if (w.requests.empty()) {
    state.SkipWithError("the table has no role or no permission to ask about");
    return;
  }
  lattice_table *t = table();
  size_t i = 0, allowed = 0;
  for (auto _ : state) {
    lattice_decision d = lattice_decide(t, &w.requests[i]);
    benchmark::DoNotOptimize(d);
    allowed += d.allowed;
    i = (i + 1) & 4095;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
  state.counters["held"] = w.held;
}
BENCHMARK(BM_Decide)->Arg(1)->Arg(3)->Arg(8);

/// Load = size/magic/version checks, checksum over the whole file, then full layout validation.
void BM_Load(benchmark::State &state) {
  const std::vector<uint8_t> &bytes = tableBytes();
  for (auto _ : state) {
    lattice_table *t = nullptr;
    benchmark::DoNotOptimize(lattice_table_load(bytes.data(), bytes.size(), &t));
    lattice_table_free(t);
  }
  state.SetBytesProcessed(int64_t(state.iterations() * bytes.size()));
  state.counters["table_bytes"] = double(bytes.size());
}
BENCHMARK(BM_Load);

void BM_Checksum1MiB(benchmark::State &state) {
  std::vector<uint8_t> data(1 << 20);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = uint8_t(i * 131);
  for (auto _ : state)
    benchmark::DoNotOptimize(lattice::format::checksum(data.data(), data.size()));
  state.SetBytesProcessed(int64_t(state.iterations() * data.size()));
}
BENCHMARK(BM_Checksum1MiB);

} // namespace

BENCHMARK_MAIN();
