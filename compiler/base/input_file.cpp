// input_file.cpp - POSIX open(O_NONBLOCK) + fstat, then plain blocking reads through a buffer.
// Directories, FIFOs, sockets and devices are refused by what the descriptor is, not its name.
#include "base/input_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lattice {

std::optional<InputFile> InputFile::open(const std::string &path, std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    error = std::strerror(errno);
    return std::nullopt;
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    error = std::strerror(errno);
    ::close(fd);
    return std::nullopt;
  }
  if (!S_ISREG(info.st_mode)) {
    error = S_ISDIR(info.st_mode) ? "it is a directory"
                                  : "it is not a regular file (a FIFO, socket or device)";
    ::close(fd);
    return std::nullopt;
  }
  // Regular files never block; clear the flag anyway so reads behave as documented.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return InputFile(fd, true);
}

InputFile InputFile::standardInput() { return InputFile(STDIN_FILENO, false); }

InputFile::InputFile(InputFile &&other) noexcept
    : fd(other.fd), owned(other.owned), failed(other.failed), buffer(std::move(other.buffer)),
      position(other.position) {
  other.fd = -1;
  other.owned = false;
}

InputFile &InputFile::operator=(InputFile &&other) noexcept {
  if (this != &other) {
    if (owned)
      ::close(fd);
    fd = other.fd;
    owned = other.owned;
    failed = other.failed;
    buffer = std::move(other.buffer);
    position = other.position;
    other.fd = -1;
    other.owned = false;
  }
  return *this;
}

InputFile::~InputFile() {
  if (owned)
    ::close(fd);
}

bool InputFile::fill(std::string &error) {
  if (failed)
    return false;
  buffer.resize(64 * 1024);
  position = 0;
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      error = std::strerror(errno);
      failed = true;
      n = 0;
    }
    buffer.resize(static_cast<size_t>(n));
    return n > 0;
  }
}

bool InputFile::read(size_t maxBytes, std::string &out, std::string &error) {
  size_t wanted = maxBytes;
  while (wanted > 0) {
    if (position == buffer.size() && !fill(error))
      return !failed;
    size_t n = std::min(wanted, buffer.size() - position);
    out.append(buffer, position, n);
    position += n;
    wanted -= n;
  }
  return true;
}

InputFile::Line InputFile::readLine(std::string &line, size_t maxBytes, std::string &error) {
  line.clear();
  bool any = false;
  for (;;) {
    if (position == buffer.size() && !fill(error)) {
      if (failed)
        return Line::Error;
      return any ? Line::Read : Line::End;
    }
    any = true;
    size_t newline = buffer.find('\n', position);
    size_t stop = newline == std::string::npos ? buffer.size() : newline;
    if (line.size() + (stop - position) > maxBytes) {
      size_t room = maxBytes - line.size();
      line.append(buffer, position, room);
      position += room;
      return Line::TooLong;
    }
    line.append(buffer, position, stop - position);
    position = stop;
    if (newline != std::string::npos) {
      ++position;
      return Line::Read;
    }
  }
}

bool readWholeFile(const std::string &path, size_t maxBytes, std::string &out, std::string &error) {
  std::optional<InputFile> file =
      path == "-" ? InputFile::standardInput() : InputFile::open(path, error);
  if (!file)
    return false;
  // A regular file's size refuses an oversized one before reading it (256 MiB of a sparse file
  // took seconds); the bounded read below still holds if the file grows meanwhile.
  struct stat st {};
  if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
      uint64_t(st.st_size) > maxBytes) {
    error = fmt::format("it is larger than {} bytes", maxBytes);
    return false;
  }
  // One byte more than allowed tells "exactly the limit" from "over it".
  size_t before = out.size();
  if (!file->read(maxBytes + 1, out, error))
    return false;
  if (out.size() - before > maxBytes) {
    out.resize(before);
    error = fmt::format("it is larger than {} bytes", maxBytes);
    return false;
  }
  return true;
}

} // namespace lattice
