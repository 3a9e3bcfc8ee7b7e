// rights.h - what a role held alone is allowed: per relation, the permissions it certainly has
// (a concrete request shows it) and those it may have (certain, or undecidable here).
// Used by the dead-permission and escalation passes.
#pragma once

#include "analysis/analyzer.h"
#include "analysis/context.h"

namespace lattice::analysis {

struct Rights {
  std::vector<PermSet> sure;  // per relation
  std::vector<PermSet> maybe; // per relation, a superset of sure
};

Rights rightsOf(const Context &ctx, sema::RoleId role);

/// A request showing that `role` alone is allowed `p` at `relation`, if the search finds one.
std::optional<Witness> allowedWitness(const Context &ctx, sema::RoleId role, sema::PermissionId p,
                                      unsigned relation);

} // namespace lattice::analysis
