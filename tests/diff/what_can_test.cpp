// what_can_test.cpp - differential check of what-can (lattice_what_can*, issue 13): on random
// policies (policy_generator) with random ceilings, for random principals, targets and facts,
// every bitset equals the per-permission decisions of lattice_decide_access (and _custom) and of
// lattice_decide_as, by paths and by labels; pages by resource type equal them too.
// Usage: lattice_what_can_diff [--seed N] [--count N]; exit 1 on any mismatch.
#include "lattice/lattice.h"
#include "policy_generator.h"
#include "seed_args.h"
#include "seed_table.h"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <vector>

namespace lattice::difftest {
namespace {

/// The forest the principals live in: two trees, depth up to 4 (parent index per node).
const int64_t kParents[] = {-1, 0, 1, 2, 1, 0, 5, -1, 7, 8};
constexpr uint32_t kNodes = sizeof kParents / sizeof *kParents;

struct Forest {
  std::vector<std::vector<uint64_t>> paths; // ids 100 + node
  std::vector<lattice_node_label> labels;
  Forest() : paths(kNodes), labels(kNodes) {
    for (uint32_t n = 0; n < kNodes; ++n) {
      for (int64_t at = n; at >= 0; at = kParents[at])
        paths[n].insert(paths[n].begin(), uint64_t(100 + at));
    }
    if (lattice_label_tree(kParents, kNodes, labels.data(), nullptr) != LATTICE_LABEL_OK)
      std::abort();
  }
  lattice_node_ref ref(uint32_t node, bool byLabel) const {
    lattice_node_ref r{};
    if (byLabel)
      r.label = labels[node];
    else
      r.path = {paths[node].data(), uint32_t(paths[node].size())};
    return r;
  }
};

struct Counts {
  uint64_t policies = 0, principals = 0, bits = 0, pages = 0, refused = 0;
  std::vector<std::string> mismatches;
};

std::vector<uint64_t> bitsOf(uint32_t permissions, const std::function<bool(uint32_t)> &allowed) {
  std::vector<uint64_t> words((permissions + 63) / 64, 0);
  for (uint32_t p = 0; p < permissions; ++p)
    if (allowed(p))
      words[p / 64] |= uint64_t(1) << (p % 64);
  return words;
}

void checkSeed(uint64_t seed, const Forest &forest, Counts &counts) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 13);
  // Ceilings on about half the policies, so custom roles join the principals.
  SeedTable loaded;
  std::string error;
  if (!loadSeedTable(seed, rng.chance(50), loaded, error)) {
    counts.mismatches.push_back(fmt::format("seed {}: {}", seed, error));
    return;
  }
  const sema::Model &model = loaded.model();
  const lattice_table *table = loaded.table;
  ++counts.policies;
  const uint32_t permissions = lattice_permission_count(table);
  const uint32_t words = LATTICE_PERMISSION_WORDS(table);
  auto fail = [&](const std::string &what) {
    if (counts.mismatches.size() < 50)
      counts.mismatches.push_back(fmt::format("seed {}: {}", seed, what));
    else if (counts.mismatches.size() == 50)
      counts.mismatches.push_back("(more mismatches not shown)");
  };

  // Each resource's permissions are one range, as lattice_resource_permissions reports it.
  for (const sema::Resource &r : model.resources) {
    uint32_t at = 0, n = 0;
    const int ok = lattice_resource_permissions(table, r.name.c_str(), &at, &n);
    const bool consecutive =
        !r.permissions.empty() &&
        r.permissions.back() - r.permissions.front() + 1 == uint32_t(r.permissions.size());
    if (ok != int(consecutive) ||
        (ok && (at != r.permissions.front() || n != uint32_t(r.permissions.size()))))
      fail(fmt::format("lattice_resource_permissions(`{}`) = {} [{}, +{})", r.name, ok, at, n));
  }

  // Custom roles within the ceilings (refused ones are left out).
  lattice_custom_roles *set = lattice_custom_roles_new(table);
  std::vector<uint32_t> customIds;
  for (uint32_t c = 0; c < model.customRoles.size(); ++c)
    for (int k = 0; k < 3; ++k) {
      std::vector<uint32_t> ps, rs;
      for (const auto &[perm, reach] : model.customRoles[c].cells)
        if (rng.chance(60)) {
          const uint32_t r = reach & rng.between(1, 15);
          if (r != 0) {
            ps.push_back(perm);
            rs.push_back(r);
          }
        }
      uint32_t id = 0;
      if (lattice_custom_role_add(set, c, ps.data(), rs.data(), uint32_t(ps.size()), &id,
                                  nullptr) == LATTICE_CUSTOM_OK)
        customIds.push_back(id);
    }

