// context.h - state shared by the semantic checks while a Model is being built.
// Internal to compiler/sema: symbol tables from names to ids, and the diagnostics sink.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"
#include "sema/model.h"
#include "sema/relation_words.h"

#include "llvm/ADT/StringMap.h"

#include <fmt/format.h>
#include <functional>
#include <optional>

namespace lattice::sema {

/// A name table of one namespace that remembers where each name was declared.
class SymbolTable {
public:
  explicit SymbolTable(const char *what) : what(what) {}

  /// Declares `name`; on a clash reports L0101 and returns false.
  bool declare(const ast::Ident &name, uint32_t id, DiagnosticEngine &diags);
  std::optional<uint32_t> find(llvm::StringRef name) const;

private:
  const char *what;
  llvm::StringMap<std::pair<uint32_t, SourceRange>> entries;
};

struct Context {
  explicit Context(DiagnosticEngine &diags) : diags(diags) {}

  DiagnosticEngine &diags;
  Model model;
  SymbolTable scopeNames{"scope kind"};
  SymbolTable kindNames{"user type"};
  SymbolTable resourceNames{"resource"};
  SymbolTable roleNames{"role"};
  SymbolTable flagNames{"flag"};
  SymbolTable actionSetNames{"action set"};
  /// Set once more than 64 user types or flags were declared: names past the limit then stay
  /// undeclared, and their uses are not reported again as unknown.
  bool kindLimitExceeded = false;
  bool flagLimitExceeded = false;
  std::vector<const ast::ActionSetDecl *> actionSets;
  /// Per resource: action and group names -> permission ids they stand for.
  std::vector<llvm::StringMap<std::vector<PermissionId>>> resourceMembers;

  std::optional<ScopeKindId> scopeKind(const ast::Ident &name);
  std::optional<KindId> kind(const ast::Ident &name);
  std::optional<RoleId> role(const ast::Ident &name);
  std::optional<FlagId> flag(const ast::Ident &name);
  /// Resolves a list of user types to a mask; unknown names are reported and skipped.
  KindMask kindMask(const std::vector<ast::Ident> &names);
  /// Resolves a relation word (sema/relation_words.h) of a rule's `in` or a test's `on`: an old
  /// spelling is a warning with its replacement, an unknown word is `unknown` (L0111 / L0112).
  const RelationWord *relationWord(const ast::Ident &name, DiagKind unknown);
};

/// Adds "`x` is part of the cycle" notes for the members of a cycle, at most a handful of them:
/// a cycle through thousands of declarations must not print thousands of lines.
void addCycleNotes(Diagnostic &diag,
                   const std::vector<std::pair<std::string, SourceRange>> &members);

/// Converts a condition to DNF, checking each flag with `flagUsable` (reports its own errors).
/// Returns nullopt when the condition could not be converted (unknown flag, too complex).
std::optional<Guard> toGuard(const ast::Condition &condition, Context &context,
                             const std::function<bool(FlagId, const ast::Ident &)> &flagUsable);

/// Expands permission patterns minus `except` patterns into sorted unique permission ids.
/// Returns nullopt when a name did not resolve (already reported).
std::optional<std::vector<PermissionId>>
expandPatterns(const std::vector<ast::PermissionPattern> &patterns,
               const std::vector<ast::PermissionPattern> &except, Context &context);

/// Declares scope kinds, user types, flags, action sets and resources (with their permissions).
void declareVocabulary(const std::vector<ast::File> &files, Context &context);
/// Declares roles and resolves their kinds, extends, assigns and rules; exclusives; requires.
void checkRoles(const std::vector<ast::File> &files, Context &context);
/// Resolves `test` blocks into concrete cases.
void checkTests(const std::vector<ast::File> &files, Context &context);
/// One `test` block: its nodes and principals, its cases about principals, and the other cases
/// through `check` (test_fixtures.cpp).
void checkTestBlock(const ast::TestDecl &decl, Test &test, Context &context,
                    const std::function<std::optional<TestCase>(const ast::TestCase &)> &check);

} // namespace lattice::sema
