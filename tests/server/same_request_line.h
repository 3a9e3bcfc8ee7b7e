// same_request_line.h - whether two parsed request lines are the same request, field by field:
// the fast body reader (server/http/request_reader.h) must read what the one parser reads.
#pragma once

#include "query/request_line.h"

#include <string>

namespace lattice::testing {

/// "" when `a` and `b` are the same request, else the first field that differs.
inline std::string requestLineDifference(const query::RequestLine &a, const query::RequestLine &b) {
  if (a.whatCan != b.whatCan)
    return "what_can";
  if (a.id.has_value() != b.id.has_value() || (a.id && !(*a.id == *b.id)))
    return "id";
  if (a.access.has_value() != b.access.has_value())
    return "shape";
  if (a.access) {
    const query::NamedAccessRequest &x = *a.access, &y = *b.access;
    if (x.kind != y.kind || x.permission != y.permission)
      return "kind or permission";
    if (x.flags != y.flags || x.facts != y.facts || x.target != y.target)
      return "flags, facts or target";
    if (x.memberships.size() != y.memberships.size())
      return "membership count";
    for (size_t i = 0; i < x.memberships.size(); ++i) {
      const query::NamedMembership &m = x.memberships[i], &n = y.memberships[i];
      if (m.node != n.node || m.roles != n.roles || m.flags != n.flags)
        return "membership " + std::to_string(i + 1);
    }
    return "";
  }
  const query::NamedRequest &x = a.request, &y = b.request;
  if (x.kind != y.kind || x.permission != y.permission || x.relation != y.relation)
    return "kind, permission or relation";
  if (x.roles != y.roles || x.flags != y.flags || x.facts != y.facts)
    return "roles, flags or facts";
  return "";
}

} // namespace lattice::testing
