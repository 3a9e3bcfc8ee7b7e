// delegation.cpp - findings about `assigns`: L1401 privilege escalation (a role may give away a
// right it does not hold itself, with the witness right) and L1601/L1602 lifecycle (assigning a
// locked or deprecated role). A conditional `assigns` escalates only if its condition can hold
// for a holder of the assigner (its own flags and its node's, under the `require`s).
#include "analysis/passes.h"

#include <fmt/format.h>

namespace lattice::analysis {

void findEscalations(const Context &ctx, const std::vector<Rights> &rights,
                     std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  // A right here is a permission, wherever it is held: who assigns a role at the tenant may
  // well reach more nodes than the account-level role it hands out. Permissions that do not
  // apply to any user type of the assigner are not its to lack (a tenant operator inviting
  // account owners who create sites is delegation, not escalation).
  auto anywhere = [&](const std::vector<PermSet> &byRelation) {
    PermSet all;
    for (const PermSet &set : byRelation)
      all |= set;
    return all;
  };
  for (sema::RoleId assigner = 0; assigner < m.roles.size(); ++assigner) {
    PermSet applicable;
    for (sema::KindId k = 0; k < m.kinds.size(); ++k)
      if (ctx.roleHoldable(assigner, k))
        applicable |= ctx.applicable[k];
    PermSet held = anywhere(rights[assigner].maybe);
    for (const auto &[assigned, site] : m.roles[assigner].assignSites) {
      const sema::Guard *condition = m.roles[assigner].assignGuard(assigned);
      if (assigned == assigner || !condition)
        continue;
      // Whether the assignment can happen: a seat of the assigner with flags it can have that
      // satisfy the condition (`require`s do not gate delegation: lattice_can_assign_with).
      bool possible = false;
      for (const Seat &seat : ctx.space.seats())
        possible = possible || (ctx.roleHoldable(assigner, seat.kind) &&
                                ctx.satisfiableUnrequired(seat, *condition).sat == Sat::Yes);
      if (!possible)
        continue;
      PermSet gained = anywhere(rights[assigned].sure);
      gained &= applicable;
      gained.subtract(held);
      std::optional<Witness> witness;
      // A copy: clang 15 and older reject capturing a structured binding (allowed since C++20).
      gained.anyOf([&, target = assigned](size_t p) {
        for (unsigned rel = 0; rel < sema::kRelationCount && !witness; ++rel)
          witness = allowedWitness(ctx, target, static_cast<sema::PermissionId>(p), rel);
        return witness.has_value();
      });
      if (!witness)
        continue;
      Finding f;
      f.kind = DiagKind::PrivilegeEscalation;
      f.range = site;
      f.message = fmt::format(
          "role `{}` can assign `{}`{}, which holds `{}` (at relation `{}`); `{}` "
          "does not hold it anywhere",
          m.roles[assigner].name, m.roles[assigned].name,
          condition->isAlways() ? std::string()
                                : fmt::format(" when `{}`", sema::conditionWords(m, *condition)),
          m.permissions[witness->permission].name,
          sema::relationName(witness->memberships[0].relation), m.roles[assigner].name);
      f.notes.push_back(
          {m.roles[assigned].decl, fmt::format("`{}` is declared here", m.roles[assigned].name)});
      f.help = fmt::format("give `{}` that permission too, or stop it assigning `{}`",
                           m.roles[assigner].name, m.roles[assigned].name);
      f.roles = {assigner, assigned};
      f.witness = std::move(witness);
      out.push_back(std::move(f));
    }
  }
}

void findLifecycleProblems(const Context &ctx, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  for (sema::RoleId assigner = 0; assigner < m.roles.size(); ++assigner)
    for (const auto &[assigned, site] : m.roles[assigner].assignSites) {
      const sema::Role &target = m.roles[assigned];
      if (!target.locked && !target.deprecated)
        continue;
      Finding f;
      f.kind = target.locked ? DiagKind::LockedRoleAssigned : DiagKind::DeprecatedRoleAssigned;
      f.range = site;
      f.message =
          target.locked
              ? fmt::format("role `{}` assigns `{}`, which is locked: nobody may be given it",
                            m.roles[assigner].name, target.name)
              : fmt::format("role `{}` assigns `{}`, which is deprecated{}", m.roles[assigner].name,
                            target.name,
                            target.deprecationNote.empty() ? std::string()
                                                           : ": " + target.deprecationNote);
      f.notes.push_back({target.decl, fmt::format("`{}` is declared here", target.name)});
      f.help = fmt::format("remove `{}` from the `assigns` of `{}`", target.name,
                           m.roles[assigner].name);
      f.roles = {assigner, assigned};
      out.push_back(std::move(f));
    }
}

} // namespace lattice::analysis
