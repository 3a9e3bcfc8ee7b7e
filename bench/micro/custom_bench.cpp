// custom_bench.cpp - custom roles (issue 12): building a 50-permission role within a ceiling,
// deciding with it against a compiled role with the same cells (principal handles and
// lattice_decide_access), and the memory of 100,000 built roles per (role, permission, relation).
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "sample_tables.h"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>
#include <random>

namespace lattice::bench {
namespace {

constexpr uint32_t kPermissions = 200, kCeiling = 100, kCells = 50;
constexpr size_t kRequests = 4096;

/// 200 permissions; role `same_cells` allows permissions 0, 2, 4, ... 98 in the subtree (the
/// custom role's cells); the ceiling `key_role` holds permissions 0..99 in the subtree.
struct Fixture {
  std::vector<uint8_t> bytes;
  lattice_table *table = nullptr;
  lattice_custom_roles *set = nullptr;
  uint32_t custom = 0;
  std::vector<uint32_t> permissions, reaches; // the custom role's 50 entries
  std::vector<uint32_t> asked;                // permissions the requests ask, cycled
  bool ok = false;                            // the table loaded and the custom role was built
  Fixture() {
    testing::TablesBuilder b("custom_bench");
    b.kind("user");
    b.role("same_cells", 1);
    for (uint32_t p = 0; p < kPermissions; ++p)
      b.permission("res.p" + std::to_string(p), 1);
    for (uint32_t p = 0; p < 2 * kCells; p += 2)
      b.allow(0, p, testing::kSubtree);
    lower::Tables t = b.build();
    lower::Ceiling ceiling{"key_role", 1, {}, {0}};
    for (uint32_t p = 0; p < kCeiling; ++p)
      ceiling.cells.emplace_back(p, uint8_t(testing::kSubtree));
    t.ceilings.push_back(ceiling);
    bytes = emit::writeTable(t);
    if (lattice_table_load(bytes.data(), bytes.size(), &table) != LATTICE_LOAD_OK)
      return;
    set = lattice_custom_roles_new(table);
    for (uint32_t p = 0; p < 2 * kCells; p += 2) {
      permissions.push_back(p);
      reaches.push_back(LATTICE_REACH_SUBTREE);
    }
    uint32_t bad = 0;
    ok = lattice_custom_role_add(set, 0, permissions.data(), reaches.data(), kCells, &custom,
                                 &bad) == LATTICE_CUSTOM_OK;
    std::mt19937 rng(5);
    for (size_t i = 0; i < kRequests; ++i)
      asked.push_back(rng() % kPermissions);
  }
};

Fixture &fixture() {
  static Fixture f;
  return f;
}

/// One membership at node [1, 2] holding the custom role (or the compiled role with its cells),
/// and the requests' target [1, 2, 3], in its subtree. Not copied: it points into itself.
struct Holder {
  const uint64_t node[2] = {1, 2}, target[3] = {1, 2, 3};
  uint32_t role;
  lattice_membership membership{};
  lattice_node_ref targetRef{};
  Holder(const Fixture &f, bool custom) : role(custom ? f.custom : 0u) {
    membership.node.path = {node, 2};
    membership.roles = &role;
    membership.role_count = 1;
    targetRef.path = {target, 3};
  }
  Holder(const Holder &) = delete;

