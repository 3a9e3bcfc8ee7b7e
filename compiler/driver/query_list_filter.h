// query_list_filter.h - `lattice query TABLE --list-filter ...`: the options' checks and the
// answer (the filter itself is query::listFilterText's).
#pragma once

#include "driver/args.h"

#include <optional>
#include <string>

struct lattice_table;

namespace lattice::driver {

/// A usage error of `--list-filter`: an option of another kind of request (`--target`,
/// `--roles`, ...), a missing `--kind`, `--permission` or `--membership`, an unknown `--sql`.
std::optional<std::string> listFilterUsageError(const Args &args);
/// Prints the filter (stdout) and returns the exit code; a refused filter is an error on stderr.
int answerListFilter(const lattice_table *table, const Args &args);

} // namespace lattice::driver
