// what_can.h - "what can this principal do": every permission a request's principal is allowed on
// its target (or at its relation), by name, from a compiled table. Shared by `query --what-can`
// and any server or LSP; the runtime decides (lattice_what_can_custom, or lattice_decide per
// permission for a principal at one node).
#pragma once

#include "query/access_request.h"
#include "query/request.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lattice::query {

struct WhatCanAnswer {
  std::vector<uint32_t> allowed; // permission ids, ascending (declaration order)
  uint32_t permissionCount = 0;  // of the table
};

/// A principal with memberships on its target, with its facts; `named.permission` is not read.
/// On an unknown name or a malformed request returns false with `error` set (nothing is then
/// allowed), as resolveAccessRequest.
bool whatCanAccess(const lattice_table *table, NamedAccessRequest named, WhatCanAnswer &out,
                   std::string &error);

/// A principal at one node holding roles, for a resource at `named.relation`; `named.permission`
/// is not read. Each permission as lattice_decide decides it.
bool whatCanAtNode(const lattice_table *table, NamedRequest named, WhatCanAnswer &out,
                   std::string &error);

/// "2 of 14 permissions allowed" and the names, one per line, indented by two spaces.
std::string describeWhatCan(const lattice_table *table, const WhatCanAnswer &answer);

} // namespace lattice::query
