// request_reader.cpp - simdjson's DOM over a per-thread parser and padded buffer; each known key
// read once, with the same node-path checks as query/request_line.cpp. Anything unusual declines.
#include "server/http/request_reader.h"

#include "query/access_request.h"
#include "query/node_path.h"

#include <algorithm>
#include <cstring>
#include <optional>
#include <simdjson.h>

namespace lattice::server::http {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

/// The body copied into a buffer with simdjson's padding after it, and parsed. Both the buffer
/// and the parser are kept per thread: the server answers on one thread per io_context, and
/// neither allocates again once it has seen its largest body.
std::optional<element> parseBody(std::string_view body) {
  // A backslash means an escape somewhere: llvm::json and simdjson differ on some (lone
  // surrogates), and no name Lattice resolves needs one. The one parser reads those bodies.
  if (std::memchr(body.data(), '\\', body.size()) != nullptr)
    return std::nullopt;
  thread_local std::vector<char> padded;
  thread_local simdjson::dom::parser parser;
  if (padded.size() < body.size() + simdjson::SIMDJSON_PADDING)
    padded.resize(body.size() + simdjson::SIMDJSON_PADDING);
  std::memcpy(padded.data(), body.data(), body.size());
  element root;
  if (parser.parse(padded.data(), body.size(), false).get(root) != simdjson::SUCCESS)
    return std::nullopt;
  return root;
}

bool readString(element value, std::string &out) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS)
    return false;
  out.assign(text);
  return true;
}

bool readStrings(element value, std::vector<std::string> &out) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS)
    return false;
  out.reserve(out.size() + array.size()); // size() is bounded by the body's length
  for (element item : array)
    if (!readString(item, out.emplace_back()))
      return false;
  return true;
}

/// `"a/b"` or `["a", "b"]`, accepted by the same checks as query's readNode.
bool readNode(element value, query::NodeName &out) {
  std::string error;
  if (value.type() == element_type::STRING) {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
      return false;
    std::optional<query::NodeName> path = query::parseNodePath(text, error);
    if (!path)
      return false;
    out = std::move(*path);
    return true;
  }
  return readStrings(value, out) && query::checkNodeName(out, error);
}

/// The `id` llvm::json would hold for the same text: only the types both read alike.
bool readId(element value, std::optional<llvm::json::Value> &out) {
  switch (value.type()) {
  case element_type::STRING: {
    std::string_view text;
    if (value.get_string().get(text) != simdjson::SUCCESS)
      return false;
    out.emplace(std::string(text));
    return true;
  }
  case element_type::INT64:
    out.emplace(int64_t(value.get_int64().value_unsafe()));
    return true;
  case element_type::BOOL:
    out.emplace(value.get_bool().value_unsafe());
    return true;
  case element_type::NULL_VALUE:
    out.emplace(nullptr);
    return true;
  default: // a double or an integer past int64: llvm::json's spelling may differ
    return false;
  }
}

/// An object's fields by a fixed list of keys, each at most once; false on any other key.
template <size_t N> struct Fields {
  const std::string_view (&keys)[N];
  std::optional<element> values[N];

  bool read(element value) {
    simdjson::dom::object object;
    if (value.get_object().get(object) != simdjson::SUCCESS)
      return false;
    for (simdjson::dom::key_value_pair field : object) {
      size_t i = 0;
      while (i < N && keys[i] != field.key)
        ++i;
      if (i == N || values[i])
        return false;
      values[i] = field.value;
    }
    return true;
  }
};

constexpr std::string_view kMembershipKeys[] = {"node", "roles", "flags"};

bool readMembership(element value, query::NamedMembership &out) {
  Fields<3> fields{kMembershipKeys, {}};
  if (!fields.read(value))
    return false;
  auto &[node, roles, flags] = fields.values;
  return node && readNode(*node, out.node) && (!roles || readStrings(*roles, out.roles)) &&
         (!flags || readStrings(*flags, out.flags));
}

bool readMemberships(element value, std::vector<query::NamedMembership> &out) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS)
    return false;
  for (element item : array)
    if (out.size() == query::kMaxMemberships || !readMembership(item, out.emplace_back()))
      return false;
  return true;
}

constexpr std::string_view kRequestKeys[] = {"id",    "kind",  "permission",  "relation", "roles",
                                             "flags", "facts", "memberships", "target"};

bool readRequest(element value, query::RequestLine &out) {
  Fields<9> fields{kRequestKeys, {}};
  if (!fields.read(value))
    return false;
  auto &[id, kind, permission, relation, roles, flags, facts, memberships, target] = fields.values;
  if (id && !readId(*id, out.id))
    return false;
  if (!kind || !permission)
    return false;
  auto optionalStrings = [](const std::optional<element> &value, std::vector<std::string> &out) {
    return !value || readStrings(*value, out);
  };
  const bool oneNode = roles || relation;
  if (memberships || target) {
    if (oneNode || !memberships || !target)
      return false;
    query::NamedAccessRequest &access = out.access.emplace();
    return readString(*kind, access.kind) && readString(*permission, access.permission) &&
           optionalStrings(flags, access.flags) && optionalStrings(facts, access.facts) &&
           readMemberships(*memberships, access.memberships) && readNode(*target, access.target);
  }
  query::NamedRequest &request = out.request;
  return relation && readString(*kind, request.kind) &&
         readString(*permission, request.permission) && readString(*relation, request.relation) &&
         optionalStrings(roles, request.roles) && optionalStrings(flags, request.flags) &&
         optionalStrings(facts, request.facts);
}

} // namespace

bool readDecideBody(std::string_view body, query::RequestLine &out) {
  std::optional<element> root = parseBody(body);
  return root && readRequest(*root, out);
}

bool readBatchBody(std::string_view body, size_t maxBatch, std::vector<query::RequestLine> &out) {
  std::optional<element> root = parseBody(body);
  constexpr std::string_view keys[] = {"requests"};
  Fields<1> fields{keys, {}};
  if (!root || !fields.read(*root) || !fields.values[0])
    return false;
  simdjson::dom::array requests;
  if (fields.values[0]->get_array().get(requests) != simdjson::SUCCESS)
    return false;
  out.reserve(std::min(requests.size(), maxBatch));
  for (element request : requests)
    if (out.size() == maxBatch || !readRequest(request, out.emplace_back()))
      return false;
  return true;
}

} // namespace lattice::server::http
