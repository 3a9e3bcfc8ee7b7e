// positions.cpp - walks one line's UTF-8 to count or find UTF-16 code units; lines are found by
// binary search over their starts. Invalid UTF-8 bytes count as one unit each (never a crash).
#include "lsp/positions.h"

#include <algorithm>
#include <cstdint>

namespace lattice::lsp {
namespace {

/// The length of the UTF-8 sequence starting with `lead` (1 for a stray byte).
unsigned sequenceLength(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if ((lead & 0xE0) == 0xC0)
    return 2;
  if ((lead & 0xF0) == 0xE0)
    return 3;
  if ((lead & 0xF8) == 0xF0)
    return 4;
  return 1;
}

/// UTF-16 units of the character whose sequence is `length` bytes long.
unsigned utf16Units(unsigned length) { return length == 4 ? 2 : 1; }

} // namespace

LineTable::LineTable(llvm::StringRef text) : text(text) {
  starts.push_back(0);
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
      continue; // the \n ends the line
    if (text[i] == '\n' || text[i] == '\r')
      starts.push_back(i + 1);
  }
}

uint32_t LineTable::lineEnd(uint32_t line) const {
  uint32_t end = line + 1 < starts.size() ? starts[line + 1] : static_cast<uint32_t>(text.size());
  if (end > starts[line] && line + 1 < starts.size()) {
    --end; // the \n or \r
    if (end > starts[line] && text[end] == '\n' && text[end - 1] == '\r')
      --end;
  }
  return end;
}

Position LineTable::position(uint32_t offset, Encoding encoding) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text.size()));
  auto it = std::upper_bound(starts.begin(), starts.end(), offset);
  uint32_t line = static_cast<uint32_t>(it - starts.begin()) - 1;
  uint32_t start = starts[line];
  offset = std::min(offset, std::max(lineEnd(line), start));
  if (encoding == Encoding::Utf8)
    return {line, offset - start};
  uint32_t units = 0;
  for (uint32_t i = start; i < offset;) {
    unsigned length = sequenceLength(static_cast<unsigned char>(text[i]));
    if (i + length > offset)
      break; // `offset` is inside this character
    units += utf16Units(length);
    i += length;
  }
  return {line, units};
}

uint32_t LineTable::offset(Position position, Encoding encoding) const {
  if (position.line >= starts.size())
    return static_cast<uint32_t>(text.size());
  uint32_t start = starts[position.line], end = lineEnd(position.line);
  if (encoding == Encoding::Utf8) {
    // 64-bit sum: a client's `character` may be anything up to 2^32 - 1.
    uint32_t offset =
        static_cast<uint32_t>(std::min<uint64_t>(uint64_t(start) + position.character, end));
    // Back to the start of a character, should the client point inside one (the end of the
    // text is no byte to look at).
    while (offset > start && offset < text.size() &&
           (static_cast<unsigned char>(text[offset]) & 0xC0) == 0x80)
      --offset;
    return offset;
  }
  uint32_t units = 0, i = start;
  while (i < end) {
    unsigned length = sequenceLength(static_cast<unsigned char>(text[i]));
    if (units + utf16Units(length) > position.character)
      break;
    units += utf16Units(length);
    i = std::min(i + length, end);
  }
  return i;
}

} // namespace lattice::lsp
