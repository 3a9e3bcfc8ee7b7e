// policy_store.h - the decision server's current policy: loaded, verified, swapped atomically on
// reload; a bad new file keeps the old policy serving and is reported (health, log, metrics).
#pragma once

#include "server/core/served_policy.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <version> // __cpp_lib_atomic_shared_ptr

namespace lattice::server {

struct PolicySource {
  /// A bundle, a table, or a folder holding exactly one of them (`*.lbundle` or `*.ltab`; the
  /// folder is listed again on every reload, so a deploy may replace the file by any name).
  std::string path;
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

/// What one reload attempt did.
enum class ReloadOutcome {
  Unchanged, // the source is as it was at the last attempt (or holds the policy serving now)
  Published, // a new policy was verified and is serving
  Refused,   // the new file failed a check; the old policy keeps serving (status().lastError)
};

/// The published policy pointer: std::atomic<std::shared_ptr> (libstdc++ 12). The sanitizer
/// build (.ci/sanitize) compiles against libstdc++ 11's headers, which lack it; there the free
/// std::atomic_load/atomic_store on a shared_ptr do the same (with a lock from a pool).
class AtomicPolicyPtr {
public:
  ServedPolicyPtr load() const noexcept {
#if defined(__cpp_lib_atomic_shared_ptr)
    return ptr_.load(std::memory_order_acquire);
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    return std::atomic_load_explicit(&ptr_, std::memory_order_acquire);
#pragma GCC diagnostic pop
#endif
  }
  void store(ServedPolicyPtr policy) noexcept {
#if defined(__cpp_lib_atomic_shared_ptr)
    ptr_.store(std::move(policy), std::memory_order_release);
#else
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    std::atomic_store_explicit(&ptr_, std::move(policy), std::memory_order_release);
#pragma GCC diagnostic pop
#endif
  }

private:
#if defined(__cpp_lib_atomic_shared_ptr)
  std::atomic<ServedPolicyPtr> ptr_;
#else
  ServedPolicyPtr ptr_;
#endif
};

class PolicyStore {
public:
  explicit PolicyStore(PolicySource source);

  /// Loads the first policy; nullopt on success, else why not (the server must not start).
  std::optional<std::string> loadInitial();

  /// Loads the source again if it changed since the last attempt (size, mtime, content digest);
  /// verifies it fully and publishes it atomically. Returns true when a new policy was published.
  /// Safe to call from one reloader thread while any number of threads call current().
  bool reloadIfChanged() { return reload(false) == ReloadOutcome::Published; }
  /// The same, saying what happened; `force` reads the source even when its size and mtime did
  /// not change (SIGHUP). A file with the bytes of the policy serving now is never republished.
  ReloadOutcome reload(bool force);

  /// The policy to decide a request with; never null after loadInitial succeeded. Lock-free for
  /// readers; the caller keeps the returned pointer for the whole request.
  ServedPolicyPtr current() const noexcept { return current_.load(); }

  LoadStatus status() const;

private:
  PolicySource source_;
  AtomicPolicyPtr current_;
  mutable std::mutex statusMutex_;
  LoadStatus status_;
  // What the last attempt saw of the source, so an unchanged file is not read again; and the
  // serving file's bytes, so a file rewritten with the same bytes is not republished (compared
  // whole: cheaper than hashing them). Both are touched by the one reloader thread only.
  std::string lastSeenStamp_;
  std::string servingBytes_;

  void refuse(const std::string &error);
};

} // namespace lattice::server
