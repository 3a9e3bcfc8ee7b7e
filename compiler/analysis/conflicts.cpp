// conflicts.cpp - L1001: an allow and a deny that meet on one request: both match it, through
// one role or two roles that can be held together, under conditions that can both hold, at one
// node or through two memberships at distinct nodes of one tree. One finding per deny rule, with
// the first such allow as its witness and up to four more as notes; allows met at one node come
// first, and two memberships are searched only for a deny that meets no allow at one node.
#include "analysis/passes.h"

#include <algorithm>
#include <fmt/format.h>
#include <string_view>

namespace lattice::analysis {
namespace {

/// Per rule, packed, what the pair search reads for every allow: at 10,000 roles it looks at
/// millions of pairs, and scattered reads of rules, inheritor lists and roles were its cost.
struct RuleFacts {
  sema::KindMask holderKinds = 0; // kinds of the roles holding the rule
  sema::RelationMask reach = 0;
  bool always = false;       // unconditional
  bool exclusiveFree = true; // no role holding it is in an exclusive set

  RuleFacts(const Context &ctx, uint32_t rule)
      : reach(sema::reachRelations(ctx.model.rules[rule].reach)),
        always(ctx.model.rules[rule].guard.isAlways()) {
    for (sema::RoleId role : ctx.inheritors[rule]) {
      holderKinds |= ctx.kindsOf(role);
      exclusiveFree &= ctx.exclusiveSetsOf[role].empty();
    }
    holderKinds &= ctx.model.rules[rule].kinds; // a rule with `for` applies to those only
    // A policy-wide deny is held wherever the allow's role is: exclusivity never separates them.
    exclusiveFree |= ctx.model.rules[rule].policyWide();
  }
};

/// Calls f(denier, allower) for the pairs of roles holding `deny` and `allow` that may be held
/// together, in (denier, allower) order, until f returns true. A policy-wide deny is held with
/// every role (its implicit role is): its denier is the allower itself.
template <typename F>
bool forEachHolderPair(const Context &ctx, uint32_t deny, uint32_t allow, F &&f) {
  if (ctx.model.rules[deny].policyWide()) {
    for (sema::RoleId allower : ctx.inheritors[allow])
      if (f(allower, allower))
        return true;
    return false;
  }
  for (sema::RoleId denier : ctx.inheritors[deny])
    for (sema::RoleId allower : ctx.inheritors[allow])
      if (ctx.coHoldable(denier, allower) && f(denier, allower))
        return true;
  return false;
}

/// Per (seat, relation), `s * kRelationCount + rel`: the permissions `deny` matches there, those
/// of its permissions that apply to the seat's user type and can be asked at that relation
/// (none where it does not reach, or is not for the seat's user type).
std::vector<PermSet> deniedPerPlace(const Context &ctx, uint32_t deny) {
  const std::vector<Seat> &seats = ctx.space.seats();
  std::vector<PermSet> denied(seats.size() * sema::kRelationCount);
  for (size_t s = 0; s < seats.size(); ++s)
    for (unsigned rel = 0; rel < sema::kRelationCount; ++rel) {
      if (!ctx.reaches(deny, rel) || !ctx.model.rules[deny].appliesTo(seats[s].kind))
        continue;
      PermSet &here = denied[s * sema::kRelationCount + rel];
      here = ctx.rulePerms[deny];
      here &= ctx.applicable[seats[s].kind];
      here &= ctx.feasibleAt(seats[s].scope, rel);
    }
  return denied;
}

/// Finds requests that one deny and each of many allows both match. The deny's side of every
/// (seat, relation) is computed once per deny, and whether a pair of rules meets at a place does
/// not depend on which roles hold them, so that is computed at most once per pair; the roles
/// only decide which places count.
class MeetingSearch {
public:
  MeetingSearch(const Context &ctx, const std::vector<RuleFacts> &facts, uint32_t deny)
      : ctx(ctx), facts(facts), deny(deny), d(ctx.model.rules[deny]), seats(ctx.space.seats()),
        denied(deniedPerPlace(ctx, deny)), places(denied.size()), whenAlways(seats.size()) {}

  /// Whether `allow` and the deny both match some request (then witness() says which).
  bool meets(uint32_t allow) {
    allowRule = allow;
    const RuleFacts &a = facts[allow], &dFacts = facts[deny];
    if ((a.reach & dFacts.reach) == 0)
      return false;
    std::fill(places.begin(), places.end(), Place{});
    if (!a.exclusiveFree && !dFacts.exclusiveFree)
      return search();
    // Every holder of one rule may be held beside every holder of the other: a place counts
    // if some holder of each may sit at its seat.
    const sema::KindMask kinds = a.holderKinds & dFacts.holderKinds;
    for (size_t s = 0; s < seats.size(); ++s)
      if ((kinds >> seats[s].kind) & 1)
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
          if (at(s, rel).state == Place::Met)
            return true;
    return false;
  }

