// formatter.h - `lattice fmt`: prints a parsed policy file in the one canonical layout.
// Comments are kept next to what they annotate; the layout rules are in docs/fmt.md.
#pragma once

#include "diagnostics/diagnostic.h"

#include <optional>
#include <string>

namespace lattice::format {

/// Formats buffer `fileId` of `sources`. Returns nullopt when the text does not parse (the
/// syntax errors are in `diags`) or when formatting could not keep every comment.
std::optional<std::string> formatSource(uint32_t fileId, const SourceManager &sources,
                                        DiagnosticEngine &diags);

} // namespace lattice::format
