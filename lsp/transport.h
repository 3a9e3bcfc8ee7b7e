// transport.h - JSON-RPC's base protocol: `Content-Length: N\r\n\r\n` + N bytes of JSON, both
// ways. The decoder is fed bytes as they come and hands back whole message bodies.
#pragma once

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <optional>
#include <string>

namespace lattice::lsp {

/// A message body larger than this is refused (the stream is then unusable: the server exits).
inline constexpr size_t kMaxMessageBytes = 64u << 20;

class FrameDecoder {
public:
  void feed(llvm::StringRef bytes) { buffer.append(bytes.data(), bytes.size()); }
  /// The next whole body, if one has arrived. After a malformed header (no Content-Length, a bad
  /// number, a body over kMaxMessageBytes, headers over 8 KiB) `failed()` is set and nothing more
  /// is returned: the stream cannot be resynchronised.
  std::optional<std::string> next();
  bool failed() const { return error.has_value(); }
  const std::string &failure() const { return *error; }

private:
  std::string buffer;
  size_t consumed = 0;
  std::optional<std::string> error;
};

/// `Content-Length: N\r\n\r\n` + `body` (a message's JSON text, as the server sends it).
std::string encodeFrame(llvm::StringRef body);

} // namespace lattice::lsp
