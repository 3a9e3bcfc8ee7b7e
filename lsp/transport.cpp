// transport.cpp - header parsing of the base protocol (case-insensitive names, any other header
// ignored, Content-Type not checked) and framing of outgoing messages.
#include "lsp/transport.h"

namespace lattice::lsp {

std::optional<std::string> FrameDecoder::next() {
  if (error)
    return std::nullopt;
  llvm::StringRef rest = llvm::StringRef(buffer).drop_front(consumed);
  size_t headerEnd = rest.find("\r\n\r\n");
  if (headerEnd == llvm::StringRef::npos) {
    if (rest.size() > 8192)
      error = "message header over 8 KiB";
    return std::nullopt;
  }
  std::optional<size_t> length;
  llvm::StringRef headers = rest.take_front(headerEnd);
  while (!headers.empty()) {
    auto [line, tail] = headers.split("\r\n");
    headers = tail;
    auto [name, value] = line.split(':');
    if (!name.trim().equals_insensitive("content-length"))
      continue;
    unsigned long long n = 0;
    if (value.trim().getAsInteger(10, n) || n > kMaxMessageBytes) {
      error = "bad Content-Length `" + value.trim().str() + "`";
      return std::nullopt;
    }
    length = static_cast<size_t>(n);
  }
  if (!length) {
    error = "message header without Content-Length";
    return std::nullopt;
  }
  size_t bodyStart = headerEnd + 4;
  if (rest.size() < bodyStart + *length)
    return std::nullopt;
  std::string body = rest.substr(bodyStart, *length).str();
  consumed += bodyStart + *length;
  // Drop what was read once it is most of the buffer, so a long session stays small.
  if (consumed > 4096 && consumed * 2 > buffer.size()) {
    buffer.erase(0, consumed);
    consumed = 0;
  }
  return body;
}

std::string encodeFrame(llvm::StringRef body) {
  return "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body.str();
}

} // namespace lattice::lsp
