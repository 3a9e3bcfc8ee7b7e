// context.cpp - symbol tables and name lookups used across the semantic checks.
// Every failed lookup reports its own "unknown X" diagnostic so callers just skip the name; a
// name that is unknown twice is reported once, with the other uses as notes.
#include "sema/context.h"

#include "diagnostics/suggest.h"

#include <algorithm>

namespace lattice::sema {

const char *nameSpaceWord(NameSpace ns) {
  switch (ns) {
  case NameSpace::ScopeKind:
    return "scope kind";
  case NameSpace::UserType:
    return "user type";
  case NameSpace::Resource:
    return "resource";
  case NameSpace::Role:
    return "role";
  case NameSpace::Flag:
    return "flag";
  case NameSpace::ActionSet:
    return "action set";
  }
  return "name";
}

namespace {

constexpr NameSpace kNameSpaces[] = {NameSpace::ScopeKind, NameSpace::UserType,
                                     NameSpace::Resource,  NameSpace::Role,
                                     NameSpace::Flag,      NameSpace::ActionSet};

/// "a scope kind", "an action set".
std::string withArticle(NameSpace ns) {
  return (ns == NameSpace::ActionSet ? "an " : "a ") + std::string(nameSpaceWord(ns));
}

} // namespace

bool SymbolTable::declare(const ast::Ident &name, uint32_t id, DiagnosticEngine &diags) {
  auto [it, inserted] = entries.try_emplace(name.name, id, name.range);
  if (inserted) {
    ordered.emplace_back(name.name, name.range);
    return true;
  }
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

SymbolTable &Context::table(NameSpace ns) {
  switch (ns) {
  case NameSpace::ScopeKind:
    return scopeNames;
  case NameSpace::UserType:
    return kindNames;
  case NameSpace::Resource:
    return resourceNames;
  case NameSpace::Role:
    return roleNames;
  case NameSpace::Flag:
    return flagNames;
  case NameSpace::ActionSet:
    return actionSetNames;
  }
  return scopeNames;
}

const std::vector<ImportableModule> &Context::importableModules() {
  if (!listedModules)
    listedModules = importable ? importable() : std::vector<ImportableModule>{};
  return *listedModules;
}

std::optional<std::string> Context::moduleDeclaring(NameSpace ns, const std::string &name) {
  auto declares = [&](const ast::File &file) {
    auto named = [&](const auto &decls) {
      for (const auto &decl : decls)
        if (decl.name.name == name)
          return true;
      return false;
    };
    switch (ns) {
    case NameSpace::ScopeKind:
      if (named(file.scopes))
        return true;
      for (const ast::ResourceDecl &decl : file.resources) // `resource ... as scope`
        if (decl.isScope && decl.name.name == name)
          return true;
      return false;
    case NameSpace::UserType:
      return named(file.userTypes);
    case NameSpace::Resource:
      return named(file.resources);
    case NameSpace::Role:
      return named(file.roles);
    case NameSpace::ActionSet:
      return named(file.actionSets);
    case NameSpace::Flag:
      for (const ast::FlagDecl &decl : file.flags)
        for (const ast::Ident &flag : decl.names)
          if (flag.name == name)
            return true;
      return false;
    }
    return false;
  };
  for (const ImportableModule &module : importableModules())
    if (declares(module.file))
      return module.name;
  return std::nullopt;
}

bool Context::alreadyReported(const std::string &key, const ast::Ident &name,
                              const std::string &note) {
  constexpr size_t kMaxUseNotes = 4;
  auto it = reportedUnknowns.find(key);
  if (it == reportedUnknowns.end())
    return false;
  Diagnostic &diag = *it->second.diag;
  Uses &uses = *it->second.uses;
  if (uses.count++ == 0)
    uses.firstNote = diag.notes.size();
  if (uses.count <= kMaxUseNotes) {
    diag.notes.push_back(
        {name.range, note.empty() ? fmt::format("`{}` is also used here", name.name) : note});
    // Checks visit declarations by kind, not in source order: show the uses in source order.
    std::stable_sort(diag.notes.begin() + uses.firstNote, diag.notes.end(),
                     [](const DiagNote &a, const DiagNote &b) { return a.range < b.range; });
  } else if (uses.count == kMaxUseNotes + 1) {
    diag.notes.push_back({SourceRange{}, "and in more places"});
  }
  return true;
}

void Context::remember(const std::string &key, Diagnostic &diag) {
  // Keys that share a diagnostic share its count of notes.
  std::shared_ptr<Uses> &uses = usesOf[&diag];
  if (!uses)
    uses = std::make_shared<Uses>();
  reportedUnknowns.emplace(key, Reported{&diag, uses});
}

bool Context::spendSuggestions(size_t candidates) {
  if (candidates > suggestionBudget)
    return false;
  suggestionBudget -= candidates;
  return true;
}

Diagnostic *Context::reportUnknown(std::initializer_list<NameSpace> expected,
                                   const ast::Ident &name, DiagKind kind, std::string message,
                                   std::string fallback) {
  // A name expected as one of several kinds shares its report with each of them.
  std::vector<std::string> keys;
  for (NameSpace ns : expected)
    keys.push_back(fmt::format("{}:{}", nameSpaceWord(ns), name.name));
  for (const std::string &key : keys)
    if (alreadyReported(key, name)) {
      for (const std::string &other : keys)
        if (!reportedUnknowns.count(other))
          remember(other, *reportedUnknowns.at(key).diag);
      return nullptr;
    }

  // What the help line can offer, best first: a near-miss of the expected kind, the kind the
  // name is declared as, the module that would declare it.
  NameSuggester suggester(name.name);
  std::optional<std::pair<NameSpace, SourceRange>> nearest;
  size_t candidates = 0;
  for (NameSpace ns : expected)
    candidates += table(ns).names().size();
  if (spendSuggestions(candidates))
    for (NameSpace ns : expected)
      for (const auto &declared : table(ns).names()) {
        suggester.consider(declared.first);
        if (suggester.best() == declared.first)
          nearest = std::pair(ns, declared.second);
      }
  std::optional<NameSpace> declaredAs;
  for (NameSpace other : kNameSpaces)
    if (!nearest && !declaredAs &&
        std::find(expected.begin(), expected.end(), other) == expected.end() &&
        table(other).find(name.name))
      declaredAs = other;
  std::optional<std::pair<NameSpace, std::string>> module;
  for (NameSpace ns : expected)
    if (!nearest && !declaredAs && !module)
      if (std::optional<std::string> found = moduleDeclaring(ns, name.name))
        module = std::pair(ns, *found);

  // One missing import is one error, however many of its names are used.
  std::string moduleKey = module ? "module:" + module->second : "";
  if (module && alreadyReported(moduleKey, name,
                                fmt::format("`{}`, also declared in `{}`, is used here", name.name,
                                            module->second))) {
    for (const std::string &key : keys)
      remember(key, *reportedUnknowns.at(moduleKey).diag);
    return nullptr;
  }
  Diagnostic &diag = diags.report(kind, name.range, std::move(message));
  for (const std::string &key : keys)
    remember(key, diag);
  if (module)
    remember(moduleKey, diag);

  if (nearest) {
    diag.help = suggester.didYouMean();
    diag.notes.push_back(
        {nearest->second, fmt::format("{} `{}` is declared here", nameSpaceWord(nearest->first),
                                      *suggester.best())});
  } else if (declaredAs) {
    // Declared, but as another kind of thing: say so rather than suggest declaring it again.
    std::string wanted;
    for (NameSpace ns : expected)
      wanted += (wanted.empty() ? "" : " or ") + withArticle(ns);
    diag.help = fmt::format("`{}` is {}, not {}", name.name, withArticle(*declaredAs), wanted);
    if (*declaredAs == NameSpace::ScopeKind && *expected.begin() == NameSpace::UserType)
      diag.help = fmt::format("`{}` is a scope kind; roles and permissions name user types "
                              "(`usertype x at {};`)",
                              name.name, name.name);
  } else if (module) {
    diag.help =
        fmt::format("{} `{}` is declared in module `{}`; add `import {};`",
                    nameSpaceWord(module->first), name.name, module->second, module->second);
  } else {
    diag.help = std::move(fallback);
  }
  return &diag;
}

std::optional<ScopeKindId> Context::scopeKind(const ast::Ident &name) {
  if (auto id = scopeNames.find(name.name)) {
    uses.push_back({NameSpace::ScopeKind, *id, name.range.file});
    return id;
  }
  reportUnknown({NameSpace::ScopeKind}, name, DiagKind::UnknownScopeKind,
                fmt::format("unknown scope kind `{}`", name.name));
  return std::nullopt;
}

std::optional<KindId> Context::kind(const ast::Ident &name) {
  if (auto id = kindNames.find(name.name)) {
    uses.push_back({NameSpace::UserType, *id, name.range.file});
    return id;
  }
  if (kindLimitExceeded)
    return std::nullopt;
  reportUnknown({NameSpace::UserType}, name, DiagKind::UnknownUserType,
                fmt::format("unknown user type `{}`", name.name));
  return std::nullopt;
}

std::optional<RoleId> Context::role(const ast::Ident &name) {
  if (auto id = roleNames.find(name.name)) {
    uses.push_back({NameSpace::Role, *id, name.range.file});
    return id;
  }
  if (auto custom = customRoleNames.find(name.name)) {
    Diagnostic &diag = diags.report(
        DiagKind::CustomRoleUsedAsRole, name.range,
        fmt::format("`{}` is a custom role: tenants build its roles at run time", name.name));
    diag.notes.push_back({customRoleNames.names()[*custom].second, "declared here"});
    diag.help = "a custom role is given by its creators (`created_by`), not by `assigns`, "
                "`extends` or `exclusive`; a test case may name it for its widest custom role";
    return std::nullopt;
  }
  reportUnknown({NameSpace::Role}, name, DiagKind::UnknownRole,
                fmt::format("unknown role `{}`", name.name));
  return std::nullopt;
}

namespace {

const char *sideWords(FlagSide side) {
  switch (side) {
  case FlagSide::Principal:
    return "a flag of principals";
  case FlagSide::Node:
    return "a flag of nodes";
  case FlagSide::Resource:
    return "a fact of the resource";
  case FlagSide::Target:
    return "a flag of the target's node";
  case FlagSide::Request:
    return "a fact of the request";
  }
  return "a flag";
}

} // namespace

std::optional<FlagId> Context::flag(const ast::Ident &name) {
  if (auto id = flagNames.find(name.name)) {
    uses.push_back({NameSpace::Flag, *id, name.range.file});
    return id;
  }
  if (flagLimitExceeded)
    return std::nullopt;
  const size_t dot = name.name.find('.');
  const std::string side = dot == std::string::npos ? std::string() : name.name.substr(0, dot);
  const std::string bare = dot == std::string::npos ? name.name : name.name.substr(dot + 1);
  if (dot != std::string::npos && side != "resource" && side != "request" && side != "target") {
    Diagnostic &diag = diags.report(DiagKind::UnknownFactSide, name.range,
                                    fmt::format("unknown side `{}` in `{}`", side, name.name));
    diag.help = fmt::format("a fact is written `resource.{0}`, `request.{0}` or `target.{0}`; a "
                            "flag of principals or of their nodes has no prefix",
                            bare);
    return std::nullopt;
  }
  std::optional<FlagId> declared = flagDeclNames.find(bare);
  if (declared && side == "target" && model.flags[*declared].side == FlagSide::Node) {
    // `target.x`: the node flag x read at the target's node, its own flag (made on first use).
    if (model.flags.size() == 64) {
      diags.report(DiagKind::TooManyFlags, name.range,
                   fmt::format("`{}` needs a flag of its own, and a policy may have at most 64 "
                               "flags",
                               name.name));
      flagLimitExceeded = true;
      return std::nullopt;
    }
    const Flag &node = model.flags[*declared];
    Flag flag;
    flag.name = "target." + node.name;
    flag.decl = node.decl;
    flag.side = FlagSide::Target;
    flag.scopes = node.scopes;
    flag.base = *declared;
    const FlagId id = FlagId(model.flags.size());
    flagNames.declare(ast::Ident{flag.name, node.decl}, id, diags);
    model.flags.push_back(std::move(flag));
    flagsRead.push_back(false);
    incompleteFlags.push_back(incomplete(incompleteFlags, *declared));
    if (*declared < flagsRead.size())
      flagsRead[*declared] = true; // read at the target: the node flag is used
    uses.push_back({NameSpace::Flag, *declared, name.range.file});
    uses.push_back({NameSpace::Flag, id, name.range.file});
    return id;
  }
  if (declared) {
    // Declared, but named on another side: say which side it is and how to write it.
    const Flag &flag = model.flags[*declared];
    std::string message =
        side.empty()
            ? fmt::format("`{}` is {}: write `{}`", name.name, sideWords(flag.side), flag.name)
            : fmt::format("`{}` is {}, not {}", bare, sideWords(flag.side),
                          side == "resource"  ? "a fact of the resource"
                          : side == "request" ? "a fact of the request"
                                              : "a flag of nodes");
    Diagnostic &diag = diags.report(DiagKind::FlagWrongSide, name.range, message);
    diag.notes.push_back({flag.decl, "flag declared here"});
    if (!side.empty() && flag.side == FlagSide::Node)
      diag.help = fmt::format("write `{}` for the flag of the membership's node, `target.{}` for "
                              "the target's",
                              flag.name, flag.name);
    else if (!side.empty())
      diag.help = fmt::format("write `{}`", flag.name);
    else
      diag.help = "a fact is read with its side: `resource.x` for the resource, `request.x` for "
                  "the request, `target.x` for a flag of the target's node";
    return std::nullopt;
  }
  reportUnknown(
      {NameSpace::Flag}, name, DiagKind::UnknownFlag, fmt::format("unknown flag `{}`", name.name),
      side == "resource"  ? fmt::format("declare it with `flag {} on resource <resource>;`", bare)
      : side == "request" ? fmt::format("declare it with `flag {} on request;`", bare)
      : side == "target"
          ? fmt::format("declare it on a scope kind with `flag {} on <scope kind>;`", bare)
          : fmt::format("declare it with `flag {} on <scope kind or user type>;`", name.name));
  return std::nullopt;
}

std::optional<uint32_t> Context::resource(const ast::Ident &name) {
  if (auto id = resourceNames.find(name.name)) {
    uses.push_back({NameSpace::Resource, *id, name.range.file});
    return id;
  }
  reportUnknown({NameSpace::Resource}, name, DiagKind::UnknownResource,
                fmt::format("unknown resource `{}`", name.name));
  return std::nullopt;
}

std::optional<uint32_t> Context::actionSet(const ast::Ident &name) {
  if (auto id = actionSetNames.find(name.name)) {
    uses.push_back({NameSpace::ActionSet, *id, name.range.file});
    if (*id < actionSetsIncluded.size())
      actionSetsIncluded[*id] = true;
    return id;
  }
  reportUnknown({NameSpace::ActionSet}, name, DiagKind::UnknownActionSet,
                fmt::format("unknown action set `{}`", name.name));
  return std::nullopt;
}

bool Context::anyIncompleteKind(KindMask mask) const {
  for (KindId k = 0; k < incompleteKinds.size(); ++k)
    if ((mask >> k & 1) && incompleteKinds[k])
      return true;
  return false;
}

KindMask Context::kindMask(const std::vector<ast::Ident> &names, bool *complete) {
  KindMask mask = 0;
  for (const ast::Ident &name : names) {
    if (auto id = kind(name))
      mask |= KindMask{1} << *id;
    else if (complete)
      *complete = false;
  }
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

void Context::forEachNamedAction(const Model &model, const ast::RuleDecl &decl,
                                 const std::function<void(const NamedAction &)> &visit) const {
  for (const ast::PermissionPattern &pattern : decl.patterns) {
    if (pattern.form != ast::PermissionPattern::Form::Actions)
      continue;
    std::optional<uint32_t> resource = resourceNames.find(pattern.resource.name);
    if (!resource)
      continue;
    for (const ast::Ident &name : pattern.actions) {
      auto members = resourceMembers[*resource].find(name.name);
      if (members == resourceMembers[*resource].end())
        continue;
      KindMask applicable = 0;
      for (PermissionId pid : members->second)
        applicable |= model.permissions[pid].applicableKinds;
      visit({name, model.resources[*resource], members->second, applicable});
    }
  }
}

} // namespace lattice::sema
