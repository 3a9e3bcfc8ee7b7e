// protocol.h - reading the protocol's common parameters (a document's URI, a position) from
// JSON that may be malformed: every getter returns nothing rather than trusting the client; and
// writing positions and ranges.
#pragma once

#include "lsp/positions.h"

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>

namespace lattice::lsp {

/// `params.textDocument.uri`.
std::optional<std::string> documentUri(const llvm::json::Object &params);
/// `{line, character}` with both in range of uint32.
std::optional<Position> readPosition(const llvm::json::Value *value);
/// `{start, end}`.
std::optional<std::pair<Position, Position>> readRange(const llvm::json::Value *value);

/// `{start: {line, character}, end: {line, character}}`.
llvm::json::Object rangeJson(Position start, Position end);

} // namespace lattice::lsp
