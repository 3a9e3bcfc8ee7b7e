// input_files.cpp - folder expansion for command-line inputs: a folder's own .lat files, sorted,
// so that `lattice check policies/` and `lattice diff old/ new/` read the same files.
#include "parse/input_files.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

namespace lattice::parse {

namespace fs = std::filesystem;

std::optional<std::vector<std::string>> expandInputPaths(const std::vector<std::string> &paths,
                                                         std::string &error) {
  std::vector<std::string> files;
  for (const std::string &path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".lat" && !it->is_directory(ec))
        found.push_back(it->path().string());
    if (ec) {
      error = fmt::format("cannot read folder `{}`: {}", path, ec.message());
      return std::nullopt;
    }
    if (found.empty()) {
      error = fmt::format("folder `{}` has no .lat files", path);
      return std::nullopt;
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

} // namespace lattice::parse
