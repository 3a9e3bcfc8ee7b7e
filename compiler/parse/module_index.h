// module_index.h - the modules a compilation could import: every `.lat` file under the folders
// an import is resolved from, as its dotted import name. For "did you mean" on a bad import and
// for naming the import that a name is missing.
#pragma once

#include "ast/ast.h"

#include <string>
#include <utility>
#include <vector>

namespace lattice::parse {

struct ModuleFile {
  std::string name; // "std.tenancy"
  std::string path; // where it was found
};

/// The modules found in `dirs` (each walked at most a few levels deep, a bounded number of
/// files), in the order of `dirs` and then by name; a name found twice keeps its first path.
std::vector<ModuleFile> listModules(const std::vector<std::string> &dirs);

/// The modules in `dirs` that none of `loadedPaths` is, each parsed on its own: what a missing
/// import could bring in. Files without a `module` header naming them as found (policies, misplaced
/// modules) and files that do not parse are left out; nothing is reported.
std::vector<std::pair<std::string, ast::File>>
importableModules(const std::vector<std::string> &dirs,
                  const std::vector<std::string> &loadedPaths);

} // namespace lattice::parse
