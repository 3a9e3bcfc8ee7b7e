// source_manager.h - owns every source buffer of a compilation and maps byte offsets to lines.
// Locations elsewhere are plain (file, offset) ranges; line and column exist only when rendering.
#pragma once

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>
#include <memory>
#include <string>

namespace lattice {

/// A byte range [begin, end) in one buffer of the SourceManager. File 0 means "no location".
struct SourceRange {
  uint32_t file = 0;
  uint32_t begin = 0;
  uint32_t end = 0;

  bool valid() const { return file != 0; }
  friend bool operator==(const SourceRange &, const SourceRange &) = default;
  /// Orders by file then offset: the order diagnostics are reported in.
  friend bool operator<(const SourceRange &a, const SourceRange &b) {
    if (a.file != b.file)
      return a.file < b.file;
    if (a.begin != b.begin)
      return a.begin < b.begin;
    return a.end < b.end;
  }
};

/// The UTF-8 byte order mark. A file may start with it; it is not part of the text: ANTLR skips
/// it, line 1's columns and snippet start after it, and `fmt` keeps it (docs/fmt.md).
inline constexpr llvm::StringLiteral kUtf8Bom = "\xEF\xBB\xBF";

struct LineColumn {
  unsigned line = 0;
  unsigned column = 0;
};

class SourceManager {
public:
  /// Adds a buffer; returns its file id (never 0).
  uint32_t addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer);
  uint32_t addText(llvm::StringRef name, llvm::StringRef text);

  llvm::StringRef text(uint32_t file) const;
  llvm::StringRef name(uint32_t file) const;
  uint32_t fileCount() const { return mgr.getNumBuffers(); }

  /// 3 if the buffer starts with a UTF-8 byte order mark, else 0.
  uint32_t bomSize(uint32_t file) const { return text(file).startswith(kUtf8Bom) ? 3 : 0; }
  /// Offset of the first byte of the line holding `offset` (after the BOM on line 1).
  uint32_t lineStart(uint32_t file, uint32_t offset) const;

  /// 1-based line and byte column; columns of line 1 do not count a byte order mark.
  LineColumn lineColumn(uint32_t file, uint32_t offset) const;
  /// The text of the line holding `offset`, without its line break (nor a byte order mark).
  llvm::StringRef lineText(uint32_t file, uint32_t offset) const;

private:
  llvm::SourceMgr mgr;
};

} // namespace lattice
