// snapshot.h - one compilation of one folder as the server last checked it: the compilation
// (sources, ASTs, model, diagnostics), its symbol index, and line tables for LSP positions.
#pragma once

#include "index/symbol_index.h"
#include "lsp/positions.h"
#include "pipeline/compilation.h"

#include "llvm/Support/JSON.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace lattice::lsp {

/// A compilation is a folder's .lat files, as `lattice check FOLDER` reads it, with the open
/// documents' texts standing for their files.
struct Snapshot {
  std::string folder;
  pipeline::Compilation compilation;
  index::SymbolIndex index;
  std::map<std::string, uint32_t> fileOfPath; // canonical path -> file id
  std::vector<LineTable> lines;               // per file id (index 0 unused)
  std::vector<std::string> uris;              // per file id: of its canonical path
  std::map<std::string, int64_t> versions;    // URI -> the version of the text compiled

  /// The file id of a canonical path, 0 when the compilation has no such file.
  uint32_t fileOf(const std::string &path) const;
  const LineTable &linesOf(uint32_t file) const { return lines[file]; }
  const std::string &uriOf(uint32_t file) const { return uris[file]; }
  llvm::json::Value range(const SourceRange &range, Encoding encoding) const;
  llvm::json::Value location(const SourceRange &range, Encoding encoding) const;
  /// Whether every file of the folder parsed (its index is then complete).
  bool parsedAll = false;
  /// Whether the file of a canonical path is in the compilation and parsed.
  bool parsed(const std::string &path) const;
};

/// Compiles `folder` with `overlay` (canonical path -> text: the open documents).
std::shared_ptr<Snapshot> buildSnapshot(const std::string &folder,
                                        const std::map<std::string, std::string> &overlay,
                                        std::map<std::string, int64_t> versions,
                                        const WarningOptions &warnings);

/// The LSP `Diagnostic`s of one document: a JSON array as text, and how many it holds.
struct DiagnosticsText {
  std::string array;
  size_t count = 0;
};

/// The snapshot's diagnostics as LSP `Diagnostic`s, by URI (suppressed ones left out). A fix
/// the server can offer as a code action is in the diagnostic's `data`: {"replacement": NAME}
/// for a "did you mean", {"group": GROUP} for a warning a suppression comment can silence.
std::map<std::string, DiagnosticsText> lspDiagnostics(const Snapshot &snapshot, Encoding encoding);

} // namespace lattice::lsp
