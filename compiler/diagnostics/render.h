// render.h - turns collected diagnostics into clang-style text or JSON for tools.
// Line and column are computed here, from byte offsets, and nowhere earlier.
#pragma once

#include "diagnostics/diagnostic.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <vector>

namespace lattice {

struct RenderOptions {
  bool color = false;
};

/// `file:line:col: error[L0101]: message`, the source line, a caret under the range, then notes.
/// Suppressed diagnostics are left out.
void renderText(llvm::raw_ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diagnostics, RenderOptions options);

/// One JSON document: {"diagnostics": [...], "errors": N, "warnings": N}. Suppressed
/// diagnostics are listed with a "suppression" object and not counted.
void renderJson(llvm::raw_ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diagnostics);
/// The same document as an object, for commands that add their own keys to it (`test`).
llvm::json::Object diagnosticsJson(const SourceManager &sources,
                                   const std::vector<Diagnostic> &diagnostics);

} // namespace lattice
