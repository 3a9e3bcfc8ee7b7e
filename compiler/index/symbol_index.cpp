// symbol_index.cpp - declares every name of the files in one pass, then resolves every use in a
// second, by namespace (roles and custom role ceilings share one; test names are per test block).
#include "index/symbol_index.h"

#include <algorithm>

namespace lattice::index {

std::string_view kindWord(SymbolKind kind) {
  switch (kind) {
  case SymbolKind::ScopeKind:
    return "scope kind";
  case SymbolKind::UserType:
    return "user type";
  case SymbolKind::Resource:
    return "resource";
  case SymbolKind::Action:
    return "permission";
  case SymbolKind::Group:
    return "action group";
  case SymbolKind::ActionSet:
    return "action set";
  case SymbolKind::Flag:
    return "flag";
  case SymbolKind::Role:
    return "role";
  case SymbolKind::CustomRole:
    return "custom role ceiling";
  case SymbolKind::TestNode:
    return "test node";
  case SymbolKind::TestPrincipal:
    return "test principal";
  case SymbolKind::TestCustomRole:
    return "test custom role";
  }
  return "name";
}

namespace {

/// The namespace a kind's names live in: roles and ceilings share one.
SymbolKind space(SymbolKind kind) {
  return kind == SymbolKind::CustomRole ? SymbolKind::Role : kind;
}

} // namespace

class IndexBuilder {
public:
  explicit IndexBuilder(SymbolIndex &index) : index(index) {}

  void declareFile(const ast::File &file) {
    for (const ast::ScopeDecl &scope : file.scopes)
      declare(SymbolKind::ScopeKind, scope.name, scope.label, scope.range);
    for (const ast::ActionSetDecl &set : file.actionSets) {
      SymbolId id = declare(SymbolKind::ActionSet, set.name, "", set.range);
      for (const ast::ActionDecl &action : set.actions)
        declareMember(id, SymbolKind::Action, action.name, action.label, action.range);
    }
    for (const ast::ResourceDecl &resource : file.resources) {
      SymbolId id = declare(SymbolKind::Resource, resource.name, resource.label, resource.range);
      if (resource.isScope) // `as scope`: its name is a scope kind too
        index.globals.emplace(std::pair(SymbolKind::ScopeKind, resource.name.name), id);
      for (const ast::ActionDecl &action : resource.actions)
        declareMember(id, SymbolKind::Action, action.name, action.label, action.range);
      for (const ast::GroupDecl &group : resource.groups) {
        declareMember(id, SymbolKind::Group, group.name, group.label, group.range);
        for (const ast::ActionDecl &action : group.actions)
          declareMember(id, SymbolKind::Action, action.name, action.label, action.range);
      }
    }
    for (const ast::UserTypeDecl &type : file.userTypes)
      declare(SymbolKind::UserType, type.name, type.label, type.range);
    for (const ast::FlagDecl &flag : file.flags)
      for (const ast::Ident &name : flag.names)
        declare(SymbolKind::Flag, name, "", flag.range);
    for (const ast::RoleDecl &role : file.roles)
      declare(role.custom ? SymbolKind::CustomRole : SymbolKind::Role, role.name, role.label,
              role.range);
  }

  void resolveFile(const ast::File &file) {
    for (const ast::ScopeDecl &scope : file.scopes)
      for (const ast::Ident &parent : scope.parents)
        use(SymbolKind::ScopeKind, parent);
    for (const ast::ActionSetDecl &set : file.actionSets)
      for (const ast::ActionDecl &action : set.actions)
        useAll(SymbolKind::UserType, action.forKinds);
    for (const ast::ResourceDecl &resource : file.resources) {
      useAll(SymbolKind::ScopeKind, resource.owners);
      for (const ast::IncludeDecl &include : resource.includes)
        use(SymbolKind::ActionSet, include.actionSet);
      for (const ast::ActionDecl &action : resource.actions)
        useAll(SymbolKind::UserType, action.forKinds);
      for (const ast::GroupDecl &group : resource.groups)
        for (const ast::ActionDecl &action : group.actions)
          useAll(SymbolKind::UserType, action.forKinds);
    }
    for (const ast::UserTypeDecl &type : file.userTypes)
      useAll(SymbolKind::ScopeKind, type.scopes);
    for (const ast::FlagDecl &flag : file.flags)
      for (const ast::Ident &target : flag.targets) {
        if (flag.side == ast::FlagDecl::Side::Resource)
          use(SymbolKind::Resource, target);
        else if (!tryUse(SymbolKind::ScopeKind, target))
          use(SymbolKind::UserType, target);
      }
    for (const ast::RoleDecl &role : file.roles) {
      useAll(SymbolKind::UserType, role.kinds);
      useAll(SymbolKind::Role, role.extends);
      for (const ast::CreatedByDecl &createdBy : role.createdBy)
        useAll(SymbolKind::Role, createdBy.roles);
      for (const ast::RuleDecl &rule : role.rules)
        resolveRule(rule);
      for (const ast::AssignsDecl &assigns : role.assigns) {
        useAll(SymbolKind::Role, assigns.roles);
        resolveCondition(assigns.when.get());
      }
    }
    for (const ast::ExclusiveDecl &exclusive : file.exclusives)
      useAll(SymbolKind::Role, exclusive.roles);
    for (const ast::RequireDecl &require : file.requireClauses) {
      resolveCondition(require.condition.get());
      useAll(SymbolKind::UserType, require.kinds);
    }
    for (const ast::RuleDecl &rule : file.policyRules)
      resolveRule(rule);
    for (const ast::TestDecl &test : file.tests)
      resolveTest(test);
  }

