// list_filter.h - list filters by name (`lattice query --list-filter`): a principal with
// memberships at nodes given as the host's numeric ids, and a permission, resolved against a
// table; its filter as generic terms or as a PostgreSQL or SQLite predicate with its parameters.
#pragma once

#include "query/access_request.h"

#include <optional>
#include <string>
#include <string_view>

struct lattice_table;

namespace lattice::query {

enum class FilterFormat { Generic, Postgres, Sqlite };

/// `generic`, `postgres`, `sqlite`; nothing for another word.
std::optional<FilterFormat> parseFilterFormat(std::string_view word);

/// The filter of `named` (its target is not used) in `format`, over key column `column`:
/// generic terms one a line (`subtree 7/42 except 7/42/99`, `nothing` when none), or the SQL
/// predicate on the first line and one line per parameter (`$1 = '\x..'::bytea`,
/// `?1 = x'..'`). Returns nothing with `error` set for an unknown name, a node name that is
/// not a number (`acme`: rows are keyed by the host's ids), a column that is not a plain
/// identifier, and a filter the runtime refuses (a rule reading a resource fact, ...).
std::optional<std::string> listFilterText(const lattice_table *table,
                                          const NamedAccessRequest &named, FilterFormat format,
                                          const std::string &column, std::string &error);

} // namespace lattice::query
