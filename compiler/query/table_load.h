// table_load.h - why a compiled table did not load, in the words every command that reads a
// table prints: a table of another format version names both versions and says to rebuild it.
#pragma once

#include "lattice/lattice.h"
#include "query/request.h"

#include <cstddef>
#include <optional>
#include <string>

namespace lattice::query {

/// The error for `path`, which failed to load with `status`. A table of another format major
/// (BAD_VERSION) whose checksum holds: "`t.ltab` is table format 2.0; this lattice reads format
/// 3.x: rebuild it with `lattice build`"; one whose checksum does not (a damaged version field)
/// is corrupt; anything else: "cannot load `t.ltab`: <lattice_load_status_message>". The version
/// is read from `data` (the file's bytes, `size` of them) when the caller has them, else from
/// the file again.
std::string tableLoadError(const std::string &path, lattice_load_status status,
                           const void *data = nullptr, size_t size = 0);

/// Loads the table of `path`: a table file, or a bundle's table (docs/bundles.md; read and
/// validated in full, its signature not checked). `bytes` gets the table's bytes. nullopt on
/// success, else the error in the words of tableLoadError ("cannot load `p.lbundle`: not a valid
/// bundle: ...").
std::optional<std::string> loadTableOrBundle(const std::string &path, std::string &bytes,
                                             TablePtr &table);

} // namespace lattice::query
