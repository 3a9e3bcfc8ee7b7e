// source_text.cpp - size and UTF-8 validation of a source buffer, and the code-point map.
// Binary files are refused here, before the lexer, with the offset of the first bad byte.
#include "parse/source_text.h"

#include "parse/parser.h"

#include <fmt/format.h>

namespace lattice::parse {
namespace {

/// Length of the UTF-8 sequence starting at `p`, or 0 if it is malformed (overlong forms,
/// surrogates and code points past U+10FFFF included).
size_t utf8SequenceLength(const unsigned char *p, const unsigned char *end) {
  unsigned char c = p[0];
  if (c < 0x80)
    return 1;
  size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (length == 0 || c > 0xF4 || static_cast<size_t>(end - p) < length)
    return 0;
  for (size_t i = 1; i < length; ++i)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  if (c == 0xE0 && p[1] < 0xA0)
    return 0; // overlong
  if (c == 0xED && p[1] >= 0xA0)
    return 0; // surrogate
  if (c == 0xF0 && p[1] < 0x90)
    return 0; // overlong
  if (c == 0xF4 && p[1] >= 0x90)
    return 0; // past U+10FFFF
  return length;
}

} // namespace

std::optional<SourceText> SourceText::check(uint32_t fileId, const SourceManager &sources,
                                            DiagnosticEngine &diags) {
  llvm::StringRef text = sources.text(fileId);
  if (text.size() > kMaxFileBytes) {
    diags.report(DiagKind::FileTooLarge, SourceRange{fileId, 0, 0},
                 fmt::format("file is larger than the limit of {} bytes", kMaxFileBytes));
    return std::nullopt;
  }
  SourceText result;
  result.file = fileId;
  result.size = static_cast<uint32_t>(text.size());
  const auto *begin = reinterpret_cast<const unsigned char *>(text.data());
  const auto *end = begin + text.size();
  bool ascii = true;
  for (const unsigned char *p = begin; p < end;) {
    size_t length = utf8SequenceLength(p, end);
    uint32_t offset = static_cast<uint32_t>(p - begin);
    if (length == 0 || *p == 0) {
      diags.report(DiagKind::NotText, SourceRange{fileId, offset, offset + 1},
                   *p == 0 ? "file contains a NUL byte; it is not a text file"
                           : fmt::format("invalid UTF-8 byte 0x{:02X}; source files must be UTF-8",
                                         static_cast<unsigned>(*p)));
      return std::nullopt;
    }
    ascii &= length == 1;
    p += length;
  }
  if (!ascii) {
    // ANTLR's input stream drops a leading byte order mark: its code point 0 is the one after.
    const unsigned char *first = begin + sources.bomSize(fileId);
    result.codePointOffsets.reserve(text.size() + 1);
    for (const unsigned char *p = first; p < end; p += utf8SequenceLength(p, end))
      result.codePointOffsets.push_back(static_cast<uint32_t>(p - begin));
    result.codePointOffsets.push_back(result.size);
  }
  return result;
}

uint32_t SourceText::byteOffset(size_t index) const {
  if (codePointOffsets.empty())
    return static_cast<uint32_t>(std::min<size_t>(index, size));
  return index < codePointOffsets.size() ? codePointOffsets[index] : size;
}

SourceRange SourceText::range(size_t firstCodePoint, size_t lastCodePointInclusive) const {
  uint32_t begin = byteOffset(firstCodePoint);
  uint32_t end =
      lastCodePointInclusive + 1 < firstCodePoint ? begin : byteOffset(lastCodePointInclusive + 1);
  return SourceRange{file, begin, std::max(begin, end)};
}

} // namespace lattice::parse
