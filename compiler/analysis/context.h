// context.h - what every analysis pass needs, computed once per model: permission bitsets per
// rule, per role and relation, per seat; the rules each role really holds; and an exact (or
// honestly "unknown") flag-satisfiability check. Internal to compiler/analysis.
#pragma once

#include "analysis/request_space.h"
#include "sema/model.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace lattice::analysis {

/// A set of permissions: the non-zero 64-bit words of a bitset, sorted by word index. Sparse
/// because a rule or role names a few resources out of thousands: dense bitsets per rule and per
/// (role, relation) grew with roles x permissions.
class PermSet {
public:
  void set(size_t p);
  bool test(size_t p) const;
  bool any() const { return !words.empty(); } // no word is stored zero
  PermSet &operator|=(const PermSet &o);
  PermSet &operator&=(const PermSet &o);
  PermSet &subtract(const PermSet &o); // this &= ~o
  bool intersects(const PermSet &o) const { return firstCommon(o).has_value(); }
  /// The smallest member of both sets, if any.
  std::optional<size_t> firstCommon(const PermSet &o) const;
  /// Calls f(p) for each member in increasing order until f returns true; returns that.
  template <typename F> bool anyOf(F &&f) const {
    for (const Word &w : words)
      for (uint64_t bits = w.bits; bits != 0; bits &= bits - 1)
        if (f(size_t{w.index} * 64 + static_cast<size_t>(__builtin_ctzll(bits))))
          return true;
    return false;
  }

private:
  struct Word {
    uint32_t index;
    uint64_t bits;
  };
  /// The word of `o` with `index`, searching from `from` (words of `o` before it are skipped).
  static const Word *find(const PermSet &o, uint32_t index, const Word *&from);
  /// Replaces each word by combine(word, o's word or 0), dropping words that become zero.
  template <typename Combine> void combineInPlace(const PermSet &o, Combine combine);

  std::vector<Word> words;
};

enum class Sat { Yes, No, Unknown };

/// The answer to "is there a flag set ... ?", with one such set when the answer is Yes.
struct SatResult {
  Sat sat = Sat::Unknown;
  sema::FlagMask flags = 0;
};

/// The answer to "is there ... ?" for two memberships at distinct nodes: with one such principal
/// flag set and node flags of each node when the answer is Yes.
struct PairSatResult {
  Sat sat = Sat::Unknown;
  sema::FlagMask principal = 0, nodeA = 0, nodeB = 0;
};

/// Guards that must all hold (`all`) and guards none of which may hold (`none`) at one
/// membership.
struct GuardSide {
  std::vector<const sema::Guard *> all;
  std::vector<const sema::Guard *> none;
};

class Context {
public:
  explicit Context(const sema::Model &model);

  const sema::Model &model;
  RequestSpace space;
  size_t permissionCount = 0;
  /// The implicit role every membership holds, whose rules are the policy-wide denies: an id
  /// after the model's roles (model.roles.size()). Every role has its rules too, and it stands
  /// alone for a membership that holds no role. Per-role tables below have roleCount entries.
  sema::RoleId policyRole = 0;
  size_t roleCount = 0;

  std::vector<PermSet> rulePerms;                    // per rule
  std::vector<std::vector<uint32_t>> effectiveRules; // per role: own + inherited + policy rules
  std::vector<std::vector<sema::RoleId>> inheritors; // per rule: roles that hold it
  std::vector<PermSet> applicable;                   // per kind
  std::vector<PermSet> feasible;                     // per (scope kind * 4 + relation)
  std::vector<sema::ResourceId> resourceOf;          // per permission: its resource
  // Per (role * 4 + relation): permissions of the role's unconditional denies / allows (rules
  // without a condition that apply to every user type of the role: see unconditional()).
  // "Twice": covered by at least two such rules (so removing one leaves it covered).
  std::vector<PermSet> uncondDeny, uncondDenyTwice, uncondAllow, uncondAllowTwice;
  std::vector<PermSet> anyAllow; // any allow, conditional or not
  // Per role: indexes of the exclusive sets holding it, ascending (most roles are in none).
  std::vector<std::vector<uint32_t>> exclusiveSetsOf;

