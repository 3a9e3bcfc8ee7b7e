// passes.h - the analysis passes, one function each, over a shared Context.
// Each appends true findings only: where a pass cannot decide exactly, it reports nothing.
#pragma once

#include "analysis/analyzer.h"
#include "analysis/context.h"
#include "analysis/rights.h"

#include <vector>

namespace lattice::analysis {

/// Works on its own copy of the context: rules found unreachable or redundant are taken out
/// before later rules are judged, so two rules that cover each other are not both reported.
void findUnreachableAndRedundantRules(Context ctx, std::vector<Finding> &out);
void findConflicts(const Context &ctx, std::vector<Finding> &out);
/// `rights`: rightsOf() of every role, computed once for both passes.
void findDeadPermissions(const Context &ctx, const std::vector<Rights> &rights,
                         std::vector<Finding> &out);
void findEscalations(const Context &ctx, const std::vector<Rights> &rights,
                     std::vector<Finding> &out);
void findLifecycleProblems(const Context &ctx, std::vector<Finding> &out);
/// Custom role ceilings taken as the worst case, a role holding every cell (custom_roles.cpp):
/// L1410, a creator that may build a custom role holding a permission it lacks; L1510, a ceiling
/// holding rights that only the roles of one `exclusive` set split between them.
void findCustomRoleEscalations(const Context &ctx, const std::vector<Rights> &rights,
                               std::vector<Finding> &out);
void findCustomRolesSpanningExclusives(const Context &ctx, const std::vector<Rights> &rights,
                                       std::vector<Finding> &out);
/// L1001 for ceilings: a policy-wide deny that overrides a cell of a ceiling for some request.
void findCustomRoleConflicts(const Context &ctx, std::vector<Finding> &out);
void findForcedExclusiveRoles(const Context &ctx, std::vector<Finding> &out);
void findImpossibleTestCases(const Context &ctx, std::vector<Finding> &out);

/// Shared by the passes: the tri-state outcome of a search for a request.
enum class Search { Found, Unknown, NotFound };

/// Guards of the rules of `role`'s effective rules with `effect` that cover (p, relation) for a
/// principal of user type `kind` and are not unconditional for the role (a condition, or a
/// `for` that leaves out some user type of the role), leaving out `skip`.
std::vector<const sema::Guard *> conditionalGuards(const Context &ctx, sema::RoleId role,
                                                   sema::Effect effect, sema::PermissionId p,
                                                   unsigned relation, uint32_t skip,
                                                   sema::KindId kind);

} // namespace lattice::analysis
