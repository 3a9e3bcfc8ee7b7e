// who_can_binding.hpp - who-can for the Python and Node bindings (lattice_who_can): for a
// permission, a relation word and flag names, the roles, custom-role ceilings and user types that
// can be allowed it, as names. Unknown names throw UnknownName, a bad relation InvalidArgument.
#pragma once

#include "lattice_binding.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace lattice::binding {

/// The answer in names, each list in id (declaration) order.
struct WhoCanNames {
  std::vector<std::string_view> roles, ceilings, userTypes;
};

/// Who can be allowed `permission` at `relation` (self, descendants, ancestors, elsewhere, none)
/// with exactly `flags` set (names of any side: the principal's, its node's and facts, in one
/// word as for decideAt). Resolved in this table on every call.
template <class Names>
WhoCanNames whoCan(const Table &table, const std::string &permission, std::string_view relation,
                   const Names &flags) {
  const uint32_t p = resolve(table, Category::Permission, permission);
  const lattice_relation rel = relationFromName(relation);
  uint64_t mask = 0;
  for (const auto &name : flags)
    mask |= flagBit(table, std::string(name), FlagSide::Any);
  const lattice_table *t = table.get();
  // One word more than needed: never empty (data() non-null, also without ceilings).
  std::vector<uint64_t> roles(LATTICE_ROLE_WORDS(t) + 1), ceilings(LATTICE_CEILING_WORDS(t) + 1),
      kinds(LATTICE_KIND_WORDS(t) + 1);
  const lattice_who_can_status status = lattice_who_can(
      t, p, uint32_t(rel), mask, roles.data(), uint32_t(roles.size()), ceilings.data(),
      uint32_t(ceilings.size()), kinds.data(), uint32_t(kinds.size()));
  if (status != LATTICE_WHO_CAN_OK) // resolving the names above rules this out
    throw InvalidArgument(std::string("who-can refused the question: ") +
                          lattice_who_can_status_message(status));
  WhoCanNames out;
  auto collect = [](const std::vector<uint64_t> &words, auto nameOf,
                    std::vector<std::string_view> &into) {
    for (size_t w = 0; w < words.size(); ++w)
      for (uint64_t bits = words[w]; bits != 0; bits &= bits - 1) {
        const char *name = nameOf(uint32_t(w * 64 + size_t(__builtin_ctzll(bits))));
        into.push_back(name ? name : "");
      }
  };
  collect(
      roles, [t](uint32_t id) { return lattice_role_name(t, id); }, out.roles);
  collect(
      ceilings, [t](uint32_t id) { return lattice_ceiling_name(t, id); }, out.ceilings);
  collect(
      kinds, [t](uint32_t id) { return lattice_kind_name(t, id); }, out.userTypes);
  return out;
}

} // namespace lattice::binding
