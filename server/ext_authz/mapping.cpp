// mapping.cpp - headers and paths to a request by name. Anything doubtful (a missing header, a
// path that is not normalized, a bad escape) is an error, so the request is denied: what the
// upstream serves must be what was authorized.
#include "server/ext_authz/mapping.h"

#include "base/percent_decode.h"
#include "query/node_path.h"

#include <fmt/format.h>

namespace lattice::ext_authz {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

/// A header's value within the limit; nullopt when absent (error left empty) or too long.
std::optional<std::string_view> headerValue(const HttpRequestView &http, const std::string &name,
                                            std::string &error) {
  std::optional<std::string_view> value = http.header(name);
  if (value && value->size() > kMaxHeaderValueBytes) {
    error = fmt::format("header `{}` is longer than {} bytes", name, kMaxHeaderValueBytes);
    return std::nullopt;
  }
  return value;
}

/// `a, b,c` as names; an empty item (`a,,b`) is an error. An empty value is no name.
bool splitNameList(std::string_view value, const std::string &header, std::vector<std::string> &out,
                   std::string &error) {
  if (trim(value).empty())
    return true;
  for (size_t begin = 0;;) {
    size_t comma = value.find(',', begin);
    std::string_view item =
        trim(value.substr(begin, comma == std::string_view::npos ? comma : comma - begin));
    if (item.empty()) {
      error = fmt::format("header `{}` has an empty item", header);
      return false;
    }
    if (out.size() == query::kMaxFlagNames) {
      error = fmt::format("header `{}` has more than {} names", header, query::kMaxFlagNames);
      return false;
    }
    out.emplace_back(item);
    if (comma == std::string_view::npos)
      return true;
    begin = comma + 1;
  }
}

/// The path's segments, decoded; an error for a path that is not absolute and normalized.
bool splitRequestPath(std::string_view target, std::vector<std::string> &segments,
                      std::string &error) {
  std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (path.empty() || path.front() != '/') {
    error = fmt::format("path `{}` does not start with `/`", query::quotedText(path));
    return false;
  }
  if (path == "/")
    return true;
  std::string decoded;
  for (size_t begin = 1;;) {
    size_t slash = path.find('/', begin);
    std::string_view segment =
        path.substr(begin, slash == std::string_view::npos ? slash : slash - begin);
    if (segment.empty() || segment == "." || segment == "..") {
      error = fmt::format("path `{}` is not normalized (an empty, `.` or `..` segment)",
                          query::quotedText(path));
      return false;
    }
    if (!percentDecode(segment, decoded)) {
      error = fmt::format("path `{}` has a malformed `%` escape", query::quotedText(path));
      return false;
    }
    if (decoded == "." || decoded == ".." || decoded.find('/') != std::string::npos) {
      error = fmt::format("path `{}` has an escaped `/` or a `.`/`..` segment",
                          query::quotedText(path));
      return false;
    }
    segments.push_back(decoded);
    if (segments.size() > 2 * query::kMaxNodeDepth) {
      error = fmt::format("path `{}` has more than {} segments", query::quotedText(path),
                          2 * query::kMaxNodeDepth);
      return false;
    }
    if (slash == std::string_view::npos)
      return true;
    begin = slash + 1;
  }
}

/// Whether the route matches; its parameters' values are then in `values` (by segment).
bool matches(const Route &route, std::string_view method, const std::vector<std::string> &path) {
  if (route.method != "*" && route.method != method)
    return false;
  if (route.path.size() != path.size())
    return false;
  for (size_t i = 0; i < path.size(); ++i)
    if (!route.path[i].parameter && route.path[i].text != path[i])
      return false;
  return true;
}

bool buildTarget(const Route &route, const std::vector<std::string> &path,
                 const HttpRequestView &http, query::NodeName &out, std::string &error) {
  for (const TargetPart &part : route.target) {
    switch (part.kind) {
    case TargetPart::Kind::Literal:
      out.push_back(part.text);
      break;
    case TargetPart::Kind::Parameter:
      for (size_t i = 0; i < route.path.size(); ++i)
        if (route.path[i].parameter && route.path[i].text == part.text)
          out.push_back(path[i]);
      break;
    case TargetPart::Kind::Header: {
      std::optional<std::string_view> value = headerValue(http, part.text, error);
      if (!value) {
        if (error.empty())
          error = fmt::format("missing header `{}` (the route's target needs it)", part.text);
        return false;
      }
      std::optional<query::NodeName> nodes = query::parseNodePath(trim(*value), error);
      if (!nodes) {
        error = fmt::format("header `{}`: {}", part.text, error);
        return false;
      }
      out.insert(out.end(), nodes->begin(), nodes->end());
      break;
    }
    }
  }
  return query::checkNodeName(out, error);
}

} // namespace

