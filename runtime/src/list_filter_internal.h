// list_filter_internal.h - the layout of a built list filter, shared by its builder
// (list_filter.cpp) and its SQL rendering (list_filter_sql.cpp).
#pragma once

#include "lattice/list_filter.h"

#include <cstddef>
#include <cstdint>

/// Two allocations: this header followed by the arrays it points into (terms, their exclusion
/// paths, ranges, parameters, the copied ids), and the ranges' key bytes (`keys`, exact size).
struct lattice_list_filter {
  uint32_t termCount, rangeCount, paramCount;
  const lattice_filter_term *terms;
  const lattice_key_range *ranges;
  const uint8_t *const *params; // [paramCount]
  const uint32_t *paramSizes;   // [paramCount]
  uint8_t *keys;                // the second allocation, or null
  size_t bytes;                 // both allocations' size
};
