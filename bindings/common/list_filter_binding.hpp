// list_filter_binding.hpp - list filters for the Python and Node bindings (lattice/list_filter.h):
// a principal's filter for a permission as terms over paths or as SQL with byte parameters.
// Thin over the C API; refusals become InvalidArgument with the runtime's words.
#pragma once

#include "lattice/list_filter.h"
#include "lattice_binding.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace lattice::binding {

/// One term of the generic form: "node", "subtree" or "below", the node's path, and the paths of
/// the children whose subtrees it excludes.
struct FilterTerm {
  std::string kind;
  std::vector<uint64_t> node;
  std::vector<std::vector<uint64_t>> exclusions;
};

/// A predicate with `$N`/`?N` placeholders and each parameter's bytes (a node key or a bound).
struct FilterSql {
  std::string sql;
  std::vector<std::string> params;
};

/// The filter of a principal (built with Principal::Handle::Make) for a permission id and the
/// request's facts (a word of factBits).
class ListFilter {
public:
  ListFilter(const Principal &principal, uint32_t permission, uint64_t facts)
      : filter(nullptr, lattice_list_filter_free) {
    lattice_list_filter *raw = nullptr;
    const lattice_filter_status status =
        lattice_list_filter_as(principal.runtimeHandle(), permission, facts, &raw);
    filter.reset(raw);
    if (status == LATTICE_FILTER_OUT_OF_MEMORY)
      throw std::bad_alloc();
    if (status != LATTICE_FILTER_OK)
      throw InvalidArgument(std::string("no list filter: ") +
                            lattice_filter_status_message(status));
    // Node names given as strings are interned per principal (ids from 2^63): rows keyed by the
    // host's ids cannot be matched against them.
    for (const FilterTerm &t : terms())
      if (interned(t.node) ||
          std::any_of(t.exclusions.begin(), t.exclusions.end(), &ListFilter::interned))
        throw InvalidArgument("a list filter needs the host's numeric node ids: a membership's "
                              "node is named by a string");
  }

  std::vector<FilterTerm> terms() const {
    static const char *const kinds[] = {"node", "subtree", "below"};
    std::vector<FilterTerm> out;
    for (uint32_t i = 0; i < lattice_list_filter_term_count(filter.get()); ++i) {
      const lattice_filter_term t = lattice_list_filter_term(filter.get(), i);
      FilterTerm term{kinds[t.kind % 3], path(t.node), {}};
      for (uint32_t e = 0; e < t.exclusion_count; ++e)
        term.exclusions.push_back(path(t.exclusions[e]));
      out.push_back(std::move(term));
    }
    return out;
  }

  /// `dialect`: "postgres" or "sqlite".
  FilterSql sql(const std::string &dialect, const std::string &column,
                uint32_t firstParam = 1) const {
    uint32_t d;
    if (dialect == "postgres")
      d = LATTICE_SQL_POSTGRESQL;
    else if (dialect == "sqlite")
      d = LATTICE_SQL_SQLITE;
    else
      throw InvalidArgument("unknown SQL dialect `" + dialect + "`: expected postgres or sqlite");
    const size_t n =
        lattice_list_filter_sql(filter.get(), d, column.c_str(), firstParam, nullptr, 0);
    if (n == 0)
      throw InvalidArgument("`" + column +
                            "` is not a plain column name (letters, digits, `_`, optionally "
                            "`table.column`), or the first parameter number is 0");
    FilterSql out;
    out.sql.resize(n);
    lattice_list_filter_sql(filter.get(), d, column.c_str(), firstParam, out.sql.data(), n + 1);
    for (uint32_t i = 0; i < lattice_list_filter_param_count(filter.get()); ++i) {
      uint32_t size = 0;
      const uint8_t *data = lattice_list_filter_param(filter.get(), i, &size);
      out.params.emplace_back(reinterpret_cast<const char *>(data), size);
    }
    return out;
  }

private:
  static bool interned(const std::vector<uint64_t> &path) {
    return std::any_of(path.begin(), path.end(),
                       [](uint64_t id) { return id >= PathInterner::kFirstStringId; });
  }
  static std::vector<uint64_t> path(const lattice_node_path &p) {
    return std::vector<uint64_t>(p.ids, p.ids + p.depth);
  }
  std::unique_ptr<lattice_list_filter, void (*)(lattice_list_filter *)> filter;
};

} // namespace lattice::binding
