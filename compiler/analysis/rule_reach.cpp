// rule_reach.cpp - unreachable rules (L1101: never decide any request of the request space) and
// redundant rules (L1201: removing them changes no decision). An allow decides a request it
// matches that no deny matches; a deny decides every request it matches. Holding the one role
// that carries an allow at one node is the best case for it (more roles and more memberships
// only add denies and requirements), so allows are searched with that role alone; denies flip a
// decision only where some allow remains: from the same role or one role held beside it at the
// deny's node, or from a role (the same one too) held at another node of the tree.
#include "analysis/passes.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::analysis {

std::vector<const sema::Guard *> conditionalGuards(const Context &ctx, sema::RoleId role,
                                                   sema::Effect effect, sema::PermissionId p,
                                                   unsigned relation, uint32_t skip,
                                                   sema::KindId kind) {
  std::vector<const sema::Guard *> guards;
  for (uint32_t rule : ctx.effectiveRules[role]) {
    const sema::Rule &r = ctx.model.rules[rule];
    if (rule != skip && r.effect == effect && r.appliesTo(kind) && !ctx.unconditional(rule, role) &&
        ctx.covers(rule, p, relation))
      guards.push_back(&r.guard);
  }
  return guards;
}

namespace {

using sema::Effect;

/// All allows (conditional or not) of `role` that cover (p, relation) for a principal of user
/// type `kind`, but `skip`.
std::vector<uint32_t> allowsCovering(const Context &ctx, sema::RoleId role, sema::PermissionId p,
                                     unsigned relation, uint32_t skip, sema::KindId kind) {
  std::vector<uint32_t> rules;
  for (uint32_t rule : ctx.effectiveRules[role])
    if (rule != skip && ctx.model.rules[rule].effect == Effect::Allow &&
        ctx.model.rules[rule].appliesTo(kind) && ctx.covers(rule, p, relation))
      rules.push_back(rule);
  return rules;
}

struct Combined {
  Search result = Search::NotFound;
  void add(Search s) {
    if (s == Search::Found || (s == Search::Unknown && result == Search::NotFound))
      result = s;
  }
};

class RuleSearch {
public:
  RuleSearch(const Context &ctx, uint32_t rule) : ctx(ctx), rule(rule), r(ctx.model.rules[rule]) {}

  /// Does the rule decide any request? With `ignoreDenies`, other denies are not considered
  /// (used to explain why an allow is unreachable).
  Search decidesSome(bool ignoreDenies = false) const {
    Combined all;
    forEachPlace([&](sema::RoleId role, const Seat &seat, unsigned rel, PermSet cand) {
      if (r.effect == Effect::Deny || ignoreDenies) {
        if (!cand.any())
          return false;
        all.add(toSearch(ctx.satisfiable(seat, {&r.guard}, {})));
        return all.result == Search::Found;
      }
      cand.subtract(ctx.uncondDeny[ctx.slot(role, rel)]);
      cand.anyOf([&](size_t p) {
        auto denies = conditionalGuards(ctx, role, Effect::Deny, p, rel, UINT32_MAX, seat.kind);
        all.add(toSearch(ctx.satisfiable(seat, {&r.guard}, denies)));
        return all.result == Search::Found;
      });
      return all.result == Search::Found;
    });
    return all.result;
  }

