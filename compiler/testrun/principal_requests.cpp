// principal_requests.cpp - paths and relations in a test's tree of named nodes, and the requests
// of a principal case for the runtime and for the reference interpreter.
#include "testrun/principal_requests.h"

namespace lattice::testrun {

std::vector<std::vector<uint64_t>> nodePaths(const sema::Test &test) {
  std::vector<std::vector<uint64_t>> paths(test.nodes.size());
  for (uint32_t n = 0; n < test.nodes.size(); ++n) {
    // Parents are declared before their children, so a walk up always ends at a root.
    for (std::optional<uint32_t> at = n; at; at = test.nodes[*at].parent)
      paths[n].insert(paths[n].begin(), uint64_t(*at) + 1);
  }
  return paths;
}

std::optional<sema::Relation> relationInTree(const sema::Test &test, uint32_t node,
                                             uint32_t target) {
  auto isAbove = [&](uint32_t above, uint32_t below) { // strictly
    for (std::optional<uint32_t> at = test.nodes[below].parent; at; at = test.nodes[*at].parent)
      if (*at == above)
        return true;
    return false;
  };
  auto rootOf = [&](uint32_t n) {
    while (test.nodes[n].parent)
      n = *test.nodes[n].parent;
    return n;
  };
  if (rootOf(node) != rootOf(target))
    return std::nullopt;
  if (node == target)
    return sema::Relation::Same;
  if (isAbove(node, target))
    return sema::Relation::Descendant;
  if (isAbove(target, node))
    return sema::Relation::Ancestor;
  return sema::Relation::Tenant;
}

reference::PrincipalRequest principalRequest(const sema::Model &model, const sema::Test &test,
                                             const sema::TestCase &c, sema::PermissionId permission,
                                             uint32_t target) {
  const sema::TestPrincipal &p = test.principals[*c.principal];
  reference::PrincipalRequest request;
  request.kind = p.kind;
  request.flags = p.flags;
  request.facts = c.facts | model.targetFacts(test.nodes[target].flags);
  request.permission = permission;
  for (const sema::TestMembership &m : p.memberships) {
    request.memberships.push_back(
        {m.roles, relationInTree(test, m.node, target), test.nodes[m.node].flags});
    request.custom.emplace_back();
    for (uint32_t custom : m.customRoles) // the test's own, or a ceiling's widest
      request.custom.back().push_back(
          {test.customRoles[custom].ceiling, test.customRoles[custom].cells});
  }
  return request;
}

lattice_access_request accessRequest(const sema::Model &model, const sema::Test &test,
                                     const sema::TestCase &c, sema::PermissionId permission,
                                     uint32_t target,
                                     const std::vector<std::vector<uint64_t>> &paths,
                                     std::vector<lattice_membership> &memberships) {
  const sema::TestPrincipal &p = test.principals[*c.principal];
  memberships.clear();
  for (const sema::TestMembership &m : p.memberships) {
    lattice_membership membership{};
    membership.node.path = {paths[m.node].data(), uint32_t(paths[m.node].size())};
    membership.roles = m.roles.data();
    membership.role_count = uint32_t(m.roles.size());
    membership.node_flags = test.nodes[m.node].flags;
    memberships.push_back(membership);
  }
  lattice_access_request request{};
  request.kind = p.kind;
  request.flags = p.flags;
  request.memberships = memberships.data();
  request.membership_count = uint32_t(memberships.size());
  request.permission = permission;
  request.target.path = {paths[target].data(), uint32_t(paths[target].size())};
  // The case's facts, and the target node's flags read at the target (`target.x`).
  request.facts = c.facts | model.targetFacts(test.nodes[target].flags);
  return request;
}

} // namespace lattice::testrun
