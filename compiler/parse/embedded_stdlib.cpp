// embedded_stdlib.cpp - lookups over the embedded stdlib modules; their text is generated at
// build time from stdlib/ (cmake/embed_stdlib.cmake writes embedded_stdlib_data.cpp).
#include "parse/embedded_stdlib.h"

#include <atomic>

namespace lattice::parse {
namespace detail {
// embedded_stdlib_data.cpp (generated).
extern const EmbeddedModule kEmbeddedModules[];
extern const size_t kEmbeddedModuleCount;
} // namespace detail

namespace {
std::atomic<bool> embeddedOnly{false};
} // namespace

std::span<const EmbeddedModule> embeddedModules() {
  return {detail::kEmbeddedModules, detail::kEmbeddedModuleCount};
}

bool isEmbeddedPath(std::string_view path) {
  return path.substr(0, kEmbeddedStdlibDir.size()) == kEmbeddedStdlibDir &&
         (path.size() == kEmbeddedStdlibDir.size() || path[kEmbeddedStdlibDir.size()] == '/');
}

std::optional<std::string_view> embeddedModuleText(std::string_view path) {
  if (!isEmbeddedPath(path) || path.size() <= kEmbeddedStdlibDir.size() + 1)
    return std::nullopt;
  const std::string_view relative = path.substr(kEmbeddedStdlibDir.size() + 1);
  for (const EmbeddedModule &module : embeddedModules())
    if (module.path == relative)
      return module.text;
  return std::nullopt;
}

void useEmbeddedStdlib() { embeddedOnly = true; }
bool embeddedStdlibInUse() { return embeddedOnly; }

} // namespace lattice::parse
