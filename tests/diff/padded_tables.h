// padded_tables.h - the same tables with unused roles appended past 64, so that the runtime
// decides their requests on its general path (tables of at most 64 roles take a one-word path).
#pragma once

#include "lower/tables.h"

namespace lattice::difftest {

/// The role count from which a table has two bitset words (the runtime's general decide path).
inline constexpr uint32_t kPaddedRoleCount = 65;

/// `tables` with roles appended until it has at least kPaddedRoleCount: held by no request, any
/// kind may hold them, no rule or set names them. Every request on the original roles must be
/// decided exactly as on `tables`.
lower::Tables padPastOneWord(const lower::Tables &tables);

} // namespace lattice::difftest
