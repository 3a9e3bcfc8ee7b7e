// unified_diff.h - the unified diff (`diff -u`) between a file and its formatted text, which
// `lattice fmt --check` prints. The edit script comes from dtl (Debian's libdtl-dev).
#pragma once

#include <string>

namespace lattice::format {

/// `--- NAME` / `+++ NAME` and the hunks with 3 lines of context (`patch -p0` applies it); ""
/// when the texts are equal.
std::string unifiedDiff(const std::string &before, const std::string &after,
                        const std::string &name);

} // namespace lattice::format
