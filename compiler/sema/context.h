// context.h - state shared by the semantic checks while a Model is being built.
// Internal to compiler/sema: symbol tables from names to ids, and the diagnostics sink.
#pragma once

#include "ast/ast.h"
#include "diagnostics/diagnostic.h"
#include "sema/check.h"
#include "sema/model.h"
#include "sema/relation_words.h"

#include "llvm/ADT/StringMap.h"

#include <fmt/format.h>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>

namespace lattice::sema {

/// A name table of one namespace that remembers where, and in which order, names were declared.
class SymbolTable {
public:
  explicit SymbolTable(const char *what) : what(what) {}

  /// Declares `name`; on a clash reports L0101 and returns false.
  bool declare(const ast::Ident &name, uint32_t id, DiagnosticEngine &diags);
  std::optional<uint32_t> find(llvm::StringRef name) const;
  /// The names in declaration order, with where each was declared.
  const std::vector<std::pair<std::string, SourceRange>> &names() const { return ordered; }

private:
  const char *what;
  llvm::StringMap<std::pair<uint32_t, SourceRange>> entries;
  std::vector<std::pair<std::string, SourceRange>> ordered;
};

struct Context {
  Context(DiagnosticEngine &diags, const ImportableModules &importable)
      : diags(diags), importable(importable) {}

  DiagnosticEngine &diags;
  Model model;
  SymbolTable scopeNames{"scope kind"};
  SymbolTable kindNames{"user type"};
  SymbolTable resourceNames{"resource"};
  SymbolTable roleNames{"role"};
  /// Flags by the name conditions use (`business`, `resource.archived`, `target.business`).
  SymbolTable flagNames{"flag"};
  /// Flags by their declared name, whatever the side: one name, one flag.
  SymbolTable flagDeclNames{"flag"};
  SymbolTable actionSetNames{"action set"};
  SymbolTable customRoleNames{"custom role"}; // ceilings; a name is a role or a custom role
  /// Set once more than 64 user types or flags were declared: names past the limit then stay
  /// undeclared, and their uses are not reported again as unknown.
  bool kindLimitExceeded = false;
  bool flagLimitExceeded = false;
  std::vector<const ast::ActionSetDecl *> actionSets;
  /// Per resource: action and group names -> permission ids they stand for.
  std::vector<llvm::StringMap<std::vector<PermissionId>>> resourceMembers;

  /// An action or group a rule names explicitly (`res.a`, `res.{a, b}`), resolved.
  struct NamedAction {
    const ast::Ident &name;
    const Resource &resource;
    const std::vector<PermissionId> &permissions; // what the name stands for
    KindMask applicable;                          // the user types any of them applies to
  };
  /// Calls `visit` for each action or group `decl` names explicitly and that resolves (`*` and
  /// `res.*` are not explicit; unknown names are reported by the pattern checks).
  void forEachNamedAction(const Model &model, const ast::RuleDecl &decl,
                          const std::function<void(const NamedAction &)> &visit) const;

  /// Declarations that named something unknown (already reported), by id. A check whose answer
  /// depends on the part that is missing stays quiet about them: one mistake, one error.
  /// - a user type whose `at` names an unknown scope kind (its flags are not all known);
  /// - a role whose `for` names an unknown user type (its kinds are not all known);
  /// - a flag whose `on` names an unknown target (where it can be set is not known);
  /// - a resource whose `include` names an unknown action set (its actions are not all known).
  std::vector<bool> incompleteKinds, incompleteRoles, incompleteFlags, incompleteResources;
  bool incomplete(const std::vector<bool> &set, uint32_t id) const {
    return id < set.size() && set[id];
  }
  /// Whether some kind of `mask` is incomplete.
  bool anyIncompleteKind(KindMask mask) const;

  /// Every resolved use of a declared name: (namespace, id, file of the use). Appended by the
  /// lookups; read once, after the checks, to find unused imports (sema/unused.cpp).
  struct Use {
    NameSpace ns;
    uint32_t id;
    uint32_t file;
  };
  std::vector<Use> uses;
  /// Flags a `when` or `require` condition reads (a test's `with` only sets them).
  std::vector<bool> flagsRead;
  /// Action sets some `include` names.
  std::vector<bool> actionSetsIncluded;

  SymbolTable &table(NameSpace ns);

