// query_list_filter.cpp - `lattice query TABLE --list-filter --kind K --membership R@7/42 ...
// --permission P [--sql generic|postgres|sqlite] [--column C]`: parses the options, prints what
// query::listFilterText answers.
#include "driver/query_list_filter.h"

#include "driver/compile.h"
#include "query/list_filter.h"

#include <fmt/format.h>

namespace lattice::driver {

std::optional<std::string> listFilterUsageError(const Args &args) {
  for (const char *other : {"--target", "--roles", "--relation", "--requests", "--can-assign",
                            "--what-can", "--who-can"})
    if (args.has(other))
      return fmt::format("`--list-filter` is about every target node: it takes no `{}`", other);
  for (const char *required : {"--kind", "--permission", "--membership"})
    if (!args.has(required))
      return fmt::format("missing `{}`", required);
  if (auto format = args.get("--sql"); format && !query::parseFilterFormat(*format))
    return fmt::format("`--sql {}`: expected `generic`, `postgres` or `sqlite`", *format);
  return std::nullopt;
}

int answerListFilter(const lattice_table *table, const Args &args) {
  query::NamedAccessRequest named;
  named.kind = *args.get("--kind");
  named.flags = splitList(args.get("--flags").value_or(""));
  named.facts = splitList(args.get("--facts").value_or(""));
  named.permission = *args.get("--permission");
  std::string error;
  for (const std::string &spec : args.all("--membership")) {
    query::NamedMembership membership;
    if (!query::parseMembershipSpec(spec, membership, error)) {
      fmt::print(stderr, "lattice query: error: `--membership {}`: {}\n", spec, error);
      return ExitErrors;
    }
    named.memberships.push_back(std::move(membership));
  }
  const query::FilterFormat format =
      *query::parseFilterFormat(args.get("--sql").value_or("generic"));
  std::optional<std::string> text =
      query::listFilterText(table, named, format, args.get("--column").value_or("node_key"), error);
  if (!text) {
    fmt::print(stderr, "lattice query: error: {}\n", error);
    return ExitErrors;
  }
  fmt::print("{}", *text);
  return ExitOk;
}

} // namespace lattice::driver
