// compile.cpp - runs one compilation (pipeline/compilation.h) and prints its diagnostics.
// Diagnostics are rendered once, sorted by location, after every phase had its say.
#include "driver/compile.h"

#include "diagnostics/render.h"
#include "diagnostics/sarif.h"
#include "pipeline/compilation.h"

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

#ifndef LATTICE_VERSION
#define LATTICE_VERSION "0.0.0"
#endif
#ifndef LATTICE_DOCS_DIR
#define LATTICE_DOCS_DIR "/usr/share/doc/lattice"
#endif

namespace lattice::driver {
namespace {

/// Where the SARIF log's help links point: $LATTICE_DOCS_URL (for example the docs folder of the
/// repository on its forge), else the docs/ folder of the source tree this binary was built from.
std::string docsUri() {
  if (const char *url = std::getenv("LATTICE_DOCS_URL"); url != nullptr && *url != '\0') {
    std::string uri = url;
    while (!uri.empty() && uri.back() == '/')
      uri.pop_back();
    return uri;
  }
  return fileUri(LATTICE_DOCS_DIR);
}

} // namespace

FrontendResult runFrontend(const FrontendOptions &options) {
  pipeline::Compilation compiled = pipeline::compile({options.files, options.warnings});
  const SourceManager &sources = *compiled.sources;
  const std::vector<Diagnostic> &reported = compiled.diagnostics;
  const size_t errors = compiled.errors, warnings = compiled.warnings;

  if (options.format == DiagFormat::Json) {
    if (!options.deferJson)
      renderJson(llvm::outs(), sources, reported);
  } else if (options.format == DiagFormat::Sarif) {
    std::error_code ec;
    std::filesystem::path cwd = std::filesystem::current_path(ec);
    renderSarif(llvm::outs(), sources, reported,
                SarifOptions{LATTICE_VERSION, docsUri(), cwd.generic_string(), !compiled.ioError});
  } else {
    // llvm::errs() is unbuffered: thousands of findings were hundreds of thousands of writes.
    llvm::errs().SetBuffered();
    renderText(llvm::errs(), sources, reported, RenderOptions{options.color});
  }
  if (options.format == DiagFormat::Text && (errors > 0 || warnings > 0)) {
    llvm::errs() << errors << (errors == 1 ? " error" : " errors") << " and " << warnings
                 << (warnings == 1 ? " warning" : " warnings") << " generated.\n";
  }
  llvm::errs().flush();
  FrontendResult result;
  // pipeline::compile keeps a model only without errors: no model to drop here.
  if (compiled.ioError)
    result.exitCode = ExitUsage;
  else if (errors > 0 || !compiled.model)
    result.exitCode = ExitErrors;
  result.sources = std::move(compiled.sources);
  result.model = std::move(compiled.model);
  result.diagnostics = std::move(compiled.diagnostics);
  return result;
}

std::optional<std::string> takeWarningOptions(std::vector<std::string> &argv,
                                              const std::vector<OptionSpec> &specs,
                                              FrontendOptions &options) {
  std::vector<std::string> rest;
  std::optional<std::string> error; // the first bad group; the other options are still taken
  bool onlyPositionals = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string &arg = argv[i];
    if (onlyPositionals || arg == "--") {
      onlyPositionals = true;
      rest.push_back(arg);
      continue;
    }
    if (arg.rfind("-W", 0) == 0 || arg == "--werror") {
      if (auto bad = options.warnings.apply(arg); bad && !error)
        error = std::move(bad);
      continue;
    }
    rest.push_back(arg);
    for (const OptionSpec &spec : specs)
      if (spec.name == arg && spec.takesValue && i + 1 < argv.size()) {
        rest.push_back(argv[++i]); // a value, even one that starts with -W
        break;
      }
  }
  argv = std::move(rest);
  return error;
}

std::vector<OptionSpec> diagnosticOptionSpecs() {
  return {
      {"--format", true, "text|json|sarif",
       "diagnostic format (json and sarif go to stdout; sarif is SARIF 2.1.0)"},
      {"--color", true, "auto|always|never", "colour diagnostics (default: auto)"},
      {"-W<group>", false, "", "enable the warnings of a group (every group is on by default)"},
      {"-Wno-<group>", false, "", "disable the warnings of a group: not shown, not counted"},
      {"--werror", false, "", "treat warnings as errors, exit 1 (also -Werror)"},
  };
}

std::vector<OptionSpec> withDiagnosticOptions(std::vector<OptionSpec> own) {
  for (OptionSpec &spec : diagnosticOptionSpecs())
    own.push_back(std::move(spec));
  own.push_back({"--help", false, "", "show this help"});
  return own;
}

std::string describeWarningGroups() {
  std::string out = "\nWarning groups (for -W, -Wno- and `// lattice: allow(GROUP) \"reason\"`):\n";
  for (std::string_view group : warningGroupNames()) {
    std::string codes;
    for (std::string_view code : warningGroupCodes(group))
      codes += (codes.empty() ? "" : ", ") + std::string(code);
    out += fmt::format("  {:<28} {}\n", group, codes);
  }
  return out;
}

std::optional<std::string> parseDiagOptions(const std::optional<std::string> &format,
                                            const std::optional<std::string> &color,
                                            FrontendOptions &options, const char *extraFormat) {
  bool extra = extraFormat != nullptr && format == extraFormat;
  if (format && !extra && *format != "text" && *format != "json" && *format != "sarif")
    return extraFormat != nullptr
               ? "`--format` takes `text`, `json`, `sarif` or `" + std::string(extraFormat) +
                     "`, not `" + *format + "`"
               : "`--format` takes `text`, `json` or `sarif`, not `" + *format + "`";
  options.format = format == "json"    ? DiagFormat::Json
                   : format == "sarif" ? DiagFormat::Sarif
                                       : DiagFormat::Text;
  std::string mode = color.value_or("auto");
  if (mode != "auto" && mode != "always" && mode != "never")
    return "`--color` takes `auto`, `always` or `never`, not `" + mode + "`";
  options.color = mode == "always" ||
                  (mode == "auto" && isatty(STDERR_FILENO) && std::getenv("NO_COLOR") == nullptr);
  return std::nullopt;
}

} // namespace lattice::driver
