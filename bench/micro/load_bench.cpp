// load_bench.cpp - lattice_table_load (checksum + full validation) on tables of about 1 KB, 1 MB
// and 50 MB, on the decide benchmarks' table and on adversarial names, and the checksum alone.
#include "alloc_counter.h"
#include "decide_table.h"
#include "emit/table_writer.h"
#include "lattice/format.h"
#include "sample_tables.h"
#include "scaled_tables.h"

#include <benchmark/benchmark.h>
#include <string>

namespace lattice::bench {
namespace {

using TableBytes = const std::vector<uint8_t> &(*)();

/// Loads the table once per iteration. `seconds_per_MB` is the time per 10^6 bytes of table
/// (the console prints it in us); `allocs_per_load` shows that loading copies nothing.
void BM_LoadAndVerify(benchmark::State &state, TableBytes table) {
  const std::vector<uint8_t> &bytes = table(); // generated on first use, outside the timing
  lattice_table *probe = nullptr;
  // The generated tables come from the table writer, which writes nothing for tables it
  // refuses: say which step failed.
  if (bytes.empty()) {
    state.SkipWithError("the table writer refused the generated tables");
    return;
  }
  if (const lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &probe);
      status != LATTICE_LOAD_OK) {
    const std::string why = std::string("the table does not load: ") +
                            lattice_load_status_message(status); // copied by SkipWithError
    state.SkipWithError(why.c_str());
    return;
  }
  lattice_table_free(probe);
  const uint64_t before = allocationCount();
  for (auto _ : state) {
    lattice_table *t = nullptr;
    benchmark::DoNotOptimize(lattice_table_load(bytes.data(), bytes.size(), &t));
    lattice_table_free(t);
  }
  const uint64_t allocations = allocationCount() - before; // before counters allocate
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(bytes.size()));
  state.counters["bytes"] = double(bytes.size());
  state.counters["seconds_per_MB"] =
      benchmark::Counter(double(bytes.size()) / 1e6, benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
  state.counters["allocs_per_load"] = double(allocations) / double(state.iterations());
}

// Generated tables of about 1 KB, 1 MB and 50 MB (the `bytes` counter says exactly).
const std::vector<uint8_t> &about1KB() {
  static const std::vector<uint8_t> bytes = emit::writeTable(scaledTables(2, 4, 4));
  return bytes;
}
const std::vector<uint8_t> &about1MB() {
  static const std::vector<uint8_t> bytes = emit::writeTable(scaledTables(512, 3050, 4));
  return bytes;
}
const std::vector<uint8_t> &about50MB() {
  static const std::vector<uint8_t> bytes = emit::writeTable(scaledTables(4096, 24000, 4));
  return bytes;
}
BENCHMARK_CAPTURE(BM_LoadAndVerify, 1KB, &about1KB);
BENCHMARK_CAPTURE(BM_LoadAndVerify, 1MB, &about1MB)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_LoadAndVerify, 50MB, &about50MB)->Unit(benchmark::kMillisecond);
// The decide benchmarks' table: the compiled EV example under bench-ev.
BENCHMARK_CAPTURE(BM_LoadAndVerify, decide_table, &decideTableBytes);

// Adversarial names (issue 10, defect 7): role names that are suffixes `a…ab` of one long name.
// Stored whole (a valid table), checking their order compares every name byte about twice:
// still linear in the table size.
const std::vector<uint8_t> &suffixNames1MB() {
  static const std::vector<uint8_t> bytes = emit::writeTable(testing::suffixNameTables(1000, 2000));
  return bytes;
}
BENCHMARK_CAPTURE(BM_LoadAndVerify, suffix_names, &suffixNames1MB)->Unit(benchmark::kMicrosecond);

/// The same kind of names stored once, each role's offset pointing into the longest name (1.3 MB
/// of table for 20,000 names of up to 400,000 bytes): refused (BAD_LAYOUT) after one pass over
/// the string offsets. The loader before issue 10 accepted it after comparing names byte by
/// byte, about roles x length / 2 = 4 * 10^9 bytes: 153 ms, 115 ms per MB.
void BM_LoadRefusesOverlappingNames(benchmark::State &state) {
  static const std::vector<uint8_t> bytes = testing::overlappingNameTable(20000, 400000);
  for (auto _ : state) {
    lattice_table *t = nullptr;
    if (lattice_table_load(bytes.data(), bytes.size(), &t) != LATTICE_LOAD_BAD_LAYOUT) {
      lattice_table_free(t);
      state.SkipWithError("the overlapping-name table was not refused");
      return;
    }
  }
  state.counters["bytes"] = double(bytes.size());
  state.counters["seconds_per_MB"] =
      benchmark::Counter(double(bytes.size()) / 1e6, benchmark::Counter::kIsIterationInvariantRate |
                                                         benchmark::Counter::kInvert);
}
BENCHMARK(BM_LoadRefusesOverlappingNames)
    ->Name("BM_LoadAndVerify/overlapping_names_refused")
    ->Unit(benchmark::kMicrosecond);

/// The checksum alone: the part of loading every byte of the table pays for.
void BM_Checksum(benchmark::State &state) {
  std::vector<uint8_t> data(1 << 20);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = uint8_t(i * 131);
  for (auto _ : state)
    benchmark::DoNotOptimize(format::checksum(data.data(), data.size()));
  state.SetBytesProcessed(int64_t(state.iterations()) * int64_t(data.size()));
}
BENCHMARK(BM_Checksum)->Name("BM_Checksum/1MiB");

} // namespace
} // namespace lattice::bench
