// names.cpp - name <-> id lookup and counts: binary search over each category's sorted index.
// Names compare as unsigned bytes, the order the writer sorted them in (strcmp order).
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
  if (!t || category > Category::kFlags || (!name && length > 0) ||
      (length > 0 && std::memchr(name, 0, length))) // an embedded NUL matches no stored name
    return LATTICE_NO_ID;
  const uint32_t count = categoryCount(*t, category);
  const uint8_t *sorted = t->section[kKindNames + category] + 4 * size_t(count);
  return searchSortedNames(sorted, count, name, length, [t, category](uint32_t id) {
    return stringAt(*t, nameStringId(*t, category, id));
  });
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
