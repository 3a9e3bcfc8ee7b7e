// atomic_write.cpp - a new temporary file in the target's folder (mkstemp: random name, created
// exclusively, never through a link), written, fsync'ed, then renamed over the target.
#include "driver/atomic_write.h"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <iterator>
#include <optional>
#include <sys/stat.h>
#include <unistd.h>

namespace lattice::driver {
namespace fs = std::filesystem;
namespace {

// The temporary being written, for the signal handler: a killed command must not leave it
// behind. Only async-signal-safe calls touch it there (unlink, signal, raise).
char pendingTemporary[4096];
volatile std::sig_atomic_t havePending = 0;

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};

extern "C" void removePendingAndDie(int signal) {
  if (havePending)
    ::unlink(pendingTemporary);
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

/// While alive: the temporary is removed if the process is stopped by a signal, and writing
/// past RLIMIT_FSIZE fails with EFBIG (so the error path cleans up) instead of SIGXFSZ killing
/// the process.
class PendingTemporary {
public:
  explicit PendingTemporary(const std::string &path) {
    if (path.size() < sizeof pendingTemporary) {
      std::memcpy(pendingTemporary, path.c_str(), path.size() + 1);
      havePending = 1;
    }
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
      previous[i] = std::signal(kCleanupSignals[i], removePendingAndDie);
    previousXfsz = std::signal(SIGXFSZ, SIG_IGN);
  }
  ~PendingTemporary() {
    havePending = 0;
    for (size_t i = 0; i < std::size(kCleanupSignals); ++i)
      std::signal(kCleanupSignals[i], previous[i]);
    std::signal(SIGXFSZ, previousXfsz);
  }
  PendingTemporary(const PendingTemporary &) = delete;
  PendingTemporary &operator=(const PendingTemporary &) = delete;

private:
  using Handler = void (*)(int);
  Handler previous[std::size(kCleanupSignals)];
  Handler previousXfsz;
};

bool writeAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

/// The mode a new file gets from open(2) with 0666 and the process umask.
mode_t defaultMode() {
  mode_t mask = ::umask(0);
  ::umask(mask);
  return 0666 & ~mask;
}

} // namespace

bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &error) {
  std::error_code ec;
  fs::path target = fs::exists(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec)
    target = path;
  auto fail = [&](int code) {
    error = fmt::format("cannot write `{}`: {}", path, std::strerror(code));
    return false;
  };
  struct stat existing;
  const bool exists = ::stat(target.c_str(), &existing) == 0;
  if (exists && S_ISDIR(existing.st_mode))
    return fail(EISDIR);
  // The rename would replace a device or a pipe with a regular file.
  if (exists && !S_ISREG(existing.st_mode)) {
    error = fmt::format("cannot write `{}`: not a regular file", path);
    return false;
  }

  std::string temporary = target.string() + ".tmp.XXXXXX";
  int fd;
  {
    // Block the cleanup signals between creating the file and recording its name.
    sigset_t all, old;
    sigfillset(&all);
    ::sigprocmask(SIG_BLOCK, &all, &old);
    fd = ::mkostemp(temporary.data(), O_CLOEXEC);
    int code = errno;
    std::optional<PendingTemporary> pending;
    if (fd >= 0)
      pending.emplace(temporary);
    ::sigprocmask(SIG_SETMASK, &old, nullptr);
    if (fd < 0)
      return fail(code);

    // The target's permissions if it exists, else what a plain open(2) would have given.
    const mode_t mode = exists ? (existing.st_mode & 07777) : defaultMode();
    int problem = 0;
    if (!writeAll(fd, bytes) || ::fchmod(fd, mode) != 0 || ::fsync(fd) != 0)
      problem = errno;
    if (::close(fd) != 0 && problem == 0)
      problem = errno;
    if (problem == 0 && ::rename(temporary.c_str(), target.c_str()) != 0)
      problem = errno;
    if (problem != 0) {
      ::unlink(temporary.c_str());
      return fail(problem);
    }
  }
  // Make the rename itself durable.
  fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

} // namespace lattice::driver