  /// Does removing the rule change some decision?
  Search removalMatters() const {
    Combined all;
    forEachPlace([&](sema::RoleId role, const Seat &seat, unsigned rel, PermSet cand) {
      size_t at = ctx.slot(role, rel);
      const bool always = ctx.unconditional(rule, role);
      if (r.effect == Effect::Allow) {
        cand.subtract(ctx.uncondDeny[at]);
        cand.subtract(always ? ctx.uncondAllowTwice[at] : ctx.uncondAllow[at]);
        cand.anyOf([&](size_t p) {
          auto negatives =
              conditionalGuards(ctx, role, Effect::Deny, p, rel, UINT32_MAX, seat.kind);
          auto otherAllows = conditionalGuards(ctx, role, Effect::Allow, p, rel, rule, seat.kind);
          negatives.insert(negatives.end(), otherAllows.begin(), otherAllows.end());
          all.add(toSearch(ctx.satisfiable(seat, {&r.guard}, negatives)));
          return all.result == Search::Found;
        });
        return all.result == Search::Found;
      }
      cand.subtract(always ? ctx.uncondDenyTwice[at] : ctx.uncondDeny[at]);
      cand.anyOf([&](size_t p) {
        all.add(denyRemovalMatters(role, seat, rel, p));
        return all.result == Search::Found;
      });
      return all.result == Search::Found;
    });
    return all.result;
  }

  /// Calls f(role, seat, relation, candidate permissions) for every role holding the rule, every
  /// seat of a kind that may hold it and that the rule applies to, and every relation the rule
  /// reaches; stops when f says so. A policy-wide deny is looked at held by the policy role
  /// alone: a membership holding no role is its best case (a role held there only adds rules).
  template <typename F> void forEachPlace(F &&f) const {
    const std::vector<sema::RoleId> policyOnly{ctx.policyRole};
    for (sema::RoleId role : r.policyWide() ? policyOnly : ctx.inheritors[rule])
      for (const Seat &seat : ctx.space.seats()) {
        if (!ctx.roleHoldable(role, seat.kind) || !r.appliesTo(seat.kind))
          continue;
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel) {
          if (!ctx.reaches(rule, rel))
            continue;
          PermSet cand = ctx.rulePerms[rule];
          cand &= ctx.applicable[seat.kind];
          cand &= ctx.feasibleAt(seat.scope, rel);
          if (f(role, seat, rel, std::move(cand)))
            return;
        }
      }
  }

private:
  static Search toSearch(const SatResult &s) {
    return s.sat == Sat::Yes  ? Search::Found
           : s.sat == Sat::No ? Search::NotFound
                              : Search::Unknown;
  }

  /// Without this deny, would (p, rel) be allowed for `role`, alone or beside one other role at
  /// its node, or with one other membership?
  Search denyRemovalMatters(sema::RoleId role, const Seat &seat, unsigned rel, size_t p) const {
    Combined all;
    auto ownDenies = conditionalGuards(ctx, role, Effect::Deny, p, rel, rule, seat.kind);
    auto tryAllows = [&](sema::RoleId holder, const std::vector<const sema::Guard *> &denies) {
      for (uint32_t allow : allowsCovering(ctx, holder, p, rel, UINT32_MAX, seat.kind)) {
        all.add(toSearch(ctx.satisfiable(seat, {&r.guard, &ctx.model.rules[allow].guard}, denies)));
        if (all.result == Search::Found)
          return true;
      }
      return false;
    };
    if (tryAllows(role, ownDenies))
      return all.result;
    for (sema::RoleId other = 0; other < ctx.model.roles.size(); ++other) {
      if (other == role || !ctx.roleHoldable(other, seat.kind) || !ctx.coHoldable(role, other) ||
          !ctx.anyAllow[ctx.slot(other, rel)].test(p))
        continue;
      bool holdsThisDeny = std::binary_search(ctx.effectiveRules[other].begin(),
                                              ctx.effectiveRules[other].end(), rule);
      const PermSet &blocked = holdsThisDeny && ctx.unconditional(rule, other)
                                   ? ctx.uncondDenyTwice[ctx.slot(other, rel)]
                                   : ctx.uncondDeny[ctx.slot(other, rel)];
      if (blocked.test(p))
        continue;
      auto denies = ownDenies;
      auto more = conditionalGuards(ctx, other, Effect::Deny, p, rel, rule, seat.kind);
      denies.insert(denies.end(), more.begin(), more.end());
      if (tryAllows(other, denies))
        return all.result;
    }
    all.add(apartRemovalMatters(role, seat, rel, p, ownDenies));
    return all.result;
  }

