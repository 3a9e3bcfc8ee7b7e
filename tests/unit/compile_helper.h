// compile_helper.h - compiles policy text held in memory, for unit tests of the phases.
// Returns the model (if any) and the diagnostics, so tests can assert on both.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"
#include "sema/model.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::testing {

struct Compiled {
  SourceManager sources;
  DiagnosticEngine diags;
  std::optional<ast::File> file;
  std::optional<sema::Model> model;

  /// The codes of all diagnostics, in location order: {"L0101", "L0108"}.
  std::vector<std::string> codes() const;
  /// "line:col code message" per diagnostic, for readable failure output.
  std::string describe() const;
};

/// Parses and (when parsing succeeded) checks `text` as one file named "test.lat".
std::unique_ptr<Compiled> compile(const std::string &text);

/// A small, valid policy with two trees' worth of scope kinds that many tests extend.
extern const char *const kBasePolicy;

} // namespace lattice::testing
