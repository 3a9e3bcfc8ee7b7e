// diagnostic.h - diagnostics as data: kind, severity, primary range, message, notes, help.
// Phases only create them; rendering (text/JSON) and exit codes are the driver's business.
#pragma once

#include "base/source_manager.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice {

enum class Severity : uint8_t { Note, Warning, Error };

enum class DiagKind : uint16_t {
#define DIAG(Name, Code, Sev, Summary) Name,
#include "diagnostics/diagnostic_kinds.def"
#undef DIAG
};

struct DiagKindInfo {
  DiagKind kind;
  std::string_view name;
  std::string_view code;
  Severity severity;
  std::string_view summary;
};

const DiagKindInfo &diagInfo(DiagKind kind);
const std::vector<DiagKindInfo> &allDiagKinds();
std::string_view severityName(Severity severity);

struct DiagNote {
  SourceRange range;
  std::string message;
};

/// Why a diagnostic is not shown: an in-source `// lattice: allow(<group>) "reason"` (see
/// diagnostics/suppressions.h). Suppressed diagnostics are kept for JSON and SARIF.
struct DiagSuppression {
  SourceRange range; // the suppression comment
  std::string justification;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<DiagNote> notes;
  std::string help; // a fix hint, empty when none is obvious
  std::optional<DiagSuppression> suppression; // set only by the suppression pass
};

/// Collects diagnostics of one compilation. Not thread-safe; one per compilation.
class DiagnosticEngine {
public:
  static constexpr size_t kErrorLimit = 100;

  /// Reports `kind` at `range` with its default severity; returns it so callers can add notes.
  Diagnostic &report(DiagKind kind, SourceRange range, std::string message);

  bool hasErrors() const { return errorCount > 0; }
  size_t errors() const { return errorCount; }
  size_t warnings() const { return warningCount; }
  /// True once kErrorLimit errors were reported: phases should stop early.
  bool errorLimitReached() const { return errorCount >= kErrorLimit; }

  /// All diagnostics, sorted by location (stable for equal locations).
  std::vector<Diagnostic> sorted() const;

private:
  std::deque<Diagnostic> diagnostics; // deque: references returned by report() stay valid
  size_t errorCount = 0;
  size_t warningCount = 0;
};

} // namespace lattice
