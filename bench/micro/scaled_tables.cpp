// scaled_tables.cpp - scaledTables (scaled_tables.h). Rules are written as bits and entries
// directly: a per-rule builder would need minutes for the 50 MB table.
#include "scaled_tables.h"

#include <cstdio>
#include <random>
#include <string>

namespace lattice::bench {

namespace {
std::string numbered(const char *prefix, uint32_t i) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%06u", i);
  return prefix + std::string(buffer);
}
} // namespace

lower::Tables scaledTables(uint32_t roles, uint32_t permissions, uint32_t sparseEvery) {
  lower::Tables t;
  t.policyName = "scaled";
  t.kindNames = {"tenant_user", "account_user"};
  for (uint32_t f = 0; f < 8; ++f) {
    t.flagNames.push_back(numbered("flag_", f));
    t.flagSides.push_back(f % 2 ? lower::FlagOfNode : lower::FlagOfPrincipal);
  }
  for (uint32_t r = 0; r < roles; ++r) {
    t.roleNames.push_back(numbered("role_", r));
    t.roleKindMask.push_back(1 + r % 3);
    t.roleAttributes.push_back(0);
    t.roleAssigns.push_back(r % 8 == 0 && roles > 1 ? std::vector<uint32_t>{(r + 1) % roles}
                                                    : std::vector<uint32_t>{});
  }
  for (uint32_t p = 0; p < permissions; ++p) {
    t.permissionNames.push_back(numbered("resource.action_", p));
    t.permissionKindMask.push_back(3);
  }
  std::mt19937_64 rng(2026);
  t.wordsPerBitset = (roles + 63) / 64;
  const uint64_t lastWord = roles % 64 ? (uint64_t(1) << (roles % 64)) - 1 : ~uint64_t(0);
  t.allowBits.resize(size_t(permissions) * lower::kRelationCount * t.wordsPerBitset);
  for (size_t w = 0; w < t.allowBits.size(); ++w)
    t.allowBits[w] =
        rng() & rng() & (w % t.wordsPerBitset == t.wordsPerBitset - 1 ? lastWord : ~0ull);
  for (uint32_t p = 0; roles > 0 && p < permissions; p += sparseEvery) {
    t.sparseRules.push_back({p, uint32_t(rng() % roles), 0xF, /*deny=*/true, 0, 0});
    t.sparseRules.push_back({p, uint32_t(rng() % roles), 0x3, /*deny=*/false, 1, 2});
  }
  if (roles >= 2)
    t.exclusiveSets.push_back({0, 1});
  t.requireClauses.push_back({0, 2, 4, 0});
  return t;
}

} // namespace lattice::bench
