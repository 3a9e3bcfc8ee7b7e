// source_text.h - checks that a buffer is parseable text and maps ANTLR's code-point indexes
// back to byte offsets (ANTLR counts code points; our ranges count bytes).
#pragma once

#include "diagnostics/diagnostic.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace lattice::parse {

class SourceText {
public:
  /// Validates size and UTF-8 of buffer `fileId`; reports and returns nullopt if unusable.
  static std::optional<SourceText> check(uint32_t fileId, const SourceManager &sources,
                                         DiagnosticEngine &diags);

  uint32_t fileId() const { return file; }
  /// Byte offset of code point `index` (index may be one past the end).
  uint32_t byteOffset(size_t index) const;
  SourceRange range(size_t firstCodePoint, size_t lastCodePointInclusive) const;

private:
  uint32_t file = 0;
  uint32_t size = 0;
  std::vector<uint32_t> codePointOffsets; // empty when the text is pure ASCII
};

} // namespace lattice::parse