  /// The first request the last allow given to meets() and the deny both match, in (denier,
  /// allower, seat, relation, permission) order. Only after meets() returned true.
  Witness witness() {
    search();
    std::vector<sema::RoleId> roles{std::min(found.denier, found.allower)};
    if (found.denier != found.allower)
      roles.push_back(std::max(found.denier, found.allower));
    const Place &place = places[found.seat * sema::kRelationCount + found.relation];
    return Witness::single(ctx.space, seats[found.seat], roles, place.permission,
                           static_cast<sema::Relation>(found.relation), place.flags);
  }

private:
  struct Place {
    enum State : uint8_t { NotComputed, Apart, Met } state = NotComputed;
    sema::PermissionId permission = 0;
    sema::FlagMask flags = 0;
  };

  /// The search in witness order, over each pair of holders; sets `found`.
  bool search() {
    return forEachHolderPair(ctx, deny, allowRule, [&](sema::RoleId denier, sema::RoleId allower) {
      for (size_t s = 0; s < seats.size(); ++s) {
        if (!ctx.roleHoldable(denier, seats[s].kind) || !ctx.roleHoldable(allower, seats[s].kind))
          continue;
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
          if (at(s, rel).state == Place::Met) {
            found = {denier, allower, s, rel};
            return true;
          }
      }
      return false;
    });
  }

  /// Whether both rules match a request at seat `s` and relation `rel`: the first permission
  /// both name that applies there, under a flag set satisfying both conditions.
  const Place &at(size_t s, unsigned rel) {
    Place &place = places[s * sema::kRelationCount + rel];
    if (place.state != Place::NotComputed)
      return place;
    place.state = Place::Apart;
    if (!((facts[allowRule].reach >> rel) & 1) ||
        !ctx.model.rules[allowRule].appliesTo(seats[s].kind))
      return place;
    std::optional<size_t> p =
        ctx.rulePerms[allowRule].firstCommon(denied[s * sema::kRelationCount + rel]);
    if (!p)
      return place;
    SatResult sat = satisfiable(s);
    if (sat.sat == Sat::Yes)
      place = {Place::Met, static_cast<sema::PermissionId>(*p), sat.flags};
    return place;
  }

  /// Both conditions at seat `s`; most allows are unconditional, which leaves the deny's alone.
  SatResult satisfiable(size_t s) {
    const sema::Rule &a = ctx.model.rules[allowRule];
    if (!facts[allowRule].always)
      return ctx.satisfiable(seats[s], {&a.guard, &d.guard}, {});
    if (!whenAlways[s])
      whenAlways[s] = ctx.satisfiable(seats[s], {&a.guard, &d.guard}, {});
    return *whenAlways[s];
  }

  const Context &ctx;
  const std::vector<RuleFacts> &facts;
  uint32_t deny;
  const sema::Rule &d;
  const std::vector<Seat> &seats;
  std::vector<PermSet> denied;                      // per (seat, relation): what the deny matches
  std::vector<Place> places;                        // per (seat, relation) of the current allow
  std::vector<std::optional<SatResult>> whenAlways; // per seat, with an unconditional allow
  uint32_t allowRule = 0;
  struct {
    sema::RoleId denier, allower;
    size_t seat;
    unsigned relation;
  } found{};
};

/// Finds requests with two memberships at distinct nodes of one tree, the deny matching through
/// the first and an allow through the second: each at its own relation to the target and with
/// its own node's flags, the principal's flags shared (docs/design.md, "Two memberships").
class ApartSearch {
public:
  ApartSearch(const Context &ctx, const std::vector<RuleFacts> &facts, uint32_t deny)
      : ctx(ctx), facts(facts), deny(deny), seats(ctx.space.seats()),
        denied(deniedPerPlace(ctx, deny)) {}

