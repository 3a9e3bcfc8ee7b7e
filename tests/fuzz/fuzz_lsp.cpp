// fuzz_lsp.cpp - libFuzzer target: any bytes as the language server's input stream, framed by
// the transport's decoder and handled by a real Server (its worker included). Every message it
// sends must be a JSON-RPC 2.0 object that serializes, and it must never crash or hang.
#include "lsp/server.h"
#include "lsp/transport.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

using namespace lattice;

void checkMessage(const std::string &text) {
  llvm::Expected<llvm::json::Value> message = llvm::json::parse(text);
  if (!message) {
    std::fprintf(stderr, "lsp: a message that is not JSON: %s\n",
                 llvm::toString(message.takeError()).c_str());
    std::abort();
  }
  const llvm::json::Object *object = message->getAsObject();
  if (object == nullptr || object->getString("jsonrpc") != llvm::StringRef("2.0")) {
    std::fprintf(stderr, "lsp: a message that is not a JSON-RPC 2.0 object\n");
    std::abort();
  }
  std::string frame = lsp::encodeFrame(text); // as `lattice lsp` writes it
  lsp::FrameDecoder decoder;
  decoder.feed(frame);
  if (!decoder.next()) {
    std::fprintf(stderr, "lsp: a frame the decoder cannot read back\n");
    std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lsp::ServerOptions options;
  options.debounce = std::chrono::milliseconds(0);
  lsp::Server server(checkMessage, options);
  lsp::FrameDecoder decoder;
  decoder.feed(llvm::StringRef(reinterpret_cast<const char *>(data), size));
  while (std::optional<std::string> body = decoder.next()) {
    if (!server.handleText(*body))
      break;
    // After a document changes, its check runs before the next message, so that the requests
    // that follow reach the features (hover, rename, ...) on a snapshot, deterministically.
    if (llvm::StringRef(*body).contains("textDocument/did"))
      server.waitIdle(std::chrono::seconds(30));
  }
  // The checks the input started finish before the next input (a hang is a finding).
  if (!server.waitIdle(std::chrono::seconds(30))) {
    std::fprintf(stderr, "lsp: a check did not finish within 30 s\n");
    std::abort();
  }
  return 0;
}
