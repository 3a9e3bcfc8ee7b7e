// list_filter.cpp - list filters (lattice/list_filter.h): the target nodes on which a principal
// may act, found by deciding one representative node per class of nodes that decide alike.
// No C++ runtime: one malloc per filter, no exceptions.
#include "custom.h"
#include "decide_steps.h"
#include "list_filter_internal.h"
#include "principal_view.h"

#include <cstdlib>
#include <cstring>

// Why one decision per class is exact. A target in a tree where the principal has memberships
// relates to each membership by the common prefix of the two paths only, and decide reads nothing
// else of the target. Take the skeleton: every prefix of every membership path. A target is
// either a skeleton node Q, or lies strictly below a deepest skeleton node Q off every skeleton
// child of Q; all targets of that second kind ("Q's region") relate to every membership alike
// (DESCENDANT to the memberships at or above Q, TENANT to the others). So deciding each Q and one
// node of each region (Q plus an id none of Q's skeleton children has) decides every node of the
// tree; a tree without memberships is OTHER_TREE throughout. Facts: a resource or target fact
// differs per row, so a permission whose rules or requirements read one is refused (NEEDS_FACTS).

namespace {

using namespace lattice::detail;
namespace format = lattice::format;

/// A skeleton node: a prefix of a membership path, in pre-order (key order).
struct Node {
  const uint64_t *ids; // the prefix's ids (a copied membership path)
  uint32_t depth;
  uint32_t parent, firstChild, nextSibling; // LATTICE_NO_ID when none
  uint64_t fresh;                           // an id no skeleton child of this node has
  bool exact, region, full;                 // allowed: the node; its region; its whole subtree
};

/// A range bound: the key of a node, that key followed by a zero byte (the least key strictly
/// below it), or the least key above its whole subtree (its successor).
enum class Bound : uint8_t { Key, KeyZero, Successor };

/// A range as the bounds of two skeleton nodes, before their bytes are written.
struct RangeBounds {
  uint32_t low, high; // node indexes
  Bound lowBound, highBound;
  bool exact;
};

/// Path ids a principal may have in all (a filter's scratch is linear in them).
constexpr uint64_t kMaxIds = uint64_t(1) << 20;

/// A member byte's deny bits start here (principal.cpp's kDenyShift).
constexpr uint32_t kDenyShiftBits = 4;

void putKey(const uint64_t *ids, uint32_t depth, uint8_t *out) {
  for (uint32_t i = 0; i < depth; ++i)
    for (int b = 0; b < 8; ++b)
      out[8 * i + b] = uint8_t(ids[i] >> (56 - 8 * b));
}

/// Writes bound `b` of node `n`, returns its size; SIZE_MAX for a successor that does not exist
/// (every byte 0xFF: no key is above the subtree).
size_t putBound(const Node &n, Bound b, uint8_t *out) {
  putKey(n.ids, n.depth, out);
  size_t size = 8 * size_t(n.depth);
  if (b == Bound::KeyZero) {
    out[size] = 0;
    return size + 1;
  }
  if (b == Bound::Successor) {
    while (size > 0 && out[size - 1] == 0xFF)
      --size;
    if (size == 0)
      return SIZE_MAX;
    ++out[size - 1];
  }
  return size;
}

int compareIds(const uint64_t *a, uint32_t da, const uint64_t *b, uint32_t db) {
  const uint32_t n = da < db ? da : db;
  for (uint32_t i = 0; i < n; ++i)
    if (a[i] != b[i])
      return a[i] < b[i] ? -1 : 1;
  return da == db ? 0 : (da < db ? -1 : 1);
}

/// What a filter is built from: the table, the memberships' paths, and the decision of a target.
struct Source {
  const lattice_table *table;
  uint32_t permission;
  uint64_t facts;
  uint32_t count;
  lattice_node_path (*path)(const void *ctx, uint32_t i);
  lattice_access_decision (*decide)(const void *ctx, lattice_node_path target);
  const void *ctx;
  /// A principal handle (or null): when its precomputed bytes decide the permission, each
  /// node's decision is their OR over the members by relation, as lattice_decide_as's.
  const lattice_principal *principal;
};

/// Whether a rule of the permission, or a `require`, reads a fact that differs per row.
bool readsRowFacts(const lattice_table &t, uint32_t permission) {
  const uint64_t row = lattice_flag_mask(&t, LATTICE_FLAG_RESOURCE | LATTICE_FLAG_TARGET);
  if (row == 0)
    return false;
  const uint8_t *info = permissionInfo(t, permission);
  const uint32_t begin = format::loadU32(info + format::perm::kSparseBegin);
  const uint32_t end = format::loadU32(info + format::perm::kSparseEnd);
  for (uint32_t e = begin; e < end; ++e) {
    const uint8_t *g = sparseEntry(t, e);
    if (((format::loadU64(g + format::sparse::kRequired) |
          format::loadU64(g + format::sparse::kForbidden)) &
         row) != 0)
      return true;
  }
  for (uint32_t i = 0; i < t.requireCount; ++i) {
    const uint8_t *c = t.section[format::kRequire] + format::require::kSize * size_t(i);
    if (((format::loadU64(c + format::require::kRequired) |
          format::loadU64(c + format::require::kForbidden)) &
         row) != 0)
      return true;
  }
  return false;
}

/// The decisions of every node and region from a handle's member bytes (principal_view.h): a
/// target's decision ORs each member's byte shifted by the member's relation to it (bit 0: an
/// allow, bit 4: a deny), once the tree's gates pass, as lattice_decide_as decides. Relations
/// come from the skeleton: for node Q, members at Q are SAME, above it DESCENDANT, below it
/// ANCESTOR, the rest of the tree TENANT; for Q's region, members at or above Q are DESCENDANT
/// and all others TENANT. Per node, bytes ORed: `self` (members at it), `above`, `below`, and
/// `outside` (neither on its path nor below it).
void decideByBytes(const Source &s, Node *nodes, uint32_t count, const uint32_t *memberNode,
                   uint32_t *children, uint8_t *masks) {
  uint8_t *self = masks, *above = masks + count, *below = masks + 2 * size_t(count);
  uint8_t *outside = masks + 3 * size_t(count), *suffix = masks + 4 * size_t(count);
  std::memset(masks, 0, 5 * size_t(count));
  for (uint32_t m = 0; m < s.count; ++m)
    self[memberNode[m]] |= principalMemberByte(s.principal, m, s.permission);
  for (uint32_t i = count; i-- > 0;) // children after parents: below[i] is complete here
    if (nodes[i].parent != LATTICE_NO_ID)
      below[nodes[i].parent] |= uint8_t(self[i] | below[i]);
  // Top down: a child's outside is its parent's, with its siblings' subtrees (prefix and
  // suffix ORs over the parent's children).
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t k = 0;
    for (uint32_t c = nodes[i].firstChild; c != LATTICE_NO_ID; c = nodes[c].nextSibling)
      children[k++] = c;
    uint8_t after = 0;
    for (uint32_t j = k; j-- > 0;) {
      suffix[j] = after;
      after |= uint8_t(self[children[j]] | below[children[j]]);
    }
    uint8_t before = 0;
    for (uint32_t j = 0; j < k; ++j) {
      const uint32_t c = children[j];
      above[c] = uint8_t(above[i] | self[i]);
      outside[c] = uint8_t(outside[i] | before | suffix[j]);
      before |= uint8_t(self[c] | below[c]);
    }
  }
  auto allows = [](uint32_t bits) { return (bits & 1) && !((bits >> kDenyShiftBits) & 1); };
  bool open = false;
  for (uint32_t i = 0; i < count; ++i) {
    Node &n = nodes[i];
    if (n.parent == LATTICE_NO_ID)
      open = principalTreeOpen(s.principal, n.ids[0], s.permission);
    const uint32_t exact =
        uint32_t(self[i] >> LATTICE_REL_SAME) | uint32_t(above[i] >> LATTICE_REL_DESCENDANT) |
        uint32_t(below[i] >> LATTICE_REL_ANCESTOR) | uint32_t(outside[i] >> LATTICE_REL_TENANT);
    const uint32_t region = uint32_t(uint8_t(above[i] | self[i]) >> LATTICE_REL_DESCENDANT) |
                            uint32_t(uint8_t(below[i] | outside[i]) >> LATTICE_REL_TENANT);
    n.exact = open && allows(exact);
    n.region = open && allows(region);
  }
}