  /// The first request (in denier, allower, deny's seat and relation, allow's seat and relation,
  /// permission order) that `allow` and the deny both match through two memberships, if any.
  std::optional<Witness> meets(uint32_t allow) {
    const RuleFacts &a = facts[allow], &d = facts[deny];
    if ((a.holderKinds & d.holderKinds) == 0)
      return std::nullopt;
    sat.assign(seats.size() * seats.size(), std::nullopt);
    const sema::Rule &allowRule = ctx.model.rules[allow];
    const sema::Rule &denyRule = ctx.model.rules[deny];
    std::optional<Witness> found;
    forEachHolderPair(ctx, deny, allow, [&](sema::RoleId denier, sema::RoleId allower) {
      for (size_t sa = 0; sa < seats.size(); ++sa) {
        const Seat &seatA = seats[sa];
        if (!ctx.roleHoldable(denier, seatA.kind) || !ctx.roleHoldable(allower, seatA.kind) ||
            !allowRule.appliesTo(seatA.kind))
          continue;
        for (unsigned ra = 0; ra < sema::kRelationCount; ++ra) {
          const PermSet &deniedHere = denied[sa * sema::kRelationCount + ra];
          if (!deniedHere.any())
            continue;
          for (size_t sb = 0; sb < seats.size(); ++sb) {
            const Seat &seatB = seats[sb];
            if (seatB.kind != seatA.kind)
              continue;
            for (unsigned rb = 0; rb < sema::kRelationCount; ++rb) {
              if (!((a.reach >> rb) & 1))
                continue;
              PermSet both = deniedHere;
              both &= ctx.rulePerms[allow];
              both &= ctx.feasibleAt(seatB.scope, rb);
              std::optional<size_t> permission;
              both.anyOf([&](size_t p) {
                if (!ctx.space.apart(ctx.resourceOf[p], seatA.scope, sema::Relation(ra),
                                     seatB.scope, sema::Relation(rb)))
                  return false;
                permission = p;
                return true;
              });
              if (!permission)
                continue;
              std::optional<PairSatResult> &flags = sat[sa * seats.size() + sb];
              if (!flags)
                flags =
                    ctx.satisfiablePair(seatA.kind, seatA.scope, GuardSide{{&denyRule.guard}, {}},
                                        seatB.scope, GuardSide{{&allowRule.guard}, {}});
              if (flags->sat != Sat::Yes)
                continue;
              Witness w;
              w.kind = seatA.kind;
              w.principalFlags = flags->principal;
              w.permission = static_cast<sema::PermissionId>(*permission);
              w.memberships = {{seatA.scope, {denier}, sema::Relation(ra), flags->nodeA},
                               {seatB.scope, {allower}, sema::Relation(rb), flags->nodeB}};
              for (sema::ScopeKindId o : ctx.space.targetKinds(ctx.resourceOf[*permission]))
                if (ctx.space.apartAt(o, seatA.scope, sema::Relation(ra), seatB.scope,
                                      sema::Relation(rb))) {
                  w.target = o;
                  break;
                }
              found = std::move(w);
              return true;
            }
          }
        }
      }
      return false;
    });
    return found;
  }

private:
  const Context &ctx;
  const std::vector<RuleFacts> &facts;
  uint32_t deny;
  const std::vector<Seat> &seats;
  std::vector<PermSet> denied; // per (seat, relation): what the deny matches
  // Per (deny's seat, allow's seat) of the current allow: both conditions and the requirements.
  std::vector<std::optional<PairSatResult>> sat;
};

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

/// "an `account`": the indefinite article of a backticked name.
std::string aKind(const std::string &name) {
  const bool vowel =
      !name.empty() && std::string_view("aeiouAEIOU").find(name[0]) != std::string_view::npos;
  return fmt::format("{} `{}`", vowel ? "an" : "a", name);
}

/// Where a membership's node is, seen from the target: "there", "at a `tenant` above it", ...
std::string placeOf(const sema::Model &m, const WitnessMembership &membership, bool another) {
  const std::string kind = another
                               ? fmt::format("another `{}`", m.scopeKinds[membership.scope].name)
                               : aKind(m.scopeKinds[membership.scope].name);
  switch (membership.relation) {
  case sema::Relation::Same:
    return "there";
  case sema::Relation::Descendant:
    return fmt::format("at {} above it", kind);
  case sema::Relation::Ancestor:
    return fmt::format("at {} below it", kind);
  case sema::Relation::Tenant:
    break;
  }
  return fmt::format("at {} elsewhere in its tree", kind);
}

/// "for example, a `staff` asking for `doc.write` on an `account`, holding `editor` there and
/// `auditor` at a `tenant` above it: ...": the witness of a two-membership finding in words.
std::string apartExample(const sema::Model &m, const Witness &witness) {
  const WitnessMembership &denying = witness.memberships[0], &allowing = witness.memberships[1];
  const bool another = denying.scope == allowing.scope && denying.relation == allowing.relation;
  return fmt::format("for example, {} asking for `{}` on {}, holding `{}` {} and `{}` {}: a deny "
                     "through any membership decides the request",
                     aKind(m.kinds[witness.kind].name), m.permissions[witness.permission].name,
                     aKind(m.scopeKinds[witness.target].name), m.roles[allowing.roles[0]].name,
                     placeOf(m, allowing, false), m.roles[denying.roles[0]].name,
                     placeOf(m, denying, another));
}

/// The finding for a deny that meets `allow` through two memberships (witness: the deny's
/// membership first).
Finding apartFinding(const Context &ctx, uint32_t deny, uint32_t allow, Witness witness) {
  const sema::Model &m = ctx.model;
  const sema::Rule &a = m.rules[allow], &d = m.rules[deny];
  const WitnessMembership &denying = witness.memberships[0], &allowing = witness.memberships[1];
  auto when = [&](const sema::Guard &guard) {
    return guard.isAlways() ? std::string()
                            : fmt::format(" when `{}`", sema::conditionWords(m, guard));
  };
  Finding f;
  f.kind = DiagKind::Conflict;
  f.range = d.range;
  f.message = fmt::format("this deny overrides an allow of role `{}` held at another node: both "
                          "match `{}`, the deny at relation `{}`{}, the allow at relation `{}`{}",
                          m.roles[a.role].name, m.permissions[witness.permission].name,
                          sema::relationName(denying.relation), when(d.guard),
                          sema::relationName(allowing.relation), when(a.guard));
  f.notes.push_back({a.range, "the allow is here"});
  const sema::RoleId allower = allowing.roles[0], denier = denying.roles[0];
  f.help = "if the override is intended, suppress with `// lattice: allow(conflict) \"why\"`";
  if (allower != denier) // one role held at two nodes cannot be kept apart
    f.help += fmt::format("; to keep one principal from holding both in a tree, declare "
                          "`exclusive {}, {};`",
                          m.roles[std::min(allower, denier)].name,
                          m.roles[std::max(allower, denier)].name);
  f.rules = {allow, deny};
  f.witness = std::move(witness);
  return f;
}

} // namespace

void findConflicts(const Context &ctx, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  ResourceIndex index(ctx);
  std::vector<RuleFacts> facts;
  facts.reserve(m.rules.size());
  for (uint32_t rule = 0; rule < m.rules.size(); ++rule)
    facts.emplace_back(ctx, rule);
  for (uint32_t deny = 0; deny < m.rules.size(); ++deny) {
    if (m.rules[deny].effect != sema::Effect::Deny)
      continue;
    std::optional<Finding> finding;
    size_t extra = 0;
    MeetingSearch meeting(ctx, facts, deny);
    for (uint32_t allow : index.candidates(deny)) {
      if (!ctx.rulePerms[allow].intersects(ctx.rulePerms[deny]))
        continue;
      if (!meeting.meets(allow))
        continue;
      const sema::Rule &a = m.rules[allow];
      if (finding) {
        if (++extra <= 4)
          finding->notes.push_back(
              {a.range,
               fmt::format("it also overrides this allow of role `{}`", m.roles[a.role].name)});
        continue;
      }
      Witness witness = meeting.witness();
      finding.emplace();
      finding->kind = DiagKind::Conflict;
      finding->range = m.rules[deny].range;
      // Where the two meet: under both conditions (nothing to say when neither has one).
      sema::Guard both = sema::conjoin(a.guard, m.rules[deny].guard);
      finding->message = fmt::format(
          "this deny overrides an allow of role `{}`: both match `{}` at relation `{}`{}",
          m.roles[a.role].name, m.permissions[witness.permission].name,
          sema::relationName(witness.memberships[0].relation),
          both.isAlways() ? "" : fmt::format(" when `{}`", sema::conditionWords(m, both)));
      finding->notes.push_back({a.range, "the allow is here"});
      finding->help = m.rules[deny].policyWide()
                          ? "a policy-wide deny overrides the allows of every role; if it is "
                            "meant to here, suppress with `// lattice: allow(conflict) \"why\"`, "
                            "else narrow the allow with `except`"
                      : a.role == m.rules[deny].role
                          ? "if the exception is intended, write it as `except` in the allow"
                          : "if the override is intended, suppress with "
                            "`// lattice: allow(conflict) \"why\"`";
      finding->rules = {allow, deny};
      finding->witness = std::move(witness);
    }
    if (!finding) {
      // No allow meets the deny at one node: look for two memberships.
      ApartSearch apart(ctx, facts, deny);
      for (uint32_t allow : index.candidates(deny)) {
        if (!ctx.rulePerms[allow].intersects(ctx.rulePerms[deny]))
          continue;
        std::optional<Witness> witness = apart.meets(allow);
        if (!witness)
          continue;
        if (finding) {
          if (++extra <= 4)
            finding->notes.push_back(
                {m.rules[allow].range, fmt::format("it also overrides this allow of role `{}`",
                                                   m.roles[m.rules[allow].role].name)});
          continue;
        }
        finding = apartFinding(ctx, deny, allow, std::move(*witness));
      }
    }
    if (extra > 4)
      finding->notes.push_back({SourceRange{}, fmt::format("and {} more", extra - 4)});
    if (finding && finding->witness->memberships.size() == 2)
      finding->notes.push_back({SourceRange{}, apartExample(m, *finding->witness)});
    if (finding)
      out.push_back(std::move(*finding));
  }
}

} // namespace lattice::analysis
