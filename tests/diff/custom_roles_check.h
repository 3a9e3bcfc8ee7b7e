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

/// One or two random ceilings over `base`'s names (user types, permissions that apply to them,
/// reaches, creators), as policy text to append. Deterministic in `seed`; its own generator, so
/// the random stream of the rest of the test is unchanged.
std::string ceilingsFor(uint64_t seed, const sema::Model &base);

/// Random custom roles built within `model`'s ceilings (and outside them), and requests holding
/// them, checked against the reference. Deterministic in `seed`.
CustomRolesResult checkCustomRoles(uint64_t seed, const sema::Model &model);

} // namespace lattice::difftest
