// input_file.h - reading the files a command is given, bounded and without blocking: only
// regular files (or standard input) are read, at most a stated number of bytes or line length.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace lattice {

/// A file open for reading. `open` refuses what is not a regular file before reading a byte: it
/// opens non-blocking (a FIFO with no writer cannot hang the open) and checks the descriptor,
/// so the file checked is the file read.
class InputFile {
public:
  /// Opens `path`; on failure returns nothing and sets `error` to the reason ("it is a
  /// directory", "it is not a regular file (a FIFO, socket or device)", or the OS error).
  static std::optional<InputFile> open(const std::string &path, std::string &error);
  /// Standard input, whatever it is (the user chose it with `-`).
  static InputFile standardInput();

  InputFile(InputFile &&other) noexcept;
  InputFile &operator=(InputFile &&other) noexcept;
  InputFile(const InputFile &) = delete;
  InputFile &operator=(const InputFile &) = delete;
  ~InputFile();

  /// Appends up to `maxBytes` bytes (stopping at the end of the file) to `out`. False with
  /// `error` set on a read error.
  bool read(size_t maxBytes, std::string &out, std::string &error);

  enum class Line { Read, End, TooLong, Error };
  /// Reads the next line into `line` (without its `\n`). `TooLong`: the line has more than
  /// `maxBytes` bytes (`line` holds the first `maxBytes`; the rest is not read). `Error`: a read
  /// error, with `error` set. `End`: nothing left.
  Line readLine(std::string &line, size_t maxBytes, std::string &error);

private:
  InputFile(int fd, bool owned) : fd(fd), owned(owned) {}
  /// Refills the buffer; false at the end of the file or on an error (`failed` set).
  bool fill(std::string &error);

  int fd = -1;
  bool owned = false;
  bool failed = false;
  std::string buffer;
  size_t position = 0;
};

/// Reads a whole regular file of at most `maxBytes` bytes (`-`: standard input). More than
/// that, unreadable or not a regular file: returns false with `error` set ("it is larger than
/// N bytes", ...).
bool readWholeFile(const std::string &path, size_t maxBytes, std::string &out, std::string &error);

} // namespace lattice
