// uri.h - `file://` URIs -> paths, as editors send them (percent-encoded, `file:///a%20b.lat`).
// Other schemes (an unsaved `untitled:` buffer) have no path: the server ignores them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lattice::lsp {

/// The path of a `file://` URI (decoded), or nullopt for another scheme or a bad escape.
std::optional<std::string> uriToPath(std::string_view uri);
/// The other way, a path's URI, is lattice::fileUri (diagnostics/sarif.h): SARIF logs and the
/// server's messages name files alike.

} // namespace lattice::lsp
