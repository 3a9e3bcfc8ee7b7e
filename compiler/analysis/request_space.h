// request_space.h - which requests can really occur for a policy: the principal's scope kind,
// the relations a resource's owner can be in from there, and the flags that can be set there.
// Shared by the analyzer (what "never" means) and the reference interpreter's enumerations.
#pragma once

#include "sema/model.h"

#include <vector>

namespace lattice::analysis {

/// Where a principal sits: its user type and the scope kind of its node.
struct Seat {
  sema::KindId kind = 0;
  sema::ScopeKindId scope = 0;
  friend bool operator==(const Seat &, const Seat &) = default;
};

/// The request space of a model, precomputed once:
/// - a principal of kind k sits at a node of one of k's scope kinds s (a seat);
/// - a permission's resource is owned by a node of one of its owner kinds o (any kind if none);
/// - the relation of the owner's node to the principal's node can be `same` iff o == s,
///   `descendant` iff o is strictly below s in the kind graph, `ancestor` iff strictly above,
///   and `tenant` (elsewhere in the tree) iff neither o nor s is a root kind and both descend
///   from a common root kind (a tree has one root node, so nothing is "elsewhere" from it);
/// - the flags that can be set are those declared on k or on s.
/// Requests outside the space cannot be produced by a host that follows the policy's tree.
class RequestSpace {
public:
  explicit RequestSpace(const sema::Model &model);

  const std::vector<Seat> &seats() const { return allSeats; }
  /// Relations an owner of `resource` can be in, seen from a principal at scope kind `scope`.
  sema::RelationMask relations(sema::ScopeKindId scope, sema::ResourceId resource) const {
    return feasible[scope * resourceCount + resource];
  }
  /// Flags that can be set for a principal of `seat`.
  sema::FlagMask flags(const Seat &seat) const;
  /// Whether every seat of `kind` ... (kinds with no scope kinds have no seats at all).
  bool kindHasSeats(sema::KindId kind) const;

private:
  const sema::Model &model;
  size_t resourceCount = 0;
  std::vector<Seat> allSeats;
  std::vector<sema::RelationMask> feasible; // [scope * resourceCount + resource]
};

} // namespace lattice::analysis
