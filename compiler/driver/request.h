// request.h - requests by name (as users type them) resolved against a loaded table, and
// decisions described in words. Shared by `query`, its JSONL mode and `test`.
#pragma once

#include "lattice/lattice.h"

#include <string>
#include <vector>

namespace lattice::driver {

struct NamedRequest {
  std::string kind;
  std::vector<std::string> roles;
  std::string permission;
  std::string relation; // same | descendant | ancestor | tenant
  std::vector<std::string> flags;
};

/// Resolves names to ids; on an unknown name returns false with `error` set (the request is
/// then to be answered "deny").
bool resolveRequest(const lattice_table *table, const NamedRequest &named,
                    std::vector<uint32_t> &roleIds, lattice_request &out, std::string &error);

/// "granted by role `x`", "denied by role `x`", "no held role allows it", ...
std::string describeDecision(const lattice_table *table, const lattice_decision &decision);
/// "allowed", "denied_by_rule", ...: the JSON spelling of a reason.
const char *reasonKey(uint32_t reason);

} // namespace lattice::driver
