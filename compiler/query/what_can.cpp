// what_can.cpp - every permission a named request's principal is allowed, through the runtime:
// lattice_what_can_custom for a principal with memberships, lattice_decide per permission for one
// at a single node (the runtime has no what-can of that shape: its one flag mask has no sides).
#include "query/what_can.h"

#include <fmt/format.h>

namespace lattice::query {

namespace {

/// The resolvers require a permission; what-can reads none: the table's first stands in. False
/// for a table without permissions (nothing can be allowed: the answer is empty, unresolved).
bool standIn(const lattice_table *table, std::string &permission, WhatCanAnswer &out) {
  out.permissionCount = lattice_permission_count(table);
  out.allowed.clear();
  if (out.permissionCount == 0)
    return false;
  permission = lattice_permission_name(table, 0);
  return true;
}

} // namespace

bool whatCanAccess(const lattice_table *table, NamedAccessRequest named, WhatCanAnswer &out,
                   std::string &error) {
  if (!standIn(table, named.permission, out))
    return true; // no permission: nothing allowed
  ResolvedAccessRequest resolved;
  if (!resolveAccessRequest(table, named, resolved, error))
    return false;
  std::vector<uint64_t> words((out.permissionCount + 63) / 64);
  const lattice_what_can_status status = lattice_what_can_custom(
      table, resolved.customRoles(), &resolved.request(), words.data(), uint32_t(words.size()));
  if (status != LATTICE_WHAT_CAN_OK) {
    error = lattice_what_can_status_message(status);
    return false;
  }
  for (uint32_t p = 0; p < out.permissionCount; ++p)
    if ((words[p / 64] >> (p % 64)) & 1)
      out.allowed.push_back(p);
  return true;
}

bool whatCanAtNode(const lattice_table *table, NamedRequest named, WhatCanAnswer &out,
                   std::string &error) {
  if (!standIn(table, named.permission, out))
    return true; // no permission: nothing allowed
  std::vector<uint32_t> roles;
  lattice_request request{};
  if (!resolveRequest(table, named, roles, request, error))
    return false;
  for (uint32_t p = 0; p < out.permissionCount; ++p) {
    request.permission = p;
    if (lattice_decide(table, &request).allowed)
      out.allowed.push_back(p);
  }
  return true;
}

std::string describeWhatCan(const lattice_table *table, const WhatCanAnswer &answer) {
  std::string text = fmt::format("{} of {} permission{} allowed", answer.allowed.size(),
                                 answer.permissionCount, answer.permissionCount == 1 ? "" : "s");
  for (uint32_t p : answer.allowed)
    text += fmt::format("\n  {}", lattice_permission_name(table, p));
  return text;
}

} // namespace lattice::query