  void finish() {
    std::sort(index.refs.begin(), index.refs.end(),
              [](const Reference &a, const Reference &b) { return a.range < b.range; });
    std::sort(index.names.begin(), index.names.end(),
              [](const auto &a, const auto &b) { return a.first < b.first; });
    index.usesOf.assign(index.all.size(), {});
    for (uint32_t i = 0; i < index.refs.size(); ++i)
      index.usesOf[index.refs[i].symbol].push_back(i);
  }

private:
  SymbolId add(Symbol symbol) {
    SymbolId id = static_cast<SymbolId>(index.all.size());
    index.names.push_back({symbol.nameRange, id});
    index.all.push_back(std::move(symbol));
    return id;
  }

  SymbolId declare(SymbolKind kind, const ast::Ident &name, const std::string &label,
                   SourceRange decl) {
    SymbolId id = add({kind, name.name, name.name, label, name.range, decl});
    // The first declaration wins, as in sema; a duplicate still jumps to itself.
    index.globals.emplace(std::pair(space(kind), name.name), id);
    return id;
  }

  void declareMember(SymbolId owner, SymbolKind kind, const ast::Ident &name,
                     const std::string &label, SourceRange decl) {
    Symbol symbol{kind,  name.name,  index.all[owner].name + "." + name.name,
                  label, name.range, decl};
    symbol.parent = owner;
    SymbolId id = add(std::move(symbol));
    index.members.emplace(std::pair(owner, name.name), id);
  }

  SymbolId declareLocal(SymbolKind kind, const ast::Ident &name, SourceRange decl) {
    Symbol symbol{kind, name.name, name.name, "", name.range, decl};
    symbol.test = testNumber;
    SymbolId id = add(std::move(symbol));
    locals.emplace(name.name, id);
    return id;
  }

  void reference(SourceRange range, SymbolId id) { index.refs.push_back({range, id}); }

  /// The first declaration of `name` in the namespace of `kind`.
  std::optional<SymbolId> global(SymbolKind kind, const std::string &name) const {
    auto it = index.globals.find(std::pair(space(kind), name));
    if (it == index.globals.end())
      return std::nullopt;
    return it->second;
  }

  bool tryUse(SymbolKind kind, const ast::Ident &name) {
    std::optional<SymbolId> id = global(kind, name.name);
    if (id)
      reference(name.range, *id);
    return id.has_value();
  }

  void use(SymbolKind kind, const ast::Ident &name) {
    if (!name.range.valid() || name.name.empty())
      return;
    if (!tryUse(kind, name))
      index.misses.push_back({name.range, name.name, kind});
  }

  void useAll(SymbolKind kind, const std::vector<ast::Ident> &names) {
    for (const ast::Ident &name : names)
      use(kind, name);
  }

  /// A role name in a test: the test's own principals and custom roles first.
  void useTestRole(const ast::Ident &name) {
    if (auto it = locals.find(name.name); it != locals.end()) {
      reference(name.range, it->second);
      return;
    }
    use(SymbolKind::Role, name);
  }

  /// `business`, or a fact with its side (`resource.archived`, `target.business`): the flag is
  /// the name after the dot, and only that part of the text names it.
  void useFlag(const ast::Ident &name) {
    size_t dot = name.name.rfind('.');
    if (dot == std::string::npos) {
      use(SymbolKind::Flag, name);
      return;
    }
    ast::Ident flag{name.name.substr(dot + 1), name.range};
    flag.range.begin = name.range.end - static_cast<uint32_t>(flag.name.size());
    use(SymbolKind::Flag, flag);
  }

