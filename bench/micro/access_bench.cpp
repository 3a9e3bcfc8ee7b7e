// access_bench.cpp - principals with memberships per call: lattice_decide_access and principal
// handles (lattice_decide_as) with 1/2/4/8 memberships of 3 roles, nodes by ancestor path (up to
// depth 8) and by label; and lattice_relation_of_paths at depth 8.
#include "decide_table.h"
#include "lattice/lattice.hpp"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>
#include <memory>
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

/// Two trees of depth 8, 3 children per inner node (3,280 nodes each), every node with its
/// ancestor path (ids are node numbers + 1000) and its label.
struct Forest {
  std::vector<int64_t> parent;
  std::vector<uint32_t> depth;
  std::vector<std::vector<uint64_t>> path;
  std::vector<lattice_node_label> label;
  std::vector<std::vector<uint32_t>> atDepth; // nodes by depth (1..8)

  Forest() : atDepth(kDepth + 1) {
    for (int tree = 0; tree < 2; ++tree) {
      const int64_t root = int64_t(parent.size());
      add(-1);
      for (int64_t v = root; v < int64_t(parent.size()); ++v)
        if (depth[size_t(v)] < kDepth)
          for (int c = 0; c < 3; ++c)
            add(v);
    }
    label = labelTree(parent).labels;
  }
  void add(int64_t up) {
    const size_t v = parent.size();
    parent.push_back(up);
    depth.push_back(up < 0 ? 1 : depth[size_t(up)] + 1);
    path.push_back(up < 0 ? std::vector<uint64_t>{} : path[size_t(up)]);
    path.back().push_back(1000 + v);
    atDepth[depth.back()].push_back(uint32_t(v));
  }
  /// A random leaf below `v` (v itself if it is one).
  uint32_t leafBelow(std::mt19937_64 &rng, uint32_t v) const {
    for (;;) {
      if (depth[v] == kDepth)
        return v;
      // The children of v are consecutive: the first is found by scanning (setup only).
      uint32_t first = v + 1;
      while (parent[first] != int64_t(v))
        ++first;
      v = first + uint32_t(rng() % 3);
    }
  }
  lattice_node_ref ref(uint32_t v, bool byPath) const {
    lattice_node_ref r{};
    if (byPath)
      r.path = {path[v].data(), uint32_t(path[v].size())};
    else
      r.label = label[v];
    return r;
  }
};

const Forest &forest() {
  static const Forest f;
  return f;
}

struct AccessWorkload {
  std::vector<std::vector<uint32_t>> roles; // owned role lists
  std::vector<std::vector<lattice_membership>> memberships;
  std::vector<lattice_access_request> requests;
  std::vector<std::unique_ptr<lattice_principal, void (*)(lattice_principal *)>> principals;
};

/// Principals of the decide benchmarks' workload (3 compatible roles of a random kind, random
/// flags) with `count` memberships: each holds the same 3 roles at its own node of a random
/// depth 1-8, so every further membership costs a relation and its bit tests. 256 principals
/// ask 16 requests each (a random permission; the target a leaf at depth 8, half the time below
/// the first membership's node, else anywhere in the forest), interleaved so that consecutive
/// requests come from different principals. Nodes by path or by label; the same nodes either way.
constexpr size_t kPrincipals = 256;
AccessWorkload makeAccessWorkload(uint32_t count, bool byPath) {
  AccessWorkload w;
  const Forest &f = forest();
  const Workload base = makeWorkload(3, PermissionSet::All, kRequests);
  const uint64_t principalFlags = lattice_flag_mask(decideTable(), LATTICE_FLAG_PRINCIPAL);
  const uint64_t nodeFlags = lattice_flag_mask(decideTable(), LATTICE_FLAG_NODE);
  std::mt19937_64 rng(11);
  auto randomNode = [&] {
    const std::vector<uint32_t> &level = f.atDepth[1 + rng() % kDepth];
    return level[rng() % level.size()];
  };
  w.roles.reserve(kPrincipals);
  w.memberships.reserve(kPrincipals);
  std::vector<uint32_t> firstNode;
  for (size_t i = 0; i < kPrincipals && i < base.requests.size(); ++i) {
    const lattice_request &q = base.requests[i];
    w.roles.emplace_back(q.roles, q.roles + q.role_count);
    std::vector<lattice_membership> ms;
    for (uint32_t m = 0; m < count; ++m) {
      const uint32_t node = randomNode();
      if (m == 0)
        firstNode.push_back(node);
      ms.push_back({f.ref(node, byPath), w.roles.back().data(), uint32_t(w.roles.back().size()),
                    base.requests[i].flags & nodeFlags});
    }
    w.memberships.push_back(std::move(ms));
  }
  if (w.memberships.size() < kPrincipals)
    return w;
  for (size_t i = 0; i < kRequests; ++i) {
    const size_t who = i % kPrincipals;
    const lattice_request &q = base.requests[who];
    const auto &leaves = f.atDepth[kDepth];
    const uint32_t target =
        count > 0 && rng() % 2 ? f.leafBelow(rng, firstNode[who]) : leaves[rng() % leaves.size()];
    lattice_access_request request{};
    request.kind = q.kind;
    request.flags = q.flags & principalFlags;
    request.memberships = w.memberships[who].data();
    request.membership_count = count;
    request.permission = base.requests[i].permission;
    request.target = f.ref(target, byPath);
    w.requests.push_back(request);
  }
  return w;
}

