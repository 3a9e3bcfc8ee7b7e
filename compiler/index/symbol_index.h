// symbol_index.h - every declared name of a compilation and every use of one, resolved to its
// declaration: what go-to-definition, references, rename, symbols, hover and completion read.
#pragma once

#include "ast/ast.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice::index {

enum class SymbolKind : uint8_t {
  ScopeKind,
  UserType,
  Resource,
  Action,
  Group,
  ActionSet,
  Flag,
  Role,
  CustomRole, // a custom role ceiling (`custom role`)
  TestNode,
  TestPrincipal,
  TestCustomRole,
};

/// "scope kind", "role", ... for hover texts and messages.
std::string_view kindWord(SymbolKind kind);

using SymbolId = uint32_t;
inline constexpr SymbolId kNoSymbol = UINT32_MAX;

struct Symbol {
  SymbolKind kind;
  std::string name;            // as declared: `view`
  std::string qualified;       // for display: `card.view` for an action or a group, else the name
  std::string label;           // the declaration's "label", if any
  SourceRange nameRange;       // the name in its declaration
  SourceRange declRange;       // the whole declaration
  SymbolId parent = kNoSymbol; // the resource or action set of an action or group
  uint32_t test = UINT32_MAX;  // for test-local names: the test's index in its file order
};

/// A use of a name: a range of source text naming `symbol`.
struct Reference {
  SourceRange range;
  SymbolId symbol;
};

/// A use that names nothing declared (sema reports it as unknown), and what was expected there.
struct Unresolved {
  SourceRange range;
  std::string name;
  SymbolKind expected;
};

class SymbolIndex {
public:
  /// Indexes the files of one compilation (parse/module_loader's order). Works on any AST, also
  /// one sema rejected: a name is resolved when some declaration of its kind exists.
  static SymbolIndex build(const std::vector<ast::File> &files);

  const std::vector<Symbol> &symbols() const { return all; }
  const Symbol &symbol(SymbolId id) const { return all[id]; }
  /// Every use, sorted by location (declarations are not uses).
  const std::vector<Reference> &references() const { return refs; }
  const std::vector<Unresolved> &unresolved() const { return misses; }

  /// The symbol whose declaration name or use covers byte `offset` of `file` (an end offset
  /// counts, so a cursor just after a name finds it).
  std::optional<SymbolId> symbolAt(uint32_t file, uint32_t offset) const;
  /// The range of the name at `offset` found by symbolAt.
  std::optional<SourceRange> rangeAt(uint32_t file, uint32_t offset) const;
  /// Where `id` is named: its declaration (when `withDeclaration`) and then every use, in order.
  std::vector<SourceRange> occurrences(SymbolId id, bool withDeclaration) const;
  /// The global symbol of a kind with that name (not test-local names, actions or groups).
  std::optional<SymbolId> lookup(SymbolKind kind, std::string_view name) const;
  /// The actions and groups of a resource, its included action sets' actions too.
  std::vector<SymbolId> membersOf(SymbolId resource) const;
  /// The symbols declared in `file`, in declaration order.
  std::vector<SymbolId> declaredIn(uint32_t file) const;

private:
  /// The name (a use, else a declaration's name) covering `offset`, with its symbol.
  std::optional<Reference> at(uint32_t file, uint32_t offset) const;

  std::vector<Symbol> all;
  std::vector<Reference> refs; // sorted by range
  std::vector<Unresolved> misses;
  std::vector<std::vector<uint32_t>> usesOf; // per symbol: indexes into refs, in order
  std::map<std::pair<SymbolKind, std::string>, SymbolId, std::less<>> globals;
  std::map<std::pair<SymbolId, std::string>, SymbolId, std::less<>> members; // (resource, name)
  std::vector<std::pair<SourceRange, SymbolId>> names; // declaration names, sorted
  std::map<SymbolId, std::vector<SymbolId>> includes;  // a resource's included action sets
  friend class IndexBuilder;
};

} // namespace lattice::index