  void resolveCondition(const ast::Condition *condition) {
    // Iterative: conditions may be up to 512 operators deep.
    std::vector<const ast::Condition *> stack;
    if (condition != nullptr)
      stack.push_back(condition);
    while (!stack.empty()) {
      const ast::Condition *node = stack.back();
      stack.pop_back();
      if (node->op == ast::Condition::Op::Flag)
        useFlag(node->flag);
      if (node->rhs)
        stack.push_back(node->rhs.get());
      if (node->lhs)
        stack.push_back(node->lhs.get());
    }
  }

  /// The action or group `name` of resource `resource`: its own, then its included sets'.
  std::optional<SymbolId> member(SymbolId resource, const std::string &name) {
    if (auto it = index.members.find(std::pair(resource, name)); it != index.members.end())
      return it->second;
    auto sets = index.includes.find(resource);
    if (sets == index.includes.end())
      return std::nullopt;
    for (SymbolId set : sets->second) {
      if (index.all[set].name == name) // `include crud` adds the group `crud` too
        return set;
      if (auto it = index.members.find(std::pair(set, name)); it != index.members.end())
        return it->second;
    }
    return std::nullopt;
  }

  void resolvePattern(const ast::PermissionPattern &pattern) {
    if (pattern.form == ast::PermissionPattern::Form::Any)
      return;
    std::optional<SymbolId> resource = global(SymbolKind::Resource, pattern.resource.name);
    if (!resource) {
      use(SymbolKind::Resource, pattern.resource);
      return;
    }
    reference(pattern.resource.range, *resource);
    for (const ast::Ident &action : pattern.actions) {
      if (std::optional<SymbolId> id = member(*resource, action.name))
        reference(action.range, *id);
      else if (action.range.valid())
        index.misses.push_back({action.range, action.name, SymbolKind::Action});
    }
  }

  void resolveRule(const ast::RuleDecl &rule) {
    for (const ast::PermissionPattern &pattern : rule.patterns)
      resolvePattern(pattern);
    for (const ast::PermissionPattern &pattern : rule.except)
      resolvePattern(pattern);
    resolveCondition(rule.when.get());
    useAll(SymbolKind::UserType, rule.kinds);
  }

  void resolveTest(const ast::TestDecl &test) {
    locals.clear();
    // Declared in the order sema reads them: custom roles, nodes, principals, then cases.
    for (const ast::TestCustomRoleDecl &custom : test.customRoles) {
      declareLocal(SymbolKind::TestCustomRole, custom.name, custom.range);
      use(SymbolKind::Role, custom.ceiling);
      for (const ast::RuleDecl &rule : custom.rules)
        resolveRule(rule);
    }
    for (const ast::TestNodeDecl &node : test.nodes) {
      declareLocal(SymbolKind::TestNode, node.name, node.range);
      use(SymbolKind::ScopeKind, node.kind);
      if (node.parent)
        useLocal(SymbolKind::TestNode, *node.parent);
      for (const ast::Ident &flag : node.flags)
        useFlag(flag);
    }
    for (const ast::TestPrincipalDecl &principal : test.principals) {
      declareLocal(SymbolKind::TestPrincipal, principal.name, principal.range);
      use(SymbolKind::UserType, principal.kind);
      for (const ast::Ident &flag : principal.flags)
        useFlag(flag);
      for (const ast::TestMembershipDecl &membership : principal.memberships) {
        for (const ast::Ident &role : membership.roles)
          useTestRole(role);
        useLocal(SymbolKind::TestNode, membership.node);
      }
    }
    for (const ast::TestCase &testCase : test.cases) {
      for (const ast::Ident &role : testCase.roles)
        useTestRole(role);
      for (const ast::Ident &role : testCase.targets)
        useTestRole(role);
      if (testCase.kind)
        use(SymbolKind::UserType, *testCase.kind);
      for (const ast::Ident &flag : testCase.flags)
        useFlag(flag);
      for (const ast::PermissionPattern &pattern : testCase.patterns)
        resolvePattern(pattern);
      for (const ast::PermissionPattern &pattern : testCase.except)
        resolvePattern(pattern);
      // A relation word, or a node of the test's tree.
      for (const ast::Ident &relation : testCase.relations)
        if (auto it = locals.find(relation.name);
            it != locals.end() && index.all[it->second].kind == SymbolKind::TestNode)
          reference(relation.range, it->second);
    }
    ++testNumber;
  }

