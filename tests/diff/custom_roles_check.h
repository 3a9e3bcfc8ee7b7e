// custom_roles_check.h - the differential test's part for custom roles: random ceilings added to
// a random policy, random custom roles built within them (and outside), decided by the runtime
// and by the reference interpreter, which must agree.
#pragma once

#include "sema/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lattice::difftest {

struct CustomRolesResult {
  size_t builds = 0;    // custom roles built or refused, compared with the reference
  size_t decisions = 0; // requests with custom roles decided by both
  std::vector<std::string> mismatches;
};

/// `policy` (compiled into `model`) with one or two random ceilings appended, compiled again;
/// then random custom roles and requests checked against the reference. Deterministic in `seed`;
/// it does not change the random stream of the rest of the test (its own generator).
CustomRolesResult checkCustomRoles(uint64_t seed, const std::string &policy,
                                   const sema::Model &model);

} // namespace lattice::difftest
