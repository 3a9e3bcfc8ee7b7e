// decide_table.cpp - the decide benchmarks' table and request generators (decide_table.h).
// Everything here runs before timing starts; only the C API and the documented layout are used.
#include "decide_table.h"

#include "emit/table_writer.h"
#include "lattice/format.h"
#include "lattice/lattice.hpp"
#include "sample_tables.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>

namespace lattice::bench {

const std::vector<uint8_t> &decideTableBytes() {
  static const std::vector<uint8_t> bytes = [] {
    if (const char *path = std::getenv("LATTICE_BENCH_TABLE")) {
      std::ifstream in(path, std::ios::binary);
      return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
    }
    return emit::writeTable(testing::evShapedTables(12, 20, 80, /*sparseEvery=*/2));
  }();
  return bytes;
}

lattice_table *decideTable() {
  static lattice_table *loaded = [] {
    lattice_table *t = nullptr;
    const std::vector<uint8_t> &bytes = decideTableBytes();
    if (lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &t);
        status != LATTICE_LOAD_OK) {
      std::fprintf(stderr, "bench_decide: cannot load the table: %s\n",
                   lattice_load_status_message(status));
      std::exit(1);
    }
    return t;
  }();
  return loaded;
}

namespace {

/// Whether permission p belongs to `set`, read from the (loaded, hence valid) table bytes: no
/// C API tells which permissions have sparse rules.
std::vector<bool> permissionsIn(PermissionSet set) {
  using namespace format;
  const uint8_t *d = decideTableBytes().data();
  auto section = [&](SectionId id) {
    return d + loadU64(d + hdr::kDirectory + hdr::kDirectoryEntrySize * id);
  };
  std::vector<bool> in(loadU32(d + hdr::kPermissionCount), set == PermissionSet::All);
  for (uint32_t p = 0; p < in.size() && set != PermissionSet::All; ++p) {
    const uint8_t *info = section(kPermissionInfo) + perm::kSize * p;
    const uint32_t begin = loadU32(info + perm::kSparseBegin),
                   end = loadU32(info + perm::kSparseEnd);
    bool conditional = false;
    for (uint32_t e = begin; e < end; ++e) {
      const uint8_t *rule = section(kSparseRules) + sparse::kSize * e;
      conditional |= (loadU64(rule + sparse::kRequired) | loadU64(rule + sparse::kForbidden)) != 0;
    }
    in[p] = set == PermissionSet::NoSparseRules ? begin == end : conditional;
  }
  return in;
}

lattice_reason probe(uint32_t kind, const std::vector<uint32_t> &roles, uint32_t permission) {
  lattice_request q{kind, roles.data(), uint32_t(roles.size()), permission, LATTICE_REL_SAME, 0};
  return lattice_reason(lattice_decide(decideTable(), &q).reason);
}

/// `order`'s roles taken greedily while no two are exclusive, up to `limit` of them.
std::vector<uint32_t> compatibleRoles(uint32_t kind, const std::vector<uint32_t> &order,
                                      size_t limit) {
  std::vector<uint32_t> chosen;
  for (uint32_t r : order) {
    if (chosen.size() == limit)
      break;
    chosen.push_back(r);
    if (probe(kind, chosen, 0) == LATTICE_REASON_EXCLUSIVE)
      chosen.pop_back();
  }
  return chosen;
}

} // namespace

Workload makeWorkload(uint32_t held, PermissionSet set, size_t count) {
  lattice_table *t = decideTable();
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t perms = lattice_permission_count(t), flags = lattice_flag_count(t);
  if (perms == 0)
    return {};
  const std::vector<bool> inSet = permissionsIn(set);
  // Per kind, asking the runtime itself: the roles it may hold, the most of them it may hold
  // together, and the permissions of the set it may ask about.
  std::vector<std::vector<uint32_t>> holdable(kinds), askable(kinds);
  size_t most = 0;
  std::vector<size_t> together(kinds);
  for (uint32_t k = 0; k < kinds; ++k) {
    for (uint32_t r = 0; r < roles; ++r)
      if (probe(k, {r}, 0) != LATTICE_REASON_ROLE_NOT_FOR_KIND)
        holdable[k].push_back(r);
    for (uint32_t p = 0; p < perms; ++p)
      if (inSet[p] &&
          (set == PermissionSet::All || probe(k, {}, p) != LATTICE_REASON_NOT_APPLICABLE))
        askable[k].push_back(p);
    together[k] = askable[k].empty() ? 0 : compatibleRoles(k, holdable[k], roles).size();
    most = std::max(most, together[k]);
  }
  if (most == 0)
    return {};
  held = uint32_t(std::min<size_t>(held, most));
  std::vector<uint32_t> eligible;
  for (uint32_t k = 0; k < kinds; ++k)
    if (together[k] >= held)
      eligible.push_back(k);

  std::mt19937_64 rng(42);
  const uint64_t flagMask = flags >= 64 ? ~0ull : (1ull << flags) - 1;
  Workload w;
  w.held = held;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t kind = eligible[rng() % eligible.size()];
    std::vector<uint32_t> order = holdable[kind];
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<uint32_t> chosen = compatibleRoles(kind, order, held);
    if (chosen.size() < held) // a random order can get stuck; the id order cannot
      chosen = compatibleRoles(kind, holdable[kind], held);
    w.roleStorage.insert(w.roleStorage.end(), chosen.begin(), chosen.end());
    const uint32_t permission = askable[kind][rng() % askable[kind].size()];
    w.requests.push_back({kind, nullptr, held, permission, uint32_t(rng() % 4), rng() & flagMask});
  }
  for (size_t i = 0; i < count; ++i)
    w.requests[i].roles = w.roleStorage.data() + i * held;
  return w;
}

std::vector<LabelPair> makeLabelPairs(size_t count) {
  // Two trees of 500 nodes; each node hangs below a random earlier node of its tree.
  constexpr int64_t kTreeSize = 500;
  std::mt19937_64 rng(7);
  std::vector<int64_t> parents(2 * kTreeSize);
  for (int64_t v = 0; v < int64_t(parents.size()); ++v) {
    const int64_t root = v / kTreeSize * kTreeSize;
    parents[v] = v == root ? -1 : root + int64_t(rng() % uint64_t(v - root));
  }
  const std::vector<lattice_node_label> labels = labelTree(parents).labels;
  std::vector<LabelPair> pairs;
  for (size_t i = 0; i < count; ++i) {
    const size_t v = rng() % labels.size();
    size_t owner = v;
    switch (rng() % 4) {
    case 0: // same node
      break;
    case 1: // a descendant, if v has any
      for (size_t tries = 0; tries < 1000 && labels[v].last > labels[v].pre; ++tries) {
        const size_t u = rng() % labels.size();
        if (lattice_relation_of(labels[v], labels[u]) == LATTICE_REL_DESCENDANT) {
          owner = u;
          break;
        }
      }
      break;
    case 2: // an ancestor, if any
      for (size_t steps = 1 + rng() % 4; steps > 0 && parents[owner] >= 0; --steps)
        owner = size_t(parents[owner]);
      break;
    default: // anywhere
      owner = rng() % labels.size();
    }
    pairs.push_back({labels[v], labels[owner]});
  }
  return pairs;
}

} // namespace lattice::bench
