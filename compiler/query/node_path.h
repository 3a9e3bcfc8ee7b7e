// node_path.h - nodes named by their ancestor path, as users and hosts write them (`acme/eu/doc-1`
// or ["acme", "eu", "doc-1"]), and their runtime ancestor paths, made by interning every prefix.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lattice::query {

/// Deeper than any real tree (tenant, account, sub-account, folders, resource) yet small enough
/// that a relation stays a short prefix comparison.
inline constexpr size_t kMaxNodeDepth = 64;

/// A node as the names of the nodes from its tree's root down to itself.
using NodeName = std::vector<std::string>;

/// Parses `acme/eu/doc-1`. Fails with `error` set on an empty path, an empty name (`a//b`, `/a`,
/// `a/`) and a path deeper than kMaxNodeDepth.
std::optional<NodeName> parseNodePath(std::string_view text, std::string &error);

/// Checks a path given as a list of names (JSON): not empty, no name empty or containing `/`
/// (so that the two spellings name the same nodes), at most kMaxNodeDepth names.
bool checkNodeName(const NodeName &path, std::string &error);

/// `acme/eu/doc-1`: how messages and answers name the node.
std::string nodePathText(const NodeName &path);

/// User text as an error message quotes it: whole up to 80 bytes, else its start and end around
/// `...` (cut at UTF-8 character boundaries), so that a megabyte-long name in a request line
/// gives a readable error, not a megabyte of it.
std::string quotedText(std::string_view text);

/// Gives every distinct prefix of the paths it sees one id (1, 2, ... in order of first
/// appearance), keyed by its parent's id and its last name. Equal prefixes get equal ids and
/// different ones different ids, so the runtime's prefix comparison of two interned paths is
/// the relation of the named nodes, exactly as it would be on the host's own ids. One interner
/// per request: ids mean nothing across interners.
class NodePathInterner {
public:
  std::vector<uint64_t> intern(const NodeName &path);
  size_t size() const { return ids.size(); }

private:
  std::map<std::pair<uint64_t, std::string>, uint64_t> ids; // (parent id or 0, name) -> id
};

} // namespace lattice::query
