// membership_pairs.h - requests of a principal with two memberships at distinct nodes of one
// tree, one role each, for the differential test's analyzer checks: every placement the request
// space allows, every flag set of the principal and of each node, every pair of roles.
#pragma once

#include "analysis/request_space.h"
#include "reference/interpreter.h"
#include "sema/model.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace lattice::difftest {

/// Two memberships, one role each, at distinct nodes (the request space's apartAt()). A side
/// whose role is kNoRole holds no role: policy-wide denies still apply through it.
struct PairRequest {
  static constexpr sema::RoleId kNoRole = UINT32_MAX;
  struct Side {
    sema::ScopeKindId scope = 0;
    sema::RoleId role = 0;
    sema::Relation relation = sema::Relation::Same;
    sema::FlagMask nodeFlags = 0;
  };
  sema::KindId kind = 0;
  sema::FlagMask principalFlags = 0;
  Side a, b;
  sema::PermissionId permission = 0;
  sema::ScopeKindId target = 0;

  reference::PrincipalRequest toReference() const;
  /// "u0 {f1} r0.a1 on s2: ro1@s0 descendants {f0}, ro2@s2 self {}" for messages.
  std::string describe(const sema::Model &model) const;
};

/// The decision of a pair request, composed from what each membership matches (rules as bit
/// masks, bit i = Model::rules[i]): the differential test checks the composition against
/// reference::decide on a sample, and re-decides with the reference whatever it reports.
struct PairDecision {
  bool gatesPass = false; // the role-kind, exclusive, applicability and requirement gates
  uint64_t allows = 0, denies = 0;
  bool allowed() const { return gatesPass && denies == 0 && allows != 0; }
};

/// Enumerates the pair requests in which both memberships match some rule (a request with a
/// membership that matches nothing decides as its other membership alone, or is denied by a
/// gate: the single-node enumeration covers it). Needs at most 64 rules (usable()).
class PairRequests {
public:
  PairRequests(const sema::Model &model, const analysis::RequestSpace &space);

  bool usable() const { return model.rules.size() <= 64; }
  void forEach(const std::function<void(const PairRequest &, const PairDecision &)> &f) const;
  /// Rules matched by one membership of a principal of `kind` holding `role` (or no role:
  /// PairRequest::kNoRole) at `relation` with `flags` for `permission`.
  uint64_t matches(sema::KindId kind, sema::RoleId role, sema::PermissionId permission,
                   sema::Relation relation, sema::FlagMask flags) const;
  /// The composed decision of `request`.
  PairDecision decide(const PairRequest &request) const;

private:
  bool requirementsHold(sema::KindId kind, sema::FlagMask flags) const;
  /// The decision of `request` given the rules each membership matches.
  PairDecision compose(const PairRequest &request, uint64_t atA, uint64_t atB) const;

  const sema::Model &model;
  const analysis::RequestSpace &space;
  std::vector<std::vector<bool>> carries; // carries[r][s]: role r holds the rules of role s
};

} // namespace lattice::difftest
