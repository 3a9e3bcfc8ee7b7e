// request_line.h - one line of a JSONL request stream (`lattice query --requests`; the decision
// server's bodies are the same JSON): parsed within limits, resolved, decided, answered as JSON.
#pragma once

#include "query/access_request.h"
#include "query/request.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/JSON.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace lattice::query {

/// A request line is one JSON object; 1 MiB is far more than any real request needs.
inline constexpr size_t kMaxRequestLineBytes = size_t(1) << 20;

/// A line is one of two shapes: a principal at one node (`roles`, `relation`) or a principal with
/// memberships (`memberships`, `target`).
struct RequestLine {
  NamedRequest request;                     // one node
  std::optional<NamedAccessRequest> access; // set for the shape with memberships
  std::optional<llvm::json::Value> id;      // the line's `id`, echoed in its answer
  /// `"what_can": true`: every permission the principal is allowed, instead of one (the line
  /// then has no `permission`).
  bool whatCan = false;
};

/// Parses `{"kind": ..., "roles": [...], "permission": ..., "relation": ..., "flags": [...],
/// "id": ...}` or `{"kind": ..., "flags": [...], "memberships": [{"node": "a/b" or ["a", "b"],
/// "roles": [...], "flags": [...]}, ...], "permission": ..., "target": "a/b/c" or [...],
/// "id": ...}`; a line with fields of both shapes is refused. On failure returns false with `error`
/// set ("invalid JSON at column 13: expected object key", "missing string field `kind`", ...);
/// `out.id` is set whenever the line is an object with an `id` that can be echoed (see
/// echoableId), so even a refused request can be matched to its answer.
bool parseRequestLine(llvm::StringRef line, RequestLine &out, std::string &error);

/// Whether `id` can be echoed as JSON text. llvm::json reads a number beyond a double's range
/// (`1e999`) as infinity and writes it back as `inf`, which is not JSON, so a request whose id
/// holds one (at any depth) is refused with kUnechoableId, without an id in its answer.
bool echoableId(const llvm::json::Value &id);
inline constexpr const char *kUnechoableId =
    "`id` holds a number beyond the range of a double, which the answer could not echo";

/// `object[key]` as strings appended to `out`: true when absent; false with "`KEY` must be an
/// array of strings" when it is anything but an array of strings.
bool readStringArray(const llvm::json::Object &object, llvm::StringRef key,
                     std::vector<std::string> &out, std::string &error);

/// What a request is parsed for: a decision (or what-can), or a list filter (the shape with
/// memberships, without `target`: a filter is about every target).
enum class RequestUse { Decide, ListFilter };

/// The same over a JSON value already parsed (a request inside a server's batch, or a body the
/// server parsed once): the limits of the text are then the caller's.
bool parseRequestValue(const llvm::json::Value &value, RequestLine &out, std::string &error,
                       RequestUse use = RequestUse::Decide);

/// The answer to one line: `{"line": N, "id": ..., "decision": "allow"|"deny", "reason": ...,
/// "role": ..., "membership": N}` (`membership`, numbered from 1, for the shape with memberships
/// when one decided), or `{"line": N, "id": ..., "decision": "deny", "error": ...}` for a line that
/// is malformed or names something the table does not know (`failed` is then set; it is never
/// cleared: callers pass one flag for a whole stream). Appended to `out` as one line of JSON
/// text, without the newline.
void answerRequestLine(const lattice_table *table, llvm::StringRef line, size_t lineNumber,
                       bool &failed, std::string &out);

/// What the answer to a request says, before it is written as JSON (query/answer_json.h).
struct RequestAnswer {
  std::optional<llvm::json::Value> id;
  bool whatCan = false; // a what-can answer: `allowed` lists permissions, no decision
  bool failed = false;  // refused: `error` says why, the decision is "deny" (what-can: none)
  bool allowed = false; // the decision
  std::string error;
  const char *reason = nullptr;      // reasonKey() of the decision; null when failed or what-can
  const char *role = nullptr;        // the deciding role, if any
  const char *customRole = nullptr;  // the ceiling of the deciding custom role, if any
  std::optional<int64_t> membership; // the deciding membership, from 1
  std::vector<const char *> allowedPermissions; // what-can: in the table's order
};

/// Decides a request parsed by parseRequestLine/parseRequestValue; `parseError` is the parse's
/// error when it failed (the answer is then "deny" with it). The request's `id` is moved into
/// the answer.
RequestAnswer decideRequest(const lattice_table *table, RequestLine &parsed,
                            const std::string *parseError);

} // namespace lattice::query
