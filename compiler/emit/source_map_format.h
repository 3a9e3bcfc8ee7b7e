// source_map_format.h - what the writer (emit/source_map.cpp) and the reader
// (query/source_map_reader.cpp) of the sidecar source map agree on: its version, and how it
// names the table it belongs to.
#pragma once

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>

namespace lattice::emit {

/// The map's format version; `lattice explain` refuses any other. Version 2: relations and
/// reaches are written in the one vocabulary (`self`, `descendants`, ..., `elsewhere`).
/// Version 3: the policy-wide denies (`policyDenies`), and the user types of a rule with `for`
/// (a rule's `kinds`; absent: every user type), which an older reader would not explain.
inline constexpr int kSourceMapVersion = 3;

/// The table's identity as the map records it: the checksum field (bytes 8..16) and the size.
struct TableIdentity {
  uint64_t checksum = 0;
  uint64_t size = 0;
};

inline TableIdentity tableIdentity(llvm::ArrayRef<uint8_t> bytes) {
  TableIdentity identity;
  identity.size = bytes.size();
  for (unsigned i = 0; i < 8 && 8 + i < bytes.size(); ++i)
    identity.checksum |= uint64_t{bytes[8 + i]} << (8 * i);
  return identity;
}

} // namespace lattice::emit
