// atomic_write.cpp - temporary file in the target's folder, then rename (atomic on POSIX).
// The temporary name carries the process id, so two commands writing side by side do not clash.
#include "driver/atomic_write.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <unistd.h>

namespace lattice::driver {
namespace fs = std::filesystem;

bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &error) {
  std::error_code ec;
  fs::path target = fs::exists(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec)
    target = path;
  if (fs::is_directory(target, ec)) {
    error = fmt::format("cannot write `{}`: {}", path, std::strerror(EISDIR));
    return false;
  }
  // The rename would replace a device or a pipe with a regular file.
  if (fs::exists(target, ec) && !fs::is_regular_file(target, ec)) {
    error = fmt::format("cannot write `{}`: not a regular file", path);
    return false;
  }
  fs::path temporary = target;
  temporary += fmt::format(".{}.tmp", ::getpid());
  // POSIX calls, not a stream: the message names the system's reason (errno).
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0) {
    error = fmt::format("cannot write `{}`: {}", path, std::strerror(errno));
    return false;
  }
  const char *data = bytes.data();
  size_t left = bytes.size();
  int writeErrno = 0;
  while (left > 0 && writeErrno == 0) {
    ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno != EINTR)
      writeErrno = errno;
    else if (n > 0) {
      data += n;
      left -= static_cast<size_t>(n);
    }
  }
  if (::close(fd) != 0 && writeErrno == 0)
    writeErrno = errno;
  if (writeErrno != 0) {
    error = fmt::format("cannot write `{}`: {}", path, std::strerror(writeErrno));
    fs::remove(temporary, ec);
    return false;
  }
  if (fs::exists(target, ec))
    fs::permissions(temporary, fs::status(target, ec).permissions(), ec);
  fs::rename(temporary, target, ec);
  if (ec) {
    error = fmt::format("cannot write `{}`: {}", path, ec.message());
    fs::remove(temporary, ec);
    return false;
  }
  return true;
}

} // namespace lattice::driver
