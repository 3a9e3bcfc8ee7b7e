// scaled_tables.h - generated tables of a chosen size for the load benchmarks: big enough to time
// validation per megabyte, built straight into lower::Tables in well under a second.
#pragma once

#include "lower/tables.h"

#include <cstdint>

namespace lattice::bench {

/// `roles` roles and `permissions` permissions over two kinds and eight flags: a random quarter
/// of the allow bits set, one deny and one conditional rule per `sparseEvery` permissions, an
/// exclusive set, a require statement and some delegation, so every validation step has work.
lower::Tables scaledTables(uint32_t roles, uint32_t permissions, uint32_t sparseEvery);

} // namespace lattice::bench
