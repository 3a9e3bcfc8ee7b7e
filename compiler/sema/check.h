// check.h - the semantic phase: resolves every name of the parsed files and type-checks them.
// Input: the files of one compilation (imports first). Output: the Model, or nullopt on errors.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"
#include "sema/model.h"

#include <optional>
#include <vector>

namespace lattice::sema {

std::optional<Model> check(const std::vector<ast::File> &files, const SourceManager &sources,
                           DiagnosticEngine &diags);

} // namespace lattice::sema