  lattice_access_request request(uint32_t permission) const {
    lattice_access_request q{};
    q.memberships = &membership;
    q.membership_count = 1;
    q.permission = permission;
    q.target = targetRef;
    return q;
  }
};

/// Whether the benchmarks measure real answers: the fixture was built, and the custom and the
/// compiled role decide every asked permission alike (else `state` is skipped with the reason).
bool answersChecked(benchmark::State &state, const Fixture &f) {
  if (!f.ok) {
    state.SkipWithError("the table or the custom role was refused");
    return false;
  }
  const Holder custom(f, true), compiled(f, false);
  for (uint32_t permission : f.asked) {
    const lattice_access_request a = custom.request(permission), b = compiled.request(permission);
    const lattice_access_decision x = lattice_decide_access_custom(f.table, f.set, &a),
                                  y = lattice_decide_access_custom(f.table, f.set, &b);
    if (x.allowed != y.allowed || x.reason != y.reason) {
      state.SkipWithError("the custom and the compiled role decide differently");
      return false;
    }
  }
  return true;
}

void BM_CustomRole_Build50(benchmark::State &state) {
  Fixture &f = fixture();
  if (!answersChecked(state, f))
    return;
  lattice_custom_roles *set = lattice_custom_roles_new(f.table);
  uint64_t built = 0;
  for (auto _ : state) {
    uint32_t role = 0, bad = 0;
    benchmark::DoNotOptimize(lattice_custom_role_add(set, 0, f.permissions.data(), f.reaches.data(),
                                                     kCells, &role, &bad));
    if (++built % 100000 == 0) { // bounded memory: a fresh set every 100,000 roles
      state.PauseTiming();
      lattice_custom_roles_free(set);
      set = lattice_custom_roles_new(f.table);
      state.ResumeTiming();
    }
  }
  lattice_custom_roles_free(set);
  state.SetItemsProcessed(int64_t(state.iterations()));
}
BENCHMARK(BM_CustomRole_Build50);

/// Deciding through a principal handle holding the custom role, or the compiled role with the
/// same cells: the same bytes are precomputed, so the same cost.
void decideAs(benchmark::State &state, bool custom) {
  Fixture &f = fixture();
  if (!answersChecked(state, f))
    return;
  const Holder h(f, custom);
  lattice_principal *p = nullptr;
  if (lattice_principal_new_custom(f.table, f.set, 0, 0, &h.membership, 1, &p) !=
      LATTICE_PRINCIPAL_OK) {
    state.SkipWithError("principal refused");
    return;
  }
  size_t i = 0;
  timeWithoutAllocations(state, "allocs/decision", [&] {
    benchmark::DoNotOptimize(lattice_decide_as(p, f.asked[i++ & (kRequests - 1)], h.targetRef, 0));
  });
  lattice_principal_free(p);
}
void BM_CustomRole_DecideAs(benchmark::State &state) { decideAs(state, true); }
void BM_CompiledRole_DecideAs(benchmark::State &state) { decideAs(state, false); }
BENCHMARK(BM_CustomRole_DecideAs);
BENCHMARK(BM_CompiledRole_DecideAs);

void decideAccess(benchmark::State &state, bool custom) {
  Fixture &f = fixture();
  if (!answersChecked(state, f))
    return;
  const Holder h(f, custom);
  lattice_access_request q = h.request(0);
  size_t i = 0;
  timeWithoutAllocations(state, "allocs/decision", [&] {
    q.permission = f.asked[i++ & (kRequests - 1)];
    benchmark::DoNotOptimize(lattice_decide_access_custom(f.table, f.set, &q));
  });
}
void BM_CustomRole_DecideAccess(benchmark::State &state) { decideAccess(state, true); }
void BM_CompiledRole_DecideAccess(benchmark::State &state) { decideAccess(state, false); }
BENCHMARK(BM_CustomRole_DecideAccess);
BENCHMARK(BM_CompiledRole_DecideAccess);

/// 100,000 custom roles of 50 permissions in the 100-permission ceiling of a 200-permission
/// table: bits per (role, permission, relation), of the table's cells and of the ceiling's.
void BM_CustomRole_Memory100k(benchmark::State &state) {
  Fixture &f = fixture();
  if (!answersChecked(state, f))
    return;
  for (auto _ : state) {
    lattice_custom_roles *set = lattice_custom_roles_new(f.table);
    for (uint32_t r = 0; r < 100000; ++r) {
      uint32_t role = 0, bad = 0;
      lattice_custom_role_add(set, 0, f.permissions.data(), f.reaches.data(), kCells, &role, &bad);
    }
    const double bits = 8.0 * double(lattice_custom_roles_bytes(set));
    state.counters["bits/table_cell"] = bits / (100000.0 * kPermissions * 4);
    state.counters["bits/ceiling_cell"] = bits / (100000.0 * kCeiling * 4);
    lattice_custom_roles_free(set);
  }
}
BENCHMARK(BM_CustomRole_Memory100k)->Iterations(1)->Unit(benchmark::kMillisecond);

} // namespace
} // namespace lattice::bench
