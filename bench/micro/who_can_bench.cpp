// who_can_bench.cpp - who-can from a table (lattice_who_can, issue 13): the roles, ceilings and
// user types that can be allowed one permission, in EV-shaped tables of 32 and 1,000 roles
// (1,000 permissions), against what a host without it does: one lattice_decide per role and kind.
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "sample_tables.h"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>
#include <vector>

namespace lattice::bench {
namespace {

constexpr uint32_t kPermissions = 1000;

/// evShapedTables with `roles` roles (3/8 tenant, 5/8 account), 1,000 permissions, every fourth
/// with denies and conditional rules; the flags hold `active`, so `require` passes.
struct Fixture {
  std::vector<uint8_t> bytes;
  lattice_table *table = nullptr;
  uint64_t flags = 0;
  std::vector<uint64_t> roles, ceilings, kinds;
  explicit Fixture(uint32_t roleCount) {
    bytes = emit::writeTable(
        testing::evShapedTables(roleCount * 3 / 8, roleCount - roleCount * 3 / 8, kPermissions, 4));
    if (lattice_table_load(bytes.data(), bytes.size(), &table) != LATTICE_LOAD_OK)
      table = nullptr;
    flags = uint64_t(1) << lattice_flag_id(table, "active");
    roles.resize(LATTICE_ROLE_WORDS(table));
    ceilings.resize(LATTICE_CEILING_WORDS(table) + 1);
    kinds.resize(LATTICE_KIND_WORDS(table));
  }
  ~Fixture() { lattice_table_free(table); }
  Fixture(const Fixture &) = delete;
  lattice_who_can_status ask(uint32_t permission, uint32_t relation) {
    return lattice_who_can(table, permission, relation, flags, roles.data(), uint32_t(roles.size()),
                           ceilings.data(), uint32_t(ceilings.size()), kinds.data(),
                           uint32_t(kinds.size()));
  }
  /// Without who-can: whether role `r` alone is allowed for some kind, one lattice_decide each.
  bool allowedAlone(uint32_t r, uint32_t permission, uint32_t relation, uint32_t kindCount) const {
    for (uint32_t k = 0; k < kindCount; ++k) {
      const lattice_request q{k, &r, 1, permission, relation, flags};
      if (lattice_decide(table, &q).allowed != 0)
        return true;
    }
    return false;
  }
};

/// Whether the timed calls give real answers: on every 7th permission and each relation, the
/// roles equal one lattice_decide per (role, kind), and some role is listed somewhere.
bool answersChecked(benchmark::State &state, Fixture &f) {
  if (!f.table) {
    state.SkipWithError("the table was refused");
    return false;
  }
  size_t listed = 0;
  const uint32_t roleCount = lattice_role_count(f.table), kindCount = lattice_kind_count(f.table);
  for (uint32_t p = 0; p < kPermissions; p += 7)
    for (uint32_t rel = 0; rel < 4; ++rel) {
      if (f.ask(p, rel) != LATTICE_WHO_CAN_OK) {
        state.SkipWithError("who-can refused the question");
        return false;
      }
      for (uint32_t r = 0; r < roleCount; ++r) {
        const bool want = f.allowedAlone(r, p, rel, kindCount);
        const bool got = (f.roles[r / 64] >> (r % 64)) & 1;
        if (got != want) {
          state.SkipWithError("who-can differs from lattice_decide");
          return false;
        }
        listed += got;
      }
    }
  state.counters["roles listed/question"] = double(listed) / double(4 * (kPermissions / 7 + 1));
  if (listed == 0)
    state.SkipWithError("nobody is listed: the benchmark would time an empty answer");
  return listed != 0;
}

/// lattice_who_can for one permission and relation, cycling through permissions and relations.
void BM_WhoCan(benchmark::State &state) {
  Fixture f(uint32_t(state.range(0)));
  if (!answersChecked(state, f))
    return;
  uint32_t i = 0;
  timeWithoutAllocations(state, "allocs/call", [&] {
    benchmark::DoNotOptimize(f.ask((i * 37) % kPermissions, i % 4));
    ++i;
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhoCan)->ArgName("roles")->Arg(32)->Arg(1000);

/// The same roles from one lattice_decide per (role, kind), as a host without who-can asks.
void BM_WhoCanByDecide(benchmark::State &state) {
  Fixture f(uint32_t(state.range(0)));
  if (!answersChecked(state, f))
    return;
  const uint32_t roleCount = lattice_role_count(f.table), kindCount = lattice_kind_count(f.table);
  uint32_t i = 0;
  timeWithoutAllocations(state, "allocs/call", [&] {
    const uint32_t p = (i * 37) % kPermissions, rel = i % 4;
    ++i;
    for (uint32_t r = 0; r < roleCount; ++r) {
      const bool allowed = f.allowedAlone(r, p, rel, kindCount);
      f.roles[r / 64] = (f.roles[r / 64] & ~(uint64_t(1) << (r % 64))) | uint64_t(allowed)
                                                                             << (r % 64);
    }
    benchmark::DoNotOptimize(f.roles.data());
    benchmark::ClobberMemory();
  });
}
BENCHMARK(BM_WhoCanByDecide)->ArgName("roles")->Arg(32)->Arg(1000);

} // namespace
} // namespace lattice::bench
