// matrix.cpp - computes the role x permission matrix: for each (role, permission, user type) and
// request relation, the reference interpreter decides every combination of the flags that matter,
// and the allowed combinations are summarised as a minimal condition.
#include "doc/matrix.h"

#include "reference/interpreter.h"

#include <algorithm>
#include <bit>
#include <fmt/format.h>

namespace lattice::doc {
namespace {

constexpr size_t kMaxCellFlags = 12;

/// A cube over the relevant flags: bits of `care` are fixed to the bits of `value`.
struct Cube {
  uint32_t care = 0;
  uint32_t value = 0;
  bool contains(uint32_t point) const { return (point & care) == value; }
};

/// A minimal-ish DNF (prime implicants, greedy cover) of the points in `on`; the points in
/// `dontCare` may be covered or not. Points index assignments of `flagBits`.
sema::Guard minimise(const std::vector<sema::FlagId> &flagBits, const std::vector<bool> &on,
                     const std::vector<bool> &dontCare) {
  const uint32_t n = static_cast<uint32_t>(flagBits.size());
  const uint32_t points = 1u << n;
  std::vector<uint32_t> onPoints;
  for (uint32_t p = 0; p < points; ++p)
    if (on[p])
      onPoints.push_back(p);
  if (onPoints.empty())
    return sema::Guard{};
  // Every valid cube (all its points on or don't care, at least one on), fewest literals first.
  std::vector<Cube> valid;
  for (uint32_t care = 0; care < points; ++care)
    for (uint32_t value = care;; value = (value - 1) & care) {
      Cube cube{care, value};
      bool ok = true, any = false;
      for (uint32_t p = 0; p < points && ok; ++p)
        if (cube.contains(p)) {
          ok = on[p] || dontCare[p];
          any = any || on[p];
        }
      if (ok && any)
        valid.push_back(cube);
      if (value == 0)
        break;
    }
  std::stable_sort(valid.begin(), valid.end(), [](const Cube &a, const Cube &b) {
    return std::popcount(a.care) < std::popcount(b.care);
  });
  std::vector<Cube> primes;
  for (const Cube &cube : valid) {
    bool covered = false;
    for (const Cube &prime : primes) // a prime with a subset of the literals, agreeing on them
      if ((prime.care & cube.care) == prime.care && (cube.value & prime.care) == prime.value)
        covered = true;
    if (!covered)
      primes.push_back(cube);
  }
  std::vector<bool> done(points, false);
  size_t left = onPoints.size();
  sema::Guard guard;
  while (left > 0) {
    size_t best = 0, bestCount = 0;
    for (size_t i = 0; i < primes.size(); ++i) {
      size_t count = 0;
      for (uint32_t p : onPoints)
        count += !done[p] && primes[i].contains(p);
      if (count > bestCount) {
        best = i;
        bestCount = count;
      }
    }
    const Cube &cube = primes[best];
    for (uint32_t p : onPoints)
      if (!done[p] && cube.contains(p)) {
        done[p] = true;
        --left;
      }
    sema::Clause clause;
    for (uint32_t bit = 0; bit < n; ++bit)
      if (cube.care >> bit & 1)
        (cube.value >> bit & 1 ? clause.required : clause.forbidden) |= sema::FlagMask{1}
                                                                        << flagBits[bit];
    guard.clauses.push_back(clause);
  }
  std::sort(guard.clauses.begin(), guard.clauses.end(),
            [](const sema::Clause &a, const sema::Clause &b) {
              int la = std::popcount(a.required | a.forbidden),
                  lb = std::popcount(b.required | b.forbidden);
              return la != lb ? la < lb : a < b;
            });
  return guard;
}

bool sameAccess(const KindAccess &a, const KindAccess &b) {
  if (a.applicable != b.applicable)
    return false;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    if (a.when[r].clauses != b.when[r].clauses)
      return false;
  return true;
}

bool computeKind(const sema::Model &model, const std::vector<sema::RoleId> &roles,
                 sema::PermissionId permission, sema::KindId kind, KindAccess &out,
                 std::string &error) {
  out.kinds = sema::KindMask{1} << kind;
  out.applicable = (model.permissions[permission].applicableKinds >> kind) & 1;
  if (!out.applicable)
    return true;
  sema::FlagMask relevant = 0;
  std::vector<sema::RoleId> sources;
  for (sema::RoleId role : roles) {
    sources.insert(sources.end(), model.roles[role].inherited.begin(),
                   model.roles[role].inherited.end());
    sources.push_back(role);
  }
  for (sema::RoleId source : sources)
    for (uint32_t index : model.roles[source].rules) {
      const sema::Rule &rule = model.rules[index];
      if (std::binary_search(rule.permissions.begin(), rule.permissions.end(), permission))
        relevant |= rule.guard.flagsRead();
    }
  for (uint32_t index : model.policyRules) { // policy-wide denies hold whatever role is held
    const sema::Rule &rule = model.rules[index];
    if (rule.appliesTo(kind) &&
        std::binary_search(rule.permissions.begin(), rule.permissions.end(), permission))
      relevant |= rule.guard.flagsRead();
  }
  for (const sema::Requirement &requirement : model.requirements)
    if ((requirement.kinds >> kind) & 1)
      relevant |= requirement.guard.flagsRead();
  std::vector<sema::FlagId> flagBits;
  for (sema::FlagId flag = 0; flag < 64; ++flag)
    if (relevant >> flag & 1)
      flagBits.push_back(flag);
  if (flagBits.size() > kMaxCellFlags) {
    std::string names;
    for (sema::RoleId role : roles)
      names += (names.empty() ? "" : "+") + model.roles[role].name;
    error = "role `" + names + "` and permission `" + model.permissions[permission].name +
            "` depend on more than 12 flags";
    return false;
  }
  const uint32_t points = 1u << flagBits.size();
  std::vector<bool> dontCare(points, false);
  std::vector<std::vector<bool>> on(sema::kRelationCount, std::vector<bool>(points, false));
  for (uint32_t p = 0; p < points; ++p) {
    sema::FlagMask flags = 0;
    for (size_t bit = 0; bit < flagBits.size(); ++bit)
      if (p >> bit & 1)
        flags |= sema::FlagMask{1} << flagBits[bit];
    for (const sema::Requirement &requirement : model.requirements)
      if (((requirement.kinds >> kind) & 1) && !requirement.guard.holds(flags))
        dontCare[p] = true;
    for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
      reference::Request request{kind, roles, permission, static_cast<sema::Relation>(r), flags};
      on[r][p] = reference::decide(model, request).allowed;
    }
  }
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    out.when[r] = minimise(flagBits, on[r], dontCare);
  return true;
}

} // namespace

