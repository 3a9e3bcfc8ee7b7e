// embedded_stdlib.h - the stdlib modules compiled into the binary, so a `lattice` copied alone
// into a CI image still resolves `import std.tenancy` (docs/building.md, "A self-contained CLI").
// They appear as the search folder `<builtin>`, last on the search path of a self-contained CLI.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace lattice::parse {

/// The name of the embedded modules' folder on the search path, and the start of their paths
/// (`<builtin>/std/tenancy.lat`) in diagnostics.
inline constexpr std::string_view kEmbeddedStdlibDir = "<builtin>";

struct EmbeddedModule {
  std::string_view path; // relative to the stdlib folder: "std/tenancy.lat"
  std::string_view text;
};

/// Every module of stdlib/ as it was when the binary was built, by path.
std::span<const EmbeddedModule> embeddedModules();

/// Whether `path` names an embedded module's folder or a file in it.
bool isEmbeddedPath(std::string_view path);

/// The text of the embedded module at `path` (`<builtin>/std/tenancy.lat`), if there is one.
std::optional<std::string_view> embeddedModuleText(std::string_view path);

/// Makes defaultStdlibDirs() end with the embedded modules instead of the source tree's stdlib/
/// folder: what the self-contained CLI calls first, so that nothing of the build tree is read.
void useEmbeddedStdlib();
bool embeddedStdlibInUse();

} // namespace lattice::parse
