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

LineColumn SourceManager::lineColumn(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  offset = std::min<uint32_t>(offset, buffer.size());
  auto [line, column] =
      mgr.getLineAndColumn(llvm::SMLoc::getFromPointer(buffer.data() + offset), file);
  return {line, column};
}

llvm::StringRef SourceManager::lineText(uint32_t file, uint32_t offset) const {
  llvm::StringRef buffer = text(file);
  offset = std::min<uint32_t>(offset, buffer.size());
  // StringRef::rfind(c, from) looks strictly before `from`.
  size_t newline = buffer.rfind('\n', offset);
  size_t start = newline == llvm::StringRef::npos ? 0 : newline + 1;
  size_t stop = buffer.find_first_of("\r\n", start);
  if (stop == llvm::StringRef::npos)
    stop = buffer.size();
  return buffer.slice(start, stop);
}

} // namespace lattice
