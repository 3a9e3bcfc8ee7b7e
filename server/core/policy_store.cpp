// policy_store.cpp - loading the served policy (a bundle, a table, or a folder holding one),
// verifying it in full before it is published, and swapping it atomically on reload.
#include "server/core/policy_store.h"

#include "base/input_file.h"
#include "bundle/bundle_format.h"
#include "query/table_load.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fmt/format.h>
#include <sys/stat.h>
#include <system_error>

namespace lattice::server {
namespace {

constexpr size_t kMaxBundleBytes =
    bundle::kHeaderSize + bundle::kMaxManifest + bundle::kMaxTable + 4 + bundle::kSignatureSize;
constexpr size_t kMaxFileBytes = std::max<size_t>(kMaxBundleBytes, LATTICE_DEFAULT_MAX_TABLE_BYTES);

int64_t nowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool servedFileName(const std::filesystem::path &path) {
  const std::string ext = path.extension().string();
  return ext == ".lbundle" || ext == ".ltab";
}

/// The file a source names: itself, or the one `*.lbundle`/`*.ltab` file of a folder (none or
/// several is an error: the server never guesses which policy to serve). Hidden files are skipped,
/// so a deploy can write `.next.lbundle` and rename it into place.
std::optional<std::string> resolveFile(const std::string &path, std::string &error) {
  std::error_code ec;
  if (!std::filesystem::is_directory(path, ec))
    return path;
  std::vector<std::string> found;
  for (const auto &entry : std::filesystem::directory_iterator(path, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && name[0] != '.' && servedFileName(entry.path()))
      found.push_back(entry.path().string());
  }
  if (ec) {
    error = fmt::format("cannot list `{}`: {}", path, ec.message());
    return std::nullopt;
  }
  std::sort(found.begin(), found.end());
  if (found.size() == 1)
    return found[0];
  if (found.empty())
    error = fmt::format("`{}` holds no policy: put one `*.lbundle` or `*.ltab` file in it", path);
  else
    error = fmt::format("`{}` holds {} policies (`{}`, `{}`, ...): put exactly one `*.lbundle` or "
                        "`*.ltab` file in it",
                        path, found.size(), found[0], found[1]);
  return std::nullopt;
}

/// What a reload compares to decide whether to read the file again: its name, identity, size and
/// modification time (a rename into place changes the inode even within one mtime tick).
std::string stampOf(const std::string &file) {
  struct stat st {};
  if (stat(file.c_str(), &st) != 0)
    return fmt::format("{}:error {}", file, errno);
  return fmt::format("{}:{}:{}:{}:{}.{}", file, st.st_dev, st.st_ino, st.st_size, st.st_mtim.tv_sec,
                     st.st_mtim.tv_nsec);
}

/// Reads, validates and (with a key) verifies `file`; the policy, or nullptr and `error`.
std::shared_ptr<ServedPolicy> loadPolicy(const std::string &file, const PolicySource &source,
                                         const std::string &bytes, std::string &error) {
  auto policy = std::make_shared<ServedPolicy>();
  policy->path = file;
  const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
  if (bundle::looksLikeBundle(data, bytes.size())) {
    std::optional<bundle::Bundle> read = bundle::readBundle(data, bytes.size(), error);
    if (!read) {
      error = fmt::format("cannot load `{}`: not a valid bundle: {}", file, error);
      return nullptr;
    }
    if (source.publicKey) {
      if (std::string why = bundle::verifySignature(*read, data, bytes.size(), *source.publicKey);
          !why.empty()) {
        error = fmt::format("`{}` is refused: {}", file, why);
        return nullptr;
      }
    }
    // readBundle loaded the table to check it against the manifest: that table is served (its
    // bytes move with the vector), not the same bytes loaded and checksummed a second time.
    policy->tableBytes = std::move(read->table);
    policy->table.reset(read->loaded.release());
    policy->manifest = std::move(read->manifest);
  } else {
    if (source.publicKey) {
      error = fmt::format("`{}` is refused: it is a table, not a signed bundle (`--public-key` "
                          "serves signed bundles only)",
                          file);
      return nullptr;
    }
    policy->tableBytes.assign(data, data + bytes.size());
  }
  if (!policy->table) { // a table file: loaded and validated by the runtime here
    lattice_table *raw = nullptr;
    const lattice_load_status status =
        lattice_table_load(policy->tableBytes.data(), policy->tableBytes.size(), &raw);
    policy->table.reset(raw);
    if (status != LATTICE_LOAD_OK) {
      error =
          query::tableLoadError(file, status, policy->tableBytes.data(), policy->tableBytes.size());
      return nullptr;
    }
  }
  policy->revision = lattice_table_revision(policy->table.get());
  policy->fingerprint = lattice_table_fingerprint(policy->table.get());
  policy->loadedAtUnixMs = nowUnixMs();
  return policy;
}

} // namespace

PolicyStore::PolicyStore(PolicySource source) : source_(std::move(source)) {}

std::optional<std::string> PolicyStore::loadInitial() {
  if (reload(true) == ReloadOutcome::Published)
    return std::nullopt;
  std::lock_guard lock(statusMutex_);
  return status_.lastError;
}

void PolicyStore::refuse(const std::string &error) {
  std::lock_guard lock(statusMutex_);
  if (status_.generation != 0)
    ++status_.failedReloads;
  status_.lastError = error;
  status_.lastAttemptUnixMs = nowUnixMs();
}

ReloadOutcome PolicyStore::reload(bool force) {
  std::string error;
  std::optional<std::string> file = resolveFile(source_.path, error);
  const std::string stamp = file ? stampOf(*file) : "error:" + error;
  if (!force && stamp == lastSeenStamp_)
    return ReloadOutcome::Unchanged;
  lastSeenStamp_ = stamp;
  std::string bytes;
  if (file && !readWholeFile(*file, kMaxFileBytes, bytes, error))
    error = fmt::format("cannot load `{}`: {}", *file, error);
  else if (file && bytes.empty())
    error = fmt::format("cannot load `{}`: the file is empty", *file);
  if (!error.empty()) {
    refuse(error);
    return ReloadOutcome::Refused;
  }
  // The bytes themselves, not a digest: a SHA-256 pass costs more than the rest of a reload
  // but for the bundle's own table check (docs/performance.md, "Decision server").
  if (bytes == servingBytes_) {
    // The file serving now, written again (or a bad one replaced by it): nothing to publish.
    std::lock_guard lock(statusMutex_);
    status_.lastError.clear();
    status_.lastAttemptUnixMs = nowUnixMs();
    return ReloadOutcome::Unchanged;
  }
  std::shared_ptr<ServedPolicy> policy = loadPolicy(*file, source_, bytes, error);
  if (!policy) {
    refuse(error);
    return ReloadOutcome::Refused;
  }
  {
    std::lock_guard lock(statusMutex_);
    policy->generation = status_.generation + 1;
    if (status_.generation != 0)
      ++status_.reloads;
    status_.generation = policy->generation;
    status_.lastError.clear();
    status_.lastAttemptUnixMs = policy->loadedAtUnixMs;
  }
  servingBytes_ = std::move(bytes);
  current_.store(std::move(policy));
  return ReloadOutcome::Published;
}

LoadStatus PolicyStore::status() const {
  std::lock_guard lock(statusMutex_);
  return status_;
}

} // namespace lattice::server
