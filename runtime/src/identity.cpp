// identity.cpp - what identifies a table to a host: its format version (read without loading),
// its vocabulary fingerprint and revision, and the side of each flag (table format 3).
#include "internal.h"

#include <cstring>

using namespace lattice::format;

static_assert(LATTICE_FLAG_PRINCIPAL == kSidePrincipal && LATTICE_FLAG_NODE == kSideNode,
              "the C API's side values are the format's");
static_assert(LATTICE_TABLE_FORMAT_MAJOR == kVersionMajor, "lattice.h names the major it reads");

extern "C" {

lattice_load_status lattice_table_format_version(const void *data, size_t size, uint16_t *major,
                                                 uint16_t *minor) {
  if (!major || !minor)
    return LATTICE_LOAD_IO_ERROR;
  const auto *d = static_cast<const uint8_t *>(data);
  if (!d || size < hdr::kVersionEnd)
    return LATTICE_LOAD_TOO_SMALL;
  if (std::memcmp(d, kMagic, sizeof kMagic) != 0)
    return LATTICE_LOAD_BAD_MAGIC;
  *major = loadU16(d + hdr::kVersionMajor);
  *minor = loadU16(d + hdr::kVersionMinor);
  return LATTICE_LOAD_OK;
}

uint64_t lattice_table_fingerprint(const lattice_table *t) { return t ? t->fingerprint : 0; }

const char *lattice_table_revision(const lattice_table *t) {
  return t ? lattice::detail::stringAt(*t, t->revision) : nullptr;
}

uint32_t lattice_flag_side(const lattice_table *t, uint32_t flag) {
  if (!t || flag >= t->flagCount)
    return 0;
  return loadU32(t->section[kFlagInfo] + flaginfo::kSize * size_t(flag) + flaginfo::kSide);
}

uint64_t lattice_flag_mask(const lattice_table *t, uint32_t side) {
  if (!t)
    return 0;
  uint64_t mask = 0;
  for (uint32_t f = 0; f < t->flagCount; ++f)
    if (side & loadU32(t->section[kFlagInfo] + flaginfo::kSize * size_t(f) + flaginfo::kSide))
      mask |= uint64_t(1) << f;
  return mask;
}

} // extern "C"
