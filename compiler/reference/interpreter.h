// interpreter.h - the reference interpreter: decides a request directly on the semantic model,
// by the language's definition (docs/language.md, "What a decision means"). It shares no code
// with lowering, the table format or the runtime, so the two can be tested against each other.
#pragma once

#include "sema/model.h"

#include <vector>

namespace lattice::reference {

struct Request {
  sema::KindId kind = 0;
  std::vector<sema::RoleId> roles;
  sema::PermissionId permission = 0;
  sema::Relation relation = sema::Relation::Same;
  sema::FlagMask flags = 0;
};

enum class Outcome {
  Allowed,
  DeniedByRule,
  NoAllow,
  RoleNotForKind,
  Exclusive,
  NotApplicable,
  Requirement,
};

struct Decision {
  bool allowed = false;
  Outcome outcome = Outcome::NoAllow;
  /// Rules (indexes into Model::rules) that match the request, through any held role and the
  /// roles it extends. Filled only when the request passed every gate before the rules.
  std::vector<uint32_t> matchingAllows;
  std::vector<uint32_t> matchingDenies;
};

/// Decides `request`. `excludedRule` (if not UINT32_MAX) is treated as absent: deciding with a
/// rule removed is how redundancy claims are checked.
Decision decide(const sema::Model &model, const Request &request,
                uint32_t excludedRule = UINT32_MAX);

/// Decides `request` with every rule r where `excluded[r]` is true treated as absent.
Decision decide(const sema::Model &model, const Request &request,
                const std::vector<bool> &excluded);

} // namespace lattice::reference
