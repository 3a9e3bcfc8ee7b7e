// compile.cpp - runs parse -> sema for the files of one compilation and prints diagnostics.
// Diagnostics are rendered once, sorted by location, after every phase had its say.
#include "driver/compile.h"

#include "diagnostics/render.h"
#include "parse/module_loader.h"
#include "sema/check.h"

#include <unistd.h>

namespace lattice::driver {

FrontendResult runFrontend(const FrontendOptions &options) {
  FrontendResult result;
  result.sources = std::make_unique<SourceManager>();
  SourceManager &sources = *result.sources;
  DiagnosticEngine diags;
  parse::LoadOptions load{parse::defaultStdlibDirs()};
  parse::LoadResult loaded = parse::loadProgram(options.files, load, sources, diags);
  if (loaded.ok)
    result.model = sema::check(loaded.files, sources, diags);

  std::vector<Diagnostic> sorted = diags.sorted();
  if (options.format == DiagFormat::Json)
    renderJson(llvm::outs(), sources, sorted);
  else
    renderText(llvm::errs(), sources, sorted, RenderOptions{options.color});
  if (options.format == DiagFormat::Text && (diags.errors() > 0 || diags.warnings() > 0)) {
    llvm::errs() << diags.errors() << (diags.errors() == 1 ? " error" : " errors") << " and "
                 << diags.warnings() << (diags.warnings() == 1 ? " warning" : " warnings")
                 << " generated.\n";
  }
  if (loaded.ioError)
    result.exitCode = ExitUsage;
  else if (diags.hasErrors() || !result.model)
    result.exitCode = ExitErrors;
  if (result.exitCode != ExitOk)
    result.model.reset();
  return result;
}

std::optional<std::string> parseDiagOptions(const std::optional<std::string> &format,
                                            const std::optional<std::string> &color,
                                            FrontendOptions &options) {
  if (format && *format != "text" && *format != "json")
    return "`--format` takes `text` or `json`, not `" + *format + "`";
  options.format = format == "json" ? DiagFormat::Json : DiagFormat::Text;
  std::string mode = color.value_or("auto");
  if (mode != "auto" && mode != "always" && mode != "never")
    return "`--color` takes `auto`, `always` or `never`, not `" + mode + "`";
  options.color = mode == "always" ||
                  (mode == "auto" && isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr);
  return std::nullopt;
}

} // namespace lattice::driver
