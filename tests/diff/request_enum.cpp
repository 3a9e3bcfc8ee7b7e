// request_enum.cpp - enumeration of the request space and readable request/decision strings.
// Plain nested loops: the generated policies are small enough to visit every request.
#include "request_enum.h"

#include <algorithm>

namespace lattice::difftest {

using sema::FlagMask;
using sema::RoleId;

namespace {

/// Every subset of `mask` (including 0), in increasing order.
std::vector<FlagMask> subsets(FlagMask mask) {
  std::vector<FlagMask> result;
  FlagMask sub = 0;
  do {
    result.push_back(sub);
    sub = (sub - mask) & mask;
  } while (sub != 0);
  return result;
}

void roleSets(const std::vector<RoleId> &roles, size_t start, size_t maxSize,
              std::vector<RoleId> &current, std::vector<std::vector<RoleId>> &out) {
  out.push_back(current);
  if (current.size() == maxSize)
    return;
  for (size_t i = start; i < roles.size(); ++i) {
    current.push_back(roles[i]);
    roleSets(roles, i + 1, maxSize, current, out);
    current.pop_back();
  }
}

} // namespace

std::vector<SpaceRequest> enumerateRequests(const sema::Model &model,
                                            const analysis::RequestSpace &space,
                                            bool withForeignRoles) {
  std::vector<SpaceRequest> result;
  for (const analysis::Seat &seat : space.seats()) {
    std::vector<RoleId> holdable, foreign;
    for (RoleId r = 0; r < model.roles.size(); ++r)
      ((model.roles[r].kinds >> seat.kind & 1) ? holdable : foreign).push_back(r);
    std::vector<std::vector<RoleId>> sets;
    std::vector<RoleId> current;
    roleSets(holdable, 0, 3, current, sets);
    if (withForeignRoles)
      for (RoleId r : foreign)
        sets.push_back({r});
    std::vector<FlagMask> flagSets = subsets(space.flags(seat));
    for (sema::PermissionId p = 0; p < model.permissions.size(); ++p) {
      sema::RelationMask relations = space.relations(seat.scope, model.permissions[p].resource);
      for (uint32_t rel = 0; rel < sema::kRelationCount; ++rel) {
        if (!(relations >> rel & 1))
          continue;
        for (const auto &roles : sets)
          for (FlagMask flags : flagSets)
            result.push_back(
                {seat, reference::Request{seat.kind, roles, p, sema::Relation(rel), flags}});
      }
    }
  }
  return result;
}

bool inSpace(const sema::Model &model, const analysis::RequestSpace &space,
             const analysis::Seat &seat, const reference::Request &request) {
  const auto &seats = space.seats();
  if (std::find(seats.begin(), seats.end(), seat) == seats.end() || request.kind != seat.kind)
    return false;
  if (request.permission >= model.permissions.size())
    return false;
  std::vector<RoleId> sorted = request.roles;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return false;
  for (RoleId r : request.roles)
    if (r >= model.roles.size() || !(model.roles[r].kinds >> seat.kind & 1))
      return false;
  sema::RelationMask relations =
      space.relations(seat.scope, model.permissions[request.permission].resource);
  if (!(relations >> unsigned(request.relation) & 1))
    return false;
  return (request.flags & ~space.flags(seat)) == 0;
}

std::string describe(const sema::Model &model, const analysis::Seat &seat,
                     const reference::Request &request) {
  std::string text = model.kinds[seat.kind].name + "@" + model.scopeKinds[seat.scope].name + " {";
  for (size_t i = 0; i < request.roles.size(); ++i)
    text += (i ? ", " : "") + model.roles[request.roles[i]].name;
  text += "} " + model.permissions[request.permission].name + " " +
          sema::relationName(request.relation) + " {";
  bool first = true;
  for (sema::FlagId f = 0; f < model.flags.size(); ++f)
    if (request.flags >> f & 1) {
      text += (first ? "" : ", ") + model.flags[f].name;
      first = false;
    }
  return text + "}";
}

const char *outcomeName(reference::Outcome outcome) {
  switch (outcome) {
  case reference::Outcome::Allowed:
    return "allowed";
  case reference::Outcome::DeniedByRule:
    return "denied-by-rule";
  case reference::Outcome::DeniedByPolicy:
    return "denied-by-policy";
  case reference::Outcome::NoAllow:
    return "no-allow";
  case reference::Outcome::RoleNotForKind:
    return "role-not-for-kind";
  case reference::Outcome::Exclusive:
    return "exclusive";
  case reference::Outcome::NotApplicable:
    return "not-applicable";
  case reference::Outcome::Requirement:
    return "requirement";
  }
  return "?";
}

std::string describe(const reference::Decision &decision) {
  auto rules = [](const std::vector<uint32_t> &ids) {
    std::string text;
    for (uint32_t id : ids)
      text += (text.empty() ? "#" : ", #") + std::to_string(id);
    return text;
  };
  return std::string(decision.allowed ? "allow" : "deny") + " (" + outcomeName(decision.outcome) +
         "; allows [" + rules(decision.matchingAllows) + "], denies [" +
         rules(decision.matchingDenies) + "])";
}

} // namespace lattice::difftest