lattice_filter_status build(const Source &s, lattice_list_filter **out) {
  const lattice_table &t = *s.table;
  const uint64_t requestFacts = lattice_flag_mask(&t, LATTICE_FLAG_REQUEST);
  if (s.permission >= t.permissionCount || (s.facts & ~requestFacts) != 0)
    return LATTICE_FILTER_BAD_REQUEST;
  if (readsRowFacts(t, s.permission))
    return LATTICE_FILTER_NEEDS_FACTS;

  uint64_t totalIds = 0;
  uint32_t maxDepth = 0;
  for (uint32_t m = 0; m < s.count; ++m) {
    const lattice_node_path p = s.path(s.ctx, m);
    if (p.depth == 0)
      return LATTICE_FILTER_NOT_A_PATH;
    if (!p.ids)
      return LATTICE_FILTER_BAD_REQUEST;
    totalIds += p.depth;
    maxDepth = p.depth > maxDepth ? p.depth : maxDepth;
    if (totalIds > kMaxIds)
      return LATTICE_FILTER_TOO_LARGE;
  }

  // One block, sized by upper bounds: S <= totalIds skeleton nodes give at most S terms and S
  // exclusions, at most 3S atoms (a node, and a gap before each child and after the last) so at
  // most 3S ranges and 6S parameters. The keys of the ranges' bounds get a second block of their
  // exact size (bounded by 6S * (8 * maxDepth + 1) bytes, far more than real filters need).
  const size_t S = size_t(totalIds);
  const size_t boundBytes = 8 * size_t(maxDepth) + 1;
  // The filter's arrays, then scratch: the memberships' paths, their key order, the skeleton's
  // nodes, a region's representative path, the skeleton node at each depth of the current path,
  // each membership's skeleton node, one node's children and 5 bytes per node (the fast path),
  // the ranges as bounds of nodes, one bound's bytes (to learn its size).
  uint64_t at = sizeof(lattice_list_filter), oTerms, oExcl, oRanges, oParams, oParamSizes, oIds,
           oPaths, oOrder, oNodes, oTarget, oStack, oMemberNode, oChildren, oMasks, oBounds,
           oScratchKey;
  const bool fits =
      reserve<lattice_filter_term>(at, S, oTerms) && reserve<lattice_node_path>(at, S, oExcl) &&
      reserve<lattice_key_range>(at, 3 * S, oRanges) &&
      reserve<const uint8_t *>(at, 6 * S, oParams) && reserve<uint32_t>(at, 6 * S, oParamSizes) &&
      reserve<uint64_t>(at, S, oIds) && reserve<lattice_node_path>(at, s.count, oPaths) &&
      reserve<uint32_t>(at, s.count, oOrder) && reserve<Node>(at, S, oNodes) &&
      reserve<uint64_t>(at, uint64_t(maxDepth) + 1, oTarget) &&
      reserve<uint32_t>(at, maxDepth, oStack) && reserve<uint32_t>(at, s.count, oMemberNode) &&
      reserve<uint32_t>(at, S, oChildren) && reserve<uint8_t>(at, 5 * S, oMasks) &&
      reserve<RangeBounds>(at, 3 * S, oBounds) && reserve<uint8_t>(at, boundBytes, oScratchKey);
  uint8_t *block = fits ? static_cast<uint8_t *>(std::malloc(size_t(at))) : nullptr;
  if (!block)
    return LATTICE_FILTER_OUT_OF_MEMORY;
  auto *f = reinterpret_cast<lattice_list_filter *>(block);
  auto *terms = reinterpret_cast<lattice_filter_term *>(block + oTerms);
  auto *exclusions = reinterpret_cast<lattice_node_path *>(block + oExcl);
  auto *ranges = reinterpret_cast<lattice_key_range *>(block + oRanges);
  auto *params = reinterpret_cast<const uint8_t **>(block + oParams);
  auto *paramSizes = reinterpret_cast<uint32_t *>(block + oParamSizes);
  auto *ids = reinterpret_cast<uint64_t *>(block + oIds);
  auto *order = reinterpret_cast<uint32_t *>(block + oOrder);
  auto *paths = reinterpret_cast<lattice_node_path *>(block + oPaths);
  auto *nodes = reinterpret_cast<Node *>(block + oNodes);
  auto *target = reinterpret_cast<uint64_t *>(block + oTarget);
  auto *stack = reinterpret_cast<uint32_t *>(block + oStack);
  auto *bounds = reinterpret_cast<RangeBounds *>(block + oBounds);
  uint8_t *scratchKey = block + oScratchKey;
  auto *memberNode = reinterpret_cast<uint32_t *>(block + oMemberNode);
  auto *children = reinterpret_cast<uint32_t *>(block + oChildren);
  uint8_t *masks = block + oMasks;

  // Memberships in key order (insertion sort: a principal has few), each path copied.
  for (uint32_t m = 0; m < s.count; ++m)
    paths[m] = s.path(s.ctx, m);
  for (uint32_t m = 0; m < s.count; ++m) {
    const lattice_node_path p = paths[m];
    uint32_t i = m;
    while (i > 0) {
      const lattice_node_path q = paths[order[i - 1]];
      if (compareIds(q.ids, q.depth, p.ids, p.depth) <= 0)
        break;
      order[i] = order[i - 1];
      --i;
    }
    order[i] = m;
  }
  // The skeleton in pre-order: each path adds its prefixes longer than its common prefix with
  // the previous path (a prefix shared with any earlier path is shared with the previous one).
  uint32_t S_ = 0;
  size_t copied = 0;
  const uint64_t *previous = nullptr;
  uint32_t previousDepth = 0;
  for (uint32_t k = 0; k < s.count; ++k) {
    const lattice_node_path p = paths[order[k]];
    uint64_t *copy = ids + copied;
    std::memcpy(copy, p.ids, sizeof(uint64_t) * p.depth);
    copied += p.depth;
    uint32_t common = 0;
    while (previous && common < previousDepth && common < p.depth &&
           previous[common] == p.ids[common])
      ++common;
    for (uint32_t d = common + 1; d <= p.depth; ++d) {
      Node &n = nodes[S_];
      n.ids = copy;
      n.depth = d;
      n.parent = d > 1 ? stack[d - 2] : LATTICE_NO_ID;
      n.firstChild = n.nextSibling = LATTICE_NO_ID;
      n.fresh = 0;
      if (n.parent != LATTICE_NO_ID) { // children arrive in increasing id order
        Node &parent = nodes[n.parent];
        if (parent.firstChild == LATTICE_NO_ID) {
          parent.firstChild = S_;
        } else {
          uint32_t c = parent.firstChild;
          while (nodes[c].nextSibling != LATTICE_NO_ID)
            c = nodes[c].nextSibling;
          nodes[c].nextSibling = S_;
        }
      }
      stack[d - 1] = S_++;
    }
    memberNode[order[k]] = stack[p.depth - 1];
    previous = copy;
    previousDepth = p.depth;
  }

  // Decide each node and one node of each region.
  for (uint32_t i = 0; i < S_; ++i) {
    Node &n = nodes[i];
    for (uint32_t c = n.firstChild; c != LATTICE_NO_ID && nodes[c].ids[n.depth] <= n.fresh;
         c = nodes[c].nextSibling)
      if (nodes[c].ids[n.depth] == n.fresh)
        ++n.fresh;
  }
  if (s.principal && principalBytesApply(s.principal, s.permission, s.facts)) {
    decideByBytes(s, nodes, S_, memberNode, children, masks);
  } else {
    for (uint32_t i = 0; i < S_; ++i) {
      Node &n = nodes[i];
      const lattice_access_decision exact = s.decide(s.ctx, lattice_node_path{n.ids, n.depth});
      std::memcpy(target, n.ids, sizeof(uint64_t) * n.depth);
      target[n.depth] = n.fresh;
      const lattice_access_decision region =
          s.decide(s.ctx, lattice_node_path{target, n.depth + 1});
      if (exact.reason == LATTICE_REASON_BAD_REQUEST ||
          region.reason == LATTICE_REASON_BAD_REQUEST || exact.reason == LATTICE_REASON_NO_TABLE) {
        std::free(block);
        return LATTICE_FILTER_BAD_REQUEST;
      }
      n.exact = exact.allowed != 0;
      n.region = region.allowed != 0;
    }
  }
  for (uint32_t i = S_; i-- > 0;) {
    Node &n = nodes[i];
    n.full = n.exact && n.region;
    for (uint32_t c = n.firstChild; c != LATTICE_NO_ID && n.full; c = nodes[c].nextSibling)
      n.full = nodes[c].full;
  }

  // Terms, in pre-order: a node a term of an ancestor covers adds nothing.
  uint32_t termCount = 0, exclusionCount = 0;
  // A full node is covered when its parent's region is allowed: the parent then emitted SUBTREE
  // or BELOW without excluding it, or is covered itself (a covered node is full).
  {
    for (uint32_t i = 0; i < S_; ++i) {
      const Node &n = nodes[i];
      const bool covered = n.full && n.parent != LATTICE_NO_ID && nodes[n.parent].region;
      if (covered)
        continue;
      uint32_t kind;
      if (n.exact && n.region)
        kind = LATTICE_TERM_SUBTREE;
      else if (n.region)
        kind = LATTICE_TERM_BELOW;
      else if (n.exact)
        kind = LATTICE_TERM_NODE;
      else
        continue;
      lattice_filter_term &term = terms[termCount++];
      term.kind = kind;
      term.node = lattice_node_path{n.ids, n.depth};
      term.exclusions = exclusions + exclusionCount;
      term.exclusion_count = 0;
      if (kind != LATTICE_TERM_NODE)
        for (uint32_t c = n.firstChild; c != LATTICE_NO_ID; c = nodes[c].nextSibling)
          if (!nodes[c].full) {
            exclusions[exclusionCount++] = lattice_node_path{nodes[c].ids, nodes[c].depth};
            ++term.exclusion_count;
          }
    }
  }

  // Ranges: the atoms of each tree in key order (a node's key; the gaps of its region between
  // its children's subtrees), consecutive allowed atoms merged, empty gaps skipped. Recorded as
  // bounds of nodes first; their bytes are written below, into a block of their exact size.
  uint32_t rangeCount = 0;
  bool open = false;
  uint32_t atoms = 0;        // atoms in the open range
  bool openedByNode = false; // its first atom is a node's key
  auto close = [&] {
    if (!open)
      return;
    RangeBounds &r = bounds[rangeCount - 1];
    r.exact = atoms == 1 && openedByNode;
    open = false;
  };
  // Whether a gap holds no node's key (keys are 8 bytes per id): before a first child with id 0;
  // between siblings with consecutive ids; after a last child with id UINT64_MAX. Skipping such
  // a gap joins its neighbours' ranges (or leaves nothing to skip), whatever it decides.
  auto emptyGap = [&](const Node &lowNode, Bound lowBound, const Node &hiNode, Bound hiBound) {
    const uint64_t hiLast = hiNode.ids[hiNode.depth - 1];
    if (lowBound == Bound::KeyZero) // from the node's own key to its first child, or its end
      return hiBound == Bound::Key && hiLast == 0;
    const uint64_t lowLast = lowNode.ids[lowNode.depth - 1]; // after a child's subtree
    return hiBound == Bound::Key ? hiLast == lowLast + 1 : lowLast == UINT64_MAX;
  };
  auto atom = [&](bool allowed, const Node &lowNode, Bound lowBound, const Node &hiNode,
                  Bound hiBound, bool gap) {
    if (gap && emptyGap(lowNode, lowBound, hiNode, hiBound))
      return;
    if (!allowed) {
      close();
      return;
    }
    if (!open) {
      RangeBounds &r = bounds[rangeCount++];
      r.low = uint32_t(&lowNode - nodes);
      r.lowBound = lowBound;
      open = true;
      atoms = 0;
      openedByNode = !gap;
    }
    ++atoms;
    bounds[rangeCount - 1].high = uint32_t(&hiNode - nodes);
    bounds[rangeCount - 1].highBound = hiBound;
  };
  // Pre-order walk: entering a node gives its key atom and the gap before its first child;
  // leaving a child gives the gap after it (before the next child, or to the parent's end).
  for (uint32_t i = 0; i < S_; ++i) {
    const Node &n = nodes[i];
    if (n.parent == LATTICE_NO_ID)
      close(); // a new tree: ranges never span trees
    atom(n.exact, n, Bound::Key, n, Bound::KeyZero, false);
    if (n.firstChild != LATTICE_NO_ID)
      atom(n.region, n, Bound::KeyZero, nodes[n.firstChild], Bound::Key, true);
    else
      atom(n.region, n, Bound::KeyZero, n, Bound::Successor, true);
    // Leaving: when n has no children, it is left now, then each ancestor whose last child was
    // just left.
    if (n.firstChild == LATTICE_NO_ID) {
      uint32_t child = i;
      while (nodes[child].parent != LATTICE_NO_ID) {
        const Node &p = nodes[nodes[child].parent];
        const uint32_t next = nodes[child].nextSibling;
        if (next != LATTICE_NO_ID) {
          atom(p.region, nodes[child], Bound::Successor, nodes[next], Bound::Key, true);
          break;
        }
        atom(p.region, nodes[child], Bound::Successor, p, Bound::Successor, true);
        child = nodes[child].parent;
      }
    }
  }
  close();

  // The bounds' bytes: their sizes first (a bound is written to scratch to learn it), then one
  // block of exactly that size.
  uint64_t keyBytes = 0;
  for (uint32_t r = 0; r < rangeCount; ++r) {
    const RangeBounds &x = bounds[r];
    const size_t low = putBound(nodes[x.low], x.lowBound, scratchKey);
    const size_t high = x.exact ? 0 : putBound(nodes[x.high], x.highBound, scratchKey);
    keyBytes += low + (high == SIZE_MAX ? 0 : high);
  }
  uint8_t *keys = nullptr;
  if (keyBytes > 0) {
    keys =
        keyBytes > SIZE_MAX / 2 ? nullptr : static_cast<uint8_t *>(std::malloc(size_t(keyBytes)));
    if (!keys) {
      std::free(block);
      return LATTICE_FILTER_OUT_OF_MEMORY;
    }
  }
  uint32_t paramCount = 0;
  size_t keyAt = 0;
  for (uint32_t r = 0; r < rangeCount; ++r) {
    const RangeBounds &x = bounds[r];
    lattice_key_range &range = ranges[r];
    // Every bound through scratch: a successor is written whole, then cut to its size.
    range.low_size = uint32_t(putBound(nodes[x.low], x.lowBound, scratchKey));
    std::memcpy(keys + keyAt, scratchKey, range.low_size);
    range.low = keys + keyAt;
    keyAt += range.low_size;
    range.exact = x.exact;
    range.high = nullptr;
    range.high_size = 0;
    params[paramCount] = range.low;
    paramSizes[paramCount++] = range.low_size;
    if (x.exact)
      continue;
    // A successor that does not exist was counted as no bytes.
    const size_t high = putBound(nodes[x.high], x.highBound, scratchKey);
    if (high == SIZE_MAX)
      continue; // no key is above it: no upper bound
    std::memcpy(keys + keyAt, scratchKey, high);
    range.high = keys + keyAt;
    range.high_size = uint32_t(high);
    keyAt += high;
    params[paramCount] = range.high;
    paramSizes[paramCount++] = range.high_size;
  }

  f->termCount = termCount;
  f->rangeCount = rangeCount;
  f->paramCount = paramCount;
  f->terms = terms;
  f->ranges = ranges;
  f->params = params;
  f->paramSizes = paramSizes;
  f->keys = keys;
  f->bytes = at + size_t(keyBytes);
  *out = f;
  return LATTICE_FILTER_OK;
}

