// mapping.h - one HTTP request (as Envoy's ext_authz describes it) turned into a Lattice request
// by name, by the mapping config: principal from headers, permission and target from the first
// matching route (or from headers). A request that cannot be mapped is refused with the reason.
#pragma once

#include "query/access_request.h"
#include "server/ext_authz/mapping_config.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <string_view>

namespace lattice::ext_authz {

/// A header value longer than this is refused (Envoy's own default limit on all headers is
/// 60 KiB); it bounds what one request costs to map.
inline constexpr size_t kMaxHeaderValueBytes = 64 * 1024;

/// The parts of an HTTP request the mapping reads.
struct HttpRequestView {
  std::string_view method;
  std::string_view path; // the request target: path, then `?query` (not decoded)
  /// The value of a header by lower-case name, if present.
  llvm::function_ref<std::optional<std::string_view>(std::string_view name)> header;
};

struct MappedRequest {
  query::NamedAccessRequest request;
  const Route *route = nullptr; // the route that matched; null when headers gave the permission
};

/// Maps a request; false with `error` set ("missing header `x-lattice-kind`", "no route matches
/// `GET /x`", ...) when it cannot be: such a request is to be denied.
bool mapRequest(const MappingConfig &config, const HttpRequestView &http, MappedRequest &out,
                std::string &error);

/// Splits a memberships header, `admin@acme/a,viewer,billing@acme/b+business`: comma-separated
/// items (blanks around them ignored, as in any HTTP list), each a role or a membership in
/// `query --membership` syntax, the roles before a `ROLE@PATH` item joining that membership
/// (`viewer,billing@acme/b` is one membership holding both). Role names hold no `@`, so every
/// membership ends at the first item with one; node names here hold no `,`.
bool parseMembershipsHeader(std::string_view value,
                            std::vector<query::NamedMembership> &memberships, std::string &error);

/// `text` itself when it is valid UTF-8, else with each bad byte replaced (JSON and protobuf
/// strings must be UTF-8; header values reach answers in error messages).
std::string validUtf8(std::string_view text);

/// The request in the shape of a `query --requests` line (memberships and target), for the
/// decision log, whose masks name its fields (`flags`, `memberships.node`).
llvm::json::Object requestToJson(const query::NamedAccessRequest &request);

} // namespace lattice::ext_authz
