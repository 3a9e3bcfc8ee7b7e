// table_load.cpp - the load error of table_load.h: reads the format version of a table that did
// not load (lattice_table_format_version) so that the message can name it.
#include "query/table_load.h"

#include "lattice/format.h"

#include <fmt/format.h>
#include <fstream>

namespace lattice::query {

std::string tableLoadError(const std::string &path, lattice_load_status status, const void *data,
                           size_t size) {
  const std::string cannotLoad =
      fmt::format("cannot load `{}`: {}", path, lattice_load_status_message(status));
  if (status != LATTICE_LOAD_BAD_VERSION)
    return cannotLoad;
  char head[format::hdr::kVersionEnd] = {};
  if (!data) {
    std::ifstream in(path, std::ios::binary);
    in.read(head, sizeof head);
    data = head;
    size = in ? sizeof head : 0;
  }
  uint16_t major = 0, minor = 0;
  if (lattice_table_format_version(data, size, &major, &minor) != LATTICE_LOAD_OK)
    return cannotLoad; // the file changed since it was loaded
  const std::string versions = fmt::format("`{}` is table format {}.{}; this lattice reads format {}.x",
                                           path, major, minor, LATTICE_TABLE_FORMAT_MAJOR);
  if (major < LATTICE_TABLE_FORMAT_MAJOR)
    return versions + ": rebuild it with `lattice build`";
  return versions + ": it was built by a newer lattice; rebuild it with this one's `lattice build`";
}

} // namespace lattice::query