  void useLocal(SymbolKind kind, const ast::Ident &name) {
    if (auto it = locals.find(name.name); it != locals.end())
      reference(name.range, it->second);
    else if (name.range.valid())
      index.misses.push_back({name.range, name.name, kind});
  }

public:
  /// Records each resource's included action sets (after every file is declared).
  void linkIncludes(const ast::File &file) {
    for (const ast::ResourceDecl &resource : file.resources) {
      std::optional<SymbolId> owner = global(SymbolKind::Resource, resource.name.name);
      if (!owner)
        continue;
      for (const ast::IncludeDecl &include : resource.includes)
        if (std::optional<SymbolId> set = global(SymbolKind::ActionSet, include.actionSet.name))
          index.includes[*owner].push_back(*set);
    }
  }

private:
  SymbolIndex &index;
  std::map<std::string, SymbolId> locals; // names of the current test block
  uint32_t testNumber = 0;
};

SymbolIndex SymbolIndex::build(const std::vector<ast::File> &files) {
  SymbolIndex index;
  IndexBuilder builder(index);
  for (const ast::File &file : files)
    builder.declareFile(file);
  for (const ast::File &file : files)
    builder.linkIncludes(file);
  for (const ast::File &file : files)
    builder.resolveFile(file);
  builder.finish();
  return index;
}

std::optional<Reference> SymbolIndex::at(uint32_t file, uint32_t offset) const {
  auto covers = [&](const SourceRange &range) {
    return range.file == file && range.begin <= offset && offset <= range.end;
  };
  // Ranges do not overlap; the last one starting at or before `offset` is the candidate (or the
  // one before it, when a cursor sits between two adjacent names).
  SourceRange key{file, offset, UINT32_MAX};
  auto ref = std::upper_bound(refs.begin(), refs.end(), key,
                              [](const SourceRange &k, const Reference &r) { return k < r.range; });
  if (ref != refs.begin() && covers(std::prev(ref)->range))
    return *std::prev(ref);
  auto name = std::upper_bound(names.begin(), names.end(), key,
                               [](const SourceRange &k, const auto &n) { return k < n.first; });
  if (name != names.begin() && covers(std::prev(name)->first))
    return Reference{std::prev(name)->first, std::prev(name)->second};
  return std::nullopt;
}

std::optional<SourceRange> SymbolIndex::rangeAt(uint32_t file, uint32_t offset) const {
  if (std::optional<Reference> found = at(file, offset))
    return found->range;
  return std::nullopt;
}

std::optional<SymbolId> SymbolIndex::symbolAt(uint32_t file, uint32_t offset) const {
  if (std::optional<Reference> found = at(file, offset))
    return found->symbol;
  return std::nullopt;
}

std::vector<SourceRange> SymbolIndex::occurrences(SymbolId id, bool withDeclaration) const {
  std::vector<SourceRange> out;
  if (withDeclaration)
    out.push_back(all[id].nameRange);
  for (uint32_t ref : usesOf[id])
    out.push_back(refs[ref].range);
  return out;
}

std::optional<SymbolId> SymbolIndex::lookup(SymbolKind kind, std::string_view name) const {
  auto it = globals.find(std::pair(space(kind), std::string(name)));
  if (it == globals.end())
    return std::nullopt;
  SymbolKind found = all[it->second].kind;
  if (space(found) != space(kind) &&
      !(kind == SymbolKind::ScopeKind && found == SymbolKind::Resource))
    return std::nullopt;
  return it->second;
}

std::vector<SymbolId> SymbolIndex::membersOf(SymbolId resource) const {
  std::vector<SymbolId> out;
  auto collect = [&](SymbolId owner) {
    for (auto it = members.lower_bound(std::pair(owner, std::string()));
         it != members.end() && it->first.first == owner; ++it)
      out.push_back(it->second);
  };
  collect(resource);
  if (auto it = includes.find(resource); it != includes.end())
    for (SymbolId set : it->second) {
      out.push_back(set);
      collect(set);
    }
  return out;
}

std::vector<SymbolId> SymbolIndex::declaredIn(uint32_t file) const {
  std::vector<SymbolId> out;
  for (SymbolId id = 0; id < all.size(); ++id)
    if (all[id].nameRange.file == file)
      out.push_back(id);
  return out;
}

} // namespace lattice::index
