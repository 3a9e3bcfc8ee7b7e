// can_assign.cpp - delegation questions answered from a loaded table (`lattice query
// --can-assign`, and the `assigns` cases of `lattice test`).
#include "query/can_assign.h"

#include "query/request.h"

#include <fmt/format.h>

namespace lattice::query {

AssignAnswer canAssign(const lattice_table *table, const std::vector<uint32_t> &roles,
                       uint32_t target, uint64_t flags) {
  AssignAnswer answer;
  answer.allowed = lattice_can_assign_with(table, roles.data(), static_cast<uint32_t>(roles.size()),
                                           target, flags) != 0;
  if (!answer.allowed)
    return answer;
  for (uint32_t role : roles)
    if (lattice_can_assign_with(table, &role, 1, target, flags) != 0) {
      answer.byRole = role;
      break;
    }
  return answer;
}

std::string describeAssign(const lattice_table *table, const AssignAnswer &answer,
                           uint32_t target) {
  const char *targetName = lattice_role_name(table, target);
  std::string name = targetName != nullptr ? targetName : "?";
  if (!answer.allowed)
    return fmt::format("no held role assigns `{}` (with these flags), or `{}` is locked", name,
                       name);
  const char *by = lattice_role_name(table, answer.byRole);
  return fmt::format("role `{}` assigns `{}`", by != nullptr ? by : "?", name);
}

bool resolveAssign(const lattice_table *table, const std::vector<std::string> &roleNames,
                   const std::string &targetName, const std::vector<std::string> &flagNames,
                   std::vector<uint32_t> &roles, uint32_t &target, uint64_t &flags,
                   std::string &error) {
  roles.clear();
  flags = 0;
  for (const std::string &name : roleNames) {
    uint32_t id = lattice_role_id(table, name.c_str());
    if (id == LATTICE_NO_ID) {
      error = fmt::format("unknown role `{}`", name);
      return false;
    }
    roles.push_back(id);
  }
  target = lattice_role_id(table, targetName.c_str());
  if (target == LATTICE_NO_ID) {
    error = fmt::format("unknown role `{}`", targetName);
    return false;
  }
  for (const std::string &name : flagNames) {
    std::optional<uint32_t> id = lookupFlag(table, name, error);
    if (!id)
      return false;
    flags |= uint64_t{1} << *id;
  }
  return true;
}

} // namespace lattice::query
