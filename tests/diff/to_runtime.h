// to_runtime.h - the reference interpreter's requests and outcomes in the runtime's terms, for
// the differential checks that decide the same request both ways.
#pragma once

#include "lattice/lattice.h"
#include "reference/interpreter.h"

#include <cstdint>
#include <vector>

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

/// `want` as a runtime request over `ms` (its memberships, with the host's node references) and
/// `target`: the kind, flags, permission and facts are `want`'s.
inline lattice_access_request runtimeRequest(const reference::PrincipalRequest &want,
                                             const std::vector<lattice_membership> &ms,
                                             lattice_node_ref target) {
  lattice_access_request q{};
  q.kind = want.kind;
  q.flags = want.flags;
  q.memberships = ms.data();
  q.membership_count = uint32_t(ms.size());
  q.permission = want.permission;
  q.target = target;
  q.facts = want.facts;
  return q;
}

} // namespace lattice::difftest
