// ast.cpp - small helpers on AST nodes.
// The AST is plain data; anything that interprets it lives in sema.
#include "ast/ast.h"

namespace lattice::ast {

std::string QualifiedName::str() const {
  std::string result;
  for (const Ident &part : parts) {
    if (!result.empty())
      result += '.';
    result += part.name;
  }
  return result;
}

} // namespace lattice::ast
