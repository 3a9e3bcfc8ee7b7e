// list_filter_internal.h - the layout of a built list filter, shared by its builder
// (list_filter.cpp) and its SQL rendering (list_filter_sql.cpp).
#pragma once

#include "lattice/list_filter.h"

#include <cstddef>
#include <cstdint>

/// One allocation: this header, then the arrays it points into (terms, their exclusion paths,
/// ranges, parameters, the copied ids and the key bytes). Nothing points outside it.
struct lattice_list_filter {
  uint32_t termCount, rangeCount, paramCount;
  const lattice_filter_term *terms;
  const lattice_key_range *ranges;
  const uint8_t *const *params; // [paramCount]
  const uint32_t *paramSizes;   // [paramCount]
  size_t bytes;                 // the allocation's size, for the benchmarks' and tests' report
};
