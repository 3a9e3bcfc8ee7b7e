// separation_of_duty.cpp - L1501: a role that extends two roles of one `exclusive` set (or one
// it is exclusive with) grants their rights together, defeating the separation.
#include "analysis/passes.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::analysis {

void findForcedExclusiveRoles(const Context &ctx, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  for (sema::RoleId role = 0; role < m.roles.size(); ++role) {
    std::vector<sema::RoleId> held = m.roles[role].inherited;
    held.push_back(role);
    std::sort(held.begin(), held.end());
    // Only the sets holding one of the held roles can hold two (not every set, for every role).
    std::vector<uint32_t> sets;
    for (sema::RoleId h : held)
      sets.insert(sets.end(), ctx.exclusiveSetsOf[h].begin(), ctx.exclusiveSetsOf[h].end());
    std::sort(sets.begin(), sets.end());
    sets.erase(std::unique(sets.begin(), sets.end()), sets.end());
    for (uint32_t index : sets) {
      const sema::ExclusiveSet &set = m.exclusives[index];
      std::vector<sema::RoleId> both;
      std::set_intersection(held.begin(), held.end(), set.roles.begin(), set.roles.end(),
                            std::back_inserter(both));
      if (both.size() < 2)
        continue;
      Finding f;
      f.kind = DiagKind::ExclusiveRolesForced;
      f.range = m.roles[role].decl;
      bool self = both[0] == role || both[1] == role;
      sema::RoleId other = both[0] == role ? both[1] : both[0];
      f.message =
          self ? fmt::format("role `{}` extends `{}`, which is exclusive with it",
                             m.roles[role].name, m.roles[other].name)
               : fmt::format("role `{}` combines `{}` and `{}`, which are exclusive",
                             m.roles[role].name, m.roles[both[0]].name, m.roles[both[1]].name);
      f.notes.push_back({set.decl, "the exclusive set is declared here"});
      f.help = "extend at most one role of an exclusive set";
      f.roles = {role, both[0], both[1]};
      out.push_back(std::move(f));
      break;
    }
  }
}

} // namespace lattice::analysis
