// sample_tables.cpp - the hand-built tables of sample_tables.h.
// The sample policy is small enough to reason about each decision by hand in the tests.
#include "sample_tables.h"

#include "emit/table_writer.h"
#include "lattice/format.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>

namespace lattice::testing {

TablesBuilder::TablesBuilder(std::string policyName) { tables.policyName = std::move(policyName); }

uint32_t TablesBuilder::kind(const std::string &name) {
  tables.kindNames.push_back(name);
  return uint32_t(tables.kindNames.size() - 1);
}

uint32_t TablesBuilder::flag(const std::string &name, uint32_t side) {
  tables.flagNames.push_back(name);
  tables.flagSides.push_back(side);
  return uint32_t(tables.flagNames.size() - 1);
}

uint32_t TablesBuilder::role(const std::string &name, uint64_t kindMask, uint32_t attributes) {
  tables.roleNames.push_back(name);
  tables.roleKindMask.push_back(kindMask);
  tables.roleAttributes.push_back(attributes);
  tables.roleAssigns.emplace_back();
  return uint32_t(tables.roleNames.size() - 1);
}

uint32_t TablesBuilder::permission(const std::string &name, uint64_t kindMask) {
  tables.permissionNames.push_back(name);
  tables.permissionKindMask.push_back(kindMask);
  return uint32_t(tables.permissionNames.size() - 1);
}

void TablesBuilder::assigns(uint32_t role, std::vector<uint32_t> targets) {
  tables.roleAssigns.at(role) = std::move(targets);
}

void TablesBuilder::allow(uint32_t role, uint32_t permission, uint8_t relations) {
  allows.push_back({role, permission, relations});
}

void TablesBuilder::deny(uint32_t role, uint32_t permission, uint8_t relations) {
  guarded(role, permission, relations, /*deny=*/true, 0, 0); // a deny is always a sparse rule
}

void TablesBuilder::guarded(uint32_t role, uint32_t permission, uint8_t relations, bool deny,
                            uint64_t requiredFlags, uint64_t forbiddenFlags, uint64_t kindMask) {
  tables.sparseRules.push_back(
      {permission, role, relations, deny, requiredFlags, forbiddenFlags, kindMask});
}

void TablesBuilder::policyDeny(uint32_t permission, uint8_t relations, uint64_t requiredFlags,
                               uint64_t forbiddenFlags, uint64_t kindMask) {
  tables.sparseRules.push_back(
      {permission, lower::kEveryRole, relations, true, requiredFlags, forbiddenFlags, kindMask});
}

void TablesBuilder::assignsWhen(uint32_t role, uint32_t target, uint64_t requiredFlags,
                                uint64_t forbiddenFlags) {
  tables.assignConditions.push_back({role, target, requiredFlags, forbiddenFlags});
}

void TablesBuilder::exclusive(std::vector<uint32_t> roles) {
  tables.exclusiveSets.push_back(std::move(roles));
}

void TablesBuilder::require(uint32_t statement, uint64_t kindMask, uint64_t requiredFlags,
                            uint64_t forbiddenFlags) {
  tables.requireClauses.push_back({statement, kindMask, requiredFlags, forbiddenFlags});
}

lower::Tables TablesBuilder::build() const {
  lower::Tables t = tables;
  const uint32_t words = uint32_t((t.roleNames.size() + 63) / 64);
  t.wordsPerBitset = words;
  const size_t size = t.permissionNames.size() * lower::kRelationCount * words;
  t.allowBits.assign(size, 0);
  for (const Allow &rule : allows)
    for (uint32_t rel = 0; rel < lower::kRelationCount; ++rel)
      if ((rule.relations >> rel) & 1)
        t.allowBits[(size_t(rule.permission) * lower::kRelationCount + rel) * words +
                    rule.role / 64] |= uint64_t(1) << (rule.role % 64);
  return t;
}

lower::Tables sampleTables() {
  TablesBuilder b("sample");
  const uint64_t tenantUser = 1u << b.kind("tenant_user");
  const uint64_t accountUser = 1u << b.kind("account_user");
  const uint64_t business = 1u << b.flag("business", lower::FlagOfNode);
  const uint64_t active = 1u << b.flag("active");
  const uint64_t suspended = 1u << b.flag("suspended", lower::FlagOfNode);
  const uint64_t trial = 1u << b.flag("trial", lower::FlagOfNode);

  const uint32_t tenantAdmin = b.role("tenant_admin", tenantUser);
  const uint32_t supportAgent = b.role("support_agent", tenantUser);
  const uint32_t accountAdmin = b.role("account_admin", accountUser);
  const uint32_t driver = b.role("driver", accountUser);
  const uint32_t legacy = b.role("legacy", accountUser, lower::RoleLocked);
  const uint32_t auditor = b.role("auditor", tenantUser | accountUser, lower::RoleDeprecated);

  const uint32_t view = b.permission("station.view", tenantUser | accountUser);
  const uint32_t reset = b.permission("station.reset", tenantUser | accountUser);
  const uint32_t terminal = b.permission("station.use_terminal", tenantUser);
  const uint32_t invoices = b.permission("billing.invoices", tenantUser | accountUser);
  const uint32_t invite = b.permission("users.invite_driver", accountUser);

  b.assigns(tenantAdmin, {supportAgent, accountAdmin, legacy, auditor});
  b.assigns(accountAdmin, {driver, legacy});

  for (uint32_t p : {view, reset, terminal, invoices})
    b.allow(tenantAdmin, p, kAnywhere);
  b.allow(supportAgent, view, kAnywhere);
  b.allow(supportAgent, reset, kAnywhere);
  b.deny(supportAgent, invoices, kAnywhere);
  b.allow(accountAdmin, view, kSubtree);
  b.allow(accountAdmin, reset, kSubtree);
  b.allow(accountAdmin, invoices, kSame);
  b.guarded(accountAdmin, invoices, kSame, /*deny=*/true, 0, business); // when not business
  b.guarded(accountAdmin, invite, kSame, /*deny=*/false, business, 0);  // when business
  b.allow(driver, view, kSame);
  b.guarded(driver, reset, kSame, /*deny=*/false, business, trial); // when business and not trial
  b.allow(legacy, view, kSubtree);
  b.deny(supportAgent, terminal, kTenant);
  b.allow(auditor, view, kAnywhere);
  b.deny(auditor, terminal, kAnywhere);
  b.allow(auditor, invoices, kAnywhere);
  b.deny(auditor, reset, kAnywhere);

  b.exclusive({tenantAdmin, supportAgent});
  b.exclusive({accountAdmin, legacy});
  b.require(0, tenantUser | accountUser, 0, suspended); // require not suspended;
  b.require(1, accountUser, active, 0);                 // require active or business
  b.require(1, accountUser, business, 0);               //   for account_user;
  return b.build();
}

const lattice_table *loadedSampleTable() {
  static const std::vector<uint8_t> bytes = emit::writeTable(sampleTables());
  static lattice_table *table = [] {
    lattice_table *loaded = nullptr;
    if (lattice_table_load(bytes.data(), bytes.size(), &loaded) != LATTICE_LOAD_OK) {
      std::fprintf(stderr, "the sample table does not load\n");
      std::abort();
    }
    return loaded;
  }();
  return table;
}

lower::Tables evShapedTables(uint32_t tenantRoles, uint32_t accountRoles, uint32_t permissions,
                             uint32_t sparseEvery) {
  TablesBuilder b("ev_charging_shape");
  const uint64_t tenantUser = 1u << b.kind("tenant_user");
  const uint64_t accountUser = 1u << b.kind("account_user");
  const uint64_t business = 1u << b.flag("business", lower::FlagOfNode);
  const uint64_t active = 1u << b.flag("active");
  std::vector<uint32_t> roles;
  for (uint32_t i = 0; i < tenantRoles; ++i)
    roles.push_back(b.role("tenant_role_" + std::to_string(i), tenantUser));
  for (uint32_t i = 0; i < accountRoles; ++i)
    roles.push_back(b.role("account_role_" + std::to_string(i), accountUser));
  for (uint32_t p = 0; p < permissions; ++p)
    b.permission("resource_" + std::to_string(p / 10) + ".action_" + std::to_string(p % 10),
                 p % 17 == 0 ? tenantUser : tenantUser | accountUser);
  // A fixed mix: most roles allow a third of the permissions somewhere, some deny, a few
  // conditional grants per permission, as lowering an EV-charging policy produces.
  std::mt19937 rng(20261123);
  for (uint32_t role : roles)
    for (uint32_t p = 0; p < permissions; ++p) {
      // The same random draws whether or not p gets sparse rules: only the rules differ.
      const uint32_t dice = rng() % 12;
      const bool sparse = p % sparseEvery == 0;
      if (dice < 4) {
        b.allow(role, p, uint8_t(1 + rng() % 15));
      } else if (dice == 4) {
        const uint8_t relations = uint8_t(1 + rng() % 15);
        if (sparse)
          b.deny(role, p, relations);
      } else if (dice == 5) {
        const uint8_t relations = uint8_t(1 + rng() % 15);
        const bool deny = rng() % 4 == 0;
        if (sparse)
          b.guarded(role, p, relations, deny, business, 0);
      }
    }
  for (uint32_t i = 0; i + 1 < tenantRoles; i += 4)
    b.exclusive({roles[i], roles[i + 1]});
  b.require(0, accountUser, active, 0);
  return b.build();
}

namespace {

/// The length of suffix `i` of `roles`: from `longest` down to 2 in even steps.
uint32_t suffixLength(uint32_t i, uint32_t roles, uint32_t longest) {
  return longest - uint32_t(uint64_t(longest - 2) * i / (roles > 1 ? roles - 1 : 1));
}

std::string suffixName(uint32_t length) { return std::string(length - 1, 'a') + "b"; }

} // namespace

lower::Tables suffixNameTables(uint32_t roles, uint32_t longest) {
  TablesBuilder b("suffixes");
  const uint64_t kind = 1u << b.kind("user");
  const uint32_t read = b.permission("doc.read", kind);
  for (uint32_t i = 0; i < roles; ++i)
    b.allow(b.role(suffixName(suffixLength(i, roles, longest)), kind), read, kAnywhere);
  return b.build();
}

std::vector<uint8_t> overlappingNameTable(uint32_t roles, uint32_t longest) {
  using namespace format;
  // Role 0 carries the long name; the placeholders sort after it in role order, as the
  // suffixes will (a longer suffix of `a…ab` sorts first), so the sorted index stays right.
  TablesBuilder b("overlap");
  const uint64_t kind = 1u << b.kind("user");
  const uint32_t read = b.permission("doc.read", kind);
  for (uint32_t i = 0; i < roles; ++i) {
    char placeholder[16];
    std::snprintf(placeholder, sizeof placeholder, "b%08u", i);
    b.allow(b.role(i == 0 ? suffixName(longest) : placeholder, kind), read, kAnywhere);
  }
  std::vector<uint8_t> bytes = emit::writeTable(b.build());
  if (bytes.empty())
    throw std::runtime_error("the writer refused the overlapping-name table");
  auto section = [&](SectionId id) {
    return size_t(loadU64(&bytes[hdr::kDirectory + hdr::kDirectoryEntrySize * id]));
  };
  auto store32 = [&](size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k)
      bytes[at + k] = uint8_t(v >> (8 * k));
  };
  const size_t offsets = section(kStringOffsets), names = section(kRoleNames);
  const uint32_t longName = loadU32(&bytes[names]);
  const uint32_t base = loadU32(&bytes[offsets + 4 * size_t(longName)]);
  for (uint32_t i = 1; i < roles; ++i) {
    const uint32_t string = loadU32(&bytes[names + 4 * size_t(i)]);
    store32(offsets + 4 * size_t(string), base + longest - suffixLength(i, roles, longest));
  }
  const uint64_t sum = checksum(&bytes[hdr::kChecksumStart], bytes.size() - hdr::kChecksumStart);
  for (int k = 0; k < 8; ++k)
    bytes[hdr::kChecksum + k] = uint8_t(sum >> (8 * k));
  return bytes;
}

} // namespace lattice::testing
