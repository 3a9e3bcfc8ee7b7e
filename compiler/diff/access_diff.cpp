// access_diff.cpp - compares two policies by name: decides on both models, with the flags as
// exact functions (diagrams), every request whose answer a change can turn, and names the cause.
#include "diff/access_diff.h"

#include "diff/symbolic_policy.h"

#include <algorithm>
#include <map>
#include <set>

namespace lattice::diff {
namespace {

using logic::Bdd;
using logic::kFalse;
using sema::Relation;

/// Conditions with more clauses than this are not printed (the witness still is).
constexpr size_t kMaxConditionClauses = 32;

constexpr Relation kRelations[] = {Relation::Same, Relation::Descendant, Relation::Ancestor,
                                   Relation::Tenant};

template <typename T> std::vector<std::string> namesOf(const std::vector<T> &items) {
  std::vector<std::string> names;
  for (const T &item : items)
    names.push_back(item.name);
  return names;
}

/// Names in `after`'s order, then those only in `before`, in `before`'s order.
std::vector<std::string> unionInOrder(const std::vector<std::string> &before,
                                      const std::vector<std::string> &after) {
  std::vector<std::string> out = after;
  std::set<std::string> seen(after.begin(), after.end());
  for (const std::string &name : before)
    if (seen.insert(name).second)
      out.push_back(name);
  return out;
}

NameChanges compareNames(const std::vector<std::string> &before,
                         const std::vector<std::string> &after) {
  NameChanges changes;
  std::set<std::string> inBefore(before.begin(), before.end());
  std::set<std::string> inAfter(after.begin(), after.end());
  for (const std::string &name : after)
    if (!inBefore.count(name))
      changes.added.push_back(name);
  for (const std::string &name : before)
    if (!inAfter.count(name))
      changes.removed.push_back(name);
  return changes;
}

std::string resourceOf(const std::string &permission) {
  return permission.substr(0, permission.find('.'));
}

/// The access lines of one position (held roles, user type) while they are being collected.
struct Section {
  std::vector<std::string> roles;
  std::string kind;
  struct Line {
    AccessChange change;
    Bdd region;
  };
  std::vector<Line> lines;
};

/// Everything one comparison needs: both policies over one diagram manager, and the output.
class Comparison {
public:
  Comparison(const sema::Model &before, const sema::Model &after)
      : flags(before, after), bdds(flags.size()),
        old(before, bdds, flags, SymbolicPolicy::Side::Before),
        now(after, bdds, flags, SymbolicPolicy::Side::After) {
    const std::vector<std::string> order =
        unionInOrder(namesOf(before.permissions), namesOf(after.permissions));
    for (size_t i = 0; i < order.size(); ++i)
      permissionRank.emplace(order[i], i);
  }

  PolicyDiff run();

private:
  void compareSingleRoles();
  void compareRemovedDenies();
  /// compareRemovedDenies for one denier (a role, or kNoRoleName for the policy-wide denies).
  void compareRemovedDeniesOf(const std::string &denier, const std::vector<std::string> &kinds,
                              const std::vector<std::string> &permissions);
  void compareRemovedRequirements();
  void compareRemovedExclusives();
  void compareDelegation();
  void compareCustomRoles(const sema::Model &before, const sema::Model &after);

  /// Permissions named by rules of `effect` of a role (and the roles it extends), by name.
  std::set<std::string> named(SymbolicPolicy &side, const std::string &role,
                              sema::Effect effect) const;
  std::vector<std::string> inPermissionOrder(const std::set<std::string> &names) const;
  /// Roles of the newer policy with an allow rule naming each permission, in declaration order.
  const std::vector<std::string> &allowersOf(const std::string &permission);

  /// The gain of one single-role request split by what denied it before.
  std::vector<std::pair<Category, Bdd>> categorise(const std::string &kind, const std::string &role,
                                                   const Verdict &before, Bdd gained);

  /// A flag variable's name in a position's output: `f`, or `f@role` for the node flag of a
  /// membership when the position has several.
  std::string flagName(uint32_t variable, const std::vector<std::string> &roles) const;
  /// `region` as clauses of flag names (flagName's), each clause's names sorted, in the order
  /// of the diagram's irredundant cover; nothing when it has more than kMaxConditionClauses.
  std::optional<std::vector<NamedClause>> clausesOf(Bdd region,
                                                    const std::vector<std::string> &roles);
  /// One request of `region` for the memberships (role i at relations[i], node copy i).
  Witness witness(const std::string &kind, const std::vector<std::string> &roles,
                  const std::vector<Relation> &relations, const std::string &permission,
                  Bdd region) const;
  /// A gained or lost request of a single role.
  void record(const std::string &role, const std::string &kind, const std::string &permission,
              Relation relation, Change change, Category category, Bdd region);
  /// A gain of a combination of memberships: the relations of each role's membership under
  /// which it occurs, the union of the flag assignments, and one request of it.
  void recordCombination(const std::vector<std::string> &roles,
                         const std::vector<std::vector<Relation>> &relations,
                         const std::string &kind, const std::string &permission, Category category,
                         Bdd region, Witness witness);
  Section &sectionFor(const std::vector<std::string> &roles, const std::string &kind);
  void checkLimits() const;