  uint64_t principalFlags = lattice_flag_mask(table, LATTICE_FLAG_PRINCIPAL);
  uint64_t nodeFlags = lattice_flag_mask(table, LATTICE_FLAG_NODE);
  uint64_t factFlags = lattice_flag_mask(table, LATTICE_FLAG_FACTS);
  const uint32_t kinds = lattice_kind_count(table), roles = lattice_role_count(table);

  for (int round = 0; round < 24; ++round) {
    const bool hostile = rng.chance(8); // an invalid principal or facts now and then
    const bool big = rng.chance(10);    // enough memberships to pass kMaxPairs
    const bool withCustom = !customIds.empty() && rng.chance(50);
    const bool byLabel = rng.chance(30);
    uint32_t kind = rng.between(0, kinds - 1);
    uint64_t flags = rng.next() & principalFlags;
    uint64_t facts = rng.next() & factFlags;
    const uint32_t memberCount = big ? rng.between(33, 60) : rng.between(1, 4);
    std::vector<std::vector<uint32_t>> held(memberCount);
    std::vector<lattice_membership> ms(memberCount);
    for (uint32_t m = 0; m < memberCount; ++m) {
      for (uint32_t i = 0, n = rng.between(0, 3); i < n && roles > 0; ++i)
        held[m].push_back(rng.between(0, roles - 1));
      if (withCustom && rng.chance(50))
        held[m].push_back(customIds[rng.between(0, uint32_t(customIds.size()) - 1)]);
      ms[m].node = forest.ref(rng.between(0, kNodes - 1), byLabel);
      ms[m].node_flags = rng.next() & nodeFlags;
    }
    if (hostile) {
      switch (rng.between(0, 4)) {
      case 0:
        kind = kinds + rng.between(0, 3);
        break;
      case 1:
        flags |= uint64_t(1) << rng.between(0, 63);
        break;
      case 2:
        facts |= uint64_t(1) << rng.between(0, 63);
        break;
      case 3:
        held[0].push_back(roles + rng.between(0, 5));
        break;
      default:
        ms[0].node_flags |= uint64_t(1) << rng.between(0, 63);
        break;
      }
    }
    for (uint32_t m = 0; m < memberCount; ++m) {
      ms[m].roles = held[m].data();
      ms[m].role_count = uint32_t(held[m].size());
    }
    const lattice_custom_roles *useSet = withCustom ? set : nullptr;
    std::vector<uint32_t> targets;
    for (int t = 0; t < 3; ++t)
      targets.push_back(rng.between(0, kNodes - 1));

    lattice_principal *principal = nullptr;
    const lattice_principal_status made = lattice_principal_new_custom(
        table, useSet, kind, flags, ms.data(), memberCount, &principal);
    ++counts.principals;
    for (uint32_t node : targets) {
      lattice_access_request q{};
      q.kind = kind;
      q.flags = flags;
      q.memberships = ms.data();
      q.membership_count = memberCount;
      q.target = forest.ref(node, byLabel);
      q.facts = facts;
      const auto want = bitsOf(permissions, [&](uint32_t p) {
        lattice_access_request r = q;
        r.permission = p;
        return (withCustom ? lattice_decide_access_custom(table, useSet, &r)
                           : lattice_decide_access(table, &r))
                   .allowed != 0;
      });
      counts.bits += permissions;
      // The request form: equal bits; BAD_REQUEST exactly when decide says so.
      std::vector<uint64_t> got(words + 1, ~uint64_t(0));
      const lattice_what_can_status status =
          withCustom ? lattice_what_can_custom(table, useSet, &q, got.data(), words)
                     : lattice_what_can(table, &q, got.data(), words);
      lattice_access_request probe = q;
      probe.permission = 0;
      const bool bad =
          permissions > 0 && (withCustom ? lattice_decide_access_custom(table, useSet, &probe)
                                         : lattice_decide_access(table, &probe))
                                     .reason == LATTICE_REASON_BAD_REQUEST;
      got.pop_back();
      if (got != want || (status == LATTICE_WHAT_CAN_BAD_REQUEST) != bad ||
          (status != LATTICE_WHAT_CAN_OK && status != LATTICE_WHAT_CAN_BAD_REQUEST))
        fail(fmt::format("lattice_what_can{} status {} bits {}; decisions bits {} (bad {})",
                         withCustom ? "_custom" : "", int(status), hex(got), hex(want), bad));
      if (bad)
        ++counts.refused;
      if (made != LATTICE_PRINCIPAL_OK) {
        if (!bad) // a refused principal is one decide_access refuses
          fail(fmt::format("principal refused ({}) but decide_access does not",
                           lattice_principal_status_message(made)));
        continue;
      }
      // The handle: equal to lattice_decide_as per permission, and to the decisions above
      // (facts of the wrong side are refused by both).
      std::vector<uint64_t> as(words, ~uint64_t(0));
      const lattice_what_can_status asStatus =
          lattice_what_can_as(principal, q.target, facts, as.data(), words);
      const auto wantAs = bitsOf(permissions, [&](uint32_t p) {
        return lattice_decide_as(principal, p, q.target, facts).allowed != 0;
      });
      if (as != wantAs || as != want || (asStatus == LATTICE_WHAT_CAN_BAD_REQUEST) != bad)
        fail(fmt::format("lattice_what_can_as status {} bits {}; decide_as bits {}; "
                         "decide_access bits {} ({} memberships, {})",
                         int(asStatus), hex(as), hex(wantAs), hex(want), memberCount,
                         byLabel ? "labels" : "paths"));
    }
    if (principal) {
      // Pages by resource type: rows of the targets, each the slice of the full bitset.
      for (const sema::Resource &r : model.resources) {
        uint32_t at = 0, n = 0;
        if (!lattice_resource_permissions(table, r.name.c_str(), &at, &n))
          continue;
        const uint32_t perRow = (n + 63) / 64 + (rng.chance(30) ? 1 : 0);
        std::vector<lattice_node_ref> refs;
        std::vector<uint64_t> rowFacts;
        for (uint32_t node : targets) {
          refs.push_back(forest.ref(node, byLabel));
          rowFacts.push_back(rng.next() & factFlags);
        }
        std::vector<uint64_t> page(perRow * refs.size(), ~uint64_t(0));
        const lattice_what_can_status s =
            lattice_what_can_page(principal, at, n, refs.data(), rowFacts.data(),
                                  uint32_t(refs.size()), page.data(), perRow);
        ++counts.pages;
        for (size_t i = 0; i < refs.size(); ++i) {
          std::vector<uint64_t> row(page.begin() + i * perRow, page.begin() + (i + 1) * perRow);
          std::vector<uint64_t> expect(perRow, 0);
          for (uint32_t j = 0; j < n; ++j)
            if (lattice_decide_as(principal, at + j, refs[i], rowFacts[i]).allowed)
              expect[j / 64] |= uint64_t(1) << (j % 64);
          if (row != expect || s != LATTICE_WHAT_CAN_OK)
            fail(fmt::format("lattice_what_can_page `{}` row {}: status {} bits {}; decide_as {}",
                             r.name, i, int(s), hex(row), hex(expect)));
        }
      }
      lattice_principal_free(principal);
    }
  }
  lattice_custom_roles_free(set);
}

} // namespace
} // namespace lattice::difftest

int main(int argc, char **argv) {
  using namespace lattice::difftest;
  uint64_t seed = 1, count = 300;
  if (!parseSeedCount(argc, argv, "lattice_what_can_diff", seed, count))
    return 2;
  const Forest forest;
  Counts counts;
  for (uint64_t n = 0; n < count; ++n)
    checkSeed(seed + n, forest, counts);
  for (const std::string &m : counts.mismatches)
    std::printf("MISMATCH %s\n", m.c_str());
  std::printf("what-can: %llu policies, %llu principals, %llu permission bits, %llu pages, %llu "
              "refused requests, %zu mismatches\n",
              (unsigned long long)counts.policies, (unsigned long long)counts.principals,
              (unsigned long long)counts.bits, (unsigned long long)counts.pages,
              (unsigned long long)counts.refused, counts.mismatches.size());
  return counts.mismatches.empty() && counts.policies > 0 ? 0 : 1;
}
