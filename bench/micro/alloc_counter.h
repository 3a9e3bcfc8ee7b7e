// alloc_counter.h - counts heap allocations made anywhere in the benchmark process, so that the
// decide benchmarks can prove they allocate nothing (the counter `allocs_per_decision`).
#pragma once

#include <cstdint>

namespace lattice::bench {

/// Heap allocations (malloc, calloc, realloc, aligned allocations and, through them, every
/// operator new) since the process started.
uint64_t allocationCount() noexcept;

/// Whether the counter really sees allocations (checked once by allocating): if the linker did
/// not let this binary interpose the allocator, a count of 0 would prove nothing.
bool allocationCountingWorks();

} // namespace lattice::bench
