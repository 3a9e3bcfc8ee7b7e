// ceiling_findings.cpp - the analyzer's findings about custom role ceilings checked against the
// reference interpreter deciding each ceiling's widest custom role over the request space.
#include "ceiling_findings.h"

#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

namespace lattice::difftest {
namespace {

/// A request's worst case for ceiling `ceiling`: the principal holds only its widest custom role,
/// at one membership with the request's relation, every flag of the request on every side.
reference::Decision decideWidest(const sema::Model &model, uint32_t ceiling,
                                 const reference::Request &q) {
  reference::PrincipalRequest request;
  request.kind = q.kind;
  request.flags = q.flags;
  request.facts = q.flags & model.factMask();
  request.permission = q.permission;
  request.memberships.push_back({{}, q.relation, q.flags});
  request.custom.push_back({{ceiling, model.customRoles[ceiling].cells}});
  return reference::decide(model, request);
}

/// The ceiling whose `created_by` names `creator` at `site`, if any.
std::optional<uint32_t> ceilingOfCreator(const sema::Model &model, sema::RoleId creator,
                                         SourceRange site) {
  for (uint32_t c = 0; c < model.customRoles.size(); ++c)
    for (const auto &[role, range] : model.customRoles[c].creatorSites)
      if (role == creator && range == site)
        return c;
  return std::nullopt;
}

std::optional<uint32_t> ceilingAt(const sema::Model &model, SourceRange decl) {
  for (uint32_t c = 0; c < model.customRoles.size(); ++c)
    if (model.customRoles[c].decl == decl)
      return c;
  return std::nullopt;
}

class Checker {
public:
  Checker(const sema::Model &model, const std::vector<SpaceRequest> &requests,
          const std::vector<bool> &inSpace,
          const std::function<bool(sema::RoleId, sema::PermissionId)> &holdsAlone)
      : model(model), holdsAlone(holdsAlone) {
    // The space's requests without their roles, once each: what a widest custom role meets.
    std::set<std::tuple<sema::KindId, sema::PermissionId, sema::Relation, sema::FlagMask>> seen;
    for (size_t i = 0; i < requests.size(); ++i) {
      const reference::Request &q = requests[i].request;
      if (inSpace[i] && seen.insert({q.kind, q.permission, q.relation, q.flags}).second)
        bare.push_back(reference::Request{q.kind, {}, q.permission, q.relation, q.flags});
    }
  }

  CeilingFindingsResult run(const std::vector<analysis::Finding> &findings) {
    std::set<std::pair<sema::RoleId, uint32_t>> escalations; // (creator, ceiling)
    std::set<std::pair<uint32_t, uint32_t>> conflicts;       // (deny rule, ceiling)
    for (const analysis::Finding &f : findings) {
      if (f.kind == DiagKind::CustomRoleEscalation) {
        ++result.escalations;
        if (std::optional<uint32_t> c = checkEscalation(f))
          escalations.insert({f.roles[0], *c});
      } else if (f.kind == DiagKind::CustomRoleSpansExclusive) {
        ++result.spans;
        checkSpan(f);
      } else if (isCeilingFinding(model, f)) {
        ++result.conflicts;
        if (std::optional<uint32_t> c = checkConflict(f))
          conflicts.insert({f.rules[0], *c});
      }
    }
    // Misses: a creator lacking a right its ceiling's widest custom role is allowed somewhere;
    // a policy-wide deny overriding a ceiling's widest custom role in some request.
    for (uint32_t c = 0; c < model.customRoles.size(); ++c) {
      const sema::CustomRole &ceiling = model.customRoles[c];
      for (sema::RoleId creator : ceiling.creators) {
        if (escalations.count({creator, c}))
          continue;
        for (const auto &[p, relations] : ceiling.cells)
          if (lacks(creator, p) && widestAllowed(c, p)) {
            result.misses.push_back(fmt::format(
                "unreported custom role escalation: `{}` creates custom roles of `{}`, whose "
                "widest is allowed `{}`, which `{}` alone never is",
                model.roles[creator].name, ceiling.name, model.permissions[p].name,
                model.roles[creator].name));
            break;
          }
      }
      for (uint32_t rule : model.policyRules)
        if (!conflicts.count({rule, c}) && denyMeets(rule, c, std::nullopt))
          result.misses.push_back(fmt::format(
              "unreported conflict: policy-wide deny at rule {} overrides the widest custom role "
              "of `{}` in some request",
              rule, ceiling.name));
    }
    return std::move(result);
  }

private:
  bool lacks(sema::RoleId creator, sema::PermissionId p) const {
    return (model.permissions[p].applicableKinds & model.roles[creator].kinds) &&
           !holdsAlone(creator, p);
  }

  bool widestAllowed(uint32_t c, sema::PermissionId p) const {
    for (const reference::Request &q : bare)
      if (q.permission == p && decideWidest(model, c, q).allowed)
        return true;
    return false;
  }

