// error_strategy.h - ANTLR error recovery that reports syntax errors as Lattice diagnostics,
// with readable "expected X, found Y" messages instead of ANTLR's token-set dumps.
#pragma once

#include "antlr4-runtime.h"
#include "diagnostics/diagnostic.h"
#include "parse/source_text.h"

namespace lattice::parse {

/// Thrown to abandon a parse once too many syntax errors were reported.
struct TooManySyntaxErrors {};

class ErrorStrategy : public antlr4::DefaultErrorStrategy {
public:
  /// `tainted`: token index ranges (inclusive) whose errors follow from an already reported
  /// lexical error; they are not reported again.
  ErrorStrategy(const SourceText &text, DiagnosticEngine &diags,
                std::vector<std::pair<size_t, size_t>> tainted)
      : text(text), diags(diags), tainted(std::move(tainted)) {}

  unsigned errorCount() const { return count; }

protected:
  void reportNoViableAlternative(antlr4::Parser *parser,
                                 const antlr4::NoViableAltException &e) override;
  void reportInputMismatch(antlr4::Parser *parser,
                           const antlr4::InputMismatchException &e) override;
  void reportFailedPredicate(antlr4::Parser *parser,
                             const antlr4::FailedPredicateException &e) override;
  void reportUnwantedToken(antlr4::Parser *parser) override;
  void reportMissingToken(antlr4::Parser *parser) override;
  /// Skips to a token of `set`, but never stops inside braces opened while skipping: a broken
  /// declaration's `{ ... }` body is skipped whole, so its rules (`allow`, `deny`, which may also
  /// start a policy-wide deny at the top level) are not read as declarations of their own.
  void consumeUntil(antlr4::Parser *parser, const antlr4::misc::IntervalSet &set) override;

private:
  void report(antlr4::Token *at, std::string message, std::string help = {});
  void reportAt(SourceRange range, std::string message, std::string help = {});
  /// "did you mean `role`?" when `found` is a name near a keyword of `set`, else "".
  std::string keywordSuggestion(antlr4::Parser *parser, const antlr4::misc::IntervalSet &set,
                                const antlr4::Token *found) const;
  bool isTainted(const antlr4::Token *token) const;
  std::string describeExpected(antlr4::Parser *parser, const antlr4::misc::IntervalSet &set) const;

  const SourceText &text;
  DiagnosticEngine &diags;
  std::vector<std::pair<size_t, size_t>> tainted;
  unsigned count = 0;
};

/// `name`, `;`, `end of file`: how a token is shown in messages.
std::string describeToken(const antlr4::Token *token);

} // namespace lattice::parse
