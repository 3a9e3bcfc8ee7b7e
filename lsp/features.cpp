// features.cpp - hover (a role's effective permissions per relation, a permission's granting
// roles), completion by the words before the cursor, document symbols and rename checks.
#include "lsp/features.h"

#include "sema/model.h"
#include "sema/relation_words.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <set>

namespace lattice::lsp {

using index::SymbolId;
using index::SymbolKind;

const std::vector<std::string> &keywords() {
  static const std::vector<std::string> words = {
      "policy",  "module",     "import",    "scope",   "under",  "resource",  "owned_by", "group",
      "include", "actions",    "usertype",  "at",      "flag",   "on",        "role",     "for",
      "extends", "deprecated", "locked",    "allow",   "deny",   "except",    "in",       "when",
      "assigns", "exclusive",  "require",   "test",    "as",     "with",      "and",      "or",
      "not",     "node",       "principal", "request", "custom", "created_by"};
  return words;
}

namespace {

constexpr size_t kListed = 12; // names shown per line of a hover before "and N more"

std::string nameList(const std::vector<std::string> &names) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < kListed; ++i)
    out += (i ? ", `" : "`") + names[i] + "`";
  if (names.size() > kListed)
    out += fmt::format(" and {} more", names.size() - kListed);
  return out;
}

/// The first line of a declaration, as written.
std::string declarationLine(const Snapshot &snapshot, const index::Symbol &symbol) {
  llvm::StringRef text = snapshot.compilation.sources->text(symbol.declRange.file);
  llvm::StringRef decl = text.slice(symbol.declRange.begin, symbol.declRange.end);
  return decl.split('\n').first.rtrim().str();
}

const sema::Role *findRole(const sema::Model &model, const std::string &name) {
  for (const sema::Role &role : model.roles)
    if (role.name == name)
      return &role;
  return nullptr;
}

/// Per request relation: what the role and the roles it extends allow without a condition
/// (minus their and the policy's unconditional denies), and what they allow only sometimes.
std::string roleRights(const sema::Model &model, const sema::Role &role, sema::RoleId self) {
  std::vector<sema::RoleId> held = role.inherited;
  held.push_back(self);
  std::string out;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
    std::set<sema::PermissionId> sure, sometimes, denied;
    auto visit = [&](const sema::Rule &rule) {
      if (!((sema::reachRelations(rule.reach) >> r) & 1))
        return;
      bool always = rule.guard.isAlways() && rule.appliesToAll(role.kinds);
      for (sema::PermissionId p : rule.permissions) {
        if (rule.effect == sema::Effect::Deny)
          (always ? denied : sometimes).insert(p);
        else
          (always ? sure : sometimes).insert(p);
      }
    };
    for (sema::RoleId id : held)
      for (uint32_t rule : model.roles[id].rules)
        visit(model.rules[rule]);
    for (uint32_t rule : model.policyRules)
      visit(model.rules[rule]);
    std::vector<std::string> allowed, conditional;
    for (sema::PermissionId p : sure)
      if (!denied.count(p))
        allowed.push_back(model.permissions[p].name);
    for (sema::PermissionId p : sometimes)
      if (!denied.count(p) && !sure.count(p))
        conditional.push_back(model.permissions[p].name);
    out += fmt::format("- `{}`: ", sema::relationName(static_cast<sema::Relation>(r)));
    out += allowed.empty() ? "nothing" : fmt::format("{} ({})", nameList(allowed), allowed.size());
    if (!conditional.empty())
      out += fmt::format("; under a condition or denied sometimes: {}", nameList(conditional));
    out += "\n";
  }
  return out;
}

/// The roles allowed `permission` by a rule of their own or of a role they extend.
std::string grantingRoles(const sema::Model &model, sema::PermissionId permission) {
  std::vector<bool> grants(model.roles.size(), false);
  for (const sema::Rule &rule : model.rules)
    if (!rule.policyWide() && rule.effect == sema::Effect::Allow &&
        std::binary_search(rule.permissions.begin(), rule.permissions.end(), permission))
      grants[rule.role] = true;
  std::vector<std::string> names;
  for (sema::RoleId id = 0; id < model.roles.size(); ++id) {
    bool any = grants[id];
    for (sema::RoleId base : model.roles[id].inherited)
      any = any || grants[base];
    if (any)
      names.push_back(model.roles[id].name);
  }
  return names.empty() ? "allowed by no role\n" : "allowed by " + nameList(names) + "\n";
}

} // namespace