  std::optional<ScopeKindId> scopeKind(const ast::Ident &name);
  std::optional<KindId> kind(const ast::Ident &name);
  std::optional<RoleId> role(const ast::Ident &name);
  /// A flag as a condition or a test names it: `business`, or a fact with its side
  /// (`resource.archived`, `request.mfa_used`, `target.business`, the latter made on first use).
  /// Reports unknown names and names on the wrong side (L0250, L0251).
  std::optional<FlagId> flag(const ast::Ident &name);
  std::optional<uint32_t> resource(const ast::Ident &name);
  std::optional<uint32_t> actionSet(const ast::Ident &name);
  /// Resolves a list of user types to a mask; unknown names are reported and skipped. Sets
  /// `complete` to false when one was unknown (so checks that need every kind stay quiet).
  KindMask kindMask(const std::vector<ast::Ident> &names, bool *complete = nullptr);
  /// Resolves a relation word (sema/relation_words.h) of a rule's `in` or a test's `on`: an old
  /// spelling is a warning with its replacement, an unknown word is `unknown` (L0111 / L0112).
  const RelationWord *relationWord(const ast::Ident &name, DiagKind unknown);

  /// Reports `name`, expected in one of `expected`, as unknown with `kind` and `message`. One
  /// mistake is one error: a name already reported unknown in the same namespace only adds a
  /// note to that first report (and nullptr is returned). The help line offers, in this order, a
  /// near-miss among the names of `expected` ("did you mean"), the namespace the name is
  /// declared in instead, the module that declares it when it is not imported, or `fallback`.
  Diagnostic *reportUnknown(std::initializer_list<NameSpace> expected, const ast::Ident &name,
                            DiagKind kind, std::string message, std::string fallback = {});
  /// For a name already reported unknown under `key`: adds a note at this use to the first
  /// report and returns true. Otherwise returns false; remember() then records the new report.
  bool alreadyReported(const std::string &key, const ast::Ident &name,
                       const std::string &note = {});
  /// Whether `candidates` more names may still be compared for a suggestion (and counts them):
  /// thousands of unknown names among thousands of declared ones must not cost minutes, and
  /// past the first hundreds of errors a suggestion helps nobody.
  bool spendSuggestions(size_t candidates);
  void remember(const std::string &key, Diagnostic &diag);

private:
  /// The modules a missing import could bring, listed on first need.
  const std::vector<ImportableModule> &importableModules();
  /// The module that declares `name` in `ns`, when it is importable but not imported.
  std::optional<std::string> moduleDeclaring(NameSpace ns, const std::string &name);

  const ImportableModules &importable;
  std::optional<std::vector<ImportableModule>> listedModules;
  struct Uses {
    size_t count = 0;     // later uses folded into the first report
    size_t firstNote = 0; // where their notes start among the report's notes
  };
  struct Reported {
    Diagnostic *diag;
    std::shared_ptr<Uses> uses; // shared by the keys of one diagnostic
  };
  std::map<std::string, Reported> reportedUnknowns; // by namespace and name
  std::map<const Diagnostic *, std::shared_ptr<Uses>> usesOf;
  size_t suggestionBudget = 4'000'000; // name comparisons left for suggestions
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
/// Declares custom role ceilings' names (before roles: a role's `assigns` may name one by
/// mistake, L0242), then checks them after the roles (sema/custom_roles.cpp).
void declareCustomRoles(const std::vector<ast::File> &files, Context &context);
void checkCustomRoles(const std::vector<ast::File> &files, Context &context);
/// Resolves `test` blocks into concrete cases.
void checkTests(const std::vector<ast::File> &files, Context &context);
/// Resolves a name among a test case's roles to a custom role the test holds (an index into
/// Test::customRoles): one the test declares, or a ceiling, which stands for its widest custom
/// role. nullopt for any other name; `failed` is set when the name's own declaration failed its
/// checks (already reported), so the case is dropped without a second error.
using TestCustomRoleLookup = std::function<std::optional<uint32_t>(const ast::Ident &, bool &)>;
/// One `test` block: its nodes, principals and custom roles, its cases about principals, and the
/// other cases through `check` (test_fixtures.cpp).
void checkTestBlock(const ast::TestDecl &decl, Test &test, Context &context,
                    const std::function<std::optional<TestCase>(
                        const ast::TestCase &, const TestCustomRoleLookup &)> &check);
/// Warns about declarations of the policy's own files that nothing uses (sema/unused.cpp).
void reportUnused(const std::vector<ast::File> &files, Context &context);

} // namespace lattice::sema
