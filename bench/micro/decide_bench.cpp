// decide_bench.cpp - lattice_decide and lattice_relation_of per call: held roles 1/3/8, with and
// without conditional rules, and labels -> relation -> decide as a host does per request.
#include "decide_table.h"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>

namespace lattice::bench {
namespace {

constexpr size_t kRequests = 4096; // cycled through; a power of two so that wrapping is a mask

void decide(benchmark::State &state, PermissionSet permissions) {
  const Workload w = makeWorkload(uint32_t(state.range(0)), permissions, kRequests);
  if (w.requests.size() != kRequests) {
    state.SkipWithError("the table offers no such request (no role, or no such permission)");
    return;
  }
  lattice_table *t = decideTable();
  size_t i = 0, allowed = 0;
  timeWithoutAllocations(state, "allocs_per_decision", [&] {
    const lattice_decision d = lattice_decide(t, &w.requests[i]);
    benchmark::DoNotOptimize(d);
    allowed += size_t(d.allowed);
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
  state.counters["held"] = w.held;
}

/// Any permission: the realistic mix (also permissions the kind may not ask about).
void BM_Decide_AnyPermission(benchmark::State &state) { decide(state, PermissionSet::All); }
/// Permissions with only allows: one bitset word load per held role.
void BM_Decide_NoConditions(benchmark::State &state) {
  decide(state, PermissionSet::NoSparseRules);
}
/// Permissions with conditional rules: the bitset, then the permission's sparse rules.
void BM_Decide_WithConditions(benchmark::State &state) {
  decide(state, PermissionSet::WithConditions);
}
BENCHMARK(BM_Decide_AnyPermission)->ArgName("held")->Arg(1)->Arg(3)->Arg(8);
BENCHMARK(BM_Decide_NoConditions)->ArgName("held")->Arg(1)->Arg(3)->Arg(8);
BENCHMARK(BM_Decide_WithConditions)->ArgName("held")->Arg(1)->Arg(3)->Arg(8);

/// The scope relation of two labelled nodes alone.
void BM_RelationOf(benchmark::State &state) {
  const std::vector<LabelPair> pairs = makeLabelPairs(kRequests);
  size_t i = 0;
  timeWithoutAllocations(state, "allocs_per_call", [&] {
    benchmark::DoNotOptimize(lattice_relation_of(pairs[i].principal, pairs[i].owner));
    i = (i + 1) & (kRequests - 1);
  });
}
BENCHMARK(BM_RelationOf);

/// What a host does per request: the relation from the principal's and the owner's node
/// labels, then the decision (any permission, as BM_Decide_AnyPermission).
void BM_DecideWithRelation(benchmark::State &state) {
  Workload w = makeWorkload(uint32_t(state.range(0)), PermissionSet::All, kRequests);
  const std::vector<LabelPair> pairs = makeLabelPairs(kRequests);
  if (w.requests.size() != kRequests) {
    state.SkipWithError("the table has no role or no permission to ask about");
    return;
  }
  lattice_table *t = decideTable();
  size_t i = 0, allowed = 0;
  timeWithoutAllocations(state, "allocs_per_decision", [&] {
    lattice_request &q = w.requests[i];
    q.relation = lattice_relation_of(pairs[i].principal, pairs[i].owner);
    const lattice_decision d = lattice_decide(t, &q);
    benchmark::DoNotOptimize(d);
    allowed += size_t(d.allowed);
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
  state.counters["held"] = w.held;
}
BENCHMARK(BM_DecideWithRelation)->ArgName("held")->Arg(1)->Arg(3)->Arg(8);

} // namespace
} // namespace lattice::bench
