// compilation.cpp - parse -> sema -> analysis for the files of one compilation, diagnostics kept
// as data. Shared by `check`/`build`/`test` (which render them) and the language server.
#include "pipeline/compilation.h"

#include "analysis/analyzer.h"
#include "diagnostics/suppressions.h"
#include "parse/module_index.h"
#include "parse/module_loader.h"
#include "sema/check.h"

#include <algorithm>
#include <filesystem>

namespace lattice::pipeline {

Compilation compile(const CompileOptions &options) {
  Compilation result;
  result.sources = std::make_unique<SourceManager>();
  SourceManager &sources = *result.sources;
  DiagnosticEngine diags;
  parse::LoadOptions load{parse::defaultStdlibDirs(), options.overlay};
  parse::LoadResult loaded = parse::loadProgram(options.files, load, sources, diags);
  // For an unknown name, the modules a missing import could bring in: beside the files named
  // on the command line and on the search path, listed only when first needed.
  sema::ImportableModules importable = [&] {
    std::vector<std::string> dirs, loadedPaths;
    for (const std::string &file : options.files)
      dirs.push_back(std::filesystem::path(file).parent_path().string());
    if (std::find(dirs.begin(), dirs.end(), "") != dirs.end())
      std::replace(dirs.begin(), dirs.end(), std::string(), std::string("."));
    dirs.insert(dirs.end(), load.stdlibDirs.begin(), load.stdlibDirs.end());
    for (const ast::File &file : loaded.files)
      loadedPaths.push_back(sources.name(file.fileId).str());
    std::vector<sema::ImportableModule> modules;
    for (auto &[name, file] : parse::importableModules(dirs, loadedPaths))
      modules.push_back({name, std::move(file)});
    return modules;
  };
  if (loaded.ok)
    result.model = sema::check(loaded.files, sources, diags, importable);
  // Phases that run on the checked model (the analyzer) report here, before the passes below.
  if (result.model)
    analysis::report(analysis::analyze(*result.model), diags);

  // Suppressions see every diagnostic of every phase. Unused ones are reported only when every
  // phase ran: after an error, the findings a suppression is meant for may never have been made.
  std::vector<SourceRange> comments;
  for (const ast::File &file : loaded.files)
    for (const ast::Comment &comment : file.comments)
      comments.push_back(comment.range);
  bool complete = result.model.has_value() && !diags.hasErrors();
  result.diagnostics = applyWarningOptions(
      applySuppressions(diags.sorted(), comments, sources, complete), options.warnings);
  for (const Diagnostic &diag : result.diagnostics) {
    if (diag.suppression)
      continue;
    result.errors += diag.severity == Severity::Error;
    result.warnings += diag.severity == Severity::Warning;
  }
  result.ioError = loaded.ioError;
  if (result.ioError || result.errors > 0)
    result.model.reset();
  result.files = std::move(loaded.files);
  return result;
}

} // namespace lattice::pipeline
