// compilation.h - one compilation as a library call: load (with an overlay of unsaved texts),
// parse, check, analyze, then suppressions and warning options; diagnostics as data, no printing.
#pragma once

#include "ast/ast.h"
#include "base/source_manager.h"
#include "diagnostics/diagnostic.h"
#include "diagnostics/warning_groups.h"
#include "sema/model.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::pipeline {

struct CompileOptions {
  std::vector<std::string> files; // the roots, as `lattice check` takes them (folders expanded)
  WarningOptions warnings;        // -W<group>, -Wno-<group>, --werror
  /// Texts standing for files, by canonical path (parse::canonicalPath): an editor's unsaved
  /// documents. Null: the disk only.
  const std::map<std::string, std::string> *overlay = nullptr;
};

struct Compilation {
  std::unique_ptr<SourceManager> sources;
  std::vector<ast::File> files;        // every file that parsed: imports before importers
  std::optional<sema::Model> model;    // set when the compilation has no error
  std::vector<Diagnostic> diagnostics; // sorted; suppressions and warning options applied
  bool ioError = false;                // a root could not be read
  size_t errors = 0, warnings = 0;     // shown ones: not suppressed, not disabled
};

/// Runs every phase of `check` and returns what it found. In-source suppressions and then the
/// warning options are applied after every phase; a model is kept only without errors (after
/// --werror).
Compilation compile(const CompileOptions &options);

} // namespace lattice::pipeline