/// lattice_decide_access: a principal with `memberships` memberships of 3 roles each, nodes by
/// path, relations included.
void BM_DecideAccess(benchmark::State &state) {
  const AccessWorkload w = makeAccessWorkload(uint32_t(state.range(0)), true);
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
  timeWithoutAllocations(state, "allocs_per_decision", [&] {
    const lattice_access_decision d = lattice_decide_access(t, &w.requests[i]);
    benchmark::DoNotOptimize(d);
    allowed += size_t(d.allowed);
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
}
BENCHMARK(BM_DecideAccess)->ArgName("memberships")->Arg(1)->Arg(2)->Arg(4)->Arg(8);

/// lattice_decide_as on the same requests, each principal built once before timing; every
/// decision is first checked equal to lattice_decide_access's (all fields).
void decideAs(benchmark::State &state, bool byPath) {
  AccessWorkload w = makeAccessWorkload(uint32_t(state.range(0)), byPath);
  if (w.requests.size() != kRequests) {
    state.SkipWithError("the table offers no such request");
    return;
  }
  lattice_table *t = decideTable();
  for (size_t i = 0; i < kRequests; ++i) {
    const lattice_access_request &q = w.requests[i];
    if (i < kPrincipals) {
      lattice_principal *made = nullptr;
      if (lattice_principal_new(t, q.kind, q.flags, q.memberships, q.membership_count, &made) !=
          LATTICE_PRINCIPAL_OK) {
        state.SkipWithError("a principal was refused");
        return;
      }
      w.principals.emplace_back(made, lattice_principal_free);
    }
    const lattice_principal *p = w.principals[i % kPrincipals].get();
    const lattice_access_decision a = lattice_decide_access(t, &q);
    const lattice_access_decision b = lattice_decide_as(p, q.permission, q.target, 0);
    if (a.allowed != b.allowed || a.reason != b.reason || a.deciding_role != b.deciding_role ||
        a.deciding_membership != b.deciding_membership) {
      state.SkipWithError("lattice_decide_as differs from lattice_decide_access");
      return;
    }
  }
  size_t i = 0, allowed = 0;
  timeWithoutAllocations(state, "allocs_per_decision", [&] {
    const lattice_access_request &q = w.requests[i];
    const lattice_access_decision d =
        lattice_decide_as(w.principals[i % kPrincipals].get(), q.permission, q.target, 0);
    benchmark::DoNotOptimize(d);
    allowed += size_t(d.allowed);
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
}
void BM_DecideAs_Paths(benchmark::State &state) { decideAs(state, true); }
void BM_DecideAs_Labels(benchmark::State &state) { decideAs(state, false); }
BENCHMARK(BM_DecideAs_Paths)->ArgName("memberships")->Arg(1)->Arg(2)->Arg(4)->Arg(8);
BENCHMARK(BM_DecideAs_Labels)->ArgName("memberships")->Arg(1)->Arg(2)->Arg(4)->Arg(8);

/// Building one principal of 1 membership of 3 roles (validation, profiles, permission bytes):
/// what a host pays once per principal.
void BM_PrincipalNew(benchmark::State &state) {
  const AccessWorkload w = makeAccessWorkload(uint32_t(state.range(0)), true);
  if (w.requests.empty()) {
    state.SkipWithError("the table offers no such request");
    return;
  }
  lattice_table *t = decideTable();
  size_t i = 0;
  for (auto _ : state) {
    const lattice_access_request &q = w.requests[i];
    lattice_principal *p = nullptr;
    benchmark::DoNotOptimize(
        lattice_principal_new(t, q.kind, q.flags, q.memberships, q.membership_count, &p));
    lattice_principal_free(p);
    i = (i + 1) & (kRequests - 1);
  }
  state.counters["permissions"] = lattice_permission_count(t);
}
BENCHMARK(BM_PrincipalNew)->ArgName("memberships")->Arg(1)->Arg(8);

/// The relation of two nodes given by ancestor paths of depth 8 in one tree (the worst case: the
/// whole common prefix is compared).
void BM_RelationOfPaths(benchmark::State &state) {
  std::mt19937_64 rng(5);
  std::vector<std::vector<uint64_t>> paths;
  for (size_t i = 0; i < 2 * kRequests; ++i)
    paths.push_back(randomPath(rng, 1, kDepth));
  size_t i = 0;
  timeWithoutAllocations(state, "allocs_per_call", [&] {
    const std::vector<uint64_t> &a = paths[2 * i], &b = paths[2 * i + 1];
    benchmark::DoNotOptimize(lattice_relation_of_paths({a.data(), kDepth}, {b.data(), kDepth}));
    i = (i + 1) & (kRequests - 1);
  });
}
BENCHMARK(BM_RelationOfPaths);

} // namespace
} // namespace lattice::bench