const char *accessName(Access access) {
  switch (access) {
  case Access::NotApplicable:
    return "n/a";
  case Access::Denied:
    return "deny";
  case Access::Allowed:
    return "allow";
  case Access::Conditional:
    return "conditional";
  }
  return "deny";
}

bool buildMatrix(const sema::Model &model, const std::vector<std::vector<sema::RoleId>> &stacks,
                 Matrix &matrix, std::string &error) {
  matrix = Matrix{};
  matrix.model = &model;
  // Column groups: roles held by the same user types, ordered by their first user type.
  std::vector<sema::RoleId> order(model.roles.size());
  for (sema::RoleId r = 0; r < order.size(); ++r)
    order[r] = r;
  std::stable_sort(order.begin(), order.end(), [&](sema::RoleId a, sema::RoleId b) {
    sema::KindMask ka = model.roles[a].kinds, kb = model.roles[b].kinds;
    int fa = std::countr_zero(ka), fb = std::countr_zero(kb);
    return fa != fb ? fa < fb : ka < kb;
  });
  auto addColumn = [&](Column column, bool stacked) {
    if (matrix.columnGroups.empty() || matrix.columnGroups.back().kinds != column.kinds ||
        matrix.columnGroups.back().stacked != stacked)
      matrix.columnGroups.push_back(ColumnGroup{column.kinds, stacked, {}});
    matrix.columnGroups.back().columns.push_back(matrix.columns.size());
    matrix.columns.push_back(std::move(column));
  };
  for (sema::RoleId role : order)
    addColumn(Column{{role}, model.roles[role].kinds}, false);
  for (const std::vector<sema::RoleId> &stack : stacks) {
    sema::KindMask kinds = model.allKinds();
    for (sema::RoleId role : stack)
      kinds &= model.roles[role].kinds;
    addColumn(Column{stack, kinds}, true);
  }
  for (sema::ResourceId res = 0; res < model.resources.size(); ++res) {
    const sema::Resource &resource = model.resources[res];
    Section section{res, {}};
    for (sema::PermissionId permission : resource.permissions) {
      Row row{permission, -1, {}};
      for (size_t g = 0; g < resource.groups.size() && row.group < 0; ++g)
        if (std::find(resource.groups[g].members.begin(), resource.groups[g].members.end(),
                      permission) != resource.groups[g].members.end())
          row.group = static_cast<int>(g);
      for (const Column &column : matrix.columns) {
        Cell cell;
        for (sema::KindId kind = 0; kind < model.kinds.size(); ++kind) {
          if (!((column.kinds >> kind) & 1))
            continue;
          KindAccess access;
          if (!computeKind(model, column.roles, permission, kind, access, error))
            return false;
          auto same = std::find_if(cell.variants.begin(), cell.variants.end(),
                                   [&](const KindAccess &v) { return sameAccess(v, access); });
          if (same != cell.variants.end())
            same->kinds |= access.kinds;
          else
            cell.variants.push_back(access);
        }
        bool anyApplicable = false, anyAllowed = false, allAlways = true;
        for (const KindAccess &variant : cell.variants) {
          anyApplicable = anyApplicable || variant.applicable;
          for (const sema::Guard &when : variant.when)
            if (!when.isNever()) {
              anyAllowed = true;
              allAlways = allAlways && when.isAlways();
            }
        }
        cell.access = !anyApplicable ? Access::NotApplicable
                      : !anyAllowed  ? Access::Denied
                      : allAlways    ? Access::Allowed
                                     : Access::Conditional;
        row.cells.push_back(std::move(cell));
      }
      section.rows.push_back(std::move(row));
    }
    matrix.sections.push_back(std::move(section));
  }
  return true;
}

