// check.h - the semantic phase: resolves every name of the parsed files and type-checks them.
// Input: the files of one compilation (imports first). Output: the Model, or nullopt on errors.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"
#include "sema/model.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace lattice::sema {

/// The namespaces of declared names: a name may be declared once in each.
enum class NameSpace : uint8_t { ScopeKind, UserType, Resource, Role, Flag, ActionSet };
/// "scope kind", "user type", "resource", "role", "flag", "action set".
const char *nameSpaceWord(NameSpace ns);

/// A module the compilation could import but does not: its dotted name and parsed file.
struct ImportableModule {
  std::string name;
  ast::File file;
};
/// Lists the modules on the search path that the compilation does not import. Called at most
/// once, on the first unknown name that no near-miss explains, so that the help line can name
/// the missing `import`; may be empty (no search).
using ImportableModules = std::function<std::vector<ImportableModule>()>;

std::optional<Model> check(const std::vector<ast::File> &files, const SourceManager &sources,
                           DiagnosticEngine &diags, const ImportableModules &importable = {});

} // namespace lattice::sema
