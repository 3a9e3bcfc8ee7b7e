// sample_tables.h - hand-built lower::Tables for the runtime tests, examples and benchmarks, so
// they exercise the table format and runtime without depending on the compiler front end.
#pragma once

#include "lattice/lattice.h"
#include "lower/tables.h"

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace lattice::testing {

/// Relation bits for rules: which of same/descendant/ancestor/tenant a rule covers.
enum RelationBits : uint8_t {
  kSame = 1 << 0,
  kDescendant = 1 << 1,
  kAncestor = 1 << 2,
  kTenant = 1 << 3,
  kSubtree = kSame | kDescendant,
  kAnywhere = kSame | kDescendant | kAncestor | kTenant,
};

/// Builds Tables one declaration at a time; ids are handed out in declaration order.
class TablesBuilder {
public:
  explicit TablesBuilder(std::string policyName);
  uint32_t kind(const std::string &name);
  /// A flag of principals (declared on user types) or of nodes (on scope kinds).
  uint32_t flag(const std::string &name, uint32_t side = lower::FlagOfPrincipal);
  /// A role for the kinds in `kindMask`; call after every role-count-dependent setup is known.
  uint32_t role(const std::string &name, uint64_t kindMask, uint32_t attributes = 0);
  uint32_t permission(const std::string &name, uint64_t kindMask);
  void assigns(uint32_t role, std::vector<uint32_t> targets);
  /// An unconditional allow (a dense bit).
  void allow(uint32_t role, uint32_t permission, uint8_t relations);
  /// An unconditional deny (a sparse rule without flags).
  void deny(uint32_t role, uint32_t permission, uint8_t relations);
  /// A conditional rule (a sparse rule), for the principal kinds in `kindMask` (every kind
  /// without it: a rule with `for` names some).
  void guarded(uint32_t role, uint32_t permission, uint8_t relations, bool deny,
               uint64_t requiredFlags, uint64_t forbiddenFlags, uint64_t kindMask = ~0ull);
  /// A policy-wide deny (a `deny` at the top level): a sparse deny of every role.
  void policyDeny(uint32_t permission, uint8_t relations, uint64_t requiredFlags = 0,
                  uint64_t forbiddenFlags = 0, uint64_t kindMask = ~0ull);
  /// A conditional `assigns` clause: `role` gives `target` when the flags satisfy it.
  void assignsWhen(uint32_t role, uint32_t target, uint64_t requiredFlags, uint64_t forbiddenFlags);
  void exclusive(std::vector<uint32_t> roles);
  void require(uint32_t statement, uint64_t kindMask, uint64_t requiredFlags,
               uint64_t forbiddenFlags);
  /// The finished tables (bitsets sized for the final role and permission counts).
  lower::Tables build() const;

private:
  struct Allow {
    uint32_t role, permission;
    uint8_t relations;
  };
  lower::Tables tables;
  std::vector<Allow> allows; // become bits once the final counts are known
};

/// A small policy touching every feature; docs/runtime.md and runtime/examples use it too.
/// kinds: tenant_user, account_user. flags: business (of nodes), active (of principals),
/// suspended and trial (of nodes).
/// roles: tenant_admin, support_agent, account_admin, driver, legacy (locked),
///        auditor (deprecated). permissions: station.view, station.reset,
///        station.use_terminal (tenant_user only), billing.invoices, users.invite_driver
///        (account_user only). See sample_tables.cpp for the rules.
lower::Tables sampleTables();

/// sampleTables() written and loaded once, for the life of the process (fuzz targets and tests
/// that only read it); aborts with a message if it does not load, which is a broken build.
const lattice_table *loadedSampleTable();

/// The ids of sampleTables() (declaration order), for the tests that use it.
namespace sample {
enum : uint32_t { kTenantUser = 0, kAccountUser = 1 };
/// Flag bits: business, suspended and trial are flags of nodes, active of principals.
enum : uint64_t { kBusiness = 1, kActive = 2, kSuspended = 4, kTrial = 8 };
enum : uint32_t { kTenantAdmin, kSupportAgent, kAccountAdmin, kDriver, kLegacy, kAuditor };
/// Permissions; kPermissions, one past the last, is an id out of range.
enum : uint32_t { kView, kReset, kTerminal, kInvoices, kInvite, kPermissions };
} // namespace sample

/// An EV-charging-shaped table for benchmarks: `tenantRoles` roles for tenant users and
/// `accountRoles` for account users, `permissions` permissions, a fixed pseudo-random rule mix.
/// Only permissions whose id is a multiple of `sparseEvery` get denies and conditional rules
/// (sparse rules), so benchmarks can aim at permissions with and without them.
lower::Tables evShapedTables(uint32_t tenantRoles, uint32_t accountRoles, uint32_t permissions,
                             uint32_t sparseEvery = 1);

/// Role names that are the suffixes `a…ab` of one name `longest` bytes long, `roles` of them with
/// evenly spaced lengths, stored one after another as the writer stores names: a valid table
/// whose name validation compares about `roles × longest / 2` bytes, all of them table bytes.
lower::Tables suffixNameTables(uint32_t roles, uint32_t longest);

/// The same names stored once: the table is written with short placeholder names, then every
/// role's string offset is pointed into the longest name's bytes and the checksum recomputed. A
/// loader comparing names byte by byte then does quadratic work in the table size; format 2.0
/// requires every string to start at offset 0 or just after a NUL, so it is refused
/// (BAD_LAYOUT) after reading the offsets once (issue 10, defect 7).
std::vector<uint8_t> overlappingNameTable(uint32_t roles, uint32_t longest);

} // namespace lattice::testing
