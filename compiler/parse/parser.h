// parser.h - reads one source buffer into an ast::File, reporting every syntax error it finds.
// The ANTLR parse tree is built and dropped inside this folder; callers only ever see the AST.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"

#include <optional>

namespace lattice::parse {

/// Limits that keep hostile input bounded in time and memory.
inline constexpr size_t kMaxFileBytes = 2u << 20; // ANTLR needs ~140 bytes per byte worst case
inline constexpr unsigned kMaxNesting = 64;
inline constexpr unsigned kMaxConditionOperators = 512;
inline constexpr unsigned kMaxSyntaxErrors = 50;

/// Parses buffer `fileId` of `sources`. Returns nullopt when the file could not be parsed
/// cleanly; every problem has been reported to `diags` by then.
std::optional<ast::File> parseFile(uint32_t fileId, const SourceManager &sources,
                                   DiagnosticEngine &diags);

} // namespace lattice::parse
