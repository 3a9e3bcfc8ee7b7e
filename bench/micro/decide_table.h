// decide_table.h - the table the decide benchmarks ask, and the requests they ask it: what a host
// would send, precomputed so that the timed loop does nothing but decide.
#pragma once

#include "lattice/lattice.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace lattice::bench {

/// $LATTICE_BENCH_TABLE if set (bench-ev uses the compiled EV example), else a hand-built
/// EV-charging-shaped table: 12 tenant-user and 20 account-user roles, 80 permissions, where
/// even permissions also have denies and conditional rules and odd ones only allows. Loaded
/// once; exits if it does not load.
const std::vector<uint8_t> &decideTableBytes();
lattice_table *decideTable();

/// Which permissions a request may name.
enum class PermissionSet {
  All,            // any permission
  NoSparseRules,  // only allows: the decision reads one bitset word per held role, nothing else
  WithConditions, // at least one conditional rule (`when`): the sparse rules are scanned too
};

/// Requests of `held` distinct roles a random kind may hold together (no two of one exclusive
/// set, as a host that follows the policy assigns them), a random permission of `permissions`
/// (one the kind may ask about, unless All), relation and flags. Fewer roles if no kind may
/// hold that many; empty if the table offers no such request.
struct Workload {
  std::vector<lattice_request> requests;
  std::vector<uint32_t> roleStorage;
  uint32_t held = 0;
};
Workload makeWorkload(uint32_t held, PermissionSet permissions, size_t count);

/// Node-label pairs (principal's node, resource owner's node) from a random forest: a quarter
/// each same node, a descendant, an ancestor, anywhere (mostly tenant, some other tree).
struct LabelPair {
  lattice_node_label principal, owner;
};
std::vector<LabelPair> makeLabelPairs(size_t count);

} // namespace lattice::bench
