// can_assign.cpp - delegation questions answered from a loaded table (`lattice query
// --can-assign`, and the `assigns` cases of `lattice test`).
#include "query/can_assign.h"

#include <fmt/format.h>

namespace lattice::query {

AssignAnswer canAssign(const lattice_table *table, const std::vector<uint32_t> &roles,
                       uint32_t target) {
  AssignAnswer answer;
  answer.allowed =
      lattice_can_assign(table, roles.data(), static_cast<uint32_t>(roles.size()), target) != 0;
  if (!answer.allowed)
    return answer;
  for (uint32_t role : roles)
    if (lattice_can_assign(table, &role, 1, target) != 0) {
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
    return fmt::format("no held role assigns `{}`, or `{}` is locked", name, name);
  const char *by = lattice_role_name(table, answer.byRole);
  return fmt::format("role `{}` assigns `{}`", by != nullptr ? by : "?", name);
}

bool resolveAssign(const lattice_table *table, const std::vector<std::string> &roleNames,
                   const std::string &targetName, std::vector<uint32_t> &roles, uint32_t &target,
                   std::string &error) {
  roles.clear();
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
  return true;
}

} // namespace lattice::query
