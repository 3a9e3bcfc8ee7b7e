// what_can_bench.cpp - what-can (issue 13): every allowed permission of a principal on one target
// at once, in a 1,000-permission EV-shaped table: through a principal handle (the target: ≤ 1 µs),
// against 1,000 lattice_decide_as calls and the request form; and a page of 100 rows of one
// resource type (10 permissions).
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "sample_tables.h"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>
#include <memory>
#include <random>

namespace lattice::bench {
namespace {

constexpr uint32_t kPermissions = 1000;
constexpr size_t kTargets = 64; // cycled through; a power of two

/// evShapedTables with 12 tenant and 20 account roles and 1,000 permissions (every fourth with
/// denies and conditional rules); account users (kind 1, `active` so `require` holds) with 1 or
/// 4 memberships of 3 account roles in tree 1, asking about targets at every relation.
struct Fixture {
  std::vector<uint8_t> bytes;
  lattice_table *table = nullptr;
  uint32_t words = 0;
  std::vector<std::vector<uint64_t>> paths; // targets' and memberships' paths
  std::vector<lattice_node_ref> targets;
  bool ok = false;
  Fixture() {
    bytes = emit::writeTable(testing::evShapedTables(12, 20, kPermissions, 4));
    if (lattice_table_load(bytes.data(), bytes.size(), &table) != LATTICE_LOAD_OK)
      return;
    words = LATTICE_PERMISSION_WORDS(table);
    std::mt19937 rng(13);
    paths.reserve(kTargets + 8);
    for (size_t i = 0; i < kTargets; ++i) {
      std::vector<uint64_t> path{1};
      for (uint32_t d = 1, depth = 1 + rng() % 4; d < depth; ++d)
        path.push_back(10 * d + rng() % 2);
      paths.push_back(path);
    }
    for (const auto &p : paths)
      targets.push_back(ref(p));
    ok = true;
  }
  static lattice_node_ref ref(const std::vector<uint64_t> &path) {
    lattice_node_ref r{};
    r.path = {path.data(), uint32_t(path.size())};
    return r;
  }
};

Fixture &fixture() {
  static Fixture f;
  return f;
}

/// A principal with `count` memberships (nodes [1], [1, 10], [1, 10, 20], [1, 11]), 3 account
/// roles each (different ones per membership).
struct Holder {
  std::vector<std::vector<uint64_t>> nodes{{1, 10}, {1}, {1, 10, 20}, {1, 11}};
  std::vector<std::vector<uint32_t>> roles;
  std::vector<lattice_membership> ms;
  lattice_principal *principal = nullptr;
  lattice_access_request request{};
  Holder(const Fixture &f, uint32_t count) {
    roles.resize(count);
    for (uint32_t m = 0; m < count; ++m) {
      for (uint32_t i = 0; i < 3; ++i)
        roles[m].push_back(12 + (m * 5 + i * 3) % 20);
      lattice_membership x{};
      x.node.path = {nodes[m].data(), uint32_t(nodes[m].size())};
      x.roles = roles[m].data();
      x.role_count = 3;
      ms.push_back(x);
    }
    const uint64_t active = uint64_t(1) << lattice_flag_id(f.table, "active");
    if (lattice_principal_new(f.table, 1, active, ms.data(), count, &principal) !=
        LATTICE_PRINCIPAL_OK)
      principal = nullptr;
    request.kind = 1;
    request.flags = active;
    request.memberships = ms.data();
    request.membership_count = count;
  }
  ~Holder() { lattice_principal_free(principal); }
  Holder(const Holder &) = delete;
};

/// Whether the timed calls give real answers: what-can equals 1,000 lattice_decide_as calls on
/// every target, and allows something somewhere (else `state` is skipped with the reason).
bool answersChecked(benchmark::State &state, const Fixture &f, const Holder &h) {
  if (!f.ok || !h.principal) {
    state.SkipWithError("the table or the principal was refused");
    return false;
  }
  size_t allowed = 0;
  std::vector<uint64_t> bits(f.words), viaRequest(f.words);
  for (const lattice_node_ref &target : f.targets) {
    lattice_access_request q = h.request;
    q.target = target;
    if (lattice_what_can_as(h.principal, target, 0, bits.data(), f.words) != LATTICE_WHAT_CAN_OK ||
        lattice_what_can(f.table, &q, viaRequest.data(), f.words) != LATTICE_WHAT_CAN_OK ||
        bits != viaRequest) {
      state.SkipWithError("what-can refused the request, or its two forms differ");
      return false;
    }
    for (uint32_t p = 0; p < kPermissions; ++p) {
      const bool bit = (bits[p / 64] >> (p % 64)) & 1;
      if (bit != (lattice_decide_as(h.principal, p, target, 0).allowed != 0)) {
        state.SkipWithError("what-can differs from lattice_decide_as");
        return false;
      }
      allowed += bit;
    }
  }
  state.counters["allowed/target"] = double(allowed) / double(f.targets.size());
  if (allowed == 0)
    state.SkipWithError("nothing is allowed: the benchmark would time an early exit");
  return allowed != 0;
}

/// lattice_what_can_as: 1,000 permissions in one call.
void BM_WhatCanAs(benchmark::State &state) {
  Fixture &f = fixture();
  const Holder h(f, uint32_t(state.range(0)));
  if (!answersChecked(state, f, h))
    return;
  std::vector<uint64_t> bits(f.words);
  size_t i = 0;
  timeWithoutAllocations(state, "allocs/call", [&] {
    benchmark::DoNotOptimize(lattice_what_can_as(h.principal, f.targets[i++ & (kTargets - 1)], 0,
                                                 bits.data(), f.words));
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhatCanAs)->ArgName("memberships")->Arg(1)->Arg(4);

/// The same answer from 1,000 lattice_decide_as calls, as a host without what-can computes it.
void BM_WhatCanByDecideAs(benchmark::State &state) {
  Fixture &f = fixture();
  const Holder h(f, uint32_t(state.range(0)));
  if (!answersChecked(state, f, h))
    return;
  std::vector<uint64_t> bits(f.words);
  size_t i = 0;
  timeWithoutAllocations(state, "allocs/call", [&] {
    const lattice_node_ref &target = f.targets[i++ & (kTargets - 1)];
    for (uint32_t p = 0; p < kPermissions; ++p)
      bits[p / 64] = (bits[p / 64] & ~(uint64_t(1) << (p % 64))) |
                     uint64_t(lattice_decide_as(h.principal, p, target, 0).allowed != 0)
                         << (p % 64);
    benchmark::DoNotOptimize(bits.data());
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhatCanByDecideAs)->ArgName("memberships")->Arg(1)->Arg(4);

/// lattice_what_can: the request form, one lattice_decide_access per permission.
void BM_WhatCanRequest(benchmark::State &state) {
  Fixture &f = fixture();
  const Holder h(f, uint32_t(state.range(0)));
  if (!answersChecked(state, f, h))
    return;
  std::vector<uint64_t> bits(f.words);
  lattice_access_request q = h.request;
  size_t i = 0;
  timeWithoutAllocations(state, "allocs/call", [&] {
    q.target = f.targets[i++ & (kTargets - 1)];
    benchmark::DoNotOptimize(lattice_what_can(f.table, &q, bits.data(), f.words));
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhatCanRequest)->ArgName("memberships")->Arg(1)->Arg(4);

/// lattice_what_can_page: 100 rows of one resource type (resource_5: 10 permissions), each
/// with its own target; one iteration is the whole page.
void BM_WhatCanPage(benchmark::State &state) {
  Fixture &f = fixture();
  const Holder h(f, uint32_t(state.range(0)));
  if (!answersChecked(state, f, h))
    return;
  uint32_t first = 0, count = 0;
  if (!lattice_resource_permissions(f.table, "resource_5", &first, &count) || count != 10) {
    state.SkipWithError("resource_5 has no range of 10 permissions");
    return;
  }
  constexpr uint32_t kRows = 100;
  std::vector<lattice_node_ref> rows;
  for (uint32_t r = 0; r < kRows; ++r)
    rows.push_back(f.targets[(r * 7) & (kTargets - 1)]);
  std::vector<uint64_t> page(kRows);
  timeWithoutAllocations(state, "allocs/page", [&] {
    benchmark::DoNotOptimize(lattice_what_can_page(h.principal, first, count, rows.data(), nullptr,
                                                   kRows, page.data(), 1));
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhatCanPage)->ArgName("memberships")->Arg(1)->Arg(4);

} // namespace
} // namespace lattice::bench
