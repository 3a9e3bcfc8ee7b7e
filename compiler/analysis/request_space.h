// request_space.h - which requests can really occur for a policy: the principal's scope kinds, the
// relations a target node can be in from there (alone, and for two memberships at once), and the
// flags that can be set. Shared by the analyzer (what "never" means) and the differential test.
#pragma once

#include "sema/model.h"

#include <initializer_list>
#include <vector>

namespace lattice::analysis {

/// Where a principal holds a membership: its user type and the scope kind of the node.
struct Seat {
  sema::KindId kind = 0;
  sema::ScopeKindId scope = 0;
  friend bool operator==(const Seat &, const Seat &) = default;
};

/// The request space of a model (docs/request-model.md), precomputed once. Trees follow the kind
/// graph: a node of a kind with parents has a parent of one of them, a node of a root kind is
/// the root of its tree, a kind under itself nests to any depth.
/// - a principal of kind k holds memberships at nodes of k's scope kinds s (seats);
/// - a request's target node is of a target kind o of the permission's resource: the resource's
///   own kind when it is a scope, else one of its owner kinds (any kind if none);
/// - one membership's relation to the target can be `self` iff o == s, `descendants` iff o is
///   strictly below s in the kind graph, `ancestors` iff strictly above, and `elsewhere` iff
///   some root kind has both strictly below it (the tree's root node is above both);
/// - two memberships at distinct nodes stand in relations to one target as apartAt() says;
/// - the flags that can be set at a membership are the principal's (declared on k) and its
///   node's (declared on s).
/// Requests outside the space cannot be produced by a host that follows the policy's tree.
class RequestSpace {
public:
  explicit RequestSpace(const sema::Model &model);

  const std::vector<Seat> &seats() const { return allSeats; }
  /// Relations a target of `resource` can be in, seen from a node of kind `scope`.
  sema::RelationMask relations(sema::ScopeKindId scope, sema::ResourceId resource) const {
    return feasible[scope * resourceCount + resource];
  }
  /// Relations a target node of kind `target` can be in, seen from a node of kind `scope`.
  sema::RelationMask relationsTo(sema::ScopeKindId scope, sema::ScopeKindId target) const;
  /// The resource a permission belongs to.
  sema::ResourceId resourceOf(sema::PermissionId permission) const {
    return model.permissions[permission].resource;
  }
  /// The kinds a target node of `resource` can be of.
  const std::vector<sema::ScopeKindId> &targetKinds(sema::ResourceId resource) const {
    return targets[resource];
  }
  /// Whether two memberships at two distinct nodes of kinds `a` and `b` can stand in relations
  /// `ra` and `rb` to one target node of kind `target` (docs/design.md, "Two memberships"):
  /// each relation must be possible alone, and besides
  /// - both `self`: never (the target is one node);
  /// - both `descendants`: the target's chain of ancestors holds both, so a is strictly below b
  ///   or b below a, or a == b is a kind under itself;
  /// - `descendants` and `elsewhere`: a root kind above the `descendants` node's kind (or that
  ///   kind itself) has the other node's kind strictly below it;
  /// - both `elsewhere`: one root kind has the target's and both nodes' kinds strictly below it;
  /// - any other pair: always (nodes below the target, and the target itself, are free).
  bool apartAt(sema::ScopeKindId target, sema::ScopeKindId a, sema::Relation ra,
               sema::ScopeKindId b, sema::Relation rb) const;
  /// apartAt() for some target kind of `resource`.
  bool apart(sema::ResourceId resource, sema::ScopeKindId a, sema::Relation ra, sema::ScopeKindId b,
             sema::Relation rb) const;
  /// Flags that can be set at a membership of `seat`: the principal's and its node's.
  sema::FlagMask flags(const Seat &seat) const;
  /// Flags of the principal (declared on user type `kind`), shared by all its memberships, and
  /// the facts (free inputs of every request, shared by all memberships too).
  sema::FlagMask principalFlags(sema::KindId kind) const;
  /// Flags of a node of kind `scope`, one value per membership.
  sema::FlagMask nodeFlags(sema::ScopeKindId scope) const;
  /// Whether `kind` has any seat (kinds with no scope kinds have none).
  bool kindHasSeats(sema::KindId kind) const;
  /// Whether b is strictly below a in the kind graph (a path of `under` from b up to a).
  bool strictlyBelow(sema::ScopeKindId a, sema::ScopeKindId b) const {
    return below[a * scopeCount + b];
  }

private:
  /// Some root kind r with `a` equal to r or strictly below it, and every kind of `strict`
  /// strictly below r.
  bool sharedRoot(sema::ScopeKindId a, bool aMayBeRoot,
                  std::initializer_list<sema::ScopeKindId> strict) const;

  const sema::Model &model;
  size_t resourceCount = 0;
  size_t scopeCount = 0;
  std::vector<Seat> allSeats;
  std::vector<bool> below;                                // [a * scopeCount + b]
  std::vector<std::vector<sema::ScopeKindId>> rootsAbove; // per kind: root kinds strictly above
  std::vector<sema::RelationMask> feasible;               // [scope * resourceCount + resource]
  std::vector<std::vector<sema::ScopeKindId>> targets;    // per resource
};

} // namespace lattice::analysis