struct PrincipalCtx {
  const lattice_principal *principal;
  uint32_t permission;
  uint64_t facts;
};

lattice_node_path principalPath(const void *ctx, uint32_t i) {
  return principalMemberPath(static_cast<const PrincipalCtx *>(ctx)->principal, i);
}

lattice_access_decision principalDecide(const void *ctx, lattice_node_path target) {
  const auto &c = *static_cast<const PrincipalCtx *>(ctx);
  lattice_node_ref ref{};
  ref.path = target;
  return lattice_decide_as(c.principal, c.permission, ref, c.facts);
}

} // namespace

extern "C" {

lattice_filter_status lattice_list_filter_new(const lattice_table *table,
                                              const lattice_custom_roles *set,
                                              const lattice_access_request *request,
                                              lattice_list_filter **out) {
  if (out)
    *out = nullptr;
  if (!table)
    return LATTICE_FILTER_NO_TABLE;
  if (!out || !request || (!request->memberships && request->membership_count > 0) ||
      (set && set->table != table))
    return LATTICE_FILTER_BAD_ARGUMENT;
  // Rows are keyed by paths: a membership by label has no filter; a path without ids is what
  // lattice_principal_new refuses (BAD_NODE) too.
  for (uint32_t m = 0; m < request->membership_count; ++m) {
    if (request->memberships[m].node.path.depth == 0)
      return LATTICE_FILTER_NOT_A_PATH;
    if (!request->memberships[m].node.path.ids)
      return LATTICE_FILTER_BAD_REQUEST;
  }
  // A handle with the bytes of the one permission asked (principal_view.h): each node is then
  // decided by the handle's bytes, which lattice_decide_as decides by, equal to
  // lattice_decide_access_custom on every field.
  lattice_principal *handle = nullptr;
  switch (principalForPermission(table, set, request->kind, request->flags, request->memberships,
                                 request->membership_count, request->permission, &handle)) {
  case LATTICE_PRINCIPAL_OK:
    break;
  case LATTICE_PRINCIPAL_TOO_LARGE:
    return LATTICE_FILTER_TOO_LARGE;
  case LATTICE_PRINCIPAL_OUT_OF_MEMORY:
    return LATTICE_FILTER_OUT_OF_MEMORY;
  default: // an unknown kind, role or permission; a flag of the wrong side
    return LATTICE_FILTER_BAD_REQUEST;
  }
  const lattice_filter_status status =
      lattice_list_filter_as(handle, request->permission, request->facts, out);
  lattice_principal_free(handle);
  return status;
}

lattice_filter_status lattice_list_filter_as(const lattice_principal *principal,
                                             uint32_t permission, uint64_t facts,
                                             lattice_list_filter **out) {
  if (out)
    *out = nullptr;
  const lattice_table *table = principalTable(principal);
  if (!table)
    return LATTICE_FILTER_NO_TABLE;
  if (!out)
    return LATTICE_FILTER_BAD_ARGUMENT;
  PrincipalCtx ctx{principal, permission, facts};
  Source s{table,         permission,      facts, principalMemberCount(principal),
           principalPath, principalDecide, &ctx,  principal};
  return build(s, out);
}

void lattice_list_filter_free(lattice_list_filter *filter) {
  if (!filter)
    return;
  std::free(filter->keys);
  std::free(filter);
}

const char *lattice_filter_status_message(lattice_filter_status status) {
  static const char *const messages[] = {
      "ok",
      "no table was given",
      "a required argument is null (the result, the request, or memberships with a count), or "
      "the custom role set is another table's",
      "the request is malformed (an unknown id, or a flag or fact of the wrong side)",
      "a membership's node is a label: list filters are over ancestor paths",
      "a rule or requirement of the permission reads a resource or target fact, which the node "
      "alone cannot decide",
      "the principal has too many path ids",
      "out of memory"};
  const auto index = static_cast<unsigned>(status);
  return index < sizeof messages / sizeof *messages ? messages[index] : "unknown filter status";
}

uint32_t lattice_list_filter_term_count(const lattice_list_filter *filter) {
  return filter ? filter->termCount : 0;
}

lattice_filter_term lattice_list_filter_term(const lattice_list_filter *filter, uint32_t i) {
  if (!filter || i >= filter->termCount)
    return lattice_filter_term{};
  return filter->terms[i];
}

uint32_t lattice_list_filter_range_count(const lattice_list_filter *filter) {
  return filter ? filter->rangeCount : 0;
}

lattice_key_range lattice_list_filter_range(const lattice_list_filter *filter, uint32_t i) {
  if (!filter || i >= filter->rangeCount)
    return lattice_key_range{};
  return filter->ranges[i];
}

size_t lattice_node_key(lattice_node_path path, uint8_t *out, size_t size) {
  const size_t need = path.ids ? 8 * size_t(path.depth) : 0;
  if (out && size >= need && need > 0)
    putKey(path.ids, path.depth, out);
  return need;
}

uint32_t lattice_list_filter_param_count(const lattice_list_filter *filter) {
  return filter ? filter->paramCount : 0;
}

const uint8_t *lattice_list_filter_param(const lattice_list_filter *filter, uint32_t i,
                                         uint32_t *size) {
  if (!filter || i >= filter->paramCount) {
    if (size)
      *size = 0;
    return nullptr;
  }
  if (size)
    *size = filter->paramSizes[i];
  return filter->params[i];
}

} // extern "C"
