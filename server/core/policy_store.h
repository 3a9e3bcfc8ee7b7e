// policy_store.h - the decision server's current policy: loaded, verified, swapped atomically on
// reload; a bad new file keeps the old policy serving and is reported (health, log, metrics).
#pragma once

#include "server/core/served_policy.h"

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace lattice::server {

struct PolicySource {
  std::string path; // a bundle, a table, or a folder (docs/server.md says which)
  /// Bundles must carry a valid signature by this key when set; a table or an unsigned bundle
  /// is then refused.
  std::optional<bundle::PublicKey> publicKey;
};

/// What /health reports about loading.
struct LoadStatus {
  uint64_t generation = 0;    // of the policy serving now; 0 before the first load
  uint64_t reloads = 0;       // successful reloads after the first load
  uint64_t failedReloads = 0; // new files refused (the old policy kept serving)
  std::string lastError;      // why the last attempt failed; "" when it succeeded
  int64_t lastAttemptUnixMs = 0;
};

class PolicyStore {
public:
  explicit PolicyStore(PolicySource source);

  /// Loads the first policy; nullopt on success, else why not (the server must not start).
  std::optional<std::string> loadInitial();

  /// Loads the source again if it changed since the last attempt (size, mtime, content digest);
  /// verifies it fully and publishes it atomically. Returns true when a new policy was published.
  /// Safe to call from one reloader thread while any number of threads call current().
  bool reloadIfChanged();

  /// The policy to decide a request with; never null after loadInitial succeeded. Lock-free for
  /// readers; the caller keeps the returned pointer for the whole request.
  ServedPolicyPtr current() const noexcept { return current_.load(std::memory_order_acquire); }

  LoadStatus status() const;

private:
  PolicySource source_;
  std::atomic<ServedPolicyPtr> current_;
  mutable std::mutex statusMutex_;
  LoadStatus status_;
  // What the last attempt saw of the source, so an unchanged file is not read again.
  std::string lastSeenStamp_;
};

} // namespace lattice::server
