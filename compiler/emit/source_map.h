// source_map.h - the sidecar source map of a decision table (`OUT.ltab.map`, JSON): where each
// role's rules, requirements and exclusive sets come from, for `lattice explain`.
#pragma once

#include "base/source_manager.h"
#include "emit/source_map_format.h"
#include "sema/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace lattice::emit {

/// The source map of `model` compiled to `tableBytes`, as JSON text (a pure function of its
/// input: object keys sorted, lists in declaration order). Locations are `FILE:LINE:COLUMN` with
/// FILE as the compiler was given it. Described in docs/cli.md (`lattice explain`).
std::string writeSourceMap(const sema::Model &model, const SourceManager &sources,
                           const std::vector<uint8_t> &tableBytes);

/// A guard in words over flag names: `a and not b or c`; "always" / "never" for the extremes.
std::string guardText(const sema::Model &model, const sema::Guard &guard);

} // namespace lattice::emit
