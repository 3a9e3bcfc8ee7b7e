// server.h - the language server's state machine: JSON-RPC messages in, responses and
// notifications out. Checks run on a worker thread, debounced; requests are answered at once
// from the last good snapshot of the document's folder, never waiting for a check.
#pragma once

#include "diagnostics/warning_groups.h"
#include "lsp/documents.h"
#include "lsp/snapshot.h"

#include "llvm/Support/JSON.h"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace lattice::lsp {

struct ServerOptions {
  /// How long after the last change a check starts (a burst of keystrokes is one check).
  std::chrono::milliseconds debounce{150};
  WarningOptions warnings;
};

class Server {
public:
  /// Receives the JSON text of every response and notification; called from the caller's
  /// thread and from the worker's, one call at a time.
  using Output = std::function<void(const std::string &)>;

  Server(Output output, ServerOptions options = {});
  ~Server();
  Server(const Server &) = delete;
  Server &operator=(const Server &) = delete;

  /// Handles one message body (JSON text; a parse error is answered as the protocol says).
  /// Returns false once `exit` was received: the caller stops reading.
  bool handleText(llvm::StringRef body);
  bool handle(const llvm::json::Value &message);
  /// Marks a request as cancelled (`$/cancelRequest`), from any thread: if it is still waiting
  /// it is answered with RequestCancelled instead of being run.
  void cancel(const llvm::json::Value &id);
  /// 0 after `shutdown` then `exit`, 1 after `exit` alone (the protocol's rule).
  int exitCode() const { return shutdownReceived ? 0 : 1; }
  /// Waits until no check is pending or running (tests, benchmarks). False on timeout.
  bool waitIdle(std::chrono::milliseconds timeout);

private:
  using Json = llvm::json::Value;
  void send(const Json &message);
  void sendText(const std::string &message);
  void reply(const Json &id, Json result);
  void replyError(const Json &id, int code, const std::string &message);

  // Document sync (server.cpp).
  void didOpen(const llvm::json::Object &params);
  void didChange(const llvm::json::Object &params);
  void didClose(const llvm::json::Object &params);
  void schedule(const std::string &folder); // with `mutex` held
  void workerLoop();
  /// The publishDiagnostics notifications of a check (with `mutex` held): every URI with
  /// diagnostics, every open document of the folder, and those that had some before (cleared).
  std::vector<std::string> publications(const std::string &folder, const Snapshot &snapshot,
                                        std::map<std::string, DiagnosticsText> diagnostics);

  // Requests (handlers.cpp). Each returns the result, or sets `error` and returns null.
  struct Error {
    int code = 0;
    std::string message;
  };
  Json initialize(const llvm::json::Object &params);
  Json hover(const llvm::json::Object &params, Error &error);
  Json definition(const llvm::json::Object &params, Error &error);
  Json references(const llvm::json::Object &params, Error &error);
  Json prepareRename(const llvm::json::Object &params, Error &error);
  Json rename(const llvm::json::Object &params, Error &error);
  Json documentSymbol(const llvm::json::Object &params, Error &error);
  Json formatting(const llvm::json::Object &params, Error &error);
  Json codeAction(const llvm::json::Object &params, Error &error);
  Json completion(const llvm::json::Object &params, Error &error);

  /// The document's folder's snapshot and the document's file in it, with the byte offset of
  /// the request's position and the position encoding the answer is written in; null when there
  /// is none yet.
  struct Target {
    std::shared_ptr<const Snapshot> snapshot;
    uint32_t file = 0;
    uint32_t offset = 0;
    Encoding encoding = Encoding::Utf16;
  };
  std::optional<Target> target(const llvm::json::Object &params, Error &error);
  /// The same for a document without a position (offset 0).
  std::optional<Target> documentTarget(const std::string &uri);
  std::shared_ptr<const Snapshot> snapshotOf(const std::string &path);

  Output output;
  ServerOptions options;
  std::mutex outputMutex;

  std::mutex mutex;             // everything below
  std::condition_variable wake; // the worker: a change, or stop
  std::condition_variable idle; // waitIdle: a check finished
  DocumentStore documents;
  Encoding encoding = Encoding::Utf16;
  struct Pending {
    std::chrono::steady_clock::time_point due;
  };
  std::map<std::string, Pending> pending;                      // folder -> when to check it
  std::map<std::string, uint64_t> generation;                  // folder -> changes seen
  std::map<std::string, std::shared_ptr<const Snapshot>> good; // every file parsed
  std::map<std::string, std::shared_ptr<const Snapshot>> latest;
  std::map<std::string, std::set<std::string>> published; // folder -> URIs with diagnostics
  std::set<std::string> cancelled;                        // request ids (JSON text)
  bool checking = false;
  bool stopping = false;
  bool initialized = false;
  bool shutdownReceived = false;
  std::thread worker;
};

/// Runs a server over file descriptors (stdin/stdout for `lattice lsp`) until `exit` or the end
/// of input; returns the exit code. With `logPath`, every message in and out is appended there.
int runStdio(int in, int out, ServerOptions options, const std::string &logPath);

} // namespace lattice::lsp
