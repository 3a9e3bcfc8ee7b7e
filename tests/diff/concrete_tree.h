// concrete_tree.h - real trees of nodes that follow a model's kind graph, and the placements of
// memberships they show (walking parents, sharing nothing with analysis::RequestSpace).
// The differential test checks the request space's relations and apartAt() against them.
#pragma once

#include "sema/model.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lattice::difftest {

/// A forest of nodes: each root of a root kind, each other node under a node of one of its
/// kind's parents. `universal` builds one in which every placement of a target and two distinct
/// membership nodes that any tree following the kind graph shows is shown too (docs/testing.md).
struct ConcreteTree {
  std::vector<sema::ScopeKindId> kind;
  std::vector<int> parent; // -1: a root
  bool complete = true;    // false: the node limit cut it short

  size_t size() const { return kind.size(); }
  /// The node's ancestor path, root first (ids are 1000 + node index), as the runtime takes it.
  std::vector<uint64_t> path(uint32_t node) const;
  /// The node a path id names.
  static uint32_t nodeOfId(uint64_t id) { return uint32_t(id - 1000); }
  /// The relation of `target` to `node` by walking parents; nullopt for another tree.
  std::optional<sema::Relation> relation(uint32_t node, uint32_t target) const;

  /// Under each root, three nodes of each kind that may sit under it, and under every other
  /// node two, until a path holds a kind three times (recursive kinds) or the forest reaches
  /// `maxNodes` (then `complete` is false).
  static ConcreteTree universal(const sema::Model &model, size_t maxNodes);
};

/// Which placements a forest shows, per target kind o:
/// - single(o, s, r): some node of kind s with the target of kind o at relation r;
/// - pair(o, sa, ra, sb, rb): two distinct nodes of kinds sa and sb in the target's tree, at
///   relations ra and rb.
class Placements {
public:
  Placements(const ConcreteTree &tree, size_t scopeKinds);

  bool single(sema::ScopeKindId o, sema::ScopeKindId s, sema::Relation r) const {
    return singles[(o * kinds + s) * sema::kRelationCount + unsigned(r)];
  }
  bool pair(sema::ScopeKindId o, sema::ScopeKindId sa, sema::Relation ra, sema::ScopeKindId sb,
            sema::Relation rb) const {
    return pairs[(o * slots() + slot(sa, ra)) * slots() + slot(sb, rb)];
  }

private:
  size_t slots() const { return kinds * sema::kRelationCount; }
  size_t slot(sema::ScopeKindId s, sema::Relation r) const {
    return s * sema::kRelationCount + unsigned(r);
  }
  size_t kinds;
  std::vector<bool> singles;
  std::vector<bool> pairs;
};

} // namespace lattice::difftest
