// filter_world.h - random forests, rows and principals for the list filter tests, and the two
// answers they compare: the rows lattice_decide_access allows one by one, and the rows a filter
// (its key ranges, its generic terms) selects. The database tests ask the same of SQL.
#pragma once

#include "lattice/list_filter.h"
#include "policy_generator.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace lattice::filtertest {

using Path = std::vector<uint64_t>;

/// A forest of the host's nodes and the rows (resources) owned by them. Ids are chosen to stress
/// the key order: 0, small ids, ids with 0xFF bytes, UINT64_MAX.
struct World {
  std::vector<Path> nodes;
  std::vector<uint32_t> rowNode;  // per row: its owner node
  std::vector<uint64_t> rowFacts; // per row: its resource and target facts
};

/// 2-3 trees of up to `nodeCount` nodes (depth <= 5), `rowCount` rows; facts from `factMask`.
World randomWorld(difftest::Rng &rng, uint32_t nodeCount, uint32_t rowCount, uint64_t factMask);

/// A principal as the tests build it (owning its arrays).
struct Principal {
  uint32_t kind = 0;
  uint64_t flags = 0;
  std::vector<Path> paths;
  std::vector<std::vector<uint32_t>> roles;
  std::vector<uint64_t> nodeFlags;
  std::vector<lattice_membership> memberships; // pointing into the above: rebuild after a copy
  uint32_t permission = 0;
  uint64_t facts = 0; // request facts

  void link();
  lattice_access_request request(const Path *target) const;
};

/// 1-4 memberships, mostly at nodes of `world`, now and then at a node outside it.
Principal randomPrincipal(difftest::Rng &rng, const lattice_table *table, const World &world);

using FilterPtr = std::unique_ptr<lattice_list_filter, void (*)(lattice_list_filter *)>;
FilterPtr makeFilter(const lattice_table *table, const Principal &p, lattice_filter_status &status);

std::vector<uint8_t> keyOf(const Path &path);
/// The rows (indexes) lattice_decide_access allows, each with its own facts and the request's.
std::vector<uint32_t> allowedRows(const lattice_table *table, const Principal &p, const World &w);
/// The rows whose key lies in one of the filter's ranges.
std::vector<uint32_t> rowsInRanges(const lattice_list_filter *f, const World &w);
/// The rows one of the filter's generic terms selects.
std::vector<uint32_t> rowsInTerms(const lattice_list_filter *f, const World &w);
/// "[7, 42] (key 00..07 00..2a)" for messages.
std::string describe(const Path &path);
std::string describeFilter(const lattice_list_filter *f);

} // namespace lattice::filtertest
