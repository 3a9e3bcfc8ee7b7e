// diagnostic.cpp - the diagnostic kind registry and the engine that collects diagnostics.
// The registry is generated from diagnostic_kinds.def so codes and severities live in one place.
#include "diagnostics/diagnostic.h"

#include <algorithm>

namespace lattice {

const std::vector<DiagKindInfo> &allDiagKinds() {
  static const std::vector<DiagKindInfo> kinds = {
#define DIAG(Name, Code, Sev, Summary) {DiagKind::Name, #Name, Code, Severity::Sev, Summary},
#include "diagnostics/diagnostic_kinds.def"
#undef DIAG
  };
  return kinds;
}

const DiagKindInfo &diagInfo(DiagKind kind) { return allDiagKinds()[static_cast<size_t>(kind)]; }

std::string_view severityName(Severity severity) {
  switch (severity) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

Diagnostic &DiagnosticEngine::report(DiagKind kind, SourceRange range, std::string message) {
  Severity severity = diagInfo(kind).severity;
  if (severity == Severity::Error)
    ++errorCount;
  else if (severity == Severity::Warning)
    ++warningCount;
  diagnostics.push_back({kind, severity, range, std::move(message), {}, {}, std::nullopt});
  return diagnostics.back();
}

std::vector<Diagnostic> DiagnosticEngine::sorted() const {
  std::vector<Diagnostic> result(diagnostics.begin(), diagnostics.end());
  std::stable_sort(result.begin(), result.end(),
                   [](const Diagnostic &a, const Diagnostic &b) { return a.range < b.range; });
  return result;
}

} // namespace lattice