std::optional<std::string> hoverText(const Snapshot &snapshot, uint32_t file, uint32_t offset) {
  std::optional<SymbolId> id = snapshot.index.symbolAt(file, offset);
  if (!id)
    return std::nullopt;
  const index::Symbol &symbol = snapshot.index.symbol(*id);
  std::string out = fmt::format("**{}** `{}`", index::kindWord(symbol.kind), symbol.qualified);
  if (!symbol.label.empty())
    out += fmt::format(" — \"{}\"", symbol.label);
  out += "\n\n```lattice\n" + declarationLine(snapshot, symbol) + "\n```\n";
  const SourceManager &sources = *snapshot.compilation.sources;
  LineColumn at = sources.lineColumn(symbol.nameRange.file, symbol.nameRange.begin);
  out += fmt::format("declared in `{}` line {}\n",
                     llvm::StringRef(sources.name(symbol.nameRange.file)).rsplit('/').second.str(),
                     at.line);
  const std::optional<sema::Model> &model = snapshot.compilation.model;
  if (!model)
    return out;
  if (symbol.kind == SymbolKind::Role) {
    if (const sema::Role *role = findRole(*model, symbol.name)) {
      std::vector<std::string> bases;
      for (sema::RoleId base : role->inherited)
        bases.push_back(model->roles[base].name);
      out += fmt::format("\nfor {}", sema::kindList(*model, role->kinds));
      if (!bases.empty())
        out += "; extends (with what they extend) " + nameList(bases);
      out += "\n\nAllowed when held alone, per relation:\n";
      out += roleRights(*model, *role, static_cast<sema::RoleId>(role - model->roles.data()));
    }
  } else if (symbol.kind == SymbolKind::Action) {
    for (sema::PermissionId p = 0; p < model->permissions.size(); ++p)
      if (model->permissions[p].name == symbol.qualified)
        out += "\n" + grantingRoles(*model, p);
  }
  return out;
}

namespace {

bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

/// The text before the cursor, read backwards by words.
class Backwards {
public:
  explicit Backwards(llvm::StringRef text) : text(text), pos(text.size()) {}
  void skipSpace() {
    while (pos > 0 && std::isspace(static_cast<unsigned char>(text[pos - 1])))
      --pos;
  }
  llvm::StringRef word() {
    size_t end = pos;
    while (pos > 0 && isNameChar(text[pos - 1]))
      --pos;
    return text.slice(pos, end);
  }
  char peek() const { return pos > 0 ? text[pos - 1] : '\0'; }
  void take() { --pos; }

private:
  llvm::StringRef text;
  size_t pos;
};

/// A symbol as a completion item: its name, detailed by its kind and label.
CompletionItem symbolItem(const index::Symbol &symbol, int itemKind) {
  return {symbol.name, itemKind,
          std::string(index::kindWord(symbol.kind)) +
              (symbol.label.empty() ? "" : " \"" + symbol.label + "\"")};
}

void addSymbols(const Snapshot *snapshot, std::vector<CompletionItem> &out,
                std::initializer_list<SymbolKind> kinds, int itemKind) {
  if (snapshot == nullptr)
    return;
  std::set<std::string> seen;
  for (const index::Symbol &symbol : snapshot->index.symbols())
    if (symbol.parent == index::kNoSymbol && symbol.test == UINT32_MAX &&
        std::find(kinds.begin(), kinds.end(), symbol.kind) != kinds.end() &&
        seen.insert(symbol.name).second)
      out.push_back(symbolItem(symbol, itemKind));
}

/// The relation words of rules (`in`) and test cases (`on`).
void addRelationWords(std::vector<CompletionItem> &out, int itemKind) {
  for (std::string_view word : sema::canonicalRelationWords())
    out.push_back({std::string(word), itemKind, "relation"});
}

/// Whether the statement the cursor is in is a test case (`allow ROLES: PATTERNS on`): a `:`
/// since the last `;`, `{` or `}`.
bool inTestCase(llvm::StringRef before) {
  size_t start = before.find_last_of(";{}");
  llvm::StringRef statement = start == llvm::StringRef::npos ? before : before.drop_front(start);
  return statement.contains(':');
}

void addTestNodes(const Snapshot *snapshot, std::vector<CompletionItem> &out) {
  if (snapshot == nullptr)
    return;
  std::set<std::string> seen;
  for (const index::Symbol &symbol : snapshot->index.symbols())
    if (symbol.kind == SymbolKind::TestNode && seen.insert(symbol.name).second)
      out.push_back({symbol.name, 6, "test node"});
}

} // namespace

