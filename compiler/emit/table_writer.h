// table_writer.h - the emit phase: decision tables in memory -> the binary table file, and a
// readable text dump of the same tables for golden tests (`--dump-tables`).
#pragma once

#include "lower/tables.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lattice::emit {

/// Why `tables` cannot be written (a lowering bug, never a user error), or nullopt if it can:
/// sizes consistent with the name lists, ids and kind/flag bits in range, at most 64 kinds and
/// flags, unique names without NUL bytes, one kind mask per `require` statement.
std::optional<std::string> verifyTables(const lower::Tables &tables);

/// The vocabulary fingerprint the table file records (docs/table-format.md): FNV-1a over the
/// kind, role, permission and flag names with their ids, and the flags' sides.
uint64_t vocabularyFingerprint(const lower::Tables &tables);

/// The table file (docs/table-format.md). A pure function of the tables' content: identical
/// input gives identical bytes. Lists the format treats as sets (assigns, exclusive sets,
/// sparse rules, require clauses) are written sorted and deduplicated, so their order in
/// `tables` does not matter. Returns an empty vector if verifyTables reports a problem.
std::vector<uint8_t> writeTable(const lower::Tables &tables);

/// A line-oriented dump for golden tests: names with ids, role and permission attributes, one
/// `allow` line per non-empty (permission, relation) allow bitset, `sparse` rules, exclusive
/// sets and requirements, all by name. Tolerates malformed tables (bad ids print as `#id`).
std::string dumpTables(const lower::Tables &tables);

} // namespace lattice::emit
