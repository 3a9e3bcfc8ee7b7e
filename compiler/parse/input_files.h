// input_files.h - the policy files that command-line paths name: a file names itself, a folder
// names its .lat files (sorted by name, not its subfolders). Shared by every command.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace lattice::parse {

/// Expands `paths` in order. A path that is not a folder is kept as it is (its loader reports it
/// if it cannot be read); `-` is kept for standard input. Returns nullopt with `error` set for a
/// folder that cannot be listed or holds no .lat file.
std::optional<std::vector<std::string>> expandInputPaths(const std::vector<std::string> &paths,
                                                         std::string &error);

} // namespace lattice::parse
