// principal_requests.h - the requests of a test case about a principal: its memberships at the
// test's named nodes, as node paths for the runtime and as relations for the reference.
#pragma once

#include "lattice/lattice.h"
#include "reference/interpreter.h"
#include "sema/model.h"

#include <vector>

namespace lattice::testrun {

/// The ancestor path of each node of a test's tree (ids are node index + 1).
std::vector<std::vector<uint64_t>> nodePaths(const sema::Test &test);

/// The relation of `target` to `node` in the test's tree (nullopt: another tree).
std::optional<sema::Relation> relationInTree(const sema::Test &test, uint32_t node,
                                             uint32_t target);

/// The reference interpreter's request for case `c` of `test` (a principal case), for one
/// permission and target node; its facts are the case's and the target node's `target.x`; a ceiling
/// held in a membership is its widest custom role.
reference::PrincipalRequest principalRequest(const sema::Model &model, const sema::Test &test,
                                             const sema::TestCase &c, sema::PermissionId permission,
                                             uint32_t target);

/// The runtime's request: memberships and target by path, pointing into `paths` and `c`'s
/// principal (both must outlive the request); `memberships` receives the membership records.
lattice_access_request accessRequest(const sema::Model &model, const sema::Test &test,
                                     const sema::TestCase &c, sema::PermissionId permission,
                                     uint32_t target,
                                     const std::vector<std::vector<uint64_t>> &paths,
                                     std::vector<lattice_membership> &memberships);

} // namespace lattice::testrun