  const PermSet &feasibleAt(sema::ScopeKindId scope, unsigned relation) const {
    return feasible[scope * sema::kRelationCount + relation];
  }
  size_t slot(sema::RoleId role, unsigned relation) const {
    return role * sema::kRelationCount + relation;
  }
  bool reaches(uint32_t rule, unsigned relation) const {
    return (sema::reachRelations(model.rules[rule].reach) >> relation) & 1;
  }
  /// Whether `rule` matches permission `p` at `relation` (ignoring its condition).
  bool covers(uint32_t rule, sema::PermissionId p, unsigned relation) const {
    return reaches(rule, relation) && rulePerms[rule].test(p);
  }
  /// The user types that may hold `role` (every one for the policy role).
  sema::KindMask kindsOf(sema::RoleId role) const {
    return role == policyRole ? model.allKinds() : model.roles[role].kinds;
  }
  bool roleHoldable(sema::RoleId role, sema::KindId kind) const {
    return (kindsOf(role) >> kind) & 1;
  }
  /// The role whose rules hold `rule`: its declaring role, or the policy role.
  sema::RoleId ownerOf(uint32_t rule) const {
    return model.rules[rule].policyWide() ? policyRole : model.rules[rule].role;
  }
  /// Whether `rule` holds for every holder of `role` whatever the flags: no condition, and no
  /// `for` that leaves out a user type of the role. Other rules are searched with their guards.
  bool unconditional(uint32_t rule, sema::RoleId role) const {
    const sema::Rule &r = model.rules[rule];
    return r.guard.isAlways() && r.appliesToAll(kindsOf(role));
  }
  /// "the user types of `editor`", "`partner_user`, the user type it is for", "any user type":
  /// whose principals `rule` can apply to, for messages.
  std::string holdersOf(uint32_t rule) const;
  /// Takes `rule` out of the policy (for cumulative redundancy): no role holds it any more.
  void removeRule(uint32_t rule);

  /// Whether two distinct roles may be held at once (no exclusive set holds both).
  bool coHoldable(sema::RoleId a, sema::RoleId b) const;

  /// Is there a flag set settable at `seat` under which every guard of `all` holds, no guard
  /// of `none` holds, and the requirements of the seat's kind hold? Unknown when too many flags
  /// are involved to decide exactly (callers then stay silent rather than guess).
  SatResult satisfiable(const Seat &seat, std::initializer_list<const sema::Guard *> all,
                        const std::vector<const sema::Guard *> &none) const;
  /// The same without the `require`s: for delegation, which they do not gate.
  SatResult satisfiableUnrequired(const Seat &seat, const sema::Guard &guard) const;

  /// Two memberships of one principal of kind `kind`, at distinct nodes of kinds `a` and `b`:
  /// is there a flag set of the principal and one of each node under which side A's guards
  /// behave as asked with the principal's and A's node flags, side B's with the principal's and
  /// B's, and the kind's requirements hold at both nodes? Unknown when more than 16 flag
  /// variables (the principal's, each node's) are involved.
  PairSatResult satisfiablePair(sema::KindId kind, sema::ScopeKindId a, const GuardSide &sideA,
                                sema::ScopeKindId b, const GuardSide &sideB) const;

private:
  std::vector<std::vector<const sema::Guard *>> requirementsOf; // per kind: its `require`s
  std::vector<sema::FlagMask> seatFlags; // per (kind * scope kinds + scope): settable flags

  /// Recomputes the per-relation permission sets of `role` from its effective rules.
  void summarizeRole(sema::RoleId role);
};

} // namespace lattice::analysis
