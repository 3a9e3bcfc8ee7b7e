// model.h - the checked semantic model of a policy: every name resolved to a dense id.
// Produced by sema::check, read by analyses, lowering and the test runner; never mutated after.
#pragma once

#include "base/source_manager.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lattice::sema {

using ScopeKindId = uint32_t;
using KindId = uint32_t; // principal kind (user type)
using ResourceId = uint32_t;
using PermissionId = uint32_t;
using RoleId = uint32_t;
using FlagId = uint32_t;

using KindMask = uint64_t; // bit k = principal kind k (at most 64 kinds)
using FlagMask = uint64_t; // bit f = flag f (at most 64 flags)

/// Relations a request can be in, as the runtime numbers them (LATTICE_REL_SAME, ...). `Tenant`
/// is "elsewhere in the same tree", spelled `elsewhere` (see sema/relation_words.h).
enum class Relation : uint8_t { Same = 0, Descendant = 1, Ancestor = 2, Tenant = 3 };
inline constexpr uint32_t kRelationCount = 4;
using RelationMask = uint8_t;
const char *relationName(Relation relation); // "self", "descendants", "ancestors", "elsewhere"

/// A rule's reach (`in self` ...) and the request relations it covers.
enum class Reach : uint8_t { Self, Descendants, Subtree, Ancestors, Tenant, Elsewhere };
const char *reachName(Reach reach);
RelationMask reachRelations(Reach reach);

/// A condition in disjunctive normal form: it holds when any clause holds. No clauses = never.
struct Clause {
  FlagMask required = 0;
  FlagMask forbidden = 0;
  bool holds(FlagMask flags) const {
    return (flags & required) == required && (flags & forbidden) == 0;
  }
  friend bool operator==(const Clause &, const Clause &) = default;
  friend auto operator<=>(const Clause &, const Clause &) = default;
};
struct Guard {
  std::vector<Clause> clauses;
  static Guard always() { return Guard{{Clause{}}}; }
  bool isAlways() const { return clauses.size() == 1 && clauses[0] == Clause{}; }
  bool isNever() const { return clauses.empty(); }
  bool holds(FlagMask flags) const {
    for (const Clause &clause : clauses)
      if (clause.holds(flags))
        return true;
    return false;
  }
  /// The flags it reads: required or forbidden by some clause.
  FlagMask flagsRead() const {
    FlagMask flags = 0;
    for (const Clause &clause : clauses)
      flags |= clause.required | clause.forbidden;
    return flags;
  }
};

/// Both conditions: the clauses of `a` and `b` combined pairwise, contradictions and subsumed
/// clauses dropped (sema/conditions.cpp).
Guard conjoin(const Guard &a, const Guard &b);
/// Either condition: the clauses of both, subsumed ones dropped.
Guard disjoin(const Guard &a, const Guard &b);

struct ScopeKind {
  std::string name;
  std::string label;
  SourceRange decl;
  std::vector<ScopeKindId> parents; // may include itself: a recursive kind (folders in folders)
  /// Whether a node of this kind can be a tree's root: it is under no kind but itself.
  bool canBeRoot(ScopeKindId self) const {
    for (ScopeKindId parent : parents)
      if (parent != self)
        return false;
    return true;
  }
};

struct PrincipalKind {
  std::string name;
  std::string label;
  SourceRange decl;
  std::vector<ScopeKindId> scopes;
};

/// Where a flag's value comes from (docs/request-model.md, "Facts"): the principal, the node of
/// each membership, or a fact the request carries about the resource, the target's node
/// (`target.x`, a node flag read at the target) or the request itself.
enum class FlagSide : uint8_t { Principal, Node, Resource, Target, Request };

struct Flag {
  /// As conditions name it: `business`, or with its side for a fact (`resource.archived`,
  /// `request.mfa_used`, `target.business`); the table and every output use this name.
  std::string name;
  SourceRange decl; // of a `target.x` flag: its node flag's declaration
  FlagSide side = FlagSide::Principal;
  bool onScope = false;              // side == Node: a property of the principal's node
  std::vector<ScopeKindId> scopes;   // when onScope, and for a Target flag (its node flag's)
  KindMask kinds = 0;                // side == Principal
  std::vector<ResourceId> resources; // side == Resource: the resources it describes
  FlagId base = 0;                   // side == Target: the node flag it reads at the target
  /// A fact: carried by the request (its `facts` word), not by the principal or a membership.
  bool isFact() const {
    return side == FlagSide::Resource || side == FlagSide::Target || side == FlagSide::Request;
  }
};

struct Group {
  std::string name;
  std::string label;
  SourceRange decl;
  std::vector<PermissionId> members;
};