bool parseMembershipsHeader(std::string_view value,
                            std::vector<query::NamedMembership> &memberships, std::string &error) {
  if (trim(value).empty())
    return true;
  std::string pendingRoles; // roles before the item that names the node
  for (size_t begin = 0;;) {
    size_t comma = value.find(',', begin);
    std::string_view item =
        trim(value.substr(begin, comma == std::string_view::npos ? comma : comma - begin));
    if (item.empty()) {
      error = "memberships: an empty item (`a,,b`)";
      return false;
    }
    if (item.find('@') == std::string_view::npos) {
      if (!pendingRoles.empty())
        pendingRoles += ',';
      pendingRoles += item;
    } else {
      if (memberships.size() == query::kMaxMemberships) {
        error = fmt::format("memberships: more than {}", query::kMaxMemberships);
        return false;
      }
      std::string spec =
          pendingRoles.empty() ? std::string(item) : pendingRoles + "," + std::string(item);
      pendingRoles.clear();
      query::NamedMembership membership;
      if (!query::parseMembershipSpec(spec, membership, error)) {
        error = fmt::format("membership {}: {}", memberships.size() + 1, error);
        return false;
      }
      memberships.push_back(std::move(membership));
    }
    if (comma == std::string_view::npos)
      break;
    begin = comma + 1;
  }
  if (!pendingRoles.empty()) {
    error = fmt::format("memberships: `{}` after the last membership names no node (write "
                        "`ROLE@PATH`)",
                        query::quotedText(pendingRoles));
    return false;
  }
  return true;
}

bool mapRequest(const MappingConfig &config, const HttpRequestView &http, MappedRequest &out,
                std::string &error) {
  out = MappedRequest{};
  query::NamedAccessRequest &request = out.request;
  error.clear();
  // The principal.
  if (!config.kind.empty()) {
    request.kind = config.kind;
  } else {
    std::optional<std::string_view> kind = headerValue(http, config.kindHeader.name, error);
    if (!kind || trim(*kind).empty()) {
      if (error.empty())
        error =
            fmt::format("missing header `{}` (the principal's user type)", config.kindHeader.name);
      return false;
    }
    request.kind = std::string(trim(*kind));
  }
  std::optional<std::string_view> memberships =
      headerValue(http, config.membershipsHeader.name, error);
  if (!memberships) {
    if (error.empty())
      error = fmt::format("missing header `{}` (the principal's memberships)",
                          config.membershipsHeader.name);
    return false;
  }
  if (!parseMembershipsHeader(*memberships, request.memberships, error))
    return false;
  for (const auto &[source, list] : {std::pair{&config.flagsHeader, &request.flags},
                                     std::pair{&config.factsHeader, &request.facts}}) {
    if (!source->configured())
      continue;
    std::optional<std::string_view> value = headerValue(http, source->name, error);
    if (!error.empty())
      return false;
    if (value && !splitNameList(*value, source->name, *list, error))
      return false;
  }
  // The permission and the target.
  std::vector<std::string> path;
  if (!splitRequestPath(http.path, path, error))
    return false;
  for (const Route &route : config.routes) {
    if (!matches(route, http.method, path))
      continue;
    out.route = &route;
    request.permission = route.permission;
    break;
  }
  if (!out.route) {
    if (!config.permissionHeader.configured()) {
      error = fmt::format("no route matches `{} {}`", query::quotedText(http.method),
                          query::quotedText(http.path.substr(0, http.path.find_first_of("?#"))));
      return false;
    }
    std::optional<std::string_view> permission =
        headerValue(http, config.permissionHeader.name, error);
    if (!permission || trim(*permission).empty()) {
      if (error.empty())
        error = fmt::format("no route matches `{} {}` and header `{}` is missing",
                            query::quotedText(http.method),
                            query::quotedText(http.path.substr(0, http.path.find_first_of("?#"))),
                            config.permissionHeader.name);
      return false;
    }
    request.permission = std::string(trim(*permission));
  }
  if (out.route && !out.route->target.empty())
    return buildTarget(*out.route, path, http, request.target, error);
  std::optional<std::string_view> target = headerValue(http, config.targetHeader.name, error);
  if (!target) {
    if (error.empty())
      error = fmt::format("missing header `{}` (the target's path)", config.targetHeader.name);
    return false;
  }
  std::optional<query::NodeName> nodes = query::parseNodePath(trim(*target), error);
  if (!nodes) {
    error = fmt::format("header `{}`: {}", config.targetHeader.name, error);
    return false;
  }
  request.target = std::move(*nodes);
  return true;
}

std::string validUtf8(std::string_view text) {
  return llvm::json::isUTF8(text) ? std::string(text) : llvm::json::fixUTF8(text);
}

llvm::json::Object requestToJson(const query::NamedAccessRequest &request) {
  auto names = [](const std::vector<std::string> &list) {
    llvm::json::Array array;
    for (const std::string &name : list)
      array.push_back(validUtf8(name));
    return array;
  };
  llvm::json::Array memberships;
  for (const query::NamedMembership &m : request.memberships)
    memberships.push_back(llvm::json::Object{{"node", validUtf8(query::nodePathText(m.node))},
                                             {"roles", names(m.roles)},
                                             {"flags", names(m.flags)}});
  llvm::json::Object out{{"kind", validUtf8(request.kind)},
                         {"flags", names(request.flags)},
                         {"memberships", std::move(memberships)},
                         {"permission", validUtf8(request.permission)},
                         {"target", validUtf8(query::nodePathText(request.target))}};
  if (!request.facts.empty())
    out["facts"] = names(request.facts);
  return out;
}

} // namespace lattice::ext_authz
