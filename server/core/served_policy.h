// served_policy.h - one policy as the decision server serves it: a table loaded and verified in
// full, immutable once published, shared by every request that started while it was current.
#pragma once

#include "bundle/bundle.h"
#include "query/request.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::server {

/// Published by PolicyStore only after every check passed; never changed afterwards, so a
/// request holding a shared_ptr to it decides against one whole table even while a reload
/// publishes the next one.
struct ServedPolicy {
  std::string path;                // the file or folder it was loaded from
  std::vector<uint8_t> tableBytes; // the table; `table` points into these bytes
  query::TablePtr table;
  std::optional<bundle::Manifest> manifest; // when served from a bundle
  std::string revision;                     // the table's revision ("" when it has none)
  uint64_t fingerprint = 0;                 // the table's vocabulary fingerprint
  uint64_t generation = 0;                  // 1 for the first load, +1 per successful reload
  int64_t loadedAtUnixMs = 0;
};

using ServedPolicyPtr = std::shared_ptr<const ServedPolicy>;

} // namespace lattice::server
