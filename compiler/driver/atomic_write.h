// atomic_write.h - writes an output file through a temporary file and a rename, so a failed or
// interrupted command never leaves half a table, document or formatted source behind.
#pragma once

#include <string>
#include <string_view>

namespace lattice::driver {

/// Writes `bytes` to `path` atomically: into a new file `PATH.tmp.XXXXXX` (random suffix,
/// created exclusively, so a file or link planted under a predictable name is never written
/// through), fsync'ed, then renamed over `path`. An existing file keeps its permissions, and a
/// symbolic link at `path` is followed (its target is replaced). On failure returns false with
/// `error` set to "cannot write `PATH`: OS reason" and leaves no temporary file behind; the
/// temporary is also removed when SIGINT, SIGTERM, SIGHUP, SIGQUIT or SIGPIPE stops the
/// process, and a file size limit (SIGXFSZ) is an error rather than death. Only SIGKILL can
/// leave a `PATH.tmp.XXXXXX` behind.
bool writeFileAtomically(const std::string &path, std::string_view bytes, std::string &error);

} // namespace lattice::driver
