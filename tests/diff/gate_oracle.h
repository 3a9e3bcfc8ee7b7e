// gate_oracle.h - the review gate's oracle: a diff of two models checked against brute force
// with the reference interpreter (every role set, permission, relation, flag assignment).
#pragma once

#include "sema/model.h"

#include <string>

namespace lattice::difftest {

/// Self-test: make the checks face a gate that misses the new access of role combinations
/// (pairs whose deny no longer applies, roles no longer exclusive) or of delegation.
enum class GateMutation { None, DropCombinations, DropDelegations };

struct GateCheck {
  bool ok = true;
  bool gained = false; // brute force found new access
  std::string problem; // the first failed check
};

/// About how many decisions checkGate's brute force makes on this pair: every role set and flag
/// assignment, then every pair of memberships (kinds x roles^2 x permissions x 16 relation pairs
/// x flag assignments of three sides, 2^(3n) up to n = 3 flags, else a sample of 128).
double oracleCost(const sema::Model &before, const sema::Model &after);

/// Compares `before` and `after` with diff::comparePolicies and checks that new access is
/// reported exactly when brute force finds some, that every witness holds, and that the new
/// delegations are exactly the roles newly reachable through `assigns` that allow something.
GateCheck checkGate(const sema::Model &before, const sema::Model &after,
                    GateMutation mutation = GateMutation::None);

} // namespace lattice::difftest