struct Resource {
  std::string name;
  std::string label;
  SourceRange decl;
  std::vector<ScopeKindId> owners; // empty: any
  std::vector<PermissionId> permissions;
  std::vector<Group> groups;
  /// `as scope`: the scope kind of the resource's own nodes (named like it, under `owners`);
  /// a request for one of its permissions is about the instance's node, not its owner's.
  std::optional<ScopeKindId> scope;
  /// The scope kinds of the nodes a request for one of its permissions can be about: its own
  /// kind for a resource that is a scope, else its owners' kinds (empty: any kind).
  std::vector<ScopeKindId> aboutKinds() const {
    return scope ? std::vector<ScopeKindId>{*scope} : owners;
  }
};

struct Permission {
  std::string name; // "resource.action"
  std::string action;
  std::string label;
  ResourceId resource = 0;
  SourceRange decl;
  KindMask applicableKinds = 0; // all kinds unless restricted with `for`
};

enum class Effect : uint8_t { Allow, Deny };

/// The `role` of a policy-wide deny (a `deny` at the top level): it belongs to no role, and
/// applies through every membership, as a rule of an implicit role every membership holds.
inline constexpr RoleId kPolicyRole = UINT32_MAX;

struct Rule {
  RoleId role = 0; // the role that declares it, or kPolicyRole
  Effect effect = Effect::Allow;
  std::vector<PermissionId> permissions; // sorted, unique, `except` already removed
  Reach reach = Reach::Self;
  Guard guard;
  /// The user types whose principals it applies to: its `for` list, or every user type
  /// (Model::allKinds()) without one. A holder of a kind outside it does not have the rule.
  KindMask kinds = ~KindMask{0};
  SourceRange range;
  bool policyWide() const { return role == kPolicyRole; }
  bool appliesTo(KindId kind) const { return (kinds >> kind) & 1; }
  /// Whether it applies to every principal that may hold a role of kinds `holders`.
  bool appliesToAll(KindMask holders) const { return (holders & ~kinds) == 0; }
};

struct Role {
  std::string name;
  std::string label;
  SourceRange decl;
  KindMask kinds = 0;
  std::vector<RoleId> extends;   // direct
  std::vector<RoleId> inherited; // transitive closure of extends, excluding itself, sorted
  std::vector<uint32_t> rules;   // indexes into Model::rules declared by this role
  std::vector<RoleId> assigns;   // sorted, unique
  /// Per entry of `assigns`: the condition on the assigner's flags (its own and its node's)
  /// under which it may give that role; Guard::always() for an unconditional `assigns`.
  std::vector<Guard> assignGuards;
  /// Where each assigned role is named, in source order (first mention of each role).
  std::vector<std::pair<RoleId, SourceRange>> assignSites;
  /// The condition under which a holder with `flags` may give `target` (never when it does not
  /// assign it): the `assigns` statement alone, not the target's lock.
  const Guard *assignGuard(RoleId target) const;
  bool deprecated = false;
  std::string deprecationNote;
  bool locked = false;
};

/// A custom role ceiling (`custom role NAME for KINDS { allow ... in REACH; created_by ...; }`):
/// the most a role that tenants build at run time against it may hold, and who may create and
/// assign such roles. Its custom roles allow cells within `cells` and nothing else.
struct CustomRole {
  std::string name;
  std::string label;
  SourceRange decl;
  KindMask kinds = 0;
  struct Allow {
    std::vector<PermissionId> permissions; // sorted, unique, `except` removed
    Reach reach = Reach::Self;
    SourceRange range;
  };
  std::vector<Allow> allows;
  /// The ceiling: per permission that applies to one of `kinds`, the relations its custom roles
  /// may reach (the union over `allows`), sorted by permission.
  std::vector<std::pair<PermissionId, RelationMask>> cells;
  std::vector<RoleId> creators; // `created_by`: sorted, unique
  std::vector<std::pair<RoleId, SourceRange>> creatorSites;
  RelationMask reachOf(PermissionId permission) const;
};

struct ExclusiveSet {
  std::vector<RoleId> roles; // sorted, unique
  SourceRange decl;
};

struct Requirement {
  Guard guard;
  KindMask kinds = 0;
  SourceRange decl;
};

