// runtime_reason.h - the runtime's reason code for each outcome of the reference interpreter,
// which the differential checks compare decision by decision.
#pragma once

#include "lattice/lattice.h"
#include "reference/interpreter.h"

#include <cstdint>

namespace lattice::difftest {

inline uint32_t runtimeReason(reference::Outcome outcome) {
  using reference::Outcome;
  switch (outcome) {
  case Outcome::Allowed:
    return LATTICE_REASON_ALLOWED;
  case Outcome::DeniedByRule:
    return LATTICE_REASON_DENIED_BY_RULE;
  case Outcome::DeniedByPolicy:
    return LATTICE_REASON_DENIED_BY_POLICY;
  case Outcome::NoAllow:
    return LATTICE_REASON_NO_ALLOW;
  case Outcome::RoleNotForKind:
    return LATTICE_REASON_ROLE_NOT_FOR_KIND;
  case Outcome::Exclusive:
    return LATTICE_REASON_EXCLUSIVE;
  case Outcome::NotApplicable:
    return LATTICE_REASON_NOT_APPLICABLE;
  case Outcome::Requirement:
    return LATTICE_REASON_REQUIREMENT;
  }
  return LATTICE_REASON_BAD_REQUEST;
}

} // namespace lattice::difftest
