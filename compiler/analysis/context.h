// context.h - what every analysis pass needs, computed once per model: permission bitsets per
// rule, per role and relation, per seat; the rules each role really holds; and an exact (or
// honestly "unknown") flag-satisfiability check. Internal to compiler/analysis.
#pragma once

#include "analysis/request_space.h"
#include "sema/model.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lattice::analysis {

/// A set of permissions as a bitset of `words` 64-bit words.
class PermSet {
public:
  PermSet() = default;
  explicit PermSet(size_t permissions) : bits((permissions + 63) / 64, 0) {}

  void set(size_t p) { bits[p / 64] |= uint64_t{1} << (p % 64); }
  bool test(size_t p) const { return (bits[p / 64] >> (p % 64)) & 1; }
  bool any() const;
  PermSet &operator|=(const PermSet &o);
  PermSet &operator&=(const PermSet &o);
  PermSet &subtract(const PermSet &o); // this &= ~o
  bool intersects(const PermSet &o) const;
  /// Calls f(p) for each member in increasing order until f returns true; returns that.
  template <typename F> bool anyOf(F &&f) const {
    for (size_t w = 0; w < bits.size(); ++w)
      for (uint64_t word = bits[w]; word != 0; word &= word - 1)
        if (f(w * 64 + static_cast<size_t>(__builtin_ctzll(word))))
          return true;
    return false;
  }

private:
  std::vector<uint64_t> bits;
};

enum class Sat { Yes, No, Unknown };

/// The answer to "is there a flag set ... ?", with one such set when the answer is Yes.
struct SatResult {
  Sat sat = Sat::Unknown;
  sema::FlagMask flags = 0;
};

class Context {
public:
  explicit Context(const sema::Model &model);

  const sema::Model &model;
  RequestSpace space;
  size_t permissionCount = 0;

  std::vector<PermSet> rulePerms;                    // per rule
  std::vector<std::vector<uint32_t>> effectiveRules; // per role: own + inherited rules
  std::vector<std::vector<sema::RoleId>> inheritors; // per rule: roles that hold it
  std::vector<PermSet> applicable;                   // per kind
  std::vector<PermSet> feasible;                     // per (scope kind * 4 + relation)
  std::vector<sema::ResourceId> resourceOf;          // per permission: its resource
  // Per (role * 4 + relation): permissions of the role's unconditional denies / allows.
  // "Twice": covered by at least two such rules (so removing one leaves it covered).
  std::vector<PermSet> uncondDeny, uncondDenyTwice, uncondAllow, uncondAllowTwice;
  std::vector<PermSet> anyAllow; // any allow, conditional or not

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
  bool roleHoldable(sema::RoleId role, sema::KindId kind) const {
    return (model.roles[role].kinds >> kind) & 1;
  }
  /// Takes `rule` out of the policy (for cumulative redundancy): no role holds it any more.
  void removeRule(uint32_t rule);

  /// Whether two distinct roles may be held at once (no exclusive set holds both).
  bool coHoldable(sema::RoleId a, sema::RoleId b) const;

  /// Is there a flag set settable at `seat` under which every guard of `all` holds, no guard
  /// of `none` holds, and the requirements of the seat's kind hold? Unknown when too many flags
  /// are involved to decide exactly (callers then stay silent rather than guess).
  SatResult satisfiable(const Seat &seat, const std::vector<const sema::Guard *> &all,
                        const std::vector<const sema::Guard *> &none) const;

private:
  /// Recomputes the per-relation permission sets of `role` from its effective rules.
  void summarizeRole(sema::RoleId role);
};

} // namespace lattice::analysis
