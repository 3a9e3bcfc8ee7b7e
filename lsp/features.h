// features.h - answers of the language server read from a snapshot: hover texts, completion
// items, document symbols and rename checks. No protocol state; positions are byte offsets.
#pragma once

#include "lsp/snapshot.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::lsp {

/// Markdown for the name at `offset` of `file`, or nullopt when there is none.
std::optional<std::string> hoverText(const Snapshot &snapshot, uint32_t file, uint32_t offset);

struct CompletionItem {
  std::string label;
  int kind = 0; // LSP CompletionItemKind
  std::string detail;
};

/// Names valid where the text before the cursor (`before`: the document up to the cursor)
/// leaves off, else the keywords. `snapshot` may be null (no index yet: keywords only).
std::vector<CompletionItem> completions(const Snapshot *snapshot, llvm::StringRef before);

/// The LSP DocumentSymbol tree of `file` (resources hold their actions and groups).
llvm::json::Array documentSymbols(const Snapshot &snapshot, uint32_t file, Encoding encoding);

/// Why `newName` cannot replace symbol `id`'s name ("" when it can): not a name, a keyword, or
/// the name of another declaration in the same namespace.
std::string renameProblem(const Snapshot &snapshot, index::SymbolId id, const std::string &newName);

/// The keywords of the language (soft keywords: also valid names, but never proposed as one).
const std::vector<std::string> &keywords();

} // namespace lattice::lsp
