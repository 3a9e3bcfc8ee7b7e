// access_diff.cpp - compares two policies by name: decides every single-role request on both
// models with the reference interpreter and turns the differences into minimal flag conditions.
#include "diff/access_diff.h"

#include "reference/interpreter.h"

#include <algorithm>
#include <map>
#include <set>

namespace lattice::diff {
namespace {

/// More flags than this in the rules of one permission of one role are not enumerated.
constexpr size_t kMaxFlags = 16;

template <typename T> std::map<std::string, uint32_t> indexByName(const std::vector<T> &items) {
  std::map<std::string, uint32_t> index;
  for (uint32_t i = 0; i < items.size(); ++i)
    index.emplace(items[i].name, i);
  return index;
}

std::optional<uint32_t> lookup(const std::map<std::string, uint32_t> &index,
                               const std::string &name) {
  auto it = index.find(name);
  if (it == index.end())
    return std::nullopt;
  return it->second;
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

template <typename T> std::vector<std::string> namesOf(const std::vector<T> &items) {
  std::vector<std::string> names;
  for (const T &item : items)
    names.push_back(item.name);
  return names;
}

/// One policy, with its names indexed.
struct Side {
  const sema::Model &model;
  std::map<std::string, uint32_t> roles, kinds, permissions, flags;

  explicit Side(const sema::Model &model)
      : model(model), roles(indexByName(model.roles)), kinds(indexByName(model.kinds)),
        permissions(indexByName(model.permissions)), flags(indexByName(model.flags)) {}

  std::vector<std::string> roleNames(const std::vector<sema::RoleId> &ids) const {
    std::vector<std::string> names;
    for (sema::RoleId id : ids)
      names.push_back(model.roles[id].name);
    return names;
  }

  std::vector<std::string> kindNames(sema::KindMask mask) const {
    std::vector<std::string> names;
    for (sema::KindId k = 0; k < model.kinds.size(); ++k)
      if ((mask >> k) & 1)
        names.push_back(model.kinds[k].name);
    return names;
  }

  /// Rules of `role` and of every role it extends.
  std::vector<uint32_t> rulesOf(sema::RoleId role) const {
    std::vector<uint32_t> rules = model.roles[role].rules;
    for (sema::RoleId inherited : model.roles[role].inherited)
      rules.insert(rules.end(), model.roles[inherited].rules.begin(),
                   model.roles[inherited].rules.end());
    return rules;
  }

  /// Whether flag `flag` can hold for a principal of `kind` (declared on it or on its scopes).
  bool flagSettable(sema::FlagId flag, sema::KindId kind) const {
    const sema::Flag &f = model.flags[flag];
    if ((f.kinds >> kind) & 1)
      return true;
    for (sema::ScopeKindId scope : model.kinds[kind].scopes)
      if (std::find(f.scopes.begin(), f.scopes.end(), scope) != f.scopes.end())
        return true;
    return false;
  }
};

void addGuardFlags(const Side &side, const sema::Guard &guard, std::set<std::string> &out) {
  for (const sema::Clause &clause : guard.clauses)
    for (sema::FlagId f = 0; f < side.model.flags.size(); ++f)
      if (((clause.required | clause.forbidden) >> f) & 1)
        out.insert(side.model.flags[f].name);
}

/// A cube over n variables: the variables in `care` have the values in `value`.
struct Cube {
  uint32_t care = 0;
  uint32_t value = 0;
  friend auto operator<=>(const Cube &, const Cube &) = default;
};

/// A small DNF cover of the minterms set in `on` (Quine-McCluskey primes, greedy cover).
std::vector<NamedClause> minimise(const std::vector<bool> &on,
                                  const std::vector<std::string> &vars) {
  const size_t n = vars.size();
  const uint32_t all = n == 0 ? 0 : (uint32_t{1} << n) - 1;
  std::set<Cube> current;
  for (uint32_t m = 0; m < on.size(); ++m)
    if (on[m])
      current.insert(Cube{all, m});
  std::set<Cube> primes;
  while (!current.empty()) {
    std::set<Cube> next, merged;
    for (auto a = current.begin(); a != current.end(); ++a)
      for (auto b = std::next(a); b != current.end(); ++b) {
        if (a->care != b->care)
          continue;
        uint32_t diff = a->value ^ b->value;
        if (diff == 0 || (diff & (diff - 1)) != 0)
          continue;
        next.insert(Cube{a->care & ~diff, a->value & ~diff});
        merged.insert(*a);
        merged.insert(*b);
      }
    for (const Cube &cube : current)
      if (!merged.count(cube))
        primes.insert(cube);
    current = std::move(next);
  }
  auto covers = [](const Cube &cube, uint32_t m) { return (m & cube.care) == cube.value; };
  std::vector<bool> covered(on.size(), false);
  std::vector<Cube> chosen;
  for (;;) {
    const Cube *best = nullptr;
    size_t bestCount = 0;
    for (const Cube &cube : primes) {
      size_t count = 0;
      for (uint32_t m = 0; m < on.size(); ++m)
        count += on[m] && !covered[m] && covers(cube, m);
      bool better =
          count > bestCount || (count == bestCount && count > 0 && best != nullptr &&
                                __builtin_popcount(cube.care) < __builtin_popcount(best->care));
      if (better) {
        best = &cube;
        bestCount = count;
      }
    }
    if (best == nullptr)
      break;
    chosen.push_back(*best);
    for (uint32_t m = 0; m < on.size(); ++m)
      if (covers(*best, m))
        covered[m] = true;
  }
  std::vector<NamedClause> clauses;
  for (const Cube &cube : chosen) {
    NamedClause clause;
    for (size_t i = 0; i < n; ++i)
      if ((cube.care >> i) & 1)
        ((cube.value >> i) & 1 ? clause.required : clause.forbidden).push_back(vars[i]);
    clauses.push_back(std::move(clause));
  }
  std::sort(clauses.begin(), clauses.end(), [](const NamedClause &a, const NamedClause &b) {
    size_t la = a.required.size() + a.forbidden.size();
    size_t lb = b.required.size() + b.forbidden.size();
    if (la != lb)
      return la < lb;
    return describeCondition({a}) < describeCondition({b});
  });
  if (clauses.size() == 1 && clauses[0].required.empty() && clauses[0].forbidden.empty())
    clauses.clear(); // always
  return clauses;
}

/// What one side decides for (role, kind, permission), for every relation and flag minterm.
struct Decider {
  const Side &side;
  std::optional<sema::RoleId> role;
  std::optional<sema::KindId> kind;
  std::optional<sema::PermissionId> permission;
  std::vector<std::optional<sema::FlagId>> vars; // per variable: the flag, if settable here

  bool allowed(sema::Relation relation, uint32_t minterm) const {
    if (!role || !kind || !permission)
      return false;
    reference::Request request;
    request.kind = *kind;
    request.roles = {*role};
    request.permission = *permission;
    request.relation = relation;
    for (size_t i = 0; i < vars.size(); ++i)
      if (((minterm >> i) & 1) && vars[i])
        request.flags |= sema::FlagMask{1} << *vars[i];
    return reference::decide(side.model, request).allowed;
  }
};

std::string relationsKey(const std::vector<bool> &minterms) {
  std::string key;
  for (bool bit : minterms)
    key += bit ? '1' : '0';
  return key;
}

} // namespace

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

bool PolicyDiff::hasOtherChanges() const {
  return !roles.empty() || !userTypes.empty() || !permissions.empty() || !flags.empty() ||
         !roleChanges.empty() || !exclusivesAdded.empty() || !exclusivesRemoved.empty();
}

PolicyDiff comparePolicies(const sema::Model &before, const sema::Model &after) {
  PolicyDiff diff;
  const Side a(before), b(after);
  diff.roles = compareNames(namesOf(before.roles), namesOf(after.roles));
  diff.userTypes = compareNames(namesOf(before.kinds), namesOf(after.kinds));
  diff.permissions = compareNames(namesOf(before.permissions), namesOf(after.permissions));
  diff.flags = compareNames(namesOf(before.flags), namesOf(after.flags));

  const std::vector<std::string> permissionOrder =
      unionInOrder(namesOf(before.permissions), namesOf(after.permissions));
  std::map<std::string, size_t> permissionRank;
  for (size_t i = 0; i < permissionOrder.size(); ++i)
    permissionRank.emplace(permissionOrder[i], i);

  for (const sema::Role &newRole : after.roles) {
    std::optional<sema::RoleId> roleA = lookup(a.roles, newRole.name);
    if (!roleA)
      continue;
    sema::RoleId roleB = *lookup(b.roles, newRole.name);
    const sema::Role &oldRole = before.roles[*roleA];

    RoleChange roleChange;
    roleChange.role = newRole.name;
    roleChange.kinds = compareNames(a.kindNames(oldRole.kinds), b.kindNames(newRole.kinds));
    roleChange.assigns = compareNames(a.roleNames(oldRole.assigns), b.roleNames(newRole.assigns));
    if (oldRole.locked != newRole.locked)
      roleChange.locked = newRole.locked;
    if (oldRole.deprecated != newRole.deprecated)
      roleChange.deprecated = newRole.deprecated;
    if (!roleChange.kinds.empty() || !roleChange.assigns.empty() || roleChange.locked ||
        roleChange.deprecated)
      diff.roleChanges.push_back(std::move(roleChange));

    const std::vector<uint32_t> rulesA = a.rulesOf(*roleA), rulesB = b.rulesOf(roleB);
    // Permissions some allow rule grants (on either side): nothing else can change.
    std::set<std::string> candidates;
    for (const auto &[side, rules] : {std::pair{&a, &rulesA}, std::pair{&b, &rulesB}})
      for (uint32_t r : *rules)
        if (side->model.rules[r].effect == sema::Effect::Allow)
          for (sema::PermissionId p : side->model.rules[r].permissions)
            candidates.insert(side->model.permissions[p].name);
    std::vector<std::string> permissions(candidates.begin(), candidates.end());
    std::sort(permissions.begin(), permissions.end(),
              [&](const std::string &x, const std::string &y) {
                return permissionRank.at(x) < permissionRank.at(y);
              });

    for (const std::string &kindName :
         unionInOrder(a.kindNames(oldRole.kinds), b.kindNames(newRole.kinds))) {
      std::optional<sema::KindId> kindA = lookup(a.kinds, kindName);
      std::optional<sema::KindId> kindB = lookup(b.kinds, kindName);
      struct Line {
        std::string resource;
        Change change;
        std::vector<std::string> permissions;
        std::vector<sema::Relation> relations;
        std::vector<NamedClause> condition;
      };
      std::vector<Line> lines;
      for (const std::string &permission : permissions) {
        std::optional<sema::PermissionId> permA = lookup(a.permissions, permission);
        std::optional<sema::PermissionId> permB = lookup(b.permissions, permission);
        // The flags that can matter: those of the rules naming the permission and of the
        // requirements for the kind, where they can be set for the kind.
        std::set<std::string> flagNames;
        auto collect = [&](const Side &side, const std::vector<uint32_t> &rules,
                           std::optional<sema::KindId> kind,
                           std::optional<sema::PermissionId> perm) {
          if (!kind)
            return;
          for (uint32_t r : rules) {
            const sema::Rule &rule = side.model.rules[r];
            if (perm && std::binary_search(rule.permissions.begin(), rule.permissions.end(), *perm))
              addGuardFlags(side, rule.guard, flagNames);
          }
          for (const sema::Requirement &requirement : side.model.requirements)
            if ((requirement.kinds >> *kind) & 1)
              addGuardFlags(side, requirement.guard, flagNames);
        };
        collect(a, rulesA, kindA, permA);
        collect(b, rulesB, kindB, permB);
        std::vector<std::string> vars;
        for (const std::string &flag : flagNames) {
          auto settable = [&](const Side &side, std::optional<sema::KindId> kind) {
            std::optional<sema::FlagId> id = lookup(side.flags, flag);
            return kind && id && side.flagSettable(*id, *kind);
          };
          if (settable(a, kindA) || settable(b, kindB))
            vars.push_back(flag);
        }
        if (vars.size() > kMaxFlags)
          vars.resize(kMaxFlags); // the rest are taken as not set
        auto makeDecider = [&](const Side &side, std::optional<sema::RoleId> role,
                               std::optional<sema::KindId> kind,
                               std::optional<sema::PermissionId> perm) {
          Decider decider{side, role, kind, perm, {}};
          for (const std::string &flag : vars) {
            std::optional<sema::FlagId> id = lookup(side.flags, flag);
            decider.vars.push_back(kind && id && side.flagSettable(*id, *kind) ? id : std::nullopt);
          }
          return decider;
        };
        const Decider decideA = makeDecider(a, roleA, kindA, permA);
        const Decider decideB = makeDecider(b, roleB, kindB, permB);
        const uint32_t minterms = uint32_t{1} << vars.size();
        // Per change: minterm set -> relations with exactly that set.
        for (Change change : {Change::Gained, Change::Lost}) {
          std::vector<std::pair<std::vector<bool>, std::vector<sema::Relation>>> groups;
          for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
            auto relation = static_cast<sema::Relation>(r);
            std::vector<bool> on(minterms, false);
            bool any = false;
            for (uint32_t m = 0; m < minterms; ++m) {
              bool was = decideA.allowed(relation, m), is = decideB.allowed(relation, m);
              on[m] = change == Change::Gained ? (is && !was) : (was && !is);
              any = any || on[m];
            }
            if (!any)
              continue;
            (change == Change::Gained ? diff.gainedRequests : diff.lostRequests) += 1;
            auto it = std::find_if(groups.begin(), groups.end(), [&](const auto &group) {
              return relationsKey(group.first) == relationsKey(on);
            });
            if (it == groups.end())
              groups.push_back({on, {relation}});
            else
              it->second.push_back(relation);
          }
          std::string resource = permission.substr(0, permission.find('.'));
          for (auto &[on, relations] : groups) {
            std::vector<NamedClause> condition = minimise(on, vars);
            std::string text = describeCondition(condition);
            auto same = std::find_if(lines.begin(), lines.end(), [&](const Line &line) {
              return line.resource == resource && line.change == change &&
                     line.relations == relations && describeCondition(line.condition) == text;
            });
            if (same != lines.end())
              same->permissions.push_back(permission);
            else
              lines.push_back(Line{resource, change, {permission}, relations, condition});
          }
        }
      }
      // Group by resource (first appearance), gained before lost.
      std::vector<std::string> resources;
      for (const Line &line : lines)
        if (std::find(resources.begin(), resources.end(), line.resource) == resources.end())
          resources.push_back(line.resource);
      for (const std::string &resource : resources)
        for (Change change : {Change::Gained, Change::Lost})
          for (Line &line : lines)
            if (line.resource == resource && line.change == change)
              diff.access.push_back(AccessChange{newRole.name, kindName, resource, change,
                                                 std::move(line.permissions), line.relations,
                                                 std::move(line.condition)});
    }
  }

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
  return diff;
}

} // namespace lattice::diff
