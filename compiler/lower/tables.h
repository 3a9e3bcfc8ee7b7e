// tables.h - the decision tables in memory: what lowering produces and the emitter serialises.
// Plain data, already flattened (extends resolved) and sorted; see docs/table-format.md.
#pragma once

#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

namespace lattice::lower {

/// Number of scope relations a request can be in (same, descendant, ancestor, tenant).
inline constexpr uint32_t kRelationCount = 4;

/// The role of a policy-wide deny: it holds through every membership (format::kEveryRole).
inline constexpr uint32_t kEveryRole = 0xFFFFFFFFu;

/// A rule that is not a dense allow bit: one DNF clause of a conditional rule, a rule that
/// holds for some user types of its role only, an unconditional deny (no flags required or
/// forbidden), or a policy-wide deny (role kEveryRole). Denies are rare, so keeping them here
/// instead of in a second dense bitset halves the dense part of the table.
/// It applies when the role is held (any membership for kEveryRole), the principal's kind is in
/// `kindMask`, the relation is in `relationMask`, every flag of `requiredFlags` is set and no
/// flag of `forbiddenFlags` is set.
struct SparseRule {
  uint32_t permission = 0;
  uint32_t role = 0;
  uint8_t relationMask = 0; // bit r set = applies at relation r
  bool deny = false;
  uint64_t requiredFlags = 0;
  uint64_t forbiddenFlags = 0;
  uint64_t kindMask = ~uint64_t(0); // principal kinds; the writer keeps the declared kinds' bits
  friend bool operator==(const SparseRule &, const SparseRule &) = default;
};

/// The canonical order of sparse rules: by permission (the format groups them so), then by role
/// (the runtime relies on it), then the rest, so that equal lists are written identically.
inline auto sparseRuleKey(const SparseRule &r) {
  return std::tie(r.permission, r.role, r.deny, r.relationMask, r.requiredFlags, r.forbiddenFlags,
                  r.kindMask);
}

/// One clause of a conditional `assigns`: a holder of `assigner` with flags satisfying it may
/// give `target`.
struct AssignCondition {
  uint32_t assigner = 0;
  uint32_t target = 0;
  uint64_t requiredFlags = 0;
  uint64_t forbiddenFlags = 0;
  friend bool operator==(const AssignCondition &, const AssignCondition &) = default;
};

inline auto assignConditionKey(const AssignCondition &c) {
  return std::tie(c.assigner, c.target, c.requiredFlags, c.forbiddenFlags);
}

/// One conjunction of a `require` statement. A statement holds when any of its clauses holds;
/// a request is denied unless every statement that applies to its principal kind holds.
struct RequireClause {
  uint32_t statement = 0;
  uint64_t kindMask = 0; // principal kinds the statement applies to
  uint64_t requiredFlags = 0;
  uint64_t forbiddenFlags = 0;
  friend bool operator==(const RequireClause &, const RequireClause &) = default;
};

enum RoleAttribute : uint32_t { RoleDeprecated = 1u << 0, RoleLocked = 1u << 1 };

/// Where a flag's value comes from in a request: the principal (a flag declared on user types),
/// the node of a membership (declared on scope kinds), or a fact the request carries about the
/// resource, the target's node or itself. One bit each, as in the table.
enum FlagSide : uint32_t {
  FlagOfPrincipal = 1u << 0,
  FlagOfNode = 1u << 1,
  FactOfResource = 1u << 2,
  FactOfTarget = 1u << 3,
  FactOfRequest = 1u << 4,
};

/// A custom role ceiling: the user types its roles are for, per permission the relations its
/// roles may reach (sorted by permission, relation masks 1..15) and the roles that create them.
struct Ceiling {
  std::string name;
  uint64_t kindMask = 0;
  std::vector<std::pair<uint32_t, uint8_t>> cells;
  std::vector<uint32_t> creators; // sorted, unique
  friend bool operator==(const Ceiling &, const Ceiling &) = default;
};

struct Tables {
  std::string policyName;
  std::string revision;                     // `lattice build --revision`; empty when not given
  std::vector<std::string> kindNames;       // principal kinds (user types), id order
  std::vector<std::string> roleNames;       // roles, id order
  std::vector<std::string> permissionNames; // "resource.action", id order
  std::vector<std::string> flagNames;       // flags, id order (at most 64)
  std::vector<uint32_t> flagSides;          // per flag: one FlagSide bit

  std::vector<uint64_t> roleKindMask;             // per role: kinds that may hold it
  std::vector<uint32_t> roleAttributes;           // per role: RoleAttribute bits
  std::vector<std::vector<uint32_t>> roleAssigns; // per role: roles it may assign, sorted
  /// Conditional assigns, one entry per clause (the roles given unconditionally are in
  /// roleAssigns only).
  std::vector<AssignCondition> assignConditions;
  std::vector<uint64_t> permissionKindMask; // per permission: kinds it applies to

  /// Dense role bitsets, `wordsPerBitset` 64-bit words each, indexed
  /// [(permission * kRelationCount + relation) * wordsPerBitset + word]; bit r%64 of word r/64
  /// is role r. Only unconditional allows are folded in here.
  uint32_t wordsPerBitset = 0;
  std::vector<uint64_t> allowBits;

  std::vector<SparseRule> sparseRules;              // sorted by permission, then role, ...
  std::vector<std::vector<uint32_t>> exclusiveSets; // each sorted; at most one may be held
  // Not `requires`: that is a C++20 keyword.
  std::vector<RequireClause> requireClauses; // sorted by statement
  std::vector<Ceiling> ceilings;             // custom role ceilings, declaration order

  friend bool operator==(const Tables &, const Tables &) = default;
};

} // namespace lattice::lower
