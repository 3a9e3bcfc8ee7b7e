// request_reader.h - the decision server's fast reader of /v1/decide and /v1/batch bodies: the
// common request shapes read with simdjson, without building an llvm::json tree per request.
#pragma once

#include "query/request_line.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace lattice::server::http {

/// The fast reader is an accelerator, never a second parser with its own rules: it reads a body
/// only when query::parseRequestValue would read the same body to the same RequestLine without an
/// error, and declines everything else (returns false). The caller then parses the body the one
/// way (base/json_input.h, query/request_line.h), whose answers and error messages are the API's.
/// What it reads: an object of one of the two request shapes whose keys are all known, each once;
/// strings with no escapes (the body has no backslash); `id` a string, integer, boolean or null;
/// node paths that query/node_path.h accepts; no `what_can`. The fuzz target fuzz_request_reader
/// and tests/unit/request_reader_test hold the two readers equal on every body it reads.
bool readDecideBody(std::string_view body, query::RequestLine &out);

/// A /v1/batch body, `{"requests": [...]}`, with at most `maxBatch` requests, each as above; `out`
/// gets them in order. Declines the whole body when any part would be declined.
bool readBatchBody(std::string_view body, size_t maxBatch, std::vector<query::RequestLine> &out);

} // namespace lattice::server::http
