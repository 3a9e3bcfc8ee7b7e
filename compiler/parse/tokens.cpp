// tokens.cpp - runs the generated lexer over a buffer and maps its tokens to byte ranges.
// The parser's behaviour is untouched: this is a second, read-only pass for tools.
#include "parse/tokens.h"

#include "LatticeLexer.h"
#include "antlr4-runtime.h"
#include "parse/source_text.h"

namespace lattice::parse {

std::optional<std::vector<Token>> lexTokens(uint32_t fileId, const SourceManager &sources,
                                            DiagnosticEngine &diags) {
  std::optional<SourceText> text = SourceText::check(fileId, sources, diags);
  if (!text)
    return std::nullopt;
  llvm::StringRef buffer = sources.text(fileId);
  antlr4::ANTLRInputStream input(buffer.data(), buffer.size());
  lattice_gen::LatticeLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<Token> result;
  for (const auto &token : lexer.getAllTokens()) {
    if (token->getType() == antlr4::Token::EOF)
      break;
    Token out;
    out.kind = token->getChannel() == antlr4::Token::HIDDEN_CHANNEL ? Token::Kind::Comment
                                                                    : Token::Kind::Code;
    out.text = token->getText();
    out.range = text->range(token->getStartIndex(), token->getStopIndex());
    result.push_back(std::move(out));
  }
  return result;
}

} // namespace lattice::parse
