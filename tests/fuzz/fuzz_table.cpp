// fuzz_table.cpp - libFuzzer target: the runtime's loader on any bytes, and every query on a
// table it accepts. Built twice: `fuzz_table` takes the bytes as they are (most die at the
// checksum); `fuzz_table_resealed` (LATTICE_FUZZ_RESEAL) first writes the input's size and
// checksum into the header, so mutations reach structural validation and decide.
#include "lattice/format.h"
#include "lattice/lattice.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace {

using namespace lattice::format;

/// Asks the loaded table everything the API offers, with ids in and out of range.
void exercise(const lattice_table *t) {
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t permissions = lattice_permission_count(t), flags = lattice_flag_count(t);
  volatile size_t sink = 0;
  for (uint32_t id = 0; id <= kinds; ++id)
    if (const char *name = lattice_kind_name(t, id))
      sink = sink + (lattice_kind_id(t, name) == id) + std::strlen(name);
  for (uint32_t id = 0; id <= roles && id < 64; ++id)
    if (const char *name = lattice_role_name(t, id))
      sink = sink + (lattice_role_id(t, name) == id);
  for (uint32_t id = 0; id <= permissions && id < 64; ++id)
    if (const char *name = lattice_permission_name(t, id))
      sink = sink + (lattice_permission_id(t, name) == id);
  for (uint32_t id = 0; id <= flags; ++id)
    if (const char *name = lattice_flag_name(t, id))
      sink = sink + (lattice_flag_id(t, name) == id);
  sink = sink + (lattice_policy_name(t) != nullptr);
  const uint32_t held[3] = {0, roles > 1 ? 1u : 0u, roles + 1};
  for (uint32_t kind = 0; kind <= kinds && kind < 8; ++kind)
    for (uint32_t p = 0; p <= permissions && p < 16; ++p)
      for (uint32_t rel = 0; rel <= LATTICE_REL_NONE + 1; ++rel)
        for (uint32_t n = 0; n <= 3; ++n) {
          lattice_request q{kind, held, n, p, rel, n == 2 ? ~uint64_t(0) : uint64_t(n)};
          lattice_decision d = lattice_decide(t, &q);
          sink = sink + unsigned(d.allowed) + d.reason;
        }
  for (uint32_t target = 0; target <= roles && target < 16; ++target)
    sink = sink + unsigned(lattice_can_assign(t, held, 2, target));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A copy: the loader must not depend on the caller's alignment, and resealing writes to it.
  std::vector<uint8_t> bytes(data, data + size);
#ifdef LATTICE_FUZZ_RESEAL
  if (bytes.size() >= hdr::kChecksumStart + 16) {
    storeU64(&bytes[hdr::kFileSize], bytes.size());
    storeU64(&bytes[hdr::kChecksum],
             checksum(&bytes[hdr::kChecksumStart], bytes.size() - hdr::kChecksumStart));
  }
#endif
  lattice_table *table = nullptr;
  if (lattice_table_load(bytes.data(), bytes.size(), &table) == LATTICE_LOAD_OK) {
    exercise(table);
    lattice_table_free(table);
  }
  return 0;
}
