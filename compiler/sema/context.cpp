// context.cpp - symbol tables and name lookups used across the semantic checks.
// Every failed lookup reports its own "unknown X" diagnostic so callers just skip the name.
#include "sema/context.h"

#include "diagnostics/suggest.h"

namespace lattice::sema {

bool SymbolTable::declare(const ast::Ident &name, uint32_t id, DiagnosticEngine &diags) {
  auto [it, inserted] = entries.try_emplace(name.name, id, name.range);
  if (inserted)
    return true;
  Diagnostic &diag = diags.report(DiagKind::Redefinition, name.range,
                                  fmt::format("redefinition of {} `{}`", what, name.name));
  diag.notes.push_back({it->second.second, "previous definition is here"});
  return false;
}

std::optional<uint32_t> SymbolTable::find(llvm::StringRef name) const {
  auto it = entries.find(name);
  if (it == entries.end())
    return std::nullopt;
  return it->second.first;
}

void addCycleNotes(Diagnostic &diag,
                   const std::vector<std::pair<std::string, SourceRange>> &members) {
  constexpr size_t kMaxNotes = 8;
  for (size_t i = 0; i < members.size() && i < kMaxNotes; ++i)
    diag.notes.push_back(
        {members[i].second, fmt::format("`{}` is part of the cycle", members[i].first)});
  if (members.size() > kMaxNotes)
    diag.notes.push_back(
        {SourceRange{}, fmt::format("and {} more in the cycle", members.size() - kMaxNotes)});
}

std::optional<ScopeKindId> Context::scopeKind(const ast::Ident &name) {
  if (auto id = scopeNames.find(name.name))
    return id;
  diags.report(DiagKind::UnknownScopeKind, name.range,
               fmt::format("unknown scope kind `{}`", name.name));
  return std::nullopt;
}

std::optional<KindId> Context::kind(const ast::Ident &name) {
  if (auto id = kindNames.find(name.name))
    return id;
  if (kindLimitExceeded)
    return std::nullopt;
  Diagnostic &diag = diags.report(DiagKind::UnknownUserType, name.range,
                                  fmt::format("unknown user type `{}`", name.name));
  if (scopeNames.find(name.name))
    diag.help = fmt::format("`{}` is a scope kind; roles and permissions name user types "
                            "(`usertype x at {};`)",
                            name.name, name.name);
  return std::nullopt;
}

std::optional<RoleId> Context::role(const ast::Ident &name) {
  if (auto id = roleNames.find(name.name))
    return id;
  diags.report(DiagKind::UnknownRole, name.range, fmt::format("unknown role `{}`", name.name));
  return std::nullopt;
}

std::optional<FlagId> Context::flag(const ast::Ident &name) {
  if (auto id = flagNames.find(name.name))
    return id;
  if (flagLimitExceeded)
    return std::nullopt;
  Diagnostic &diag =
      diags.report(DiagKind::UnknownFlag, name.range, fmt::format("unknown flag `{}`", name.name));
  diag.help = fmt::format("declare it with `flag {} on <scope kind or user type>;`", name.name);
  return std::nullopt;
}

KindMask Context::kindMask(const std::vector<ast::Ident> &names) {
  KindMask mask = 0;
  for (const ast::Ident &name : names)
    if (auto id = kind(name))
      mask |= KindMask{1} << *id;
  return mask;
}

const RelationWord *Context::relationWord(const ast::Ident &name, DiagKind unknown) {
  if (const RelationWord *word = findRelationWord(name.name)) {
    if (!word->replacement.empty()) {
      Diagnostic &diag = diags.report(DiagKind::OldRelationSpelling, name.range,
                                      fmt::format("`{}` is the old spelling of the relation `{}`",
                                                  name.name, word->replacement));
      diag.help = fmt::format("write `{}`", word->replacement);
    }
    return word;
  }
  Diagnostic &diag =
      diags.report(unknown, name.range, fmt::format("unknown relation `{}`", name.name));
  NameSuggester suggester(name.name);
  std::string words;
  for (std::string_view word : canonicalRelationWords()) {
    suggester.consider(word);
    words += fmt::format("{}`{}`", words.empty() ? "" : ", ", word);
  }
  diag.help = suggester.best()
                  ? suggester.didYouMean()
                  : fmt::format("expected one of {}{}", words,
                                unknown == DiagKind::UnknownTestRelation ? ", or `*`" : "");
  return nullptr;
}

} // namespace lattice::sema
