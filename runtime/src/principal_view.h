// principal_view.h - what list filters (list_filter.cpp) read of a principal handle: its table and
// its memberships' ancestor paths. The handle's layout stays private to principal.cpp.
#pragma once

#include "lattice/lattice.h"

#include <cstdint>

namespace lattice::detail {

/// The table a handle was built on (null for a null handle).
const lattice_table *principalTable(const lattice_principal *p) noexcept;
/// The number of memberships of a handle.
uint32_t principalMemberCount(const lattice_principal *p) noexcept;
/// Membership `i`'s node: its path (depth 0 for a membership given by label).
lattice_node_path principalMemberPath(const lattice_principal *p, uint32_t i) noexcept;

/// List filters' fast path. Whether `permission`'s decisions with `facts` come from the handle's
/// precomputed bytes alone, as lattice_decide_as's own fast path takes them (no rule of the
/// permission reads a fact, no `require` does, the permission and facts are valid).
bool principalBytesApply(const lattice_principal *p, uint32_t permission, uint64_t facts) noexcept;
/// Whether the gates before the rules (kinds, `exclusive`, the permission's user types,
/// `require`) pass for targets in the tree of path root `root`; false for a tree without members.
bool principalTreeOpen(const lattice_principal *p, uint64_t root, uint32_t permission) noexcept;
/// lattice_principal_new_custom's handle with the bytes of `permission` only (the others 0): for
/// a list filter built from a request, which asks one permission. Decides that permission
/// exactly as a full handle does; `table` and `out` not null, `set` of `table` or null.
lattice_principal_status principalForPermission(const lattice_table *table,
                                                const lattice_custom_roles *set, uint32_t kind,
                                                uint64_t flags, const lattice_membership *ms,
                                                uint32_t count, uint32_t permission,
                                                lattice_principal **out) noexcept;
/// Member i's byte for `permission`: bit r = some role allows at relation r, bit 4 + r = some
/// rule (a role's or a policy-wide one) denies there.
uint8_t principalMemberByte(const lattice_principal *p, uint32_t i, uint32_t permission) noexcept;

} // namespace lattice::detail
