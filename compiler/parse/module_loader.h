// module_loader.h - reads the files of a compilation and, transitively, the modules they import.
// Import paths resolve from the importing file's folder first, then from the stdlib folders.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"

#include <map>
#include <string>
#include <vector>

namespace lattice::parse {

struct LoadOptions {
  std::vector<std::string> stdlibDirs;
  /// Texts that stand for files, by canonical path (an editor's unsaved documents, for the
  /// language server): read instead of the disk, for the files named and for imports alike.
  const std::map<std::string, std::string> *overlay = nullptr;
};

/// The key of a path in LoadOptions::overlay: its weakly canonical form.
std::string canonicalPath(const std::string &path);

struct LoadResult {
  std::vector<ast::File> files; // imported modules before their importers; roots in given order
  bool ioError = false;         // a file named on the command line could not be read
  bool ok = false;              // every file parsed and every import resolved
};

/// The default stdlib search path: $LATTICE_STDLIB (colon-separated), then the built-in folder.
std::vector<std::string> defaultStdlibDirs();

LoadResult loadProgram(const std::vector<std::string> &roots, const LoadOptions &options,
                       SourceManager &sources, DiagnosticEngine &diags);

} // namespace lattice::parse