bool resolveStack(const sema::Model &model, const std::string &text,
                  std::vector<sema::RoleId> &roles, std::string &error) {
  roles.clear();
  size_t start = 0;
  while (start <= text.size()) {
    size_t plus = text.find('+', start);
    std::string name =
        text.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    start = plus == std::string::npos ? text.size() + 1 : plus + 1;
    auto it = std::find_if(model.roles.begin(), model.roles.end(),
                           [&](const sema::Role &role) { return role.name == name; });
    if (it == model.roles.end()) {
      error = name.empty() ? fmt::format("`--stack {}`: a role name is missing", text)
                           : fmt::format("`--stack {}`: unknown role `{}`", text, name);
      return false;
    }
    sema::RoleId id = static_cast<sema::RoleId>(it - model.roles.begin());
    if (std::find(roles.begin(), roles.end(), id) != roles.end()) {
      error = fmt::format("`--stack {}`: role `{}` is named twice", text, name);
      return false;
    }
    roles.push_back(id);
  }
  if (roles.size() < 2) {
    error = fmt::format("`--stack {}`: name two roles or more, joined with `+`", text);
    return false;
  }
  sema::KindMask kinds = model.allKinds();
  for (sema::RoleId role : roles)
    kinds &= model.roles[role].kinds;
  if (kinds == 0) {
    error = fmt::format("`--stack {}`: no user type may hold all of these roles", text);
    return false;
  }
  return true;
}

std::string columnName(const sema::Model &model, const Column &column) {
  std::string name;
  for (sema::RoleId role : column.roles)
    name += (name.empty() ? "" : "+") + model.roles[role].name;
  return name;
}

