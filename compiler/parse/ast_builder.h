// ast_builder.h - converts a clean ANTLR parse tree into an ast::File.
// Only called when the parse had no syntax errors, so every required child is present.
#pragma once

#include "LatticeParser.h"
#include "ast/ast.h"
#include "parse/source_text.h"

namespace lattice::parse {

ast::File buildAst(lattice_gen::LatticeParser::FileContext *tree, const SourceText &text);

} // namespace lattice::parse
