// sarif.h - renders diagnostics as one SARIF 2.1.0 log (one run) for code scanning tools such as
// GitHub's. The schema used to validate it is named in docs/cli.md and tests/sarif/.
#pragma once

#include "diagnostics/diagnostic.h"

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace lattice {

struct SarifOptions {
  std::string toolVersion;      // "0.1.0"
  std::string docsUri;          // where docs/ lives, as an absolute URI without trailing slash
  std::string workingDirectory; // artifact URIs are made relative to it (uriBaseId %SRCROOT%)
  bool executionSuccessful = true; // false when an input could not be read
};

/// `file://` and the absolute path, percent-encoded where a URI needs it.
std::string fileUri(llvm::StringRef absolutePath);

/// Writes the log: tool.driver with a rule per reported code, one result per located diagnostic
/// (suppressed ones with `suppressions`), notes as relatedLocations. Diagnostics without a place
/// (such as an unreadable file) become toolExecutionNotifications of the invocation.
void renderSarif(llvm::raw_ostream &out, const SourceManager &sources,
                 const std::vector<Diagnostic> &diagnostics, const SarifOptions &options);

} // namespace lattice