  /// Without this deny, would (p, rel) be allowed for a principal holding `role` at `seat` and
  /// one role (the same one too) at another node of the tree, the deny matching through the
  /// first membership and an allow through the second (docs/design.md, "Two memberships")?
  Search apartRemovalMatters(sema::RoleId role, const Seat &seat, unsigned rel, size_t p,
                             const std::vector<const sema::Guard *> &ownDenies) const {
    Combined all;
    const sema::ResourceId resource = ctx.resourceOf[p];
    for (const Seat &other : ctx.space.seats()) {
      if (other.kind != seat.kind)
        continue;
      for (unsigned rb = 0; rb < sema::kRelationCount; ++rb) {
        if (!ctx.feasibleAt(other.scope, rb).test(p) ||
            !ctx.space.apart(resource, seat.scope, sema::Relation(rel), other.scope,
                             sema::Relation(rb)))
          continue;
        for (sema::RoleId holder = 0; holder < ctx.model.roles.size(); ++holder) {
          const size_t at = ctx.slot(holder, rb);
          if (!ctx.roleHoldable(holder, seat.kind) || !ctx.coHoldable(role, holder) ||
              !ctx.anyAllow[at].test(p))
            continue;
          // Denied anyway at B by an unconditional deny other than this one (which counts in
          // the holder's unconditional denies at B only if it reaches B's relation too).
          bool countsHere = ctx.unconditional(rule, holder) && ctx.covers(rule, p, rb) &&
                            std::binary_search(ctx.effectiveRules[holder].begin(),
                                               ctx.effectiveRules[holder].end(), rule);
          const PermSet &blocked = countsHere ? ctx.uncondDenyTwice[at] : ctx.uncondDeny[at];
          if (blocked.test(p))
            continue;
          auto denies = conditionalGuards(ctx, holder, Effect::Deny, p, rb, rule, seat.kind);
          for (uint32_t allow : allowsCovering(ctx, holder, p, rb, UINT32_MAX, seat.kind)) {
            PairSatResult sat = ctx.satisfiablePair(
                seat.kind, seat.scope, GuardSide{{&r.guard}, ownDenies}, other.scope,
                GuardSide{{&ctx.model.rules[allow].guard}, denies});
            all.add(sat.sat == Sat::Yes  ? Search::Found
                    : sat.sat == Sat::No ? Search::NotFound
                                         : Search::Unknown);
            if (all.result == Search::Found)
              return all.result;
          }
        }
      }
    }
    return all.result;
  }

  const Context &ctx;
  uint32_t rule;
  const sema::Rule &r;
};

/// "denied by this rule of `editor`", "denied by this policy-wide deny".
std::string ruleOf(const Context &ctx, uint32_t rule, const char *effect) {
  const sema::Rule &r = ctx.model.rules[rule];
  if (r.policyWide())
    return fmt::format("{} by this policy-wide deny", effect);
  return fmt::format("{} by this rule of `{}`", effect, ctx.model.roles[r.role].name);
}

/// Says why a rule decides nothing, by the first check that fails everywhere: where its
/// permissions can apply, whether a `require` can hold there, whether its condition can, and
/// otherwise (an allow) which deny shadows it. Adds a note at that deny.
/// "`staff` at `tenant`, `agent` at `tenant` or `region`": where the rule applies, by user type.
std::string seatList(const sema::Model &m, const std::vector<Seat> &seats) {
  std::string out;
  for (sema::KindId k = 0; k < m.kinds.size(); ++k) {
    std::string scopes;
    for (const Seat &seat : seats)
      if (seat.kind == k &&
          scopes.find("`" + m.scopeKinds[seat.scope].name + "`") == std::string::npos)
        scopes += (scopes.empty() ? "`" : " or `") + m.scopeKinds[seat.scope].name + "`";
    if (!scopes.empty())
      out += (out.empty() ? "`" : ", `") + m.kinds[k].name + "` at " + scopes;
  }
  return out;
}

