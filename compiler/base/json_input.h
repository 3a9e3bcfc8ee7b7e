// json_input.h - JSON the command line reads (request lines, source maps), parsed within limits:
// llvm::json recurses per nesting level, so depth and size are checked before it sees the text.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstddef>
#include <optional>
#include <string>

namespace lattice {

/// Deeper than any document Lattice reads or writes (a source map nests 5 levels, a request 2),
/// far below what llvm::json's recursion could survive.
inline constexpr unsigned kMaxJsonDepth = 64;

struct JsonLimits {
  size_t maxBytes = 0; // the whole text
  unsigned maxDepth = kMaxJsonDepth;
};

/// Where and why a text is not acceptable JSON. Line and column are 1-based, the column counts
/// bytes from the start of the line; `offset` is the 0-based byte offset.
struct JsonError {
  unsigned line = 1;
  unsigned column = 1;
  size_t offset = 0;
  std::string message; // lowercase, e.g. "expected , or ] after array element"

  /// "line 3, column 7: expected , or ] after array element"
  std::string describe() const;
};

/// Parses one JSON document. On failure returns nothing and says where and why in `error`:
/// text over `maxBytes`, nesting deeper than `maxDepth` (checked first, without recursion), or
/// a syntax error from llvm::json.
std::optional<llvm::json::Value> parseJson(llvm::StringRef text, const JsonLimits &limits,
                                           JsonError &error);

} // namespace lattice
