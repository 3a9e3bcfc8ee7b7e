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

} // namespace lattice::detail
