// coverage.cpp - replays every request of every decision case on the reference interpreter,
// which names the rules that match (the runtime names only the deciding role).
#include "testrun/coverage.h"

#include "reference/interpreter.h"
#include "testrun/principal_requests.h"

#include <bit>
#include <cmath>
#include <fmt/format.h>
#include <string>

namespace lattice::testrun {

size_t RoleCells::pinnedCount() const {
  size_t count = 0;
  for (const auto &[permission, relations] : pinned)
    count += static_cast<size_t>(std::popcount(relations));
  return count;
}

Coverage computeCoverage(const sema::Model &model) {
  Coverage coverage;
  coverage.exercised.assign(model.rules.size(), false);
  // pinned[role][permission]: the relations pinned.
  std::vector<std::vector<sema::RelationMask>> pinned(
      model.roles.size(), std::vector<sema::RelationMask>(model.permissions.size(), 0));
  for (const sema::Test &test : model.tests)
    for (const sema::TestCase &c : test.cases) {
      if (c.assigns)
        continue;
      if (c.principal) { // rules exercised; a principal's cells are not a single role's
        for (sema::PermissionId permission : c.permissions)
          for (uint32_t target : c.targetNodes) {
            if (!sema::aboutNodeOf(model, permission, test.nodes[target].kind))
              continue;
            reference::Decision decision =
                reference::decide(model, principalRequest(model, test, c, permission, target));
            const std::vector<uint32_t> &deciding =
                decision.matchingDenies.empty() ? decision.matchingAllows : decision.matchingDenies;
            if (decision.outcome == reference::Outcome::Allowed ||
                decision.outcome == reference::Outcome::DeniedByRule ||
                decision.outcome == reference::Outcome::DeniedByPolicy ||
                decision.outcome == reference::Outcome::NoAllow)
              for (uint32_t rule : deciding)
                coverage.exercised[rule] = true;
          }
        continue;
      }
      for (sema::PermissionId permission : c.permissions)
        for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
          if (!(c.relations >> r & 1))
            continue;
          // One membership whose flags are the case's, every side (as reference::Request does).
          reference::PrincipalRequest request{
              c.kind, c.flags, {{c.roles, static_cast<sema::Relation>(r), 0}}, permission};
          // The case's custom roles: the test's own, or ceilings' widest (sema::TestCase).
          request.custom.emplace_back();
          for (uint32_t custom : c.customRoles)
            request.custom.back().push_back(
                {test.customRoles[custom].ceiling, test.customRoles[custom].cells});
          reference::Decision decision = reference::decide(model, request);
          bool reachedRules = decision.outcome == reference::Outcome::Allowed ||
                              decision.outcome == reference::Outcome::DeniedByRule ||
                              decision.outcome == reference::Outcome::DeniedByPolicy ||
                              decision.outcome == reference::Outcome::NoAllow;
          if (!reachedRules)
            continue;
          const std::vector<uint32_t> &deciding =
              decision.matchingDenies.empty() ? decision.matchingAllows : decision.matchingDenies;
          for (uint32_t rule : deciding)
            coverage.exercised[rule] = true;
          if (c.roles.size() == 1 && c.customRoles.empty())
            pinned[c.roles[0]][permission] |= static_cast<sema::RelationMask>(1u << r);
        }
    }
  coverage.rulesTotal = model.rules.size();
  for (bool exercised : coverage.exercised)
    coverage.rulesExercised += exercised;
  for (sema::RoleId role = 0; role < model.roles.size(); ++role) {
    RoleCells cells{role, 0, {}};
    for (sema::PermissionId p = 0; p < model.permissions.size(); ++p) {
      if ((model.permissions[p].applicableKinds & model.roles[role].kinds) == 0)
        continue; // `n/a` in the matrix: decided by a gate, not a cell of rules
      cells.total += sema::kRelationCount;
      if (pinned[role][p] != 0)
        cells.pinned.emplace_back(p, pinned[role][p]);
    }
    coverage.cellsTotal += cells.total;
    coverage.cellsPinned += cells.pinnedCount();
    coverage.roles.push_back(std::move(cells));
  }
  return coverage;
}

std::string percentText(size_t part, size_t total) {
  if (total == 0)
    return "100.0";
  size_t tenths = part * 1000 / total; // rounded down
  return fmt::format("{}.{}", tenths / 10, tenths % 10);
}

bool meetsMinimum(size_t part, size_t total, double minimum) {
  if (total == 0)
    return true;
  return static_cast<double>(part) * 100.0 >= minimum * static_cast<double>(total);
}

} // namespace lattice::testrun
