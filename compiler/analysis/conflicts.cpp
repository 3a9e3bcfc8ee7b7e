// conflicts.cpp - L1001: an allow and a deny that meet on one request: both match it, through
// one role or two roles that can be held together, under conditions that can both hold. One
// finding per deny rule, with the first such allow as its witness and up to four more as notes.
#include "analysis/passes.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::analysis {
namespace {

/// A request that both rules match, if the search finds one.
std::optional<Witness> meeting(const Context &ctx, uint32_t allow, uint32_t deny) {
  const sema::Rule &a = ctx.model.rules[allow];
  const sema::Rule &d = ctx.model.rules[deny];
  for (sema::RoleId denier : ctx.inheritors[deny])
    for (sema::RoleId allower : ctx.inheritors[allow]) {
      if (!ctx.coHoldable(denier, allower))
        continue;
      for (const Seat &seat : ctx.space.seats()) {
        if (!ctx.roleHoldable(denier, seat.kind) || !ctx.roleHoldable(allower, seat.kind))
          continue;
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel) {
          if (!ctx.reaches(allow, rel) || !ctx.reaches(deny, rel))
            continue;
          PermSet both = ctx.rulePerms[allow];
          both &= ctx.rulePerms[deny];
          both &= ctx.applicable[seat.kind];
          both &= ctx.feasibleAt(seat.scope, rel);
          std::optional<Witness> found;
          both.anyOf([&](size_t p) {
            SatResult sat = ctx.satisfiable(seat, {&a.guard, &d.guard}, {});
            if (sat.sat != Sat::Yes)
              return true; // the same answer for every permission: stop
            std::vector<sema::RoleId> roles{std::min(denier, allower)};
            if (denier != allower)
              roles.push_back(std::max(denier, allower));
            found = Witness{seat, roles, static_cast<sema::PermissionId>(p),
                            static_cast<sema::Relation>(rel), sat.flags};
            return true;
          });
          if (found)
            return found;
        }
      }
    }
  return std::nullopt;
}

/// Resources each rule touches, and per resource the allow rules touching it: a deny can only
/// meet the allows that share one of its resources (rules rarely span many resources).
struct ResourceIndex {
  std::vector<std::vector<sema::ResourceId>> ofRule;
  std::vector<std::vector<uint32_t>> allowsOf;

  explicit ResourceIndex(const Context &ctx) : allowsOf(ctx.model.resources.size()) {
    for (uint32_t rule = 0; rule < ctx.model.rules.size(); ++rule) {
      std::vector<sema::ResourceId> resources;
      for (sema::PermissionId p : ctx.model.rules[rule].permissions)
        if (resources.empty() || resources.back() != ctx.resourceOf[p])
          resources.push_back(ctx.resourceOf[p]); // permissions of a resource are contiguous
      resources.erase(std::unique(resources.begin(), resources.end()), resources.end());
      if (ctx.model.rules[rule].effect == sema::Effect::Allow)
        for (sema::ResourceId r : resources)
          allowsOf[r].push_back(rule);
      ofRule.push_back(std::move(resources));
    }
  }

  /// Allow rules sharing a resource with `deny`, in rule order.
  std::vector<uint32_t> candidates(uint32_t deny) const {
    std::vector<uint32_t> result;
    for (sema::ResourceId r : ofRule[deny])
      result.insert(result.end(), allowsOf[r].begin(), allowsOf[r].end());
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
  }
};

} // namespace

void findConflicts(const Context &ctx, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  ResourceIndex index(ctx);
  for (uint32_t deny = 0; deny < m.rules.size(); ++deny) {
    if (m.rules[deny].effect != sema::Effect::Deny)
      continue;
    std::optional<Finding> finding;
    size_t extra = 0;
    for (uint32_t allow : index.candidates(deny)) {
      if (!ctx.rulePerms[allow].intersects(ctx.rulePerms[deny]))
        continue;
      std::optional<Witness> witness = meeting(ctx, allow, deny);
      if (!witness)
        continue;
      const sema::Rule &a = m.rules[allow];
      if (finding) {
        if (++extra <= 4)
          finding->notes.push_back(
              {a.range,
               fmt::format("it also overrides this allow of role `{}`", m.roles[a.role].name)});
        continue;
      }
      finding.emplace();
      finding->kind = DiagKind::Conflict;
      finding->range = m.rules[deny].range;
      finding->message =
          fmt::format("this deny overrides an allow of role `{}`: both match `{}` at relation `{}`",
                      m.roles[a.role].name, m.permissions[witness->permission].name,
                      sema::relationName(witness->relation));
      finding->notes.push_back({a.range, "the allow is here"});
      finding->help = a.role == m.rules[deny].role
                          ? "if the exception is intended, write it as `except` in the allow"
                          : "if the override is intended, suppress with "
                            "`// lattice: allow(conflict) \"why\"`";
      finding->rules = {allow, deny};
      finding->witness = std::move(witness);
    }
    if (extra > 4)
      finding->notes.push_back({SourceRange{}, fmt::format("and {} more", extra - 4)});
    if (finding)
      out.push_back(std::move(*finding));
  }
}

} // namespace lattice::analysis
