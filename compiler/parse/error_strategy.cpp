// error_strategy.cpp - turns ANTLR recognition errors into L0001 diagnostics with clear wording.
// Keywords are soft (usable as names), so expected sets that admit a name say "a name" once.
#include "parse/error_strategy.h"

#include "LatticeParser.h"
#include "diagnostics/suggest.h"
#include "parse/parser.h"

#include <fmt/format.h>
#include <set>

namespace lattice::parse {

using lattice_gen::LatticeParser;

std::string describeToken(const antlr4::Token *token) {
  if (token == nullptr || token->getType() == antlr4::Token::EOF)
    return "end of file";
  std::string text = token->getText();
  if (text.size() > 40) // a minified or generated input can hold very long names
    text = text.substr(0, 37) + "...";
  return fmt::format("`{}`", text);
}

std::string ErrorStrategy::describeExpected(antlr4::Parser *parser,
                                            const antlr4::misc::IntervalSet &set) const {
  // At the top level anything from `scope` to `test` may come: name the category instead.
  if (!set.contains(static_cast<size_t>(LatticeParser::ID)) &&
      set.contains(static_cast<size_t>(LatticeParser::ROLE)) &&
      set.contains(static_cast<size_t>(LatticeParser::RESOURCE)))
    return "a declaration (`scope`, `resource`, `usertype`, `role`, ...)";
  bool name = set.contains(static_cast<size_t>(LatticeParser::ID));
  std::set<std::string> items; // sorted: messages are deterministic
  for (size_t type : set.toList()) {
    if (type == LatticeParser::ID)
      continue;
    // A keyword alongside ID is just "a name" (keywords are soft); alone it is itself.
    bool keyword = type >= LatticeParser::POLICY && type <= LatticeParser::CREATED_BY;
    if (keyword && name)
      continue;
    if (type == LatticeParser::STRING) {
      items.insert("a string");
      continue;
    }
    if (type == antlr4::Token::EOF) {
      items.insert("end of file");
      continue;
    }
    items.insert(parser->getVocabulary().getDisplayName(type));
  }
  std::vector<std::string> parts;
  if (name)
    parts.push_back("a name");
  for (const std::string &item : items)
    parts.push_back(item.size() > 1 && item.front() == '\''
                        ? fmt::format("`{}`", item.substr(1, item.size() - 2)) // 'x' -> `x`
                        : item);
  if (parts.empty())
    return "something else";
  if (parts.size() == 1)
    return parts[0];
  if (parts.size() > 6)
    return fmt::format("{} or one of {} other tokens", parts[0], parts.size() - 1);
  std::string result;
  for (size_t i = 0; i < parts.size(); ++i)
    result += (i == 0 ? "" : i + 1 == parts.size() ? " or " : ", ") + parts[i];
  return result;
}

std::string ErrorStrategy::keywordSuggestion(antlr4::Parser *parser,
                                             const antlr4::misc::IntervalSet &set,
                                             const antlr4::Token *found) const {
  // A misspelled keyword (`rol`, `alow`) is a name where a keyword was expected.
  if (found == nullptr || found->getType() != LatticeParser::ID)
    return {};
  NameSuggester suggester(found->getText());
  for (size_t type : set.toList()) {
    if (type < LatticeParser::POLICY || type > LatticeParser::NOT)
      continue;
    std::string name = parser->getVocabulary().getDisplayName(type); // 'role'
    if (name.size() > 2 && name.front() == '\'')
      suggester.consider(name.substr(1, name.size() - 2));
  }
  return suggester.didYouMean();
}

bool ErrorStrategy::isTainted(const antlr4::Token *token) const {
  if (token == nullptr)
    return false;
  size_t index = token->getTokenIndex();
  for (auto [begin, end] : tainted)
    if (index >= begin && index <= end)
      return true;
  return false;
}

void ErrorStrategy::report(antlr4::Token *at, std::string message, std::string help) {
  // The one misplacement the grammar cannot word well: imports come before declarations.
  if (at != nullptr && at->getType() == LatticeParser::IMPORT &&
      message.find("a declaration") != std::string::npos)
    message = "`import` must come before every declaration";
  SourceRange range{text.fileId(), 0, 0};
  if (at != nullptr) {
    if (at->getType() == antlr4::Token::EOF) {
      uint32_t end = text.byteOffset(at->getStartIndex());
      range = SourceRange{text.fileId(), end, end};
    } else {
      range = text.range(at->getStartIndex(), at->getStopIndex());
    }
  }
  reportAt(range, std::move(message), std::move(help));
}

void ErrorStrategy::reportAt(SourceRange range, std::string message, std::string help) {
  // The error past the limit is not shown; it only says that the parse stops here.
  if (++count > kMaxSyntaxErrors) {
    diags.report(DiagKind::TooManyErrors, range,
                 fmt::format("more than {} syntax errors; stopping here", kMaxSyntaxErrors));
    throw TooManySyntaxErrors{};
  }
  diags.report(DiagKind::SyntaxError, range, std::move(message)).help = std::move(help);
}

void ErrorStrategy::reportNoViableAlternative(antlr4::Parser *parser,
                                              const antlr4::NoViableAltException &e) {
  antlr4::Token *at = e.getOffendingToken();
  if (isTainted(at))
    return;
  report(at, fmt::format("unexpected {}", describeToken(at)));
}

void ErrorStrategy::reportInputMismatch(antlr4::Parser *parser,
                                        const antlr4::InputMismatchException &e) {
  antlr4::Token *at = e.getOffendingToken();
  if (isTainted(at))
    return;
  // A token on a later line than the previous one usually means something is missing at the
  // end of that line (`scope a` then `scope b;`): point there, as clang does.
  antlr4::Token *previous = parser->getTokenStream()->LT(-1);
  if (previous != nullptr && at != nullptr && at->getLine() > previous->getLine()) {
    uint32_t end = text.byteOffset(previous->getStopIndex() + 1);
    reportAt(SourceRange{text.fileId(), end, end},
             fmt::format("expected {} after {}", describeExpected(parser, e.getExpectedTokens()),
                         describeToken(previous)));
    return;
  }
  report(at,
         fmt::format("expected {}, found {}", describeExpected(parser, e.getExpectedTokens()),
                     describeToken(at)),
         keywordSuggestion(parser, e.getExpectedTokens(), at));
}

void ErrorStrategy::reportFailedPredicate(antlr4::Parser *parser,
                                          const antlr4::FailedPredicateException &e) {
  if (!isTainted(e.getOffendingToken()))
    report(e.getOffendingToken(), "unexpected input");
}

void ErrorStrategy::reportUnwantedToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  antlr4::Token *at = parser->getCurrentToken();
  if (isTainted(at))
    return;
  report(at,
         fmt::format("unexpected {}; expected {}", describeToken(at),
                     describeExpected(parser, getExpectedTokens(parser))),
         keywordSuggestion(parser, getExpectedTokens(parser), at));
}

