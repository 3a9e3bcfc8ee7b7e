// list_filter.cpp - `lattice query --list-filter`: resolves a principal by name, builds its list
// filter with the runtime (lattice/list_filter.h) and words it. Node names are the host's ids.
#include "query/list_filter.h"

#include "lattice/list_filter.h"

#include <charconv>
#include <fmt/format.h>
#include <memory>

namespace lattice::query {
namespace {

/// `7/42/99`: a term's node as its ids.
std::string pathText(const lattice_node_path &path) {
  std::string text;
  for (uint32_t i = 0; i < path.depth; ++i)
    text += fmt::format("{}{}", i ? "/" : "", path.ids[i]);
  return text;
}

std::string hex(const uint8_t *data, uint32_t size) {
  std::string text;
  for (uint32_t i = 0; i < size; ++i)
    text += fmt::format("{:02x}", data[i]);
  return text;
}

std::optional<uint64_t> numericId(const std::string &name) {
  uint64_t id = 0;
  const char *end = name.data() + name.size();
  auto [at, ec] = std::from_chars(name.data(), end, id);
  if (ec != std::errc() || at != end || name.empty() || (name.size() > 1 && name[0] == '0'))
    return std::nullopt;
  return id;
}

} // namespace

std::optional<FilterFormat> parseFilterFormat(std::string_view word) {
  if (word == "generic")
    return FilterFormat::Generic;
  if (word == "postgres")
    return FilterFormat::Postgres;
  if (word == "sqlite")
    return FilterFormat::Sqlite;
  return std::nullopt;
}

std::optional<std::string> listFilterText(const lattice_table *table,
                                          const NamedAccessRequest &named, FilterFormat format,
                                          const std::string &column, std::string &error) {
  // Resolve names as for a decision; the target is not used by the filter.
  NamedAccessRequest request = named;
  if (request.memberships.empty()) {
    error = "a list filter needs at least one `--membership`";
    return std::nullopt;
  }
  request.target = request.memberships.front().node;
  ResolvedAccessRequest resolved;
  if (!resolveAccessRequest(table, request, resolved, error))
    return std::nullopt;
  // Rows are keyed by the host's ids: a node name must be one.
  std::vector<std::vector<uint64_t>> paths;
  for (size_t m = 0; m < named.memberships.size(); ++m) {
    std::vector<uint64_t> ids;
    for (const std::string &name : named.memberships[m].node) {
      std::optional<uint64_t> id = numericId(name);
      if (!id) {
        error = fmt::format("membership {}: node `{}` is not a number; a list filter is over the "
                            "host's node ids (write the path as ids: `7/42`)",
                            m + 1, quotedText(name));
        return std::nullopt;
      }
      ids.push_back(*id);
    }
    paths.push_back(std::move(ids));
  }
  std::vector<lattice_membership> memberships;
  for (size_t m = 0; m < paths.size(); ++m) {
    lattice_membership ms = resolved.membership(m);
    ms.node.path = {paths[m].data(), uint32_t(paths[m].size())};
    memberships.push_back(ms);
  }
  lattice_access_request q = resolved.request();
  q.memberships = memberships.data();
  q.membership_count = uint32_t(memberships.size());
  lattice_list_filter *raw = nullptr;
  const lattice_filter_status status =
      lattice_list_filter_new(table, resolved.customRoles(), &q, &raw);
  std::unique_ptr<lattice_list_filter, void (*)(lattice_list_filter *)> filter(
      raw, lattice_list_filter_free);
  if (status != LATTICE_FILTER_OK) {
    error = fmt::format("no list filter: {}", lattice_filter_status_message(status));
    return std::nullopt;
  }

  std::string text;
  if (format == FilterFormat::Generic) {
    static const char *const kinds[] = {"node", "subtree", "below"};
    for (uint32_t i = 0; i < lattice_list_filter_term_count(filter.get()); ++i) {
      const lattice_filter_term t = lattice_list_filter_term(filter.get(), i);
      text += fmt::format("{} {}", kinds[t.kind], pathText(t.node));
      for (uint32_t e = 0; e < t.exclusion_count; ++e)
        text += fmt::format(" except {}", pathText(t.exclusions[e]));
      text += '\n';
    }
    return text.empty() ? std::string("nothing\n") : text;
  }
  const bool postgres = format == FilterFormat::Postgres;
  const uint32_t dialect = postgres ? LATTICE_SQL_POSTGRESQL : LATTICE_SQL_SQLITE;
  const size_t length =
      lattice_list_filter_sql(filter.get(), dialect, column.c_str(), 1, nullptr, 0);
  if (length == 0) {
    error = fmt::format("`{}` is not a plain column name (letters, digits, `_`, optionally "
                        "`table.column`)",
                        quotedText(column));
    return std::nullopt;
  }
  std::string sql(length, '\0');
  lattice_list_filter_sql(filter.get(), dialect, column.c_str(), 1, sql.data(), length + 1);
  text = sql + "\n";
  for (uint32_t i = 0; i < lattice_list_filter_param_count(filter.get()); ++i) {
    uint32_t size = 0;
    const uint8_t *data = lattice_list_filter_param(filter.get(), i, &size);
    text += postgres ? fmt::format("${} = '\\x{}'::bytea\n", i + 1, hex(data, size))
                     : fmt::format("?{} = x'{}'\n", i + 1, hex(data, size));
  }
  return text;
}

} // namespace lattice::query
