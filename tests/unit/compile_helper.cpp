// compile_helper.cpp - in-memory compilation for unit tests (parse + sema, no imports).
// Mirrors driver/compile.cpp minus file loading, so tests exercise the real phases.
#include "compile_helper.h"

#include "parse/parser.h"
#include "sema/check.h"

#include <fmt/format.h>

namespace lattice::testing {

const char *const kBasePolicy = R"(
policy base;
scope tenant;
scope account under tenant;
scope subaccount under account;
resource station owned_by account, subaccount {
  view, reset;
  use_terminal for tenant_user;
  group remote { unlock, set_current; }
}
resource card owned_by account { view, block; }
flag business on account;
flag active on tenant_user, account_user;
usertype tenant_user at tenant;
usertype account_user at account, subaccount;
)";

std::vector<std::string> Compiled::codes() const {
  std::vector<std::string> result;
  for (const Diagnostic &diag : diags.sorted())
    result.emplace_back(diagInfo(diag.kind).code);
  return result;
}

std::string Compiled::describe() const {
  std::string out;
  for (const Diagnostic &diag : diags.sorted()) {
    LineColumn lc =
        diag.range.valid() ? sources.lineColumn(diag.range.file, diag.range.begin) : LineColumn{};
    out += fmt::format("{}:{} {} {}\n", lc.line, lc.column, diagInfo(diag.kind).code, diag.message);
  }
  return out;
}

std::unique_ptr<Compiled> compile(const std::string &text) {
  auto result = std::make_unique<Compiled>();
  uint32_t id = result->sources.addText("test.lat", text);
  result->file = parse::parseFile(id, result->sources, result->diags);
  if (!result->file)
    return result;
  std::vector<ast::File> files;
  files.push_back(std::move(*result->file));
  result->model = sema::check(files, result->sources, result->diags);
  result->file = std::move(files[0]);
  return result;
}

} // namespace lattice::testing