std::vector<CompletionItem> completions(const Snapshot *snapshot, llvm::StringRef before) {
  // Only what precedes the cursor on its statement matters: from the last `;`, `{` or `}`.
  Backwards back(before);
  back.word(); // the name being typed
  std::vector<CompletionItem> out;
  constexpr int Keyword = 14, Class = 7, Field = 5, Module = 9, Variable = 6, Enum = 13;
  Backwards spaced = back;
  spaced.skipSpace();
  if (back.peek() == '.' || spaced.peek() == '{' || spaced.peek() == ',') {
    // `res.` / `res.{a, ` : the resource's actions and groups; `resource.` : facts.
    Backwards probe = back.peek() == '.' ? back : spaced;
    while (probe.peek() == ',' || probe.peek() == '{' || isNameChar(probe.peek()) ||
           probe.peek() == ' ') {
      if (probe.peek() == '{') {
        probe.take();
        break;
      }
      probe.take();
    }
    if (probe.peek() == '.') {
      probe.take();
      std::string owner = probe.word().str();
      if (owner == "resource" || owner == "request" || owner == "target") {
        addSymbols(snapshot, out, {SymbolKind::Flag}, Variable);
        return out;
      }
      if (snapshot != nullptr)
        if (std::optional<SymbolId> resource =
                snapshot->index.lookup(SymbolKind::Resource, owner)) {
          for (SymbolId member : snapshot->index.membersOf(*resource))
            out.push_back(symbolItem(snapshot->index.symbol(member), Field));
          return out;
        }
    }
  }
  // The nearest keyword before the cursor, over a list of names (`extends a, b, `).
  Backwards words = back;
  std::string keyword;
  for (int steps = 0; steps < 64; ++steps) {
    words.skipSpace();
    char c = words.peek();
    if (c == ',' || c == '+' || c == '(' || c == ':') {
      if (c == ':') {
        // `node a:`, `principal p:`, `custom c:` name a scope kind, a user type, a ceiling;
        // after a test case's roles (`allow admin:`) come permissions.
        Backwards declared = words;
        declared.take();
        declared.skipSpace();
        declared.word();
        declared.skipSpace();
        std::string before = declared.word().str();
        keyword =
            before == "node" || before == "principal" || before == "custom" ? before + ":" : ":";
        break;
      }
      words.take();
      continue;
    }
    if (!isNameChar(c))
      break;
    std::string w = words.word().str();
    if (std::find(keywords().begin(), keywords().end(), w) != keywords().end()) {
      keyword = w;
      break;
    }
  }
  if (keyword == "extends" || keyword == "assigns" || keyword == "exclusive" ||
      keyword == "created_by")
    addSymbols(snapshot, out, {SymbolKind::Role, SymbolKind::CustomRole}, Class);
  else if (keyword == "for" || keyword == "principal:")
    addSymbols(snapshot, out, {SymbolKind::UserType}, Class);
  else if (keyword == "node:")
    addSymbols(snapshot, out, {SymbolKind::ScopeKind}, Module);
  else if (keyword == "custom:")
    addSymbols(snapshot, out, {SymbolKind::CustomRole}, Class);
  else if (keyword == "at" || keyword == "under" || keyword == "owned_by")
    addSymbols(snapshot, out, {SymbolKind::ScopeKind}, Module);
  else if (keyword == "on" && inTestCase(before)) {
    // A test case's relations: the words, and the nodes of test trees.
    addRelationWords(out, Keyword);
    addTestNodes(snapshot, out);
  } else if (keyword == "on")
    addSymbols(snapshot, out, {SymbolKind::ScopeKind, SymbolKind::UserType, SymbolKind::Resource},
               Module);
  else if (keyword == "when" || keyword == "require" || keyword == "not" || keyword == "and" ||
           keyword == "or" || keyword == "with")
    addSymbols(snapshot, out, {SymbolKind::Flag}, Variable);
  else if (keyword == "allow" || keyword == "deny" || keyword == "except" || keyword == ":")
    addSymbols(snapshot, out, {SymbolKind::Resource}, Class);
  else if (keyword == "include")
    addSymbols(snapshot, out, {SymbolKind::ActionSet}, Enum);
  else if (keyword == "in")
    addRelationWords(out, Keyword);
  if (!out.empty())
    return out;
  for (const std::string &word : keywords())
    out.push_back({word, Keyword, "keyword"});
  return out;
}

