// atomic_write.h - writes an output file through a temporary file and a rename, so a failed or
// interrupted command never leaves half a table, document or formatted source behind.
#pragma once

#include <string>
#include <string_view>

namespace lattice::driver {

/// Writes `bytes` to `path` atomically. An existing file keeps its permissions, and a symbolic
/// link is followed (its target is replaced). On failure returns false with `error` set to
/// "cannot write `PATH`: reason" and leaves no temporary file behind.
bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &error);

} // namespace lattice::driver
