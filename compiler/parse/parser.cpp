// parser.cpp - the parse phase: validate the text, lex, screen tokens, parse, build the AST.
// Hostile input is bounded before ANTLR sees it: size, encoding, nesting and condition length.
#include "parse/parser.h"

#include "LatticeLexer.h"
#include "LatticeParser.h"
#include "antlr4-runtime.h"
#include "parse/ast_builder.h"
#include "parse/error_strategy.h"

#include <fmt/format.h>

namespace lattice::parse {
namespace {

using lattice_gen::LatticeLexer;
using lattice_gen::LatticeParser;
using TokenList = std::vector<std::unique_ptr<antlr4::Token>>;

SourceRange tokenRange(const SourceText &text, const antlr4::Token &token) {
  return text.range(token.getStartIndex(), token.getStopIndex());
}

struct ScreenedTokens {
  TokenList kept;
  /// Indexes into `kept` where tokens were dropped: the parser's complaints from there to the
  /// end of that statement are consequences of the lexical error and are not reported.
  std::vector<size_t> dropPoints;
  bool stopped = false; // the error limit was reached
};

/// Reports stray characters (which the lexer turns into UNKNOWN_CHAR tokens) and drops them,
/// along with what an unterminated string or comment swallowed, so the parser reports only real
/// grammar errors. Collects comments into `comments`.
ScreenedTokens screenTokens(TokenList tokens, const SourceText &text, DiagnosticEngine &diags,
                            std::vector<ast::Comment> &comments) {
  ScreenedTokens result;
  TokenList &kept = result.kept;
  size_t skipLine = SIZE_MAX; // drop tokens on this line (after an unterminated string)
  for (size_t i = 0; i < tokens.size(); ++i) {
    auto &token = tokens[i];
    if (token->getLine() == skipLine && token->getType() != antlr4::Token::EOF)
      continue;
    if (token->getChannel() == antlr4::Token::HIDDEN_CHANNEL) {
      comments.push_back({token->getText(), tokenRange(text, *token)});
      continue;
    }
    if (token->getType() != LatticeLexer::UNKNOWN_CHAR) {
      kept.push_back(std::move(token));
      continue;
    }
    std::string ch = token->getText();
    SourceRange range = tokenRange(text, *token);
    if (result.dropPoints.empty() || result.dropPoints.back() != kept.size())
      result.dropPoints.push_back(kept.size());
    if (ch == "\"") {
      diags.report(DiagKind::UnterminatedString, range, "missing terminating `\"` character");
      skipLine = token->getLine();
    } else if (ch == "/" && i + 1 < tokens.size() && tokens[i + 1]->getText() == "*" &&
               tokens[i + 1]->getStartIndex() == token->getStopIndex() + 1) {
      diags.report(DiagKind::UnterminatedComment, range, "unterminated `/*` comment");
      kept.push_back(std::move(tokens.back())); // the comment runs to the end of the file
      break;
    } else {
      // A run of stray characters (`&&`, `||`) is one mistake: one diagnostic for the run.
      size_t count = 1;
      while (i + 1 < tokens.size() && tokens[i + 1]->getType() == LatticeLexer::UNKNOWN_CHAR &&
             tokens[i + 1]->getStartIndex() == tokens[i]->getStopIndex() + 1 &&
             tokens[i + 1]->getText() != "\"" && tokens[i + 1]->getText() != "/") {
        ++i;
        ++count;
        ch += tokens[i]->getText();
        range.end = tokenRange(text, *tokens[i]).end;
      }
      Diagnostic &diag =
          diags.report(DiagKind::UnexpectedCharacter, range,
                       fmt::format("unexpected character{} `{}`", count > 1 ? "s" : "", ch));
      if (ch == "&&" || ch == "&")
        diag.help = "in a condition, write `and`";
      else if (ch == "||" || ch == "|")
        diag.help = "in a condition, write `or`";
      else if (ch == "!")
        diag.help = "in a condition, write `not`";
    }
    if (diags.errorLimitReached()) {
      diags.report(DiagKind::TooManyErrors, range,
                   fmt::format("too many errors ({}); stopping here", diags.errors()));
      result.stopped = true;
      break;
    }
  }
  return result;
}

/// The token ranges [drop point, end of its statement] in which syntax errors are not reported.
std::vector<std::pair<size_t, size_t>> taintedRanges(const ScreenedTokens &screened) {
  std::vector<std::pair<size_t, size_t>> ranges;
  for (size_t start : screened.dropPoints) {
    size_t end = start;
    while (end < screened.kept.size()) {
      std::string t = screened.kept[end]->getText();
      if (t == ";" || t == "}")
        break;
      ++end;
    }
    ranges.emplace_back(start, end);
  }
  return ranges;
}

/// Rejects input whose parse tree would be pathologically deep, before the recursive-descent
/// parser (and anything walking its tree) could exhaust the stack.
bool checkDepth(const TokenList &tokens, const SourceText &text, DiagnosticEngine &diags) {
  unsigned depth = 0;
  unsigned operators = 0;
  for (const auto &token : tokens) {
    std::string t = token->getText();
    size_t type = token->getType();
    if (t == "(" || t == "{")
      ++depth;
    else if ((t == ")" || t == "}") && depth > 0)
      --depth;
    if (t == ";" || t == "{" || t == "}")
      operators = 0;
    else if (type == LatticeLexer::AND || type == LatticeLexer::OR || type == LatticeLexer::NOT)
      ++operators;
    if (depth > kMaxNesting) {
      diags.report(DiagKind::NestingTooDeep, tokenRange(text, *token),
                   fmt::format("brackets nested more than {} deep", kMaxNesting));
      return false;
    }
    if (operators > kMaxConditionOperators) {
      diags.report(DiagKind::NestingTooDeep, tokenRange(text, *token),
                   fmt::format("condition has more than {} operators", kMaxConditionOperators));
      return false;
    }
  }
  return true;
}

} // namespace

std::optional<ast::File> parseFile(uint32_t fileId, const SourceManager &sources,
                                   DiagnosticEngine &diags) {
  std::optional<SourceText> text = SourceText::check(fileId, sources, diags);
  if (!text)
    return std::nullopt;

  llvm::StringRef buffer = sources.text(fileId);
  antlr4::ANTLRInputStream input(buffer.data(), buffer.size());
  LatticeLexer lexer(&input);
  lexer.removeErrorListeners();
  std::vector<ast::Comment> comments;
  size_t errorsBefore = diags.errors();
  TokenList all = lexer.getAllTokens();
  all.push_back(lexer.nextToken()); // EOF: the parser needs it even for an empty file
  ScreenedTokens screened = screenTokens(std::move(all), *text, diags, comments);
  if (screened.stopped || !checkDepth(screened.kept, *text, diags))
    return std::nullopt;

  auto strategy = std::make_shared<ErrorStrategy>(*text, diags, taintedRanges(screened));
  antlr4::ListTokenSource source(std::move(screened.kept));
  antlr4::CommonTokenStream stream(&source);
  LatticeParser parser(&stream);
  parser.removeErrorListeners();
  parser.setErrorHandler(strategy);
  LatticeParser::FileContext *tree = nullptr;
  try {
    tree = parser.file();
  } catch (const TooManySyntaxErrors &) {
    return std::nullopt;
  }
  if (strategy->errorCount() > 0 || diags.errors() > errorsBefore)
    return std::nullopt;
  ast::File file = buildAst(tree, *text);
  file.comments = std::move(comments);
  return file;
}

} // namespace lattice::parse
