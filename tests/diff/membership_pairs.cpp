// membership_pairs.cpp - enumeration of two-membership requests and their composed decisions:
// per membership, the rules it matches by the language's definition; the request's decision
// from both, after the gates (docs/request-model.md, "The decision").
#include "membership_pairs.h"

#include <algorithm>

namespace lattice::difftest {
namespace {

/// Every subset of `mask` (0 included).
template <typename F> void forEachSubset(sema::FlagMask mask, F &&f) {
  sema::FlagMask sub = 0;
  do {
    f(sub);
    sub = (sub - mask) & mask;
  } while (sub != 0);
}

std::string flagList(const sema::Model &model, sema::FlagMask flags) {
  std::string text = "{";
  for (sema::FlagId f = 0; f < model.flags.size(); ++f)
    if (flags >> f & 1)
      text += (text.size() > 1 ? ", " : "") + model.flags[f].name;
  return text + "}";
}

} // namespace

reference::PrincipalRequest PairRequest::toReference() const {
  reference::PrincipalRequest request;
  request.kind = kind;
  request.flags = principalFlags;
  request.permission = permission;
  for (const Side *side : {&a, &b})
    request.memberships.push_back({side->role == kNoRole ? std::vector<sema::RoleId>{}
                                                         : std::vector<sema::RoleId>{side->role},
                                   side->relation, side->nodeFlags});
  return request;
}

std::string PairRequest::describe(const sema::Model &model) const {
  std::string text = model.kinds[kind].name + " " + flagList(model, principalFlags) + " " +
                     model.permissions[permission].name + " on " + model.scopeKinds[target].name +
                     ":";
  for (const Side *side : {&a, &b})
    text += std::string(side == &a ? " " : ", ") +
            (side->role == kNoRole ? std::string("(no role)") : model.roles[side->role].name) +
            "@" + model.scopeKinds[side->scope].name + " " + sema::relationName(side->relation) +
            " " + flagList(model, side->nodeFlags);
  return text;
}

PairRequests::PairRequests(const sema::Model &m, const analysis::RequestSpace &s)
    : model(m), space(s) {
  carries.assign(m.roles.size(), std::vector<bool>(m.roles.size(), false));
  for (sema::RoleId r = 0; r < m.roles.size(); ++r) {
    carries[r][r] = true;
    for (sema::RoleId up : m.roles[r].inherited)
      carries[r][up] = true;
  }
}

uint64_t PairRequests::matches(sema::KindId kind, sema::RoleId role, sema::PermissionId permission,
                               sema::Relation relation, sema::FlagMask flags) const {
  uint64_t mask = 0;
  for (uint32_t i = 0; i < model.rules.size(); ++i) {
    const sema::Rule &rule = model.rules[i];
    const bool held =
        rule.policyWide() || (role != PairRequest::kNoRole && carries[role][rule.role]);
    if (held && rule.appliesTo(kind) &&
        std::binary_search(rule.permissions.begin(), rule.permissions.end(), permission) &&
        (sema::reachRelations(rule.reach) >> unsigned(relation) & 1) && rule.guard.holds(flags))
      mask |= uint64_t{1} << i;
  }
  return mask;
}

bool PairRequests::requirementsHold(sema::KindId kind, sema::FlagMask flags) const {
  for (const sema::Requirement &requirement : model.requirements)
    if ((requirement.kinds >> kind & 1) && !requirement.guard.holds(flags))
      return false;
  return true;
}

PairDecision PairRequests::decide(const PairRequest &q) const {
  return compose(
      q, matches(q.kind, q.a.role, q.permission, q.a.relation, q.principalFlags | q.a.nodeFlags),
      matches(q.kind, q.b.role, q.permission, q.b.relation, q.principalFlags | q.b.nodeFlags));
}

PairDecision PairRequests::compose(const PairRequest &q, uint64_t atA, uint64_t atB) const {
  PairDecision d;
  const sema::FlagMask flagsA = q.principalFlags | q.a.nodeFlags;
  const sema::FlagMask flagsB = q.principalFlags | q.b.nodeFlags;
  bool exclusive = false;
  for (const sema::ExclusiveSet &set : model.exclusives)
    exclusive |= q.a.role != q.b.role &&
                 std::binary_search(set.roles.begin(), set.roles.end(), q.a.role) &&
                 std::binary_search(set.roles.begin(), set.roles.end(), q.b.role);
  auto holdable = [&](sema::RoleId role) {
    return role == PairRequest::kNoRole || (model.roles[role].kinds >> q.kind & 1);
  };
  d.gatesPass = holdable(q.a.role) && holdable(q.b.role) && !exclusive &&
                (model.permissions[q.permission].applicableKinds >> q.kind & 1) &&
                requirementsHold(q.kind, flagsA) && requirementsHold(q.kind, flagsB);
  if (!d.gatesPass)
    return d;
  const uint64_t matched = atA | atB;
  for (uint32_t i = 0; i < model.rules.size(); ++i)
    if (matched >> i & 1)
      (model.rules[i].effect == sema::Effect::Allow ? d.allows : d.denies) |= uint64_t{1} << i;
  return d;
}

void PairRequests::forEach(
    const std::function<void(const PairRequest &, const PairDecision &)> &f) const {
  if (!usable())
    return;
  struct Matching {
    sema::RoleId role;
    uint64_t rules;
  };
  for (sema::KindId k = 0; k < model.kinds.size(); ++k) {
    std::vector<sema::ScopeKindId> scopes = model.kinds[k].scopes;
    std::sort(scopes.begin(), scopes.end());
    scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
    std::vector<sema::RoleId> holdable;
    for (sema::RoleId r = 0; r < model.roles.size(); ++r)
      if (model.roles[r].kinds >> k & 1)
        holdable.push_back(r);
    if (!model.policyRules.empty()) // a membership holding no role meets policy-wide denies
      holdable.push_back(PairRequest::kNoRole);
    // The roles of `holdable` that match something at one membership.
    auto matching = [&](sema::PermissionId p, sema::Relation rel, sema::FlagMask flags) {
      std::vector<Matching> out;
      for (sema::RoleId r : holdable)
        if (uint64_t rules = matches(k, r, p, rel, flags))
          out.push_back({r, rules});
      return out;
    };
    for (sema::ResourceId res = 0; res < model.resources.size(); ++res) {
      std::vector<sema::PermissionId> perms;
      for (sema::PermissionId p : model.resources[res].permissions)
        if (model.permissions[p].applicableKinds >> k & 1)
          perms.push_back(p);
      if (perms.empty())
        continue;
      for (sema::ScopeKindId sa : scopes)
        for (unsigned ra = 0; ra < sema::kRelationCount; ++ra)
          for (sema::ScopeKindId sb : scopes)
            for (unsigned rb = 0; rb < sema::kRelationCount; ++rb) {
              PairRequest q;
              q.kind = k;
              q.a = {sa, 0, sema::Relation(ra), 0};
              q.b = {sb, 0, sema::Relation(rb), 0};
              bool placed = false;
              for (sema::ScopeKindId o : space.targetKinds(res))
                if (!placed && space.apartAt(o, sa, q.a.relation, sb, q.b.relation)) {
                  q.target = o;
                  placed = true;
                }
              if (!placed)
                continue;
              forEachSubset(space.principalFlags(k), [&](sema::FlagMask principal) {
                q.principalFlags = principal;
                forEachSubset(space.nodeFlags(sa), [&](sema::FlagMask nodeA) {
                  q.a.nodeFlags = nodeA;
                  forEachSubset(space.nodeFlags(sb), [&](sema::FlagMask nodeB) {
                    q.b.nodeFlags = nodeB;
                    for (sema::PermissionId p : perms) {
                      q.permission = p;
                      std::vector<Matching> atA = matching(p, q.a.relation, principal | nodeA);
                      if (atA.empty())
                        continue;
                      std::vector<Matching> atB = matching(p, q.b.relation, principal | nodeB);
                      for (const Matching &x : atA)
                        for (const Matching &y : atB) {
                          q.a.role = x.role;
                          q.b.role = y.role;
                          f(q, compose(q, x.rules, y.rules));
                        }
                    }
                  });
                });
              });
            }
    }
  }
}

} // namespace lattice::difftest