/// Why a condition never holds at `seats` (where the rule's permissions apply): a flag each of
/// its clauses needs that can be set at none of them, or else the `require`s of those kinds.
std::string conditionReason(const Context &ctx, const sema::Guard &guard,
                            const std::vector<Seat> &seats) {
  const sema::Model &m = ctx.model;
  sema::FlagMask settable = 0; // settable at some seat
  for (const Seat &seat : seats)
    settable |= ctx.space.flags(seat);
  sema::FlagMask needed = 0; // per clause, the first flag it needs that is settable nowhere
  bool everyClauseBlocked = !guard.clauses.empty();
  for (const sema::Clause &clause : guard.clauses) {
    sema::FlagMask missing = clause.required & ~settable;
    everyClauseBlocked &= missing != 0;
    if (missing != 0)
      needed |= missing & (~missing + 1);
  }
  if (everyClauseBlocked) {
    std::string flags;
    for (sema::FlagId f = 0; f < m.flags.size(); ++f)
      if (needed >> f & 1)
        flags += (flags.empty() ? "`" : " or `") + m.flags[f].name + "`";
    return fmt::format("its condition needs {}, which can never be set for {}, where its "
                       "permissions apply",
                       flags, seatList(m, seats));
  }
  // The condition could hold by its flags alone: a `require` of those user types rules it out.
  std::string requirements;
  for (const sema::Requirement &requirement : m.requirements) {
    bool applies = false;
    for (const Seat &seat : seats)
      applies |= (requirement.kinds >> seat.kind & 1) != 0;
    if (applies)
      requirements += fmt::format("{}`require {}`", requirements.empty() ? "" : ", ",
                                  sema::conditionWords(m, requirement.guard));
  }
  if (!requirements.empty())
    return fmt::format("its condition `{}` contradicts {} for {}", sema::conditionWords(m, guard),
                       requirements, seatList(m, seats));
  return "its condition never holds where its permissions apply";
}

std::string unreachableReason(const Context &ctx, uint32_t rule, const RuleSearch &search,
                              Finding &finding) {
  const sema::Rule &r = ctx.model.rules[rule];
  const std::string holders = ctx.holdersOf(rule);
  bool applies = false, requirementHolds = false, conditionHolds = false;
  std::vector<Seat> seats; // where its permissions apply
  search.forEachPlace([&](sema::RoleId, const Seat &seat, unsigned, const PermSet &cand) {
    if (!cand.any())
      return false;
    applies = true;
    if (std::find(seats.begin(), seats.end(), seat) == seats.end())
      seats.push_back(seat);
    requirementHolds |= ctx.satisfiable(seat, {}, {}).sat != Sat::No;
    conditionHolds |= ctx.satisfiable(seat, {&r.guard}, {}).sat != Sat::No;
    return false;
  });
  if (!applies) {
    // A resource that is a scope is asked about at its instance's own node, not its owner's.
    const bool nodes = std::all_of(r.permissions.begin(), r.permissions.end(), [&](auto p) {
      return ctx.model.resources[ctx.resourceOf[p]].scope.has_value();
    });
    return fmt::format("its permissions never apply at relation `{}` for {} ({})",
                       sema::reachName(r.reach), holders,
                       nodes ? "where their resources' own nodes can be"
                             : "where their resources can be owned");
  }
  if (!requirementHolds)
    return fmt::format("a `require` never holds for {}", holders);
  if (!conditionHolds)
    return conditionReason(ctx, r.guard, seats);
  if (r.effect == sema::Effect::Deny || search.decidesSome(true) == Search::NotFound)
    return "its condition never holds where its permissions apply";
  // Shadowed: point at a deny of the role that covers one of its permissions.
  for (uint32_t other : ctx.effectiveRules[ctx.ownerOf(rule)]) {
    const sema::Rule &d = ctx.model.rules[other];
    if (d.effect == sema::Effect::Deny && ctx.rulePerms[other].intersects(ctx.rulePerms[rule]) &&
        (sema::reachRelations(d.reach) & sema::reachRelations(r.reach)) != 0 &&
        (d.kinds & r.kinds) != 0) {
      finding.notes.push_back({d.range, ruleOf(ctx, other, "denied")});
      break;
    }
  }
  return "every request it matches is denied by a deny rule";
}

