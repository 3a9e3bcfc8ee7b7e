// filter_world.cpp - random worlds and principals for the list filter tests, and the rows each
// side selects (see filter_world.h).
#include "filter_world.h"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <set>

namespace lattice::filtertest {
namespace {

/// Ids that put the key order's corners to work: 0, 0xFF bytes (whose successor carries),
/// UINT64_MAX (no successor at all), and plain random ones.
uint64_t randomId(difftest::Rng &rng) {
  static const uint64_t corners[] = {0,     1,         2,          0xFF,
                                     0x100, 0x1FF,     0xFFFF,     0xFF00000000000000ull,
                                     ~0ull, ~0ull - 1, 1ull << 63, 0x00FF00FF00FF00FFull};
  if (rng.chance(40))
    return corners[rng.between(0, sizeof corners / sizeof *corners - 1)];
  return rng.chance(50) ? rng.between(0, 20) : rng.next();
}

} // namespace

World randomWorld(difftest::Rng &rng, uint32_t nodeCount, uint32_t rowCount, uint64_t factMask) {
  World w;
  std::set<Path> seen;
  const uint32_t trees = rng.between(2, 3);
  while (w.nodes.size() < trees) {
    Path root{randomId(rng)};
    if (seen.insert(root).second)
      w.nodes.push_back(root);
  }
  for (uint32_t tries = 0; w.nodes.size() < nodeCount && tries < 20 * nodeCount; ++tries) {
    const Path &parent = w.nodes[rng.between(0, uint32_t(w.nodes.size()) - 1)];
    if (parent.size() >= 5)
      continue;
    Path child = parent;
    child.push_back(randomId(rng));
    if (seen.insert(child).second)
      w.nodes.push_back(child);
  }
  for (uint32_t r = 0; r < rowCount; ++r) {
    w.rowNode.push_back(rng.between(0, uint32_t(w.nodes.size()) - 1));
    w.rowFacts.push_back(rng.next() & factMask);
  }
  return w;
}

void Principal::link() {
  memberships.clear();
  for (size_t m = 0; m < paths.size(); ++m) {
    lattice_membership ms{};
    ms.node.path = {paths[m].data(), uint32_t(paths[m].size())};
    ms.roles = roles[m].data();
    ms.role_count = uint32_t(roles[m].size());
    ms.node_flags = nodeFlags[m];
    memberships.push_back(ms);
  }
}

lattice_access_request Principal::request(const Path *target) const {
  lattice_access_request q{};
  q.kind = kind;
  q.flags = flags;
  q.memberships = memberships.data();
  q.membership_count = uint32_t(memberships.size());
  q.permission = permission;
  if (target)
    q.target.path = {target->data(), uint32_t(target->size())};
  q.facts = facts;
  return q;
}

Principal randomPrincipal(difftest::Rng &rng, const lattice_table *table, const World &world) {
  Principal p;
  p.kind = rng.between(0, lattice_kind_count(table) - 1);
  p.flags = rng.next() & lattice_flag_mask(table, LATTICE_FLAG_PRINCIPAL);
  // Usually every principal flag: `require active` would otherwise deny most principals.
  if (rng.chance(70))
    p.flags = lattice_flag_mask(table, LATTICE_FLAG_PRINCIPAL);
  const uint64_t nodeMask = lattice_flag_mask(table, LATTICE_FLAG_NODE);
  const uint32_t roleCount = lattice_role_count(table);
  for (uint32_t m = 0, n = rng.between(1, 4); m < n; ++m) {
    Path path = world.nodes[rng.between(0, uint32_t(world.nodes.size()) - 1)];
    if (rng.chance(10))
      path.push_back(randomId(rng)); // a node no row names (maybe one the forest has)
    if (rng.chance(5))
      path = Path{0xABCDEF, randomId(rng)}; // a tree without rows
    p.paths.push_back(path);
    std::vector<uint32_t> roles;
    for (uint32_t i = 0, k = rng.between(0, 2); i < k && roleCount > 0; ++i)
      roles.push_back(rng.between(0, roleCount - 1));
    p.roles.push_back(roles);
    p.nodeFlags.push_back(rng.chance(60) ? 0 : rng.next() & nodeMask);
  }
  p.permission = rng.between(0, lattice_permission_count(table) - 1);
  p.facts = rng.next() & lattice_flag_mask(table, LATTICE_FLAG_REQUEST);
  p.link();
  return p;
}

FilterPtr makeFilter(const lattice_table *table, const Principal &p,
                     lattice_filter_status &status) {
  lattice_list_filter *raw = nullptr;
  const lattice_access_request q = p.request(nullptr);
  status = lattice_list_filter_new(table, nullptr, &q, &raw);
  return FilterPtr(raw, lattice_list_filter_free);
}

std::vector<uint8_t> keyOf(const Path &path) {
  std::vector<uint8_t> key(8 * path.size());
  lattice_node_key({path.data(), uint32_t(path.size())}, key.data(), key.size());
  return key;
}

std::vector<uint32_t> allowedRows(const lattice_table *table, const Principal &p, const World &w) {
  std::vector<uint32_t> rows;
  for (uint32_t r = 0; r < w.rowNode.size(); ++r) {
    lattice_access_request q = p.request(&w.nodes[w.rowNode[r]]);
    q.facts |= w.rowFacts[r];
    if (lattice_decide_access(table, &q).allowed)
      rows.push_back(r);
  }
  return rows;
}

namespace {

/// memcmp order, shorter first on a tie: bytea's and BLOB's.
int compareBytes(const uint8_t *a, size_t na, const uint8_t *b, size_t nb) {
  const int order = std::memcmp(a, b, std::min(na, nb));
  if (order != 0)
    return order;
  return na == nb ? 0 : (na < nb ? -1 : 1);
}

bool isPrefix(const lattice_node_path &prefix, const Path &path) {
  return prefix.depth <= path.size() &&
         std::equal(prefix.ids, prefix.ids + prefix.depth, path.begin());
}

bool inTerm(const lattice_filter_term &t, const Path &path) {
  if (!isPrefix(t.node, path))
    return false;
  const bool same = path.size() == t.node.depth;
  if (t.kind == LATTICE_TERM_NODE)
    return same;
  if (t.kind == LATTICE_TERM_BELOW && same)
    return false;
  for (uint32_t e = 0; e < t.exclusion_count; ++e)
    if (isPrefix(t.exclusions[e], path))
      return false;
  return true;
}

} // namespace

std::vector<uint32_t> rowsInRanges(const lattice_list_filter *f, const World &w) {
  std::vector<uint32_t> rows;
  for (uint32_t r = 0; r < w.rowNode.size(); ++r) {
    const std::vector<uint8_t> key = keyOf(w.nodes[w.rowNode[r]]);
    for (uint32_t i = 0; i < lattice_list_filter_range_count(f); ++i) {
      const lattice_key_range range = lattice_list_filter_range(f, i);
      const int low = compareBytes(key.data(), key.size(), range.low, range.low_size);
      const bool in =
          range.exact ? low == 0
                      : low >= 0 && (!range.high || compareBytes(key.data(), key.size(), range.high,
                                                                 range.high_size) < 0);
      if (in) {
        rows.push_back(r);
        break;
      }
    }
  }
  return rows;
}

std::vector<uint32_t> rowsInTerms(const lattice_list_filter *f, const World &w) {
  std::vector<uint32_t> rows;
  for (uint32_t r = 0; r < w.rowNode.size(); ++r)
    for (uint32_t i = 0; i < lattice_list_filter_term_count(f); ++i)
      if (inTerm(lattice_list_filter_term(f, i), w.nodes[w.rowNode[r]])) {
        rows.push_back(r);
        break;
      }
  return rows;
}

std::string describe(const Path &path) {
  std::string text = "[";
  for (size_t i = 0; i < path.size(); ++i)
    text += fmt::format("{}{:#x}", i ? ", " : "", path[i]);
  return text + "]";
}

std::string describeFilter(const lattice_list_filter *f) {
  std::string text;
  static const char *const kinds[] = {"node", "subtree", "below"};
  for (uint32_t i = 0; i < lattice_list_filter_term_count(f); ++i) {
    const lattice_filter_term t = lattice_list_filter_term(f, i);
    text += fmt::format("  {} {}", kinds[t.kind % 3],
                        describe(Path(t.node.ids, t.node.ids + t.node.depth)));
    for (uint32_t e = 0; e < t.exclusion_count; ++e)
      text += fmt::format(
          " except {}",
          describe(Path(t.exclusions[e].ids, t.exclusions[e].ids + t.exclusions[e].depth)));
    text += "\n";
  }
  return text;
}

} // namespace lattice::filtertest