  FlagSpace flags;
  logic::BddManager bdds;
  SymbolicPolicy old, now;
  std::map<std::string, size_t> permissionRank;
  std::map<std::string, std::vector<std::string>> allowers;
  bool allowersBuilt = false;
  std::vector<Section> sections;
  std::map<std::pair<std::vector<std::string>, std::string>, size_t> sectionIndex;
  std::set<std::tuple<size_t, std::string, int, Change>> countedRequests;
  PolicyDiff diff;
};

std::set<std::string> Comparison::named(SymbolicPolicy &side, const std::string &role,
                                        sema::Effect effect) const {
  std::set<std::string> names;
  std::optional<sema::RoleId> id = side.role(role);
  if (!id)
    return names;
  for (uint32_t r : side.rulesOf(*id)) {
    const sema::Rule &rule = side.model().rules[r];
    if (rule.effect == effect)
      for (sema::PermissionId p : rule.permissions)
        names.insert(side.model().permissions[p].name);
  }
  return names;
}

std::vector<std::string> Comparison::inPermissionOrder(const std::set<std::string> &names) const {
  std::vector<std::string> out(names.begin(), names.end());
  std::sort(out.begin(), out.end(), [&](const std::string &x, const std::string &y) {
    return permissionRank.at(x) < permissionRank.at(y);
  });
  return out;
}

const std::vector<std::string> &Comparison::allowersOf(const std::string &permission) {
  if (!allowersBuilt) {
    allowersBuilt = true;
    for (const sema::Role &role : now.model().roles)
      for (const std::string &name : named(now, role.name, sema::Effect::Allow))
        allowers[name].push_back(role.name);
  }
  static const std::vector<std::string> none;
  auto it = allowers.find(permission);
  return it == allowers.end() ? none : it->second;
}

void Comparison::checkLimits() const {
  if (bdds.exhausted())
    throw TooComplex(
        "the conditions of the two versions are too large to compare exactly within the "
        "memory limit");
}

std::string Comparison::flagName(uint32_t variable, const std::vector<std::string> &roles) const {
  if (roles.size() < 2 || !flags.onNode(variable))
    return flags.name(variable);
  const uint32_t copy = flags.copy(variable);
  std::string name = flags.name(variable) + "@" + roles[copy];
  // One role held at two nodes: name the membership by its place, `f@role(2)`.
  if (std::count(roles.begin(), roles.end(), roles[copy]) > 1)
    name += "(" + std::to_string(copy + 1) + ")";
  return name;
}

std::optional<std::vector<NamedClause>>
Comparison::clausesOf(Bdd region, const std::vector<std::string> &roles) {
  std::optional<std::vector<logic::Cube>> cubes = bdds.sumOfProducts(region, kMaxConditionClauses);
  if (!cubes)
    return std::nullopt;
  std::vector<NamedClause> clauses;
  for (const logic::Cube &cube : *cubes) {
    NamedClause clause;
    for (const logic::Literal &literal : cube)
      (literal.positive ? clause.required : clause.forbidden)
          .push_back(flagName(literal.variable, roles));
    std::sort(clause.required.begin(), clause.required.end());
    std::sort(clause.forbidden.begin(), clause.forbidden.end());
    clauses.push_back(std::move(clause));
  }
  return clauses;
}

Witness Comparison::witness(const std::string &kind, const std::vector<std::string> &roles,
                            const std::vector<Relation> &relations, const std::string &permission,
                            Bdd region) const {
  Witness w{kind, roles, relations, permission, {}};
  if (std::optional<logic::Cube> cube = bdds.satisfyingCube(region))
    for (const logic::Literal &literal : *cube)
      if (literal.positive)
        w.flags.push_back(flagName(literal.variable, roles));
  std::sort(w.flags.begin(), w.flags.end());
  return w;
}

Section &Comparison::sectionFor(const std::vector<std::string> &roles, const std::string &kind) {
  auto [it, added] = sectionIndex.emplace(std::make_pair(roles, kind), sections.size());
  if (added)
    sections.push_back(Section{roles, kind, {}});
  return sections[it->second];
}

void Comparison::record(const std::string &role, const std::string &kind,
                        const std::string &permission, Relation relation, Change change,
                        Category category, Bdd region) {
  Section &section = sectionFor({role}, kind);
  const size_t index = size_t(&section - sections.data());
  if (countedRequests.emplace(index, permission, int(relation), change).second)
    (change == Change::Gained ? diff.gainedRequests : diff.lostRequests) += 1;
  const std::string resource = resourceOf(permission);
  // The same permission under the same condition at another relation joins its line; another
  // permission of the resource with the same relations and condition joins it afterwards.
  for (Section::Line &line : section.lines) {
    AccessChange &c = line.change;
    if (c.resource == resource && c.change == change && c.category == category &&
        line.region == region && c.permissions.back() == permission) {
      c.relations.push_back(relation);
      return;
    }
  }
  AccessChange line;
  line.roles = {role};
  line.kind = kind;
  line.resource = resource;
  line.change = change;
  line.category = category;
  line.permissions = {permission};
  line.relations = {relation};
  line.witness = witness(kind, {role}, {relation}, permission, region);
  section.lines.push_back(Section::Line{std::move(line), region});
}

void Comparison::recordCombination(const std::vector<std::string> &roles,
                                   const std::vector<std::vector<Relation>> &relations,
                                   const std::string &kind, const std::string &permission,
                                   Category category, Bdd region, Witness witness) {
  Section &section = sectionFor(roles, kind);
  const size_t index = size_t(&section - sections.data());
  if (countedRequests.emplace(index, permission, -1, Change::Gained).second)
    diff.gainedRequests += 1;
  AccessChange line;
  line.roles = roles;
  line.memberRelations = relations;
  line.kind = kind;
  line.resource = resourceOf(permission);
  line.category = category;
  line.permissions = {permission};
  line.witness = std::move(witness);
  section.lines.push_back(Section::Line{std::move(line), region});
}

std::vector<std::pair<Category, Bdd>> Comparison::categorise(const std::string &kind,
                                                             const std::string &role,
                                                             const Verdict &before, Bdd gained) {
  if (!old.role(role))
    return {{Category::NewRole, gained}};
  if (before.gate == Verdict::Gate::UnknownKind || !old.holdable(role, kind))
    return {{Category::NewHolder, gained}};
  if (before.gate == Verdict::Gate::UnknownPermission)
    return {{Category::NewPermission, gained}};
  if (before.gate == Verdict::Gate::NotApplicable)
    return {{Category::WidenedPermission, gained}};
  // The gate was open: what denied it was a requirement, a deny, or the lack of an allow.
  const Bdd metRequirement = bdds.conjoin(gained, before.requirement);
  return {{Category::RemovedRequirement, bdds.conjoinNot(gained, before.requirement)},
          {Category::RemovedDeny, bdds.conjoin(metRequirement, before.deny)},
          {Category::NewAllow, bdds.conjoinNot(metRequirement, before.deny)}};
}

void Comparison::compareSingleRoles() {
  for (const sema::Role &role : now.model().roles) {
    const std::optional<sema::RoleId> oldId = old.role(role.name);
    const std::vector<std::string> kinds =
        unionInOrder(oldId ? old.kindsOf(*oldId) : std::vector<std::string>{},
                     now.kindsOf(*now.role(role.name)));
    std::set<std::string> candidates = named(now, role.name, sema::Effect::Allow);
    for (const std::string &name : named(old, role.name, sema::Effect::Allow))
      candidates.insert(name);
    const std::vector<std::string> permissions = inPermissionOrder(candidates);
    for (const std::string &kind : kinds)
      for (const std::string &permission : permissions)
        for (Relation relation : kRelations) {
          const Verdict before = old.decide(kind, {role.name}, permission, relation);
          const Bdd was = old.allowed(before);
          const Bdd is = now.allowed(kind, {role.name}, permission, relation);
          if (Bdd gained = bdds.conjoinNot(is, was); gained != kFalse)
            for (auto [category, region] : categorise(kind, role.name, before, gained))
              if (region != kFalse)
                record(role.name, kind, permission, relation, Change::Gained, category, region);
          if (Bdd lost = bdds.conjoinNot(was, is); lost != kFalse && oldId)
            record(role.name, kind, permission, relation, Change::Lost, Category::NewAllow, lost);
        }
    checkLimits();
  }
}

void Comparison::compareRemovedDenies() {
  // A deny of role D (held through a membership at relation rd) that no longer applies gives new
  // access to a principal holding D there and a role S (through a membership at relation rs,
  // maybe S = D at another node) that allows the request, beyond what S or D gained on their
  // own (reported with them). Both memberships read their own node flags. A policy-wide deny
  // holds through every membership: its D is a membership holding no role (kNoRoleName).
  for (const sema::Role &role : now.model().roles) {
    if (!old.role(role.name))
      continue;
    std::vector<std::string> kinds;
    for (const std::string &kind : now.kindsOf(*now.role(role.name)))
      if (old.holdable(role.name, kind))
        kinds.push_back(kind);
    compareRemovedDeniesOf(role.name, kinds,
                           inPermissionOrder(named(old, role.name, sema::Effect::Deny)));
  }
  std::set<std::string> policyDenied;
  for (uint32_t rule : old.model().policyRules)
    for (sema::PermissionId p : old.model().rules[rule].permissions)
      policyDenied.insert(old.model().permissions[p].name);
  if (policyDenied.empty())
    return;
  std::vector<std::string> kinds;
  for (const sema::PrincipalKind &kind : now.model().kinds)
    if (old.kind(kind.name))
      kinds.push_back(kind.name);
  compareRemovedDeniesOf(kNoRoleName, kinds, inPermissionOrder(policyDenied));
}

void Comparison::compareRemovedDeniesOf(const std::string &denier,
                                        const std::vector<std::string> &kinds,
                                        const std::vector<std::string> &permissions) {
  const std::vector<std::string> denierRoles =
      denier == kNoRoleName ? std::vector<std::string>{} : std::vector<std::string>{denier};
  for (const std::string &kind : kinds) {
    for (const std::string &permission : permissions) {
      if (!now.permission(permission))
        continue;
      // Per co-held role: the union of the gains over both memberships' relations, the
      // relations each membership takes in some gain, and the first gain as the witness
      // (equal relations first: a single-node request when one exists).
      struct Gain {
        Bdd region = kFalse;
        std::set<Relation> holderAt, denierAt;
        std::optional<Witness> witness;
      };
      std::map<std::string, Gain> gains;
      for (int pass = 0; pass < 2; ++pass)
        for (Relation rd : kRelations) {
          const HeldAt deniedAt{denierRoles, rd, 1};
          const Verdict before = old.decide(kind, {deniedAt}, permission);
          const Verdict after = now.decide(kind, {deniedAt}, permission);
          if (before.gate != Verdict::Gate::Open || after.gate != Verdict::Gate::Open ||
              bdds.conjoinNot(before.deny, after.deny) == kFalse)
            continue;
          const Bdd denierGain = bdds.conjoinNot(now.allowed(after), old.allowed(before));
          for (const std::string &holder : allowersOf(permission))
            for (Relation rs : kRelations) {
              if ((pass == 0) != (rs == rd) || !now.holdable(holder, kind) ||
                  now.exclusive(holder, denier))
                continue;
              const std::vector<HeldAt> pair{HeldAt{{holder}, rs, 0}, deniedAt};
              Bdd gained = bdds.conjoinNot(now.allowed(kind, pair, permission),
                                           old.allowed(kind, pair, permission));
              gained = bdds.conjoinNot(gained, denierGain);
              gained = bdds.conjoinNot(gained,
                                       bdds.conjoinNot(now.allowed(kind, {pair[0]}, permission),
                                                       old.allowed(kind, {pair[0]}, permission)));
              if (gained == kFalse)
                continue;
              Gain &gain = gains[holder];
              gain.region = bdds.disjoin(gain.region, gained);
              gain.holderAt.insert(rs);
              gain.denierAt.insert(rd);
              if (!gain.witness)
                gain.witness = witness(kind, {holder, denier}, {rs, rd}, permission, gained);
            }
        }
      for (const std::string &holder : allowersOf(permission))
        if (auto it = gains.find(holder); it != gains.end())
          recordCombination(
              {holder, denier},
              {std::vector<Relation>(it->second.holderAt.begin(), it->second.holderAt.end()),
               std::vector<Relation>(it->second.denierAt.begin(), it->second.denierAt.end())},
              kind, permission, Category::RemovedDeny, it->second.region, *it->second.witness);
    }
    checkLimits();
  }
}

void Comparison::compareRemovedRequirements() {
  // A requirement that now holds for node flags it did not hold for gives new access to a
  // principal whose allowing membership A met it while another membership M, at a node with
  // such flags, did not (what A or M gained on their own is reported with them). M matters only
  // through its role's rules for the permission at its relation and its exclusivity with A, so
  // one role per such behaviour is tried.
  for (const sema::PrincipalKind &k : now.model().kinds) {
    const std::string &kind = k.name;
    if (bdds.conjoinNot(now.requirementAt(kind, 1), old.requirementAt(kind, 1)) == kFalse)
      continue;
    for (const sema::Permission &p : now.model().permissions) {
      const std::string &permission = p.name;
      for (const std::string &holder : allowersOf(permission)) {
        if (!now.holdable(holder, kind))
          continue;
        for (Relation rs : kRelations) {
          const HeldAt allowingAt{{holder}, rs, 0};
          const Bdd holderGain = bdds.conjoinNot(now.allowed(kind, {allowingAt}, permission),
                                                 old.allowed(kind, {allowingAt}, permission));
          for (Relation rm : kRelations) {
            std::set<std::vector<uint64_t>> tried;
            for (const sema::Role &other : now.model().roles) {
              if (!now.holdable(other.name, kind) || now.exclusive(holder, other.name))
                continue;
              const HeldAt otherAt{{other.name}, rm, 1};
              const Verdict was = old.decide(kind, {otherAt}, permission);
              const Verdict is = now.decide(kind, {otherAt}, permission);
              const std::vector<uint64_t> behaviour{uint64_t(was.gate),
                                                    was.allow,
                                                    was.deny,
                                                    uint64_t(is.gate),
                                                    is.allow,
                                                    is.deny,
                                                    old.holdable(other.name, kind),
                                                    old.exclusive(holder, other.name)};
              if (!tried.insert(behaviour).second)
                continue;
              const std::vector<HeldAt> pair{allowingAt, otherAt};
              Bdd gained = bdds.conjoinNot(now.allowed(kind, pair, permission),
                                           old.allowed(kind, pair, permission));
              gained = bdds.conjoinNot(gained, holderGain);
              gained = bdds.conjoinNot(gained, bdds.conjoinNot(now.allowed(is), old.allowed(was)));
              if (gained != kFalse)
                recordCombination(
                    {holder, other.name}, {{rs}, {rm}}, kind, permission,
                    Category::RemovedRequirement, gained,
                    witness(kind, {holder, other.name}, {rs, rm}, permission, gained));
            }
          }
        }
      }
      checkLimits();
    }
  }
}

void Comparison::compareRemovedExclusives() {
  // Pairs that an old exclusive set kept apart and no set of the new policy does. Any request
  // such a pair (or the pair with a third role) is allowed now, through memberships at any
  // relations, was denied before.
  std::set<std::pair<std::string, std::string>> pairs;
  for (const sema::ExclusiveSet &set : old.model().exclusives)
    for (size_t i = 0; i < set.roles.size(); ++i)
      for (size_t j = i + 1; j < set.roles.size(); ++j) {
        std::string x = old.model().roles[set.roles[i]].name;
        std::string y = old.model().roles[set.roles[j]].name;
        if (now.role(x) && now.role(y) && !now.exclusive(x, y))
          pairs.insert(std::minmax(x, y));
      }
  // Every assignment of a relation to each of `count` memberships, equal relations first.
  auto relationTuples = [](size_t count) {
    std::vector<std::vector<Relation>> tuples;
    for (uint32_t code = 0; code < (1u << (2 * count)); ++code) {
      std::vector<Relation> tuple;
      for (size_t i = 0; i < count; ++i)
        tuple.push_back(kRelations[(code >> (2 * i)) & 3]);
      tuples.push_back(tuple);
    }
    std::stable_sort(tuples.begin(), tuples.end(), [](const auto &a, const auto &b) {
      auto equal = [](const std::vector<Relation> &t) {
        return std::all_of(t.begin(), t.end(), [&](Relation r) { return r == t[0]; });
      };
      return equal(a) && !equal(b);
    });
    return tuples;
  };
  for (const auto &[x, y] : pairs) {
    for (const std::string &kind : now.kindsOf(*now.role(x))) {
      if (!now.holdable(y, kind) || !old.holdable(x, kind) || !old.holdable(y, kind))
        continue;
      auto search = [&](const std::vector<std::string> &roles, CombinationChange &out) {
        std::set<std::string> candidates;
        for (const std::string &role : roles)
          for (const std::string &name : named(now, role, sema::Effect::Allow))
            candidates.insert(name);
        const std::vector<std::string> permissions = inPermissionOrder(candidates);
        for (const std::vector<Relation> &tuple : relationTuples(roles.size()))
          for (const std::string &permission : permissions) {
            std::vector<HeldAt> held;
            for (size_t i = 0; i < roles.size(); ++i)
              held.push_back(HeldAt{{roles[i]}, tuple[i], uint32_t(i)});
            Bdd gained = bdds.conjoinNot(now.allowed(kind, held, permission),
                                         old.allowed(kind, held, permission));
            if (gained == kFalse)
              continue;
            if (out.allowedRequests++ == 0)
              out.witness = witness(kind, roles, tuple, permission, gained);
          }
      };
      CombinationChange change{{x, y}, kind, 0, {}};
      search(change.roles, change);
      // Two roles that allow nothing together may still unblock a third one's rights.
      for (size_t r = 0; change.allowedRequests == 0 && r < now.model().roles.size(); ++r) {
        const std::string &third = now.model().roles[r].name;
        if (third == x || third == y || !now.holdable(third, kind) || now.exclusive(third, x) ||
            now.exclusive(third, y))
          continue;
        change.roles = {x, y, third};
        search(change.roles, change);
      }
      checkLimits();
      if (change.allowedRequests > 0)
        diff.combinations.push_back(std::move(change));
    }
  }
}

void Comparison::compareDelegation() {
  // Roles reachable through `assigns` from a role: its holders give them to someone, whose
  // holders give theirs, ... A locked role cannot be given. The first step reads the flags of the
  // holder of the starting role (its own and its node's: node copy 0); later steps are taken by
  // whoever holds the roles given, with any flags, so each needs only a condition that can hold.
  struct Reached {
    Bdd when = kFalse;
    std::string giver; // the role that gives it on the first path found
  };
  auto reach = [&](SymbolicPolicy &side, const std::string &start) {
    std::vector<std::pair<std::string, Reached>> order; // in discovery order
    std::optional<sema::RoleId> id = side.role(start);
    if (!id)
      return order;
    const sema::Model &model = side.model();
    std::map<sema::RoleId, size_t> at;
    std::vector<sema::RoleId> queue;
    auto give = [&](sema::RoleId giver, sema::RoleId target, Bdd when) {
      if (model.roles[target].locked || when == kFalse)
        return;
      auto [it, added] = at.emplace(target, order.size());
      if (added)
        order.emplace_back(model.roles[target].name, Reached{kFalse, model.roles[giver].name});
      Bdd &known = order[it->second].second.when;
      const Bdd more = bdds.disjoin(known, when);
      if (more != known) {
        known = more;
        queue.push_back(target);
      }
    };
    for (sema::RoleId target : model.roles[*id].assigns)
      give(*id, target, side.assignCondition(*id, target));
    for (size_t i = 0; i < queue.size(); ++i) {
      const sema::RoleId giver = queue[i];
      const Bdd when = order[at.at(giver)].second.when;
      for (sema::RoleId target : model.roles[giver].assigns)
        if (side.assignCondition(giver, target) != kFalse)
          give(giver, target, when);
    }
    return order;
  };
  std::map<std::string, std::optional<Witness>> grants; // per role: one request it allows
  auto firstGrant = [&](const std::string &role) -> const std::optional<Witness> & {
    auto [it, added] = grants.emplace(role, std::nullopt);
    if (!added)
      return it->second;
    const std::vector<std::string> permissions =
        inPermissionOrder(named(now, role, sema::Effect::Allow));
    for (const std::string &kind : now.kindsOf(*now.role(role)))
      for (const std::string &permission : permissions)
        for (Relation relation : kRelations)
          if (Bdd allowed = now.allowed(kind, {role}, permission, relation); allowed != kFalse) {
            it->second = witness(kind, {role}, {relation}, permission, allowed);
            return it->second;
          }
    return it->second;
  };
  for (const sema::Role &role : now.model().roles) {
    std::map<std::string, Bdd> before;
    for (const auto &[target, reached] : reach(old, role.name))
      before.emplace(target, reached.when);
    const std::vector<std::pair<std::string, Reached>> after = reach(now, role.name);
    std::map<std::string, std::string> giverOf;
    for (const auto &[target, reached] : after)
      giverOf.emplace(target, reached.giver);
    for (const auto &[target, reached] : after) {
      auto was = before.find(target);
      const Bdd gained =
          was == before.end() ? reached.when : bdds.conjoinNot(reached.when, was->second);
      if (gained == kFalse)
        continue;
      const std::optional<Witness> &grant = firstGrant(target);
      if (!grant)
        continue; // a role that allows nothing gives nothing
      DelegationChange change;
      change.assigner = role.name;
      std::set<std::string> onPath; // a giver reached again closes a cycle: stop there
      for (std::string step = target; step != role.name && onPath.insert(step).second;
           step = giverOf.at(step))
        change.chain.insert(change.chain.begin(), step);
      change.chain.insert(change.chain.begin(), role.name);
      std::optional<sema::RoleId> oldTarget = old.role(target);
      change.unlocked = oldTarget && old.model().roles[*oldTarget].locked;
      if (gained != logic::kTrue) {
        std::optional<std::vector<NamedClause>> condition = clausesOf(gained, {role.name});
        change.conditionTooLarge = !condition;
        if (condition)
          change.condition = std::move(*condition);
      }
      change.witness = *grant;
      diff.delegations.push_back(std::move(change));
    }
  }
  checkLimits();
}

/// Ceilings matched by name: what the new one lets tenants' roles hold, or who create them, that
/// the old one did not (gains), and ceilings that hold less (losses, named only).
void Comparison::compareCustomRoles(const sema::Model &before, const sema::Model &after) {
  auto find = [](const sema::Model &model, const std::string &name) -> const sema::CustomRole * {
    for (const sema::CustomRole &c : model.customRoles)
      if (c.name == name)
        return &c;
    return nullptr;
  };
  auto reachOf = [&](const sema::Model &model, const sema::CustomRole *c,
                     const std::string &permission) -> sema::RelationMask {
    if (!c)
      return 0;
    for (const auto &[p, relations] : c->cells)
      if (model.permissions[p].name == permission)
        return relations;
    return 0;
  };
  auto kindNames = [](const sema::Model &model, sema::KindMask mask) {
    std::set<std::string> names;
    for (sema::KindId k = 0; k < model.kinds.size(); ++k)
      if (mask >> k & 1)
        names.insert(model.kinds[k].name);
    return names;
  };
  auto creatorNames = [](const sema::Model &model, const sema::CustomRole *c) {
    std::set<std::string> names;
    if (c)
      for (sema::RoleId r : c->creators)
        names.insert(model.roles[r].name);
    return names;
  };
  for (const sema::CustomRole &now : after.customRoles) {
    const sema::CustomRole *was = find(before, now.name);
    CustomRoleChange change;
    change.customRole = now.name;
    change.added = !was;
    for (const auto &[p, relations] : now.cells) {
      const std::string &name = after.permissions[p].name;
      const sema::RelationMask gained = relations & ~reachOf(before, was, name);
      if (!gained)
        continue;
      std::vector<sema::Relation> list;
      for (uint32_t r = 0; r < sema::kRelationCount; ++r)
        if (gained >> r & 1)
          list.push_back(static_cast<sema::Relation>(r));
      change.cells.emplace_back(name, std::move(list));
    }
    const std::set<std::string> oldKinds =
        was ? kindNames(before, was->kinds) : std::set<std::string>{};
    for (const std::string &kind : kindNames(after, now.kinds))
      if (!oldKinds.count(kind))
        change.kinds.push_back(kind);
    const std::set<std::string> oldCreators = creatorNames(before, was);
    for (const std::string &creator : creatorNames(after, &now))
      if (!oldCreators.count(creator))
        change.creators.push_back(creator);
    if (change.added || !change.cells.empty() || !change.kinds.empty() || !change.creators.empty())
      diff.customRoles.push_back(std::move(change));
  }
  for (const sema::CustomRole &old : before.customRoles) {
    const sema::CustomRole *is = find(after, old.name);
    const std::set<std::string> creatorsNow = creatorNames(after, is);
    const std::set<std::string> creatorsBefore = creatorNames(before, &old);
    bool narrowed = !is || (old.kinds & ~is->kinds) != 0 ||
                    !std::includes(creatorsNow.begin(), creatorsNow.end(), creatorsBefore.begin(),
                                   creatorsBefore.end());
    for (const auto &[p, relations] : old.cells)
      narrowed |= (relations & ~reachOf(after, is, before.permissions[p].name)) != 0;
    if (narrowed)
      diff.customRolesNarrowed.push_back(old.name);
  }
}

PolicyDiff Comparison::run() {
  const sema::Model &before = old.model(), &after = now.model();
  diff.roles = compareNames(namesOf(before.roles), namesOf(after.roles));
  diff.userTypes = compareNames(namesOf(before.kinds), namesOf(after.kinds));
  diff.permissions = compareNames(namesOf(before.permissions), namesOf(after.permissions));
  diff.flags = compareNames(namesOf(before.flags), namesOf(after.flags));

  for (const sema::Role &newRole : after.roles) {
    std::optional<sema::RoleId> id = old.role(newRole.name);
    if (!id)
      continue;
    const sema::Role &oldRole = before.roles[*id];
    auto roleNames = [](const sema::Model &model, const std::vector<sema::RoleId> &ids) {
      std::vector<std::string> names;
      for (sema::RoleId r : ids)
        names.push_back(model.roles[r].name);
      return names;
    };
    RoleChange change;
    change.role = newRole.name;
    change.kinds = compareNames(old.kindsOf(*id), now.kindsOf(*now.role(newRole.name)));
    change.assigns =
        compareNames(roleNames(before, oldRole.assigns), roleNames(after, newRole.assigns));
    for (size_t i = 0; i < newRole.assigns.size(); ++i) {
      std::optional<sema::RoleId> oldTarget = old.role(after.roles[newRole.assigns[i]].name);
      const sema::Guard *was = oldTarget ? oldRole.assignGuard(*oldTarget) : nullptr;
      const std::string is = sema::conditionWords(after, newRole.assignGuards[i]);
      if (was && sema::conditionWords(before, *was) != is)
        change.assignConditions.emplace_back(after.roles[newRole.assigns[i]].name, is);
    }
    if (oldRole.locked != newRole.locked)
      change.locked = newRole.locked;
    if (oldRole.deprecated != newRole.deprecated)
      change.deprecated = newRole.deprecated;
    if (!change.kinds.empty() || !change.assigns.empty() || !change.assignConditions.empty() ||
        change.locked || change.deprecated)
      diff.roleChanges.push_back(std::move(change));
  }

  compareSingleRoles();
  compareRemovedDenies();
  compareRemovedRequirements();
  compareRemovedExclusives();
  compareDelegation();

  // Conditions, and the lines in their order: per position, per resource (first appearance),
  // gained before lost.
  for (Section &section : sections) {
    // Permissions of one resource with the same relations and condition share a line.
    std::vector<Section::Line> merged;
    for (Section::Line &line : section.lines) {
      auto same = std::find_if(merged.begin(), merged.end(), [&](const Section::Line &m) {
        return m.change.resource == line.change.resource && m.change.change == line.change.change &&
               m.change.category == line.change.category && m.region == line.region &&
               m.change.relations == line.change.relations &&
               m.change.memberRelations == line.change.memberRelations;
      });
      if (same == merged.end())
        merged.push_back(std::move(line));
      else
        same->change.permissions.push_back(line.change.permissions[0]);
    }
    section.lines = std::move(merged);
    for (Section::Line &line : section.lines) {
      std::optional<std::vector<NamedClause>> condition = clausesOf(line.region, line.change.roles);
      if (!condition) {
        line.change.conditionTooLarge = true;
        continue;
      }
      line.change.condition = std::move(*condition);
      std::sort(line.change.condition.begin(), line.change.condition.end(),
                [](const NamedClause &a, const NamedClause &b) {
                  size_t la = a.required.size() + a.forbidden.size();
                  size_t lb = b.required.size() + b.forbidden.size();
                  if (la != lb)
                    return la < lb;
                  return describeCondition({a}) < describeCondition({b});
                });
      if (line.change.condition.size() == 1 && line.change.condition[0].required.empty() &&
          line.change.condition[0].forbidden.empty())
        line.change.condition.clear(); // always
    }
    std::vector<std::string> resources;
    for (const Section::Line &line : section.lines)
      if (std::find(resources.begin(), resources.end(), line.change.resource) == resources.end())
        resources.push_back(line.change.resource);
    for (const std::string &resource : resources)
      for (Change change : {Change::Gained, Change::Lost})
        for (Section::Line &line : section.lines)
          if (line.change.resource == resource && line.change.change == change)
            diff.access.push_back(std::move(line.change));
  }
  checkLimits();

  compareCustomRoles(before, after);

  auto exclusiveSets = [](const sema::Model &model) {
    std::set<std::vector<std::string>> sets;
    for (const sema::ExclusiveSet &set : model.exclusives) {
      std::vector<std::string> names;
      for (sema::RoleId role : set.roles)
        names.push_back(model.roles[role].name);
      std::sort(names.begin(), names.end());
      sets.insert(std::move(names));
    }
    return sets;
  };
  std::set<std::vector<std::string>> setsA = exclusiveSets(before), setsB = exclusiveSets(after);
  for (const auto &set : setsB)
    if (!setsA.count(set))
      diff.exclusivesAdded.push_back(set);
  for (const auto &set : setsA)
    if (!setsB.count(set))
      diff.exclusivesRemoved.push_back(set);
  return std::move(diff);
}

} // namespace

const char *categoryName(Category category) {
  switch (category) {
  case Category::NewRole:
    return "new-role";
  case Category::NewHolder:
    return "new-holder";
  case Category::NewPermission:
    return "new-permission";
  case Category::WidenedPermission:
    return "widened-permission";
  case Category::RemovedRequirement:
    return "removed-requirement";
  case Category::RemovedDeny:
    return "removed-deny";
  case Category::NewAllow:
    return "new-allow";
  case Category::RemovedExclusive:
    return "removed-exclusive";
  case Category::NewDelegation:
    return "new-delegation";
  case Category::WidenedCustomRole:
    return "widened-custom-role";
  }
  return "?";
}

std::optional<Category> parseCategory(const std::string &name) {
  for (size_t i = 0; i < kCategoryCount; ++i)
    if (name == categoryName(static_cast<Category>(i)))
      return static_cast<Category>(i);
  return std::nullopt;
}

std::string describeCondition(const std::vector<NamedClause> &clauses) {
  std::string out;
  for (const NamedClause &clause : clauses) {
    std::string text;
    for (const std::string &flag : clause.required)
      text += (text.empty() ? "" : " and ") + flag;
    for (const std::string &flag : clause.forbidden)
      text += (text.empty() ? "not " : " and not ") + flag;
    size_t literals = clause.required.size() + clause.forbidden.size();
    if (clauses.size() > 1 && literals > 1)
      text = "(" + text + ")";
    out += (out.empty() ? "" : " or ") + text;
  }
  return out;
}

std::optional<Relation> Witness::commonRelation() const {
  if (relations.empty() || !std::all_of(relations.begin(), relations.end(),
                                        [&](Relation r) { return r == relations[0]; }))
    return std::nullopt;
  return relations[0];
}

std::string describeWitness(const Witness &witness, bool allowed) {
  const std::optional<Relation> common = witness.commonRelation();
  std::string roles;
  for (size_t i = 0; i < witness.roles.size(); ++i) {
    roles += (i == 0 ? "" : " + ") + witness.roles[i];
    if (!common && i < witness.relations.size())
      roles += std::string(" on ") + sema::relationName(witness.relations[i]);
  }
  std::string flags;
  for (const std::string &flag : witness.flags)
    flags += (flags.empty() ? " with " : ", ") + flag;
  std::string text = std::string(allowed ? "allow " : "deny ") + roles + " as " + witness.kind +
                     flags + ": " + witness.permission;
  if (common)
    text += std::string(" on ") + sema::relationName(*common);
  return text;
}

bool PolicyDiff::hasOtherChanges() const {
  return !roles.empty() || !userTypes.empty() || !permissions.empty() || !flags.empty() ||
         !roleChanges.empty() || !exclusivesAdded.empty() || !exclusivesRemoved.empty() ||
         !customRolesNarrowed.empty();
}

std::vector<Category> PolicyDiff::newAccessCategories() const {
  bool seen[kCategoryCount] = {};
  for (const AccessChange &change : access)
    if (change.change == Change::Gained)
      seen[static_cast<size_t>(change.category)] = true;
  if (!combinations.empty())
    seen[static_cast<size_t>(Category::RemovedExclusive)] = true;
  if (!delegations.empty())
    seen[static_cast<size_t>(Category::NewDelegation)] = true;
  for (const CustomRoleChange &change : customRoles) {
    if (change.added || !change.cells.empty() || !change.kinds.empty())
      seen[static_cast<size_t>(Category::WidenedCustomRole)] = true;
    if (!change.creators.empty())
      seen[static_cast<size_t>(Category::NewDelegation)] = true;
  }
  std::vector<Category> out;
  for (size_t i = 0; i < kCategoryCount; ++i)
    if (seen[i])
      out.push_back(static_cast<Category>(i));
  return out;
}

PolicyDiff comparePolicies(const sema::Model &before, const sema::Model &after) {
  return Comparison(before, after).run();
}

} // namespace lattice::diff
