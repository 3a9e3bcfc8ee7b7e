// custom_roles_check.cpp - random ceilings, custom roles and requests: the runtime's building
// (lattice_custom_role_add: status and offending entry), its decisions
// (lattice_decide_access_custom) and its principal handles against the reference interpreter.
#include "custom_roles_check.h"

#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "lower/lower.h"
#include "policy_generator.h"
#include "to_runtime.h"

#include <fmt/format.h>

namespace lattice::difftest {
namespace {

using reference::Outcome;

const char *const kReachWords[] = {"self",      "descendants", "subtree",
                                   "ancestors", "tenant",      "elsewhere"};

/// One or two ceilings over `model`'s names: user types, permissions that apply to them (some
/// rules with `except`), reaches, creators.
std::string ceilings(Rng &rng, const sema::Model &model) {
  std::string text;
  const uint32_t kinds = uint32_t(model.kinds.size());
  for (uint32_t c = 0, n = rng.between(1, 2); c < n && kinds > 0; ++c) {
    sema::KindMask mask = sema::KindMask{1} << rng.between(0, kinds - 1);
    if (rng.chance(40))
      mask |= sema::KindMask{1} << rng.between(0, kinds - 1);
    std::vector<std::string> allows;
    for (uint32_t r = 0, rules = rng.between(1, 3); r < rules; ++r) {
      std::vector<std::string> names;
      for (const sema::Permission &p : model.permissions)
        if ((p.applicableKinds & mask) && rng.chance(45))
          names.push_back(p.name);
      if (names.empty())
        continue;
      std::string rule = "  allow " + names[0];
      for (size_t i = 1; i < names.size(); ++i)
        rule += ", " + names[i];
      if (rng.chance(80))
        rule += std::string(" in ") + kReachWords[rng.between(0, 5)];
      allows.push_back(rule + ";\n");
    }
    if (allows.empty())
      continue;
    std::string kindList;
    for (uint32_t k = 0; k < kinds; ++k)
      if ((mask >> k) & 1)
        kindList += (kindList.empty() ? "" : ", ") + model.kinds[k].name;
    text += fmt::format("\ncustom role custom_ceiling_{} for {} {{\n", c, kindList);
    for (const std::string &allow : allows)
      text += allow;
    if (!model.roles.empty() && rng.chance(70))
      text += "  created_by " + model.roles[rng.between(0, uint32_t(model.roles.size()) - 1)].name +
              ";\n";
    text += "}\n";
  }
  return text;
}

lattice_custom_status statusOf(reference::CustomRefusal refusal) {
  switch (refusal) {
  case reference::CustomRefusal::UnknownPermission:
    return LATTICE_CUSTOM_UNKNOWN_PERMISSION;
  case reference::CustomRefusal::BadReach:
    return LATTICE_CUSTOM_BAD_REACH;
  case reference::CustomRefusal::NotForKinds:
    return LATTICE_CUSTOM_NOT_FOR_KINDS;
  case reference::CustomRefusal::OutsideCeiling:
    return LATTICE_CUSTOM_OUTSIDE_CEILING;
  case reference::CustomRefusal::ReachBeyondCeiling:
    return LATTICE_CUSTOM_REACH_BEYOND_CEILING;
  }
  return LATTICE_CUSTOM_BAD_ARGUMENT;
}

} // namespace

std::string ceilingsFor(uint64_t seed, const sema::Model &base) {
  Rng rng(seed * 0xD1B54A32D192ED03ull + 12);
  return ceilings(rng, base);
}

CustomRolesResult checkCustomRoles(uint64_t seed, const sema::Model &model) {
  CustomRolesResult result;
  Rng rng(seed * 0xD1B54A32D192ED03ull + 13);
  if (model.customRoles.empty())
    return result;
  const std::vector<uint8_t> bytes = emit::writeTable(lower::lowerModel(model));
  lattice_table *table = nullptr;
  if (lattice_table_load(bytes.data(), bytes.size(), &table) != LATTICE_LOAD_OK) {
    result.mismatches.push_back("table with ceilings does not load");
    return result;
  }
  lattice_custom_roles *set = lattice_custom_roles_new(table);
  const uint32_t permissions = uint32_t(model.permissions.size());
  // Built roles: the runtime's id and the reference's cells.
  std::vector<std::pair<uint32_t, reference::CustomRole>> built;
  for (int round = 0; round < 12; ++round) {
    const uint32_t ceiling = rng.between(0, uint32_t(model.customRoles.size()) - 1);
    const sema::CustomRole &c = model.customRoles[ceiling];
    std::vector<std::pair<uint32_t, uint32_t>> entries;
    for (uint32_t i = 0, n = rng.between(0, 5); i < n; ++i) {
      // Mostly within the ceiling; now and then anything (outside it, an unknown id, a reach
      // beyond the ceiling's or beyond the four relations).
      uint32_t p, reach;
      if (!c.cells.empty() && rng.chance(85)) {
        const auto &cell = c.cells[rng.between(0, uint32_t(c.cells.size()) - 1)];
        p = cell.first;
        reach = cell.second & rng.between(1, 15);
        if (reach == 0 || rng.chance(5))
          reach = rng.between(0, 16);
      } else {
        p = rng.between(0, permissions); // permissions itself is an unknown id
        reach = rng.between(1, 15);
      }
      entries.emplace_back(p, reach);
    }
    std::vector<uint32_t> ps, rs;
    for (auto [p, r] : entries) {
      ps.push_back(p);
      rs.push_back(r);
    }
    uint32_t role = LATTICE_NO_ID, bad = LATTICE_NO_ID;
    const lattice_custom_status got = lattice_custom_role_add(set, ceiling, ps.data(), rs.data(),
                                                              uint32_t(ps.size()), &role, &bad);
    const auto want = reference::buildCustomRole(model, ceiling, entries);
    ++result.builds;
    if (const auto *refusal = std::get_if<std::pair<reference::CustomRefusal, uint32_t>>(&want)) {
      if (got != statusOf(refusal->first) || bad != refusal->second)
        result.mismatches.push_back(fmt::format(
            "custom role of `{}`: reference refuses entry {} ({}), runtime status {} entry {}",
            c.name, refusal->second, int(statusOf(refusal->first)), int(got), bad));
      continue;
    }
    if (got != LATTICE_CUSTOM_OK) {
      result.mismatches.push_back(fmt::format(
          "custom role of `{}`: reference builds it, runtime refuses entry {} (status {})", c.name,
          bad, int(got)));
      continue;
    }
    built.emplace_back(role, std::get<reference::CustomRole>(want));
  }
  // Flags by side: the principal's, each membership's node's, and the request's facts.
  sema::FlagMask principalFlags = 0, nodeFlags = 0, factFlags = 0;
  for (uint32_t f = 0; f < model.flags.size(); ++f)
    (model.flags[f].isFact()                       ? factFlags
     : model.flags[f].side == sema::FlagSide::Node ? nodeFlags
                                                   : principalFlags) |= sema::FlagMask{1} << f;
  // The target is [1, 2]; each membership's node gives its relation to it.
  static const uint64_t same[] = {1, 2}, above[] = {1}, below[] = {1, 2, 3}, beside[] = {1, 5},
                        other[] = {7};
  struct Place {
    const uint64_t *ids;
    uint32_t depth;
    std::optional<sema::Relation> relation;
  };
  const Place places[] = {{same, 2, sema::Relation::Same},
                          {above, 1, sema::Relation::Descendant},
                          {below, 3, sema::Relation::Ancestor},
                          {beside, 2, sema::Relation::Tenant},
                          {other, 1, std::nullopt}};
  for (int round = 0; round < 40 && !built.empty() && permissions > 0; ++round) {
    reference::PrincipalRequest want;
    want.kind = rng.between(0, uint32_t(model.kinds.size()) - 1);
    want.flags = rng.next() & principalFlags;
    want.facts = rng.next() & factFlags;
    want.permission = rng.between(0, permissions - 1);
    std::vector<std::vector<uint32_t>> roleIds;
    std::vector<lattice_membership> ms;
    const uint32_t count = rng.between(1, 3);
    roleIds.resize(count);
    for (uint32_t m = 0; m < count; ++m) {
      // The first membership in the target's tree: with none the runtime says OTHER_TREE, which
      // the reference leaves to its caller.
      const Place &place = places[rng.between(0, m == 0 ? 3 : 4)];
      reference::Membership membership{{}, place.relation, rng.next() & nodeFlags};
      want.custom.emplace_back();
      for (uint32_t i = 0, n = rng.between(0, 2); i < n && !model.roles.empty(); ++i)
        if (rng.chance(30)) {
          const sema::RoleId r = rng.between(0, uint32_t(model.roles.size()) - 1);
          membership.roles.push_back(r);
          roleIds[m].push_back(r);
        }
      for (uint32_t i = 0, n = rng.between(1, 2); i < n; ++i) {
        const auto &[id, cells] = built[rng.between(0, uint32_t(built.size()) - 1)];
        want.custom.back().push_back(cells);
        roleIds[m].push_back(id);
      }
      want.memberships.push_back(membership);
      lattice_membership record{};
      record.node.path = {place.ids, place.depth};
      record.node_flags = membership.nodeFlags;
      ms.push_back(record);
    }
    for (uint32_t m = 0; m < count; ++m) {
      ms[m].roles = roleIds[m].data();
      ms[m].role_count = uint32_t(roleIds[m].size());
    }
    lattice_node_ref target{};
    target.path = {same, 2};
    const lattice_access_request q = runtimeRequest(want, ms, target);
    const reference::Decision expected = reference::decide(model, want);
    const lattice_access_decision got = lattice_decide_access_custom(table, set, &q);
    ++result.decisions;
    const bool exclusive = expected.outcome == Outcome::Exclusive; // names a role of its own
    if ((got.allowed != 0) != expected.allowed || got.reason != runtimeReason(expected.outcome))
      result.mismatches.push_back(fmt::format(
          "custom roles, permission `{}`, user type `{}`: reference reason {}, runtime {}",
          model.permissions[want.permission].name, model.kinds[want.kind].name,
          runtimeReason(expected.outcome), got.reason));
    else if (!exclusive && expected.outcome == Outcome::Allowed &&
             expected.matchingAllows.empty() && !(got.deciding_role & LATTICE_CUSTOM_ROLE))
      result.mismatches.push_back("only a custom role allows, but the runtime names a compiled "
                                  "role");
    lattice_principal *principal = nullptr;
    if (lattice_principal_new_custom(table, set, q.kind, q.flags, ms.data(), count, &principal) !=
        LATTICE_PRINCIPAL_OK) {
      result.mismatches.push_back("lattice_principal_new_custom refuses a valid principal");
      continue;
    }
    const lattice_access_decision handle =
        lattice_decide_as(principal, q.permission, q.target, q.facts);
    lattice_principal_free(principal);
    if (handle.allowed != got.allowed || handle.reason != got.reason ||
        handle.deciding_role != got.deciding_role ||
        handle.deciding_membership != got.deciding_membership)
      result.mismatches.push_back(
          fmt::format("custom roles: the principal handle decides reason {} role {} membership {}, "
                      "lattice_decide_access_custom reason {} role {} membership {}",
                      handle.reason, handle.deciding_role, handle.deciding_membership, got.reason,
                      got.deciding_role, got.deciding_membership));
  }
  lattice_custom_roles_free(set);
  lattice_table_free(table);
  return result;
}

} // namespace lattice::difftest
