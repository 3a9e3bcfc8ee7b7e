// rights.cpp - the rights of one role held alone, by search over seats, relations and flags.
// Holding more roles, or the role at more nodes, never removes an allow's deniers, so a right
// held alone at one node is the baseline: what a principal holding only this role (at any number
// of nodes) is ever allowed, one membership of it is allowed alone.
#include "analysis/rights.h"

#include "analysis/passes.h"

namespace lattice::analysis {
namespace {

/// Whether `role` alone at `seat` is allowed `p` at `rel`; the witness flags when it is.
SatResult allowedAt(const Context &ctx, sema::RoleId role, const Seat &seat, size_t p,
                    unsigned rel) {
  if (ctx.uncondDeny[ctx.slot(role, rel)].test(p))
    return {Sat::No, 0};
  auto denies = conditionalGuards(ctx, role, sema::Effect::Deny, p, rel, UINT32_MAX, seat.kind);
  bool unknown = false;
  for (uint32_t rule : ctx.effectiveRules[role]) {
    const sema::Rule &r = ctx.model.rules[rule];
    if (r.effect != sema::Effect::Allow || !r.appliesTo(seat.kind) || !ctx.covers(rule, p, rel))
      continue;
    SatResult sat = ctx.satisfiable(seat, {&r.guard}, denies);
    if (sat.sat == Sat::Yes)
      return sat;
    unknown |= sat.sat == Sat::Unknown;
  }
  return {unknown ? Sat::Unknown : Sat::No, 0};
}

} // namespace

Rights rightsOf(const Context &ctx, sema::RoleId role) {
  Rights rights{std::vector<PermSet>(sema::kRelationCount),
                std::vector<PermSet>(sema::kRelationCount)};
  for (const Seat &seat : ctx.space.seats()) {
    if (!ctx.roleHoldable(role, seat.kind))
      continue;
    for (unsigned rel = 0; rel < sema::kRelationCount; ++rel) {
      PermSet cand = ctx.anyAllow[ctx.slot(role, rel)];
      cand &= ctx.applicable[seat.kind];
      cand &= ctx.feasibleAt(seat.scope, rel);
      cand.anyOf([&](size_t p) {
        if (rights.sure[rel].test(p))
          return false;
        SatResult sat = allowedAt(ctx, role, seat, p, rel);
        if (sat.sat == Sat::Yes)
          rights.sure[rel].set(p);
        if (sat.sat != Sat::No)
          rights.maybe[rel].set(p);
        return false;
      });
    }
  }
  return rights;
}

std::optional<Witness> allowedWitness(const Context &ctx, sema::RoleId role, sema::PermissionId p,
                                      unsigned relation) {
  for (const Seat &seat : ctx.space.seats()) {
    if (!ctx.roleHoldable(role, seat.kind) || !ctx.applicable[seat.kind].test(p) ||
        !ctx.feasibleAt(seat.scope, relation).test(p))
      continue;
    SatResult sat = allowedAt(ctx, role, seat, p, relation);
    if (sat.sat == Sat::Yes)
      return Witness::single(ctx.space, seat, {role}, p, static_cast<sema::Relation>(relation),
                             sat.flags);
  }
  return std::nullopt;
}

} // namespace lattice::analysis
