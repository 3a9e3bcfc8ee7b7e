// custom_roles.cpp - findings about custom role ceilings, each taken as the worst case (a custom
// role holding every cell of its ceiling): L1410, a creator that may build a role holding a right
// it lacks itself (privilege escalation by custom role, with the witness request), and L1510, a
// ceiling that lets one custom role hold what an `exclusive` set keeps apart.
#include "analysis/passes.h"

#include <fmt/format.h>

namespace lattice::analysis {
namespace {

PermSet anywhere(const std::vector<PermSet> &byRelation) {
  PermSet all;
  for (const PermSet &set : byRelation)
    all |= set;
  return all;
}

/// A request in which a custom role of `custom` holding `p` at `relation` is allowed: a seat of
/// one of its user types where the relation occurs for p's resource, with flags under which the
/// `require`s hold and no policy-wide deny covering (p, relation) applies.
std::optional<std::pair<Seat, sema::FlagMask>> customWitness(const Context &ctx,
                                                             const sema::CustomRole &custom,
                                                             sema::PermissionId p,
                                                             unsigned relation) {
  const sema::Model &m = ctx.model;
  for (const Seat &seat : ctx.space.seats()) {
    if (!((custom.kinds >> seat.kind) & 1) ||
        !((m.permissions[p].applicableKinds >> seat.kind) & 1) ||
        !ctx.feasibleAt(seat.scope, relation).test(p))
      continue;
    std::vector<const sema::Guard *> denies;
    for (uint32_t rule : m.policyRules)
      if (ctx.covers(rule, p, relation) && m.rules[rule].appliesTo(seat.kind))
        denies.push_back(&m.rules[rule].guard);
    const SatResult sat = ctx.satisfiable(seat, {}, denies);
    if (sat.sat == Sat::Yes)
      return std::make_pair(seat, sat.flags);
  }
  return std::nullopt;
}

std::string flagWords(const sema::Model &m, sema::FlagMask flags) {
  std::string words;
  for (sema::FlagId f = 0; f < m.flags.size(); ++f)
    if ((flags >> f) & 1)
      words += (words.empty() ? "" : ", ") + m.flags[f].name;
  return words.empty() ? "no flags" : "flags `" + words + "`";
}

} // namespace

void findCustomRoleEscalations(const Context &ctx, const std::vector<Rights> &rights,
                               std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  for (const sema::CustomRole &custom : m.customRoles)
    for (const auto &[creator, site] : custom.creatorSites) {
      // As for `assigns` (L1401): a right is a permission wherever it is held, and permissions
      // that apply to no user type of the creator are not its to lack.
      PermSet applicable;
      for (sema::KindId k = 0; k < m.kinds.size(); ++k)
        if (ctx.roleHoldable(creator, k))
          applicable |= ctx.applicable[k];
      const PermSet held = anywhere(rights[creator].maybe);
      for (const auto &[p, relations] : custom.cells) {
        if (!applicable.test(p) || held.test(p))
          continue;
        std::optional<std::pair<Seat, sema::FlagMask>> witness;
        unsigned relation = 0;
        for (; relation < sema::kRelationCount && !witness; ++relation)
          if ((relations >> relation) & 1)
            witness = customWitness(ctx, custom, p, relation);
        if (!witness)
          continue;
        --relation;
        Finding f;
        f.kind = DiagKind::CustomRoleEscalation;
        f.range = site;
        f.message = fmt::format(
            "role `{}` can create custom roles of `{}`, whose ceiling holds `{}` (at relation "
            "`{}`); `{}` does not hold it anywhere",
            m.roles[creator].name, custom.name, m.permissions[p].name,
            sema::relationName(static_cast<sema::Relation>(relation)), m.roles[creator].name);
        f.notes.push_back(
            {custom.decl,
             fmt::format("a custom role of `{}` holding `{}` is allowed it: a principal of user "
                         "type `{}` holding it at a node of kind `{}`, with {}",
                         custom.name, m.permissions[p].name, m.kinds[witness->first.kind].name,
                         m.scopeKinds[witness->first.scope].name, flagWords(m, witness->second))});
        f.help = fmt::format("leave `{}` out of the ceiling of `{}`, give it to `{}`, or let "
                             "another role create these custom roles",
                             m.permissions[p].name, custom.name, m.roles[creator].name);
        f.roles = {creator};
        f.permission = p;
        out.push_back(std::move(f));
        break; // one finding per creator of a ceiling: the first permission it lacks
      }
    }
}

void findCustomRoleConflicts(const Context &ctx, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  // A policy-wide deny holds through every membership, so it meets a custom role held at any
  // node: the first cell of each ceiling it overrides, with a request where both apply.
  for (uint32_t rule : m.policyRules) {
    const sema::Rule &deny = m.rules[rule];
    for (const sema::CustomRole &custom : m.customRoles) {
      bool found = false;
      for (const auto &[p, relations] : custom.cells) {
        if (found)
          break;
        for (unsigned relation = 0; relation < sema::kRelationCount && !found; ++relation) {
          if (!((relations >> relation) & 1) || !ctx.covers(rule, p, relation))
            continue;
          for (const Seat &seat : ctx.space.seats()) {
            if (!((custom.kinds >> seat.kind) & 1) || !deny.appliesTo(seat.kind) ||
                !((m.permissions[p].applicableKinds >> seat.kind) & 1) ||
                !ctx.feasibleAt(seat.scope, relation).test(p))
              continue;
            const SatResult sat = ctx.satisfiable(seat, {&deny.guard}, {});
            if (sat.sat != Sat::Yes)
              continue;
            Finding f;
            f.kind = DiagKind::Conflict;
            f.range = deny.range;
            f.message = fmt::format(
                "this deny overrides what custom roles of `{}` may hold: `{}` at relation `{}`{}",
                custom.name, m.permissions[p].name,
                sema::relationName(static_cast<sema::Relation>(relation)),
                deny.guard.isAlways()
                    ? std::string()
                    : fmt::format(" when `{}`", sema::conditionWords(m, deny.guard)));
            f.notes.push_back({custom.decl, fmt::format("the ceiling of `{}` holds `{}` here",
                                                        custom.name, m.permissions[p].name)});
            f.help = fmt::format("if the override is intended, suppress with `// lattice: "
                                 "allow(conflict) \"why\"`; else leave `{}` out of the ceiling",
                                 m.permissions[p].name);
            f.rules = {rule};
            f.permission = p;
            out.push_back(std::move(f));
            found = true;
            break;
          }
        }
      }
    }
  }
}

void findCustomRolesSpanningExclusives(const Context &ctx, const std::vector<Rights> &rights,
                                       std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  for (const sema::CustomRole &custom : m.customRoles) {
    // The ceiling's permissions that apply to each of its user types.
    for (const sema::ExclusiveSet &set : m.exclusives) {
      bool reported = false;
      for (size_t i = 0; i < set.roles.size() && !reported; ++i)
        for (size_t j = 0; j < set.roles.size() && !reported; ++j) {
          if (i == j)
            continue;
          const sema::RoleId a = set.roles[i], b = set.roles[j];
          const PermSet onlyA = [&] {
            PermSet s = anywhere(rights[a].sure);
            s.subtract(anywhere(rights[b].maybe));
            return s;
          }();
          const PermSet onlyB = [&] {
            PermSet s = anywhere(rights[b].sure);
            s.subtract(anywhere(rights[a].maybe));
            return s;
          }();
          for (sema::KindId k = 0; k < m.kinds.size() && !reported; ++k) {
            if (!((custom.kinds >> k) & 1))
              continue;
            std::optional<sema::PermissionId> pa, pb;
            for (const auto &[p, relations] : custom.cells) {
              if (!((m.permissions[p].applicableKinds >> k) & 1))
                continue;
              if (!pa && onlyA.test(p))
                pa = p;
              if (!pb && onlyB.test(p))
                pb = p;
            }
            if (!pa || !pb || a > b) // each unordered pair once
              continue;
            Finding f;
            f.kind = DiagKind::CustomRoleSpansExclusive;
            f.range = custom.decl;
            f.message = fmt::format(
                "custom role `{}` may hold `{}` of `{}` and `{}` of `{}` together, which are "
                "exclusive",
                custom.name, m.permissions[*pa].name, m.roles[a].name, m.permissions[*pb].name,
                m.roles[b].name);
            f.notes.push_back({set.decl, "the exclusive set is declared here"});
            f.help = fmt::format("keep the rights of at most one of `{}` and `{}` in the "
                                 "ceiling, or split it into one ceiling per side",
                                 m.roles[a].name, m.roles[b].name);
            f.roles = {a, b};
            out.push_back(std::move(f));
            reported = true;
          }
        }
    }
  }
}

} // namespace lattice::analysis