namespace {

int lspSymbolKind(SymbolKind kind) {
  switch (kind) {
  case SymbolKind::ScopeKind:
    return 3; // Namespace
  case SymbolKind::UserType:
    return 5; // Class
  case SymbolKind::Resource:
    return 23; // Struct
  case SymbolKind::Action:
    return 6; // Method
  case SymbolKind::Group:
    return 10; // Enum
  case SymbolKind::ActionSet:
    return 11; // Interface
  case SymbolKind::Flag:
    return 17; // Boolean
  case SymbolKind::Role:
  case SymbolKind::CustomRole:
  case SymbolKind::TestCustomRole:
    return 19; // Object
  case SymbolKind::TestNode:
  case SymbolKind::TestPrincipal:
    return 13; // Variable
  }
  return 13;
}

} // namespace

llvm::json::Array documentSymbols(const Snapshot &snapshot, uint32_t file, Encoding encoding) {
  const index::SymbolIndex &index = snapshot.index;
  auto symbolJson = [&](SymbolId id) {
    const index::Symbol &symbol = index.symbol(id);
    llvm::json::Object out{{"name", symbol.name},
                           {"kind", lspSymbolKind(symbol.kind)},
                           {"range", snapshot.range(symbol.declRange, encoding)},
                           {"selectionRange", snapshot.range(symbol.nameRange, encoding)},
                           {"detail", symbol.label.empty()
                                          ? std::string(index::kindWord(symbol.kind))
                                          : symbol.label}};
    return out;
  };
  llvm::json::Array out;
  std::map<SymbolId, size_t> position; // a resource's or action set's place in `out`
  for (SymbolId id : index.declaredIn(file)) {
    const index::Symbol &symbol = index.symbol(id);
    if (symbol.test != UINT32_MAX)
      continue;
    if (symbol.parent == index::kNoSymbol) {
      position[id] = out.size();
      out.push_back(symbolJson(id));
      continue;
    }
    auto parent = position.find(symbol.parent);
    if (parent == position.end())
      continue;
    llvm::json::Object &owner = *out[parent->second].getAsObject();
    if (!owner.get("children"))
      owner["children"] = llvm::json::Array();
    owner.get("children")->getAsArray()->push_back(symbolJson(id));
  }
  return out;
}

std::string renameProblem(const Snapshot &snapshot, SymbolId id, const std::string &newName) {
  bool valid = !newName.empty() && !std::isdigit(static_cast<unsigned char>(newName[0])) &&
               llvm::all_of(newName, isNameChar);
  if (!valid)
    return fmt::format("`{}` is not a name: a name is letters, digits and `_`, not starting "
                       "with a digit",
                       newName);
  if (std::find(keywords().begin(), keywords().end(), newName) != keywords().end())
    return fmt::format("`{}` is a keyword; choose another name", newName);
  const index::SymbolIndex &index = snapshot.index;
  const index::Symbol &symbol = index.symbol(id);
  if (newName == symbol.name)
    return "";
  for (SymbolId other = 0; other < index.symbols().size(); ++other) {
    const index::Symbol &candidate = index.symbol(other);
    if (candidate.name != newName)
      continue;
    bool sameSpace;
    if (symbol.parent != index::kNoSymbol)
      sameSpace = candidate.parent == symbol.parent;
    else if (symbol.test != UINT32_MAX)
      sameSpace = candidate.test == symbol.test ||
                  (candidate.test == UINT32_MAX && (candidate.kind == SymbolKind::Role ||
                                                    candidate.kind == SymbolKind::CustomRole));
    else {
      auto space = [](SymbolKind k) { return k == SymbolKind::CustomRole ? SymbolKind::Role : k; };
      sameSpace = candidate.parent == index::kNoSymbol && candidate.test == UINT32_MAX &&
                  space(candidate.kind) == space(symbol.kind);
    }
    if (sameSpace) {
      std::string_view kind = index::kindWord(candidate.kind);
      return fmt::format("`{}` is already the name of {} {}", newName,
                         kind.front() == 'a' ? "an" : "a", kind);
    }
  }
  return "";
}

} // namespace lattice::lsp
