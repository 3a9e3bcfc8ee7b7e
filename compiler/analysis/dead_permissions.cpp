// dead_permissions.cpp - L1301: a declared permission that no request is ever allowed (seed
// 004's "Create sites"). A permission someone holds alone is live; stacking only adds denies.
#include "analysis/passes.h"

#include <fmt/format.h>

namespace lattice::analysis {

void findDeadPermissions(const Context &ctx, const std::vector<Rights> &rights,
                         std::vector<Finding> &out) {
  PermSet live;
  for (const Rights &r : rights)
    for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
      live |= r.maybe[rel];
  // A permission in a custom role ceiling may be allowed to a role tenants build: not dead.
  for (const sema::CustomRole &custom : ctx.model.customRoles)
    for (const auto &[p, relations] : custom.cells)
      live.set(p);
  for (sema::PermissionId p = 0; p < ctx.permissionCount; ++p) {
    if (live.test(p))
      continue;
    const sema::Permission &permission = ctx.model.permissions[p];
    Finding f;
    f.kind = DiagKind::DeadPermission;
    f.range = permission.decl;
    f.message = fmt::format("permission `{}` is allowed to nobody", permission.name);
    f.help = "grant it to a role, or remove it if the platform has no such action";
    f.permission = p;
    out.push_back(std::move(f));
  }
}

} // namespace lattice::analysis
