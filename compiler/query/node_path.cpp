// node_path.cpp - parsing and checking named node paths, and interning them into ancestor paths.
// A bad path is an error, never a guess: a request naming it is answered "deny".
#include "query/node_path.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::query {
namespace {

/// The path is not echoed: it may be as long as a request line.
bool checkDepth(size_t depth, std::string &error) {
  if (depth <= kMaxNodeDepth)
    return true;
  error = fmt::format("node path deeper than {} nodes", kMaxNodeDepth);
  return false;
}

} // namespace

std::optional<NodeName> parseNodePath(std::string_view text, std::string &error) {
  if (text.empty()) {
    error = "empty node path";
    return std::nullopt;
  }
  NodeName path;
  path.reserve(std::min<size_t>(std::count(text.begin(), text.end(), '/') + 1, kMaxNodeDepth + 1));
  for (size_t begin = 0;;) {
    size_t slash = text.find('/', begin);
    std::string_view name =
        text.substr(begin, slash == std::string_view::npos ? slash : slash - begin);
    if (name.empty()) {
      error = fmt::format("node path `{}` has an empty node name; write `root/child/...` without "
                          "a leading, trailing or doubled `/`",
                          quotedText(text));
      return std::nullopt;
    }
    path.emplace_back(name);
    if (!checkDepth(path.size(), error))
      return std::nullopt;
    if (slash == std::string_view::npos)
      return path;
    begin = slash + 1;
  }
}

bool checkNodeName(const NodeName &path, std::string &error) {
  if (path.empty()) {
    error = "empty node path";
    return false;
  }
  if (!checkDepth(path.size(), error))
    return false;
  for (const std::string &name : path) {
    if (name.empty()) {
      error = "a node path has an empty node name";
      return false;
    }
    if (name.find('/') != std::string::npos) {
      error = fmt::format("node name `{}` contains `/`; a list gives one name per node",
                          quotedText(name));
      return false;
    }
  }
  return true;
}

std::string nodePathText(const NodeName &path) {
  std::string text;
  for (const std::string &name : path)
    text += (text.empty() ? "" : "/") + name;
  return text;
}

std::string quotedText(std::string_view text) {
  constexpr size_t kWhole = 80, kHead = 48, kTail = 24;
  if (text.size() <= kWhole)
    return std::string(text);
  auto continuation = [&](size_t i) {
    return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80;
  };
  size_t head = kHead, tail = text.size() - kTail;
  while (head > 0 && continuation(head))
    --head;
  while (tail < text.size() && continuation(tail))
    ++tail;
  return fmt::format("{}...{}", text.substr(0, head), text.substr(tail));
}

std::vector<uint64_t> NodePathInterner::intern(const NodeName &path) {
  std::vector<uint64_t> out;
  out.reserve(path.size());
  uint64_t parent = 0;
  for (const std::string &name : path) {
    auto [at, fresh] = ids.try_emplace({parent, name}, ids.size() + 1);
    parent = at->second;
    out.push_back(parent);
  }
  return out;
}

} // namespace lattice::query
