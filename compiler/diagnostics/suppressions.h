// suppressions.h - in-source suppressions: `// lattice: allow(<group>, ...) "reason"` silences
// warnings of those groups on its own line, or, written on lines of their own, on the line below.
#pragma once

#include "diagnostics/diagnostic.h"

#include <vector>

namespace lattice {

/// Marks the warnings that a suppression comment covers (Diagnostic::suppression) and adds
/// diagnostics about the suppressions themselves: L0218 (malformed or without a reason), L0219
/// (unknown group) and, when `reportUnused`, L0220 (silences nothing). `comments` are the ranges
/// of the compilation's comments (ast::File::comments); only `//` comments can suppress.
///
/// A suppression covers the line it is on; a comment that is alone on its line also covers the
/// first line after the run of `//`-only lines it is part of. It applies to warnings whose primary
/// location starts on a covered line and whose code is in one of its groups. Errors are never
/// suppressed. Works on any diagnostic, so it runs once, after every phase (analysis included).
/// Returns the diagnostics sorted by location, as DiagnosticEngine::sorted() does.
std::vector<Diagnostic> applySuppressions(std::vector<Diagnostic> diagnostics,
                                          const std::vector<SourceRange> &comments,
                                          const SourceManager &sources, bool reportUnused);

} // namespace lattice