  /// Whether policy-wide deny `rule` denies a request the widest custom role of `c` is allowed
  /// without it (for `p` only, when given).
  bool denyMeets(uint32_t rule, uint32_t c, std::optional<sema::PermissionId> p) const {
    for (const reference::Request &q : bare) {
      if (p && q.permission != *p)
        continue;
      const reference::Decision d = decideWidest(model, c, q);
      if (d.customAllows && std::find(d.matchingDenies.begin(), d.matchingDenies.end(), rule) !=
                                d.matchingDenies.end())
        return true;
    }
    return false;
  }

  std::optional<uint32_t> checkEscalation(const analysis::Finding &f) {
    const std::optional<uint32_t> c =
        f.roles.size() == 1 ? ceilingOfCreator(model, f.roles[0], f.range) : std::nullopt;
    if (!c || !f.permission) {
      result.falseAlarms.push_back("custom role escalation without a creator of a ceiling and a "
                                   "permission: " +
                                   f.message);
      return std::nullopt;
    }
    const sema::CustomRole &ceiling = model.customRoles[*c];
    const sema::PermissionId p = *f.permission;
    if (!ceiling.reachOf(p))
      result.falseAlarms.push_back(fmt::format("custom role escalation: the ceiling of `{}` does "
                                               "not hold `{}`",
                                               ceiling.name, model.permissions[p].name));
    else if (!lacks(f.roles[0], p))
      result.falseAlarms.push_back(fmt::format(
          "custom role escalation: `{}` alone is allowed `{}` somewhere (or it applies to none "
          "of its user types)",
          model.roles[f.roles[0]].name, model.permissions[p].name));
    else if (!widestAllowed(*c, p))
      result.falseAlarms.push_back(
          fmt::format("custom role escalation: no custom role of `{}` is ever allowed `{}`",
                      ceiling.name, model.permissions[p].name));
    return c;
  }

  void checkSpan(const analysis::Finding &f) {
    const std::optional<uint32_t> c = ceilingAt(model, f.range);
    if (!c || f.roles.size() != 2) {
      result.falseAlarms.push_back("exclusive-spanning finding without a ceiling and two roles: " +
                                   f.message);
      return;
    }
    const sema::RoleId a = f.roles[0], b = f.roles[1];
    bool together = false;
    for (const sema::ExclusiveSet &set : model.exclusives)
      together |= std::count(set.roles.begin(), set.roles.end(), a) &&
                  std::count(set.roles.begin(), set.roles.end(), b);
    if (!together) {
      result.falseAlarms.push_back(
          fmt::format("exclusive-spanning: `{}` and `{}` are in no exclusive set together",
                      model.roles[a].name, model.roles[b].name));
      return;
    }
    // For one user type of the ceiling: a cell only `a` grants and one only `b` grants (the
    // analyzer's "grants" is surely allowed, so at least allowed somewhere).
    const sema::CustomRole &ceiling = model.customRoles[*c];
    for (sema::KindId k = 0; k < model.kinds.size(); ++k) {
      if (!((ceiling.kinds >> k) & 1))
        continue;
      bool onlyA = false, onlyB = false;
      for (const auto &[p, relations] : ceiling.cells) {
        if (!((model.permissions[p].applicableKinds >> k) & 1))
          continue;
        onlyA |= holdsAlone(a, p) && !holdsAlone(b, p);
        onlyB |= holdsAlone(b, p) && !holdsAlone(a, p);
      }
      if (onlyA && onlyB)
        return;
    }
    result.falseAlarms.push_back(fmt::format(
        "exclusive-spanning: no user type of `{}` has a cell only `{}` grants and one only `{}` "
        "grants",
        ceiling.name, model.roles[a].name, model.roles[b].name));
  }

  std::optional<uint32_t> checkConflict(const analysis::Finding &f) {
    const std::optional<uint32_t> c = ceilingAt(model, f.notes[0].range);
    if (!c || !f.permission) {
      result.falseAlarms.push_back("ceiling conflict without a ceiling and a permission: " +
                                   f.message);
      return std::nullopt;
    }
    if (!denyMeets(f.rules[0], *c, f.permission))
      result.falseAlarms.push_back(fmt::format(
          "ceiling conflict: the policy-wide deny never overrides a custom role of `{}` allowed "
          "`{}`: {}",
          model.customRoles[*c].name, model.permissions[*f.permission].name, f.message));
    return c;
  }

  const sema::Model &model;
  const std::function<bool(sema::RoleId, sema::PermissionId)> &holdsAlone;
  std::vector<reference::Request> bare;
  CeilingFindingsResult result;
};

} // namespace

bool isCeilingFinding(const sema::Model &model, const analysis::Finding &f) {
  if (f.kind == DiagKind::CustomRoleEscalation || f.kind == DiagKind::CustomRoleSpansExclusive)
    return true;
  return f.kind == DiagKind::Conflict && f.rules.size() == 1 && !f.notes.empty() &&
         ceilingAt(model, f.notes[0].range).has_value();
}

CeilingFindingsResult
checkCeilingFindings(const sema::Model &model, const std::vector<SpaceRequest> &requests,
                     const std::vector<bool> &inSpace,
                     const std::function<bool(sema::RoleId, sema::PermissionId)> &holdsAlone,
                     const std::vector<analysis::Finding> &findings) {
  return Checker(model, requests, inSpace, holdsAlone).run(findings);
}

} // namespace lattice::difftest
