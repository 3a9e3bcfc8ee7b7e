// percent_decode.h - RFC 3986 percent-decoding, strict: shared by the language server's `file://`
// URIs and the ext_authz mapping's request paths, which both refuse a malformed escape.
#pragma once

#include <string>
#include <string_view>

namespace lattice {

/// `text` with each `%XX` (two hex digits, either case) replaced by its byte, in `out`; false
/// for a `%` not followed by two hex digits. Nothing else is decoded (`+` stays `+`).
bool percentDecode(std::string_view text, std::string &out);

} // namespace lattice
