// atomic_write.cpp - temporary file in the target's folder, then rename (atomic on POSIX).
// The temporary name carries the process id, so two commands writing side by side do not clash.
#include "driver/atomic_write.h"

#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace lattice::driver {
namespace fs = std::filesystem;

bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &error) {
  std::error_code ec;
  fs::path target = fs::exists(path, ec) ? fs::canonical(path, ec) : fs::path(path);
  if (ec)
    target = path;
  fs::path temporary = target;
  temporary += fmt::format(".{}.tmp", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) {
      error = fmt::format("cannot write `{}`", path);
      fs::remove(temporary, ec);
      return false;
    }
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
