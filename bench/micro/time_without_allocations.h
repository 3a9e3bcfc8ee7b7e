// time_without_allocations.h - the timed loop of the micro-benchmarks that must not allocate:
// times a body once per iteration and fails the benchmark if it touched the heap.
#pragma once

#include "alloc_counter.h"

#include <benchmark/benchmark.h>

namespace lattice::bench {

/// Times `body` once per iteration and proves it allocated nothing: the allocations during the
/// timed loop, per call, become `counter`, and any allocation fails the benchmark.
template <class Body>
void timeWithoutAllocations(benchmark::State &state, const char *counter, Body body) {
  if (!allocationCountingWorks()) {
    state.SkipWithError("the allocation counter sees no allocations: it would prove nothing");
    return;
  }
  const uint64_t before = allocationCount();
  for (auto _ : state)
    body();
  const uint64_t allocations = allocationCount() - before;
  state.counters[counter] = double(allocations) / double(state.iterations());
  state.SetItemsProcessed(int64_t(state.iterations()));
  if (allocations != 0)
    state.SkipWithError("the timed loop allocated on the heap");
}

} // namespace lattice::bench
