// request.cpp - the request options of `query` and `explain`, and the request they spell.
// Names are kept as written: query::resolveRequest and query::resolveAccessRequest report
// unknown ones.
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
      {"--flags", true, "F1,F2",
       "flags that hold for the principal (and, with --relation, its node)"},
      {"--membership", true, "ROLES@PATH+F",
       "roles (R1,R2) held at the node PATH (a/b/c), with that node's flags (+F1+F2); "
       "repeatable, instead of --roles and --relation"},
      {"--target", true, "PATH", "the node the request is about (with --membership)"},
      {"--facts", true, "F1,F2",
       "facts that hold for the request: resource.X, target.X, request.X"},
  };
  options.insert(options.end(), extra.begin(), extra.end());
  return options;
}

bool isAccessRequest(const Args &args) { return args.has("--membership") || args.has("--target"); }

std::optional<std::string> requestUsageError(const Args &args, bool needsPermission) {
  const bool access = isAccessRequest(args);
  if (access)
    for (const char *oneNode : {"--roles", "--relation"})
      if (args.has(oneNode))
        return fmt::format("`{}` is for a principal at one node; with `--membership` and "
                           "`--target` give the roles in each membership",
                           oneNode);
  for (const char *required : {"--kind", "--permission", access ? "--target" : "--relation"})
    if (!args.has(required) && (needsPermission || std::string_view(required) != "--permission"))
      return fmt::format("missing `{}`", required);
  return std::nullopt;
}

query::NamedRequest namedRequest(const Args &args) {
  query::NamedRequest named{*args.get("--kind"),
                            splitList(args.get("--roles").value_or("")),
                            args.get("--permission").value_or(""),
                            *args.get("--relation"),
                            splitList(args.get("--flags").value_or("")),
                            splitList(args.get("--facts").value_or(""))};
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

std::optional<query::NamedAccessRequest> namedAccessRequest(const Args &args, std::string &error) {
  query::NamedAccessRequest named;
  named.kind = *args.get("--kind");
  named.flags = splitList(args.get("--flags").value_or(""));
  named.facts = splitList(args.get("--facts").value_or(""));
  named.permission = args.get("--permission").value_or("");
  for (const std::string &spec : args.all("--membership")) {
    query::NamedMembership membership;
    if (!query::parseMembershipSpec(spec, membership, error)) {
      error = fmt::format("`--membership {}`: {}", spec, error);
      return std::nullopt;
    }
    named.memberships.push_back(std::move(membership));
  }
  const std::string target = *args.get("--target");
  if (target.find('+') != std::string::npos) {
    // `+` starts node flags in `--membership`; a target written the same way is a mistake, not a
    // node named `a+frozen` (which the command line could not name in a membership either).
    error = fmt::format("`--target`: `{}` has a `+`; the target takes no flags (node flags are "
                        "given per membership: `--membership ROLES@PATH+FLAG`)",
                        target);
    return std::nullopt;
  }
  std::optional<query::NodeName> path = query::parseNodePath(target, error);
  if (!path) {
    error = "`--target`: " + error;
    return std::nullopt;
  }
  named.target = std::move(*path);
  return named;
}

} // namespace lattice::driver