/// Adds a note at another rule of the role that also matches what `rule` matches.
void noteCoveringRule(const Context &ctx, uint32_t rule, Finding &finding) {
  const sema::Rule &r = ctx.model.rules[rule];
  for (uint32_t other : ctx.effectiveRules[ctx.ownerOf(rule)]) {
    const sema::Rule &o = ctx.model.rules[other];
    if (other == rule || o.effect != r.effect ||
        !ctx.rulePerms[other].intersects(ctx.rulePerms[rule]) ||
        (sema::reachRelations(o.reach) & sema::reachRelations(r.reach)) == 0 ||
        (o.kinds & r.kinds) == 0)
      continue;
    finding.notes.push_back(
        {o.range,
         "also " + ruleOf(ctx, other, o.effect == sema::Effect::Allow ? "allowed" : "denied")});
    return;
  }
}

/// Whether deny `rule` may match a request allowed by a custom role (one holding every cell of
/// its ceiling, held beside the rule's role, or beside none for a policy-wide deny): its
/// permission at a relation the ceiling reaches, for a user type of the ceiling the rule applies
/// to. The searches here know compiled roles only, so such a deny is never called unreachable
/// or redundant: removing it could let a custom role through.
bool denyMeetsCeiling(const Context &ctx, uint32_t rule) {
  const sema::Rule &r = ctx.model.rules[rule];
  if (r.effect != sema::Effect::Deny)
    return false;
  const sema::KindMask kinds = r.kinds & ctx.kindsOf(ctx.ownerOf(rule));
  for (const sema::CustomRole &custom : ctx.model.customRoles)
    if (custom.kinds & kinds)
      for (const auto &[p, relations] : custom.cells)
        if ((relations & sema::reachRelations(r.reach)) != 0 && ctx.rulePerms[rule].test(p))
          return true;
  return false;
}

} // namespace

void findUnreachableAndRedundantRules(Context ctx, std::vector<Finding> &out) {
  for (uint32_t rule = 0; rule < ctx.model.rules.size(); ++rule) {
    const sema::Rule &r = ctx.model.rules[rule];
    if (r.permissions.empty() || r.guard.isNever())
      continue; // already a front-end warning (L0210, L0214)
    if (denyMeetsCeiling(ctx, rule))
      continue;
    RuleSearch search(ctx, rule);
    Search decides = search.decidesSome();
    if (decides == Search::NotFound) {
      Finding f;
      f.kind = DiagKind::UnreachableRule;
      f.range = r.range;
      f.message = fmt::format("this rule can never decide a request: {}",
                              unreachableReason(ctx, rule, search, f));
      f.help = "remove the rule, or fix what keeps it from applying";
      f.rules = {rule};
      out.push_back(std::move(f));
      ctx.removeRule(rule);
      continue;
    }
    if (decides == Search::Unknown || search.removalMatters() != Search::NotFound)
      continue;
    Finding f;
    f.kind = DiagKind::RedundantRule;
    f.range = r.range;
    f.message = r.effect == sema::Effect::Allow
                    ? "this rule is redundant: every request it allows is allowed by other rules"
                    : "this rule is redundant: every request it denies is denied anyway";
    f.help = "remove the rule; no decision changes";
    f.rules = {rule};
    noteCoveringRule(ctx, rule, f);
    out.push_back(std::move(f));
    ctx.removeRule(rule);
  }
}

} // namespace lattice::analysis
