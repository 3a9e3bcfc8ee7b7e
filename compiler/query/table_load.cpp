// table_load.cpp - the load error of table_load.h: reads the format version of a table that did
// not load (lattice_table_format_version) so that the message can name it.
#include "query/table_load.h"

#include "base/input_file.h"
#include "lattice/format.h"

#include <fmt/format.h>

namespace lattice::query {

std::string tableLoadError(const std::string &path, lattice_load_status status, const void *data,
                           size_t size) {
  const std::string cannotLoad =
      fmt::format("cannot load `{}`: {}", path, lattice_load_status_message(status));
  if (status != LATTICE_LOAD_BAD_VERSION)
    return cannotLoad;
  std::string file, error;
  if (!data) { // the loader read it within this bound before refusing it
    if (!readWholeFile(path, LATTICE_DEFAULT_MAX_TABLE_BYTES, file, error))
      return cannotLoad;
    data = file.data();
    size = file.size();
  }
  uint16_t major = 0, minor = 0;
  if (lattice_table_format_version(data, size, &major, &minor) != LATTICE_LOAD_OK)
    return cannotLoad; // the file changed since it was loaded
  // The checksum covers everything after it with the same algorithm in every format version
  // (docs/table-format.md): a table whose version field is damaged is corrupt, not "newer".
  const auto *bytes = static_cast<const uint8_t *>(data);
  if (format::loadU64(bytes + format::hdr::kChecksum) !=
      format::checksum(bytes + format::hdr::kChecksumStart, size - format::hdr::kChecksumStart))
    return fmt::format("cannot load `{}`: {}", path,
                       lattice_load_status_message(LATTICE_LOAD_BAD_CHECKSUM));
  const std::string versions =
      fmt::format("`{}` is table format {}.{}; this lattice reads format {}.x", path, major, minor,
                  LATTICE_TABLE_FORMAT_MAJOR);
  if (major < LATTICE_TABLE_FORMAT_MAJOR)
    return versions + ": rebuild it with `lattice build`";
  return versions + ": it was built by a newer lattice; rebuild it with this one's `lattice build`";
}

} // namespace lattice::query
