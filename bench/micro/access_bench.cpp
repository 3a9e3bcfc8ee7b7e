// access_bench.cpp - lattice_decide_access per call (principals with 1/2/4/8 memberships of 3
// roles, nodes by ancestor path) and lattice_relation_of_paths at depth 8.
#include "alloc_counter.h"
#include "decide_table.h"

#include <benchmark/benchmark.h>
#include <random>

namespace lattice::bench {
namespace {

constexpr size_t kRequests = 4096; // cycled through; a power of two so that wrapping is a mask
constexpr uint32_t kDepth = 8;

/// A path of `depth` ids below root `tree`: ids drawn from a few values per level, so that
/// random pairs are often in one subtree.
std::vector<uint64_t> randomPath(std::mt19937_64 &rng, uint64_t tree, uint32_t depth) {
  std::vector<uint64_t> path{tree};
  for (uint32_t level = 1; level < depth; ++level)
    path.push_back(level * 100 + rng() % 3);
  return path;
}

struct AccessWorkload {
  std::vector<std::vector<uint64_t>> paths; // owned node paths
  std::vector<std::vector<uint32_t>> roles; // owned role lists
  std::vector<std::vector<lattice_membership>> memberships;
  std::vector<lattice_access_request> requests;
};

/// Requests of the decide benchmarks' workload (3 compatible roles of a random kind, a random
/// permission), spread over `count` memberships: each membership holds the same 3 roles at its
/// own node, so every further membership costs a relation and its bit tests, with the first
/// membership the one of the single-node request. The single-node request's flags are split by
/// side: the principal's flags in the request, the node flags in each membership. Targets are
/// random nodes of depth 1-8.
AccessWorkload makeAccessWorkload(uint32_t count) {
  AccessWorkload w;
  Workload base = makeWorkload(3, PermissionSet::All, kRequests);
  const uint64_t principalFlags = lattice_flag_mask(decideTable(), LATTICE_FLAG_PRINCIPAL);
  const uint64_t nodeFlags = lattice_flag_mask(decideTable(), LATTICE_FLAG_NODE);
  std::mt19937_64 rng(11);
  w.paths.reserve(kRequests * (count + 1));
  w.roles.reserve(kRequests);
  w.memberships.reserve(kRequests);
  for (const lattice_request &q : base.requests) {
    w.roles.emplace_back(q.roles, q.roles + q.role_count);
    std::vector<lattice_membership> ms;
    for (uint32_t m = 0; m < count; ++m) {
      w.paths.push_back(randomPath(rng, rng() % 2, 1 + uint32_t(rng() % kDepth)));
      lattice_membership membership{};
      membership.node.path = {w.paths.back().data(), uint32_t(w.paths.back().size())};
      membership.roles = w.roles.back().data();
      membership.role_count = uint32_t(w.roles.back().size());
      membership.node_flags = q.flags & nodeFlags;
      ms.push_back(membership);
    }
    w.memberships.push_back(std::move(ms));
    w.paths.push_back(randomPath(rng, rng() % 2, 1 + uint32_t(rng() % kDepth)));
    lattice_access_request request{};
    request.kind = q.kind;
    request.flags = q.flags & principalFlags;
    request.memberships = w.memberships.back().data();
    request.membership_count = count;
    request.permission = q.permission;
    request.target.path = {w.paths.back().data(), uint32_t(w.paths.back().size())};
    w.requests.push_back(request);
  }
  return w;
}

template <class Body> void timeWithoutAllocations(benchmark::State &state, Body body) {
  if (!allocationCountingWorks()) {
    state.SkipWithError("the allocation counter sees no allocations: it would prove nothing");
    return;
  }
  const uint64_t before = allocationCount();
  for (auto _ : state)
    body();
  const uint64_t allocations = allocationCount() - before;
  state.counters["allocs_per_call"] = double(allocations) / double(state.iterations());
  state.SetItemsProcessed(int64_t(state.iterations()));
  if (allocations != 0)
    state.SkipWithError("the timed loop allocated on the heap");
}

/// The decision for a principal with `memberships` memberships of 3 roles each, relations by
/// path included.
void BM_DecideAccess(benchmark::State &state) {
  const AccessWorkload w = makeAccessWorkload(uint32_t(state.range(0)));
  if (w.requests.size() != kRequests) {
    state.SkipWithError("the table offers no such request");
    return;
  }
  lattice_table *t = decideTable();
  for (const lattice_access_request &request : w.requests)
    if (lattice_decide_access(t, &request).reason == LATTICE_REASON_BAD_REQUEST) {
      state.SkipWithError("a request is malformed: the loop would time its refusal");
      return;
    }
  size_t i = 0, allowed = 0;
  timeWithoutAllocations(state, [&] {
    const lattice_access_decision d = lattice_decide_access(t, &w.requests[i]);
    benchmark::DoNotOptimize(d);
    allowed += size_t(d.allowed);
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
}
BENCHMARK(BM_DecideAccess)->ArgName("memberships")->Arg(1)->Arg(2)->Arg(4)->Arg(8);

/// The relation of two nodes given by ancestor paths of depth 8 in one tree (the worst case: the
/// whole common prefix is compared).
void BM_RelationOfPaths(benchmark::State &state) {
  std::mt19937_64 rng(5);
  std::vector<std::vector<uint64_t>> paths;
  for (size_t i = 0; i < 2 * kRequests; ++i)
    paths.push_back(randomPath(rng, 1, kDepth));
  size_t i = 0;
  timeWithoutAllocations(state, [&] {
    const std::vector<uint64_t> &a = paths[2 * i], &b = paths[2 * i + 1];
    benchmark::DoNotOptimize(lattice_relation_of_paths({a.data(), kDepth}, {b.data(), kDepth}));
    i = (i + 1) & (kRequests - 1);
  });
}
BENCHMARK(BM_RelationOfPaths);

} // namespace
} // namespace lattice::bench
