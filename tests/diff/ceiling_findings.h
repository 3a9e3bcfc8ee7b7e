// ceiling_findings.h - the differential test's check of the analyzer's findings about custom role
// ceilings (L1410, L1510, and L1001 of a policy-wide deny meeting a ceiling) against the reference.
#pragma once

#include "analysis/analyzer.h"
#include "request_enum.h"

#include <functional>
#include <string>
#include <vector>

namespace lattice::difftest {

struct CeilingFindingsResult {
  size_t escalations = 0, spans = 0, conflicts = 0; // findings checked: L1410, L1510, L1001
  std::vector<std::string> falseAlarms; // a finding whose claim the reference contradicts
  std::vector<std::string> misses;      // what the reference shows and no finding says
};

/// Checks every ceiling finding of `findings` (the others are ignored) over the requests of the
/// space (`inSpace[i]` for `requests[i]`): a ceiling's worst case is its widest custom role, held
/// alone at one membership. `holdsAlone(role, permission)` says whether a principal holding only
/// `role` (at one node or two) is allowed the permission in some request of the space.
/// L1510 is checked for soundness only: its "grants" is the analyzer's sure-rights, which no
/// finite set of reference decisions can confirm to be complete.
CeilingFindingsResult
checkCeilingFindings(const sema::Model &model, const std::vector<SpaceRequest> &requests,
                     const std::vector<bool> &inSpace,
                     const std::function<bool(sema::RoleId, sema::PermissionId)> &holdsAlone,
                     const std::vector<analysis::Finding> &findings);

/// Whether `f` is a finding about a ceiling (which checkCeilingFindings checks, and the other
/// checks of the differential test must skip).
bool isCeilingFinding(const sema::Model &model, const analysis::Finding &f);

} // namespace lattice::difftest
