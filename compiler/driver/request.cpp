// request.cpp - the request options of `query` and `explain`, and the request they spell.
// Names are kept as written: query::resolveRequest reports unknown ones.
#include "driver/request.h"

#include "sema/relation_words.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {

std::vector<OptionSpec> requestOptions(std::vector<OptionSpec> extra) {
  std::vector<OptionSpec> options = {
      {"--kind", true, "KIND", "the principal's user type"},
      {"--roles", true, "R1,R2", "the roles the principal holds (stacked)"},
      {"--permission", true, "RES.ACTION", "the permission asked for"},
      {"--relation", true, "REL",
       "self | descendants | ancestors | elsewhere | none (another tree)"},
      {"--flags", true, "F1,F2", "flags that hold for the principal and its node"},
  };
  options.insert(options.end(), extra.begin(), extra.end());
  return options;
}

std::optional<std::string> missingRequestOption(const Args &args) {
  for (const char *required : {"--kind", "--permission", "--relation"})
    if (!args.has(required))
      return fmt::format("missing `{}`", required);
  return std::nullopt;
}

NamedRequest namedRequest(const Args &args) {
  NamedRequest named{*args.get("--kind"), splitList(args.get("--roles").value_or("")),
                     *args.get("--permission"), *args.get("--relation"),
                     splitList(args.get("--flags").value_or(""))};
  // An old spelling still answers, in the one vocabulary's word from here on.
  std::string_view replacement;
  std::string error;
  if (sema::parseRequestRelation(named.relation, replacement, error) && !replacement.empty()) {
    fmt::print(stderr,
               "lattice: warning: `{}` is the old spelling of the relation `{}`; write "
               "`--relation {}`\n",
               named.relation, replacement, replacement);
    named.relation = std::string(replacement);
  }
  return named;
}

} // namespace lattice::driver