void ErrorStrategy::consumeUntil(antlr4::Parser *parser, const antlr4::misc::IntervalSet &set) {
  size_t depth = 0;
  for (antlr4::Token *token = parser->getCurrentToken(); token->getType() != antlr4::Token::EOF;
       token = parser->getCurrentToken()) {
    const std::string text = token->getText();
    if (depth == 0 && set.contains(token->getType()))
      return;
    if (text == "{")
      ++depth;
    else if (text == "}" && depth > 0)
      --depth;
    parser->consume();
  }
}

void ErrorStrategy::reportMissingToken(antlr4::Parser *parser) {
  if (inErrorRecoveryMode(parser))
    return;
  beginErrorCondition(parser);
  // Point just past the previous token, where the missing one belongs (as clang does).
  antlr4::Token *previous = parser->getTokenStream()->LT(-1);
  antlr4::Token *at = parser->getCurrentToken();
  if (isTainted(at))
    return;
  std::string expected = describeExpected(parser, getExpectedTokens(parser));
  if (previous == nullptr) {
    report(at, fmt::format("missing {} before {}", expected, describeToken(at)));
    return;
  }
  uint32_t end = text.byteOffset(previous->getStopIndex() + 1);
  reportAt(SourceRange{text.fileId(), end, end},
           fmt::format("missing {} after {}", expected, describeToken(previous)));
}

} // namespace lattice::parse
