// table_load.cpp - the load error of table_load.h: reads the format version of a table that did
// not load (lattice_table_format_version) so that the message can name it.
#include "query/table_load.h"

#include "base/input_file.h"
#include "bundle/bundle.h"
#include "bundle/bundle_format.h"
#include "lattice/format.h"

#include <cstdio>
#include <fmt/format.h>
#include <sys/stat.h>

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

namespace {

constexpr size_t kMaxBundleBytes =
    bundle::kHeaderSize + bundle::kMaxManifest + bundle::kMaxTable + 4 + bundle::kSignatureSize;

/// Whether `path` is a regular file starting with a bundle's magic. Only a regular file is
/// opened here (a FIFO would block): anything else is left to readWholeFile's refusal.
bool bundleFile(const std::string &path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
    return false;
  std::FILE *file = std::fopen(path.c_str(), "rb");
  if (!file)
    return false;
  uint8_t head[sizeof bundle::kMagic] = {};
  const size_t got = std::fread(head, 1, sizeof head, file);
  std::fclose(file);
  return bundle::looksLikeBundle(head, got);
}

} // namespace

std::optional<std::string> loadTableOrBundle(const std::string &path, std::string &bytes,
                                             TablePtr &table) {
  std::string error;
  if (!readWholeFile(path, bundleFile(path) ? kMaxBundleBytes : LATTICE_DEFAULT_MAX_TABLE_BYTES,
                     bytes, error))
    return fmt::format("cannot load `{}`: {}", path, error);
  const auto *data = reinterpret_cast<const uint8_t *>(bytes.data());
  if (bundle::looksLikeBundle(data, bytes.size())) {
    std::optional<bundle::Bundle> read =
        bundle::readBundle(std::vector<uint8_t>(data, data + bytes.size()), error);
    if (!read)
      return fmt::format("cannot load `{}`: not a valid bundle: {}", path, error);
    bytes.assign(read->table.begin(), read->table.end());
  }
  lattice_table *raw = nullptr;
  const lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &raw);
  table.reset(raw);
  if (status != LATTICE_LOAD_OK)
    return tableLoadError(path, status, bytes.data(), bytes.size());
  return std::nullopt;
}

} // namespace lattice::query
