// uri.cpp - percent-decoding of file URIs (RFC 3986), no authority but empty or `localhost`.
#include "lsp/uri.h"

#include "base/percent_decode.h"

namespace lattice::lsp {

std::optional<std::string> uriToPath(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.substr(0, scheme.size()) != scheme)
    return std::nullopt;
  uri.remove_prefix(scheme.size());
  if (uri.substr(0, 9) == "localhost")
    uri.remove_prefix(9);
  if (uri.empty() || uri.front() != '/')
    return std::nullopt;
  // Every `%` of a decoded text starts an escape, so `%00` in it is an escaped NUL: refused, a
  // path cannot hold one.
  std::string path;
  if (!percentDecode(uri, path) || uri.find("%00") != std::string_view::npos)
    return std::nullopt;
  return path;
}

} // namespace lattice::lsp