struct TestCase {
  Effect expect = Effect::Allow; // assigns cases: Allow for `assigns`, Deny for `not assigns`
  /// A delegation case (`[not] assigns ROLES: TARGETS;`), checked with lattice_can_assign; it has
  /// `targets` and no kind, flags, permissions or relations.
  bool assigns = false;
  std::vector<RoleId> targets;
  std::vector<RoleId> roles;
  /// Custom roles the case holds beside `roles` (indexes into Test::customRoles): ones the test
  /// declares, or a ceiling named among its roles, its widest custom role.
  std::vector<uint32_t> customRoles;
  KindId kind = 0;
  FlagMask flags = 0; // assigns cases: the assigner's flags (`with`)
  std::vector<PermissionId> permissions;
  RelationMask relations = 0;
  /// A case about a principal of the test (`allow alice: ... on a;`): its index in
  /// Test::principals, and the target nodes (indexes in Test::nodes) instead of relations.
  std::optional<uint32_t> principal;
  std::vector<uint32_t> targetNodes;
  /// A case about a principal: the facts of the resource and the request its `with` gives (the
  /// `target.x` flags come from each target node's flags). Other cases give facts in `flags`.
  FlagMask facts = 0;
  SourceRange range;
  /// Where the case names its flags and its relation words (none for `*`), for findings.
  struct FlagSite {
    FlagId flag;
    SourceRange range;
  };
  struct RelationSite {
    std::string word;
    RelationMask relations;
    SourceRange range;
  };
  std::vector<FlagSite> flagSites;
  std::vector<RelationSite> relationSites;
};

/// A node of a test's tree: its scope kind, parent (an earlier node) and flags.
struct TestNode {
  std::string name;
  ScopeKindId kind = 0;
  std::optional<uint32_t> parent;
  FlagMask flags = 0;
  SourceRange decl;
};

/// Roles a test's principal holds at one of the test's nodes.
struct TestMembership {
  std::vector<RoleId> roles;
  uint32_t node = 0;
  /// Custom roles held there (indexes into Test::customRoles), as in a decision case.
  std::vector<uint32_t> customRoles = {};
};

/// A custom role a test holds: one it declares (`custom viewer: key_role { allow ...; }`, exactly
/// those cells) or a ceiling named among a case's or a membership's roles (its widest custom
/// role, every cell of the ceiling). `lattice test` builds each through the runtime.
struct TestCustomRole {
  std::string name;
  uint32_t ceiling = 0;                                     // index into Model::customRoles
  std::vector<std::pair<PermissionId, RelationMask>> cells; // sorted by permission
  SourceRange decl;
  bool widest = false; // a ceiling named as a role
};

struct TestPrincipal {
  std::string name;
  KindId kind = 0;
  FlagMask flags = 0; // its own flags
  std::vector<TestMembership> memberships;
  SourceRange decl;
};

struct Test {
  std::string name;
  SourceRange decl;
  std::vector<TestCase> cases;
  std::vector<TestNode> nodes;
  std::vector<TestPrincipal> principals;
  std::vector<TestCustomRole> customRoles;
};

struct Model;
/// Whether a request for `permission` can be about a node of scope kind `kind`: the node of an
/// instance of its resource (a resource `as scope`), or of an owner (one of `owned_by`, or any).
bool aboutNodeOf(const Model &model, PermissionId permission, ScopeKindId kind);

struct Model {
  std::string policyName;
  std::vector<ScopeKind> scopeKinds;
  std::vector<PrincipalKind> kinds;
  std::vector<Flag> flags;
  std::vector<Resource> resources;
  std::vector<Permission> permissions;
  std::vector<Role> roles;
  std::vector<Rule> rules;
  /// Indexes into `rules` of the policy-wide denies, in declaration order.
  std::vector<uint32_t> policyRules;
  std::vector<ExclusiveSet> exclusives;
  std::vector<Requirement> requirements;
  std::vector<Test> tests;
  std::vector<CustomRole> customRoles; // ceilings, declaration order

  /// The facts: flags of the resource, the target's node and the request.
  FlagMask factMask() const {
    FlagMask mask = 0;
    for (size_t f = 0; f < flags.size() && f < 64; ++f)
      if (flags[f].isFact())
        mask |= FlagMask{1} << f;
    return mask;
  }
  /// The `target.x` facts of a target node whose flags are `nodeFlags`: target.x is set iff x is.
  FlagMask targetFacts(FlagMask nodeFlags) const {
    FlagMask mask = 0;
    for (size_t f = 0; f < flags.size() && f < 64; ++f)
      if (flags[f].side == FlagSide::Target && ((nodeFlags >> flags[f].base) & 1))
        mask |= FlagMask{1} << f;
    return mask;
  }
  KindMask allKinds() const {
    return kinds.size() >= 64 ? ~KindMask{0} : (KindMask{1} << kinds.size()) - 1;
  }
};

/// A condition in the language's syntax over flag names, in disjunctive form (`and` binds
/// tighter than `or`): `business and not trial or admin`; "always" and "never" for the extremes.
std::string conditionWords(const Model &model, const Guard &guard);
/// The user types of `mask` in declaration order, for messages: "`a`, `b`" ("no user type").
std::string kindList(const Model &model, KindMask mask);

} // namespace lattice::sema
