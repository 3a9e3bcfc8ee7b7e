// analyzer.cpp - runs every pass over one shared Context and reports findings as diagnostics.
// Pass order does not matter: findings are sorted by location and code before they are used.
#include "analysis/analyzer.h"

#include "analysis/passes.h"

#include <algorithm>
#include <tuple>

namespace lattice::analysis {

Witness Witness::single(const RequestSpace &space, const Seat &seat,
                        std::vector<sema::RoleId> roles, sema::PermissionId permission,
                        sema::Relation relation, sema::FlagMask flags) {
  Witness w;
  w.kind = seat.kind;
  w.principalFlags = flags & space.principalFlags(seat.kind);
  w.memberships.push_back({seat.scope, std::move(roles), relation, flags & ~w.principalFlags});
  w.permission = permission;
  // The first target kind at which the relation occurs (the caller found the relation feasible).
  const sema::ResourceId resource = space.resourceOf(permission);
  for (sema::ScopeKindId o : space.targetKinds(resource))
    if (space.relationsTo(seat.scope, o) >> unsigned(relation) & 1) {
      w.target = o;
      break;
    }
  return w;
}

std::vector<Finding> analyze(const sema::Model &model) {
  Context ctx(model);
  std::vector<Finding> findings;
  findUnreachableAndRedundantRules(ctx, findings);
  findConflicts(ctx, findings);
  std::vector<Rights> rights;
  rights.reserve(model.roles.size());
  for (sema::RoleId role = 0; role < model.roles.size(); ++role)
    rights.push_back(rightsOf(ctx, role));
  findDeadPermissions(ctx, rights, findings);
  findEscalations(ctx, rights, findings);
  findCustomRoleEscalations(ctx, rights, findings);
  findCustomRolesSpanningExclusives(ctx, rights, findings);
  findCustomRoleConflicts(ctx, findings);
  findLifecycleProblems(ctx, findings);
  findForcedExclusiveRoles(ctx, findings);
  findImpossibleTestCases(ctx, findings);
  std::stable_sort(findings.begin(), findings.end(), [](const Finding &a, const Finding &b) {
    return std::tie(a.range.file, a.range.begin, a.kind) <
           std::tie(b.range.file, b.range.begin, b.kind);
  });
  return findings;
}

void report(const std::vector<Finding> &findings, DiagnosticEngine &diags) {
  for (const Finding &finding : findings) {
    Diagnostic &diag = diags.report(finding.kind, finding.range, finding.message);
    diag.notes = finding.notes;
    diag.help = finding.help;
  }
}

} // namespace lattice::analysis
