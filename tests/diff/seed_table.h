// seed_table.h - the set-up of the random drivers that check the runtime's queries (what-can,
// who-can from a table): a seed's policy (policy_generator), with its random ceilings
// (ceilingsFor) when asked, compiled and loaded as a table; and bitsets in hex for messages.
#pragma once

#include "compile_helper.h"
#include "custom_roles_check.h"
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "lower/lower.h"
#include "policy_generator.h"

#include <cstdint>
#include <fmt/format.h>
#include <memory>
#include <string>
#include <vector>

namespace lattice::difftest {

/// A compiled seed policy and its loaded table (freed with it).
struct SeedTable {
  std::unique_ptr<testing::Compiled> compiled; // compiled->model is the policy's
  std::vector<uint8_t> bytes;                  // the table's bytes, which `table` reads
  lattice_table *table = nullptr;

  SeedTable() = default;
  SeedTable(const SeedTable &) = delete;
  SeedTable &operator=(const SeedTable &) = delete;
  ~SeedTable() { lattice_table_free(table); }
  const sema::Model &model() const { return *compiled->model; }
};

/// generatePolicy(seed), with ceilingsFor(seed, ...) appended when `withCeilings`, compiled and
/// loaded into `out`; false with `error` set ("the policy does not compile", ...) otherwise.
inline bool loadSeedTable(uint64_t seed, bool withCeilings, SeedTable &out, std::string &error) {
  const std::string base = generatePolicy(seed);
  out.compiled = testing::compile(base);
  if (!out.compiled->model || out.compiled->diags.errors() != 0) {
    error = "the policy does not compile";
    return false;
  }
  if (withCeilings) { // the ceilings name the base policy's user types and permissions
    const std::string text = base + ceilingsFor(seed, *out.compiled->model);
    out.compiled = testing::compile(text);
    if (!out.compiled->model || out.compiled->diags.errors() != 0) {
      error = "the policy with ceilings does not compile";
      return false;
    }
  }
  out.bytes = emit::writeTable(lower::lowerModel(*out.compiled->model));
  if (lattice_table_load(out.bytes.data(), out.bytes.size(), &out.table) != LATTICE_LOAD_OK) {
    out.table = nullptr;
    error = "the table does not load";
    return false;
  }
  return true;
}

/// Bitset words as hex, for mismatch messages.
inline std::string hex(const std::vector<uint64_t> &words) {
  std::string s;
  for (uint64_t w : words)
    s += fmt::format("{:016x} ", w);
  return s;
}

} // namespace lattice::difftest
