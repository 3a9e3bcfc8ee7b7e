// tokens.h - the token stream of one source buffer, comments included, for the formatter.
// Lexes only: callers parse first (parse/parser.h) and ask for tokens of text that parsed.
#pragma once

#include "diagnostics/diagnostic.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::parse {

struct Token {
  enum class Kind { Code, Comment };
  Kind kind = Kind::Code;
  std::string text;
  SourceRange range; // bytes [begin, end)
};

/// The tokens of buffer `fileId` in source order, without the end-of-file token. Returns nullopt
/// (and reports to `diags`) when the text is not readable (size, encoding).
std::optional<std::vector<Token>> lexTokens(uint32_t fileId, const SourceManager &sources,
                                            DiagnosticEngine &diags);

} // namespace lattice::parse
