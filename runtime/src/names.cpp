// names.cpp - name <-> id lookup and counts: a hash index of each category's names, built at
// load (hosts look names up per request); names compare as unsigned bytes.
#include "internal.h"

#include <cstring>

using namespace lattice::format;
using lattice::detail::Category;

namespace {

const char *nameOf(const lattice_table *t, uint32_t category, uint32_t id) noexcept {
  if (!t || id >= lattice::detail::categoryCount(*t, category))
    return nullptr;
  return lattice::detail::stringAt(*t, lattice::detail::nameStringId(*t, category, id));
}

uint32_t countOf(const lattice_table *t, uint32_t category) noexcept {
  return t ? lattice::detail::categoryCount(*t, category) : 0;
}

uint32_t idOf(const lattice_table *t, uint32_t category, const char *name) noexcept {
  return name ? lattice::detail::lookupName(t, category, name, std::strlen(name)) : LATTICE_NO_ID;
}

} // namespace

uint32_t lattice::detail::lookupName(const lattice_table *t, uint32_t category, const char *name,
                                     size_t length) noexcept {
  if (!t || category > Category::kFlags || (!name && length > 0))
    return LATTICE_NO_ID;
  bool nul = false;
  const uint32_t mask = t->nameSlotMask[category];
  const uint32_t *slots = t->nameSlots[category];
  for (uint32_t s = nameHash(name, length, nul) & mask; !nul && slots[s] != 0; s = (s + 1) & mask) {
    const uint32_t id = slots[s] - 1;
    if (compareName(name, length, stringAt(*t, nameStringId(*t, category, id))) == 0)
      return id;
  }
  return LATTICE_NO_ID;
}

extern "C" {

uint32_t lattice_kind_id(const lattice_table *t, const char *name) {
  return idOf(t, Category::kKinds, name);
}
uint32_t lattice_role_id(const lattice_table *t, const char *name) {
  return idOf(t, Category::kRoles, name);
}
uint32_t lattice_permission_id(const lattice_table *t, const char *name) {
  return idOf(t, Category::kPermissions, name);
}
uint32_t lattice_flag_id(const lattice_table *t, const char *name) {
  return idOf(t, Category::kFlags, name);
}

uint32_t lattice_kind_count(const lattice_table *t) { return countOf(t, Category::kKinds); }
uint32_t lattice_role_count(const lattice_table *t) { return countOf(t, Category::kRoles); }
uint32_t lattice_permission_count(const lattice_table *t) {
  return countOf(t, Category::kPermissions);
}
uint32_t lattice_flag_count(const lattice_table *t) { return countOf(t, Category::kFlags); }

const char *lattice_kind_name(const lattice_table *t, uint32_t id) {
  return nameOf(t, Category::kKinds, id);
}
const char *lattice_role_name(const lattice_table *t, uint32_t id) {
  return nameOf(t, Category::kRoles, id);
}
const char *lattice_permission_name(const lattice_table *t, uint32_t id) {
  return nameOf(t, Category::kPermissions, id);
}
const char *lattice_flag_name(const lattice_table *t, uint32_t id) {
  return nameOf(t, Category::kFlags, id);
}
const char *lattice_policy_name(const lattice_table *t) {
  return t ? lattice::detail::stringAt(*t, t->policyName) : nullptr;
}

} // extern "C"
