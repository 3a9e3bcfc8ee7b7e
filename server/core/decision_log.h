// decision_log.h - the decision log: one JSON line per decision (id, bundle revision, request,
// result, reason), with configured request fields masked, written off the request's path.
#pragma once

#include "server/core/served_policy.h"

#include "llvm/Support/JSON.h"

#include <memory>
#include <string>
#include <vector>

namespace lattice::server {

struct DecisionLogConfig {
  std::string path; // "-" for stdout, "" for no log
  std::vector<std::string>
      maskFields; // request fields replaced by "***" (e.g. "flags", "memberships.node")
  size_t queueCapacity = 65536; // entries waiting for the writer; more are dropped and counted
};

/// Replaces each field named by a dotted path in `maskFields` with "***" in `request`; a path
/// goes through arrays element by element ("memberships.node" masks every membership's node).
void maskFields(llvm::json::Value &request, const std::vector<std::string> &maskFields);

/// One decision as logged. `request` is the request as received (masked before writing).
struct DecisionEntry {
  const char *endpoint = ""; // endpointLabel()
  llvm::json::Value request = nullptr;
  bool allowed = false;
  std::string reason;                   // reasonKey() or "error"
  std::string error;                    // for refused requests
  std::string role;                     // the deciding role, when one decided
  const ServedPolicy *policy = nullptr; // its revision and generation are logged (copied by
                                        // record(): the pointer need not outlive the call)
};

class DecisionLog {
public:
  explicit DecisionLog(DecisionLogConfig config);
  ~DecisionLog();
  /// Queues the entry (assigning its decision id, returned so an answer can carry it); never
  /// blocks a request on I/O. When the queue is full, entries are dropped and counted.
  std::string record(DecisionEntry entry);
  uint64_t dropped() const noexcept;
  /// Why the log file could not be opened ("" when it was, or when there is no log): the server
  /// refuses to start then.
  const std::string &openError() const noexcept;
  /// Whether entries are written at all (a path was configured); record() returns "" otherwise.
  bool enabled() const noexcept;
  /// Waits until every entry queued so far is written and flushed (tests, shutdown).
  void flush();

private:
  struct Writer;
  std::unique_ptr<Writer> writer_;
};

} // namespace lattice::server