std::string columnLabel(const sema::Model &model, const Column &column) {
  std::string label;
  for (sema::RoleId role : column.roles) {
    const sema::Role &r = model.roles[role];
    label += (label.empty() ? "" : " + ") + (r.label.empty() ? r.name : r.label);
  }
  return label;
}

std::string scopeKindsText(const sema::Model &model, bool rootsOnly) {
  std::vector<std::string> names;
  for (sema::ScopeKindId k = 0; k < model.scopeKinds.size(); ++k)
    if (!rootsOnly || model.scopeKinds[k].canBeRoot(k))
      names.push_back(model.scopeKinds[k].name);
  std::string text;
  for (size_t i = 0; i < names.size(); ++i)
    text += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
  return text;
}

std::string relationsText(sema::RelationMask relations) {
  constexpr uint8_t same = 1, below = 2, above = 4, elsewhere = 8;
  switch (relations) {
  case same:
    return "own node";
  case same | below:
    return "own node and below";
  case below:
    return "below own node";
  case above:
    return "above own node";
  case same | above:
    return "own node and above";
  case same | below | above | elsewhere:
    return "whole tenant";
  default:
    break;
  }
  std::string text;
  const char *names[] = {"own node", "below", "above", "elsewhere in tenant"};
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    if (relations >> r & 1)
      text += (text.empty() ? "" : ", ") + std::string(names[r]);
  return text;
}

std::string conditionText(const sema::Model &model, const sema::Guard &guard) {
  if (guard.isNever())
    return "never";
  if (guard.isAlways())
    return "always";
  std::string text;
  for (const sema::Clause &clause : guard.clauses) {
    std::string literals;
    for (sema::FlagId flag = 0; flag < model.flags.size(); ++flag) {
      bool required = clause.required >> flag & 1, forbidden = clause.forbidden >> flag & 1;
      if (!required && !forbidden)
        continue;
      literals += (literals.empty() ? "" : " and ") + std::string(forbidden ? "not " : "") +
                  model.flags[flag].name;
    }
    text += (text.empty() ? "" : " or ") + literals;
  }
  return text;
}

std::vector<Reach> reaches(const KindAccess &variant) {
  std::vector<Reach> out;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
    if (variant.when[r].isNever())
      continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const Reach &reach) {
      return reach.when.clauses == variant.when[r].clauses;
    });
    if (same != out.end())
      same->relations |= static_cast<sema::RelationMask>(1u << r);
    else
      out.push_back(Reach{static_cast<sema::RelationMask>(1u << r), variant.when[r]});
  }
  return out;
}

std::string kindsText(const sema::Model &model, sema::KindMask kinds) {
  std::string text;
  for (sema::KindId kind = 0; kind < model.kinds.size(); ++kind)
    if (kinds >> kind & 1) {
      const sema::PrincipalKind &k = model.kinds[kind];
      text += (text.empty() ? "" : " / ") + (k.label.empty() ? k.name : k.label);
    }
  return text;
}

static std::string variantText(const sema::Model &model, const KindAccess &variant) {
  if (!variant.applicable)
    return "n/a";
  std::vector<Reach> list = reaches(variant);
  if (list.empty())
    return "✖";
  std::string text = "✔ ";
  for (size_t i = 0; i < list.size(); ++i) {
    text += (i ? "; " : "") + relationsText(list[i].relations);
    if (!list[i].when.isAlways())
      text += " when " + conditionText(model, list[i].when);
  }
  return text;
}

std::string cellText(const sema::Model &model, const Cell &cell, sema::KindMask roleKinds) {
  if (cell.variants.size() == 1 && cell.variants[0].kinds == roleKinds)
    return variantText(model, cell.variants[0]);
  std::string text;
  for (const KindAccess &variant : cell.variants)
    text += (text.empty() ? "" : " · ") + kindsText(model, variant.kinds) + ": " +
            variantText(model, variant);
  return text;
}

} // namespace lattice::doc
