// source_manager.cpp - buffer ownership and offset -> line/column mapping on top of
// llvm::SourceMgr. llvm::SourceMgr caches line offsets, so repeated lookups while rendering stay
// cheap.
#include "base/source_manager.h"

#include <algorithm>

namespace lattice {

uint32_t SourceManager::addBuffer(std::unique_ptr<llvm::MemoryBuffer> buffer) {
  return mgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
}

uint32_t SourceManager::addText(llvm::StringRef name, llvm::StringRef text) {
  return addBuffer(llvm::MemoryBuffer::getMemBufferCopy(text, name));
}

llvm::StringRef SourceManager::text(uint32_t file) const {
  return mgr.getMemoryBuffer(file)->getBuffer();
}

llvm::StringRef SourceManager::name(uint32_t file) const {
  return mgr.getMemoryBuffer(file)->getBufferIdentifier();
}

uint32_t SourceManager::lineStart(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  offset = std::min<uint32_t>(offset, buffer.size());
  // StringRef::rfind(c, from) looks strictly before `from`.
  size_t newline = buffer.rfind('\n', offset);
  if (newline != llvm::StringRef::npos)
    return static_cast<uint32_t>(newline + 1);
  return std::min(bomSize(file), offset);
}

LineColumn SourceManager::lineColumn(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  offset = std::min<uint32_t>(offset, buffer.size());
  auto [line, column] =
      mgr.getLineAndColumn(llvm::SMLoc::getFromPointer(buffer.data() + offset), file);
  if (line == 1) // an offset inside the byte order mark is column 1
    column = std::max<unsigned>(1, column - std::min(bomSize(file), offset));
  return {line, column};
}

llvm::StringRef SourceManager::lineText(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  size_t start = lineStart(file, offset);
  size_t stop = buffer.find_first_of("\r\n", start);
  if (stop == llvm::StringRef::npos)
    stop = buffer.size();
  return buffer.slice(start, stop);
}

} // namespace lattice
