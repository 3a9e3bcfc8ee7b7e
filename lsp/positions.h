// positions.h - LSP positions (line, character) <-> byte offsets of a text, in the encoding the
// client and server agreed on: UTF-16 code units (the default) or UTF-8 bytes.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <vector>

namespace lattice::lsp {

enum class Encoding { Utf16, Utf8 };

struct Position {
  uint32_t line = 0;
  uint32_t character = 0;
  friend bool operator==(const Position &, const Position &) = default;
};

/// The line starts of one text, for conversions both ways. Lines end at "\n", "\r\n" or "\r".
class LineTable {
public:
  explicit LineTable(llvm::StringRef text);

  /// The position of byte `offset` (clamped to the text). An offset inside a UTF-8 sequence
  /// counts from the sequence's start.
  Position position(uint32_t offset, Encoding encoding) const;
  /// The byte offset of `position`. A line past the end is the end of the text; a character
  /// past the end of its line is the line's end (as the protocol says); a position inside a
  /// character (half a surrogate pair) is that character's start.
  uint32_t offset(Position position, Encoding encoding) const;
  uint32_t lineCount() const { return static_cast<uint32_t>(starts.size()); }

private:
  llvm::StringRef text;
  std::vector<uint32_t> starts;
  uint32_t lineEnd(uint32_t line) const; // before the line break
};

} // namespace lattice::lsp
