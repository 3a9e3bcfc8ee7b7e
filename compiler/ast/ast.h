// ast.h - the abstract syntax tree of one Lattice source file, with source ranges.
// Built by compiler/parse from the ANTLR parse tree, which never leaves that folder.
#pragma once

#include "base/source_manager.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::ast {

struct Ident {
  std::string name;
  SourceRange range;
};

struct QualifiedName {
  std::vector<Ident> parts;
  SourceRange range;
  std::string str() const; // "a.b.c"
};

struct Header {
  bool isModule = false; // `module x;` rather than `policy x;`
  QualifiedName name;
  SourceRange range;
};

struct Import {
  QualifiedName module;
  SourceRange range;
  uint32_t file = 0; // the file the import loaded (set by parse/module_loader), 0 when none
};

struct ScopeDecl {
  Ident name;
  std::string label;
  std::vector<Ident> parents;
  SourceRange range;
};

struct ActionDecl {
  Ident name;
  std::string label;
  std::vector<Ident> forKinds; // empty: applies to every kind
  SourceRange range;
};

struct GroupDecl {
  Ident name;
  std::string label;
  std::vector<ActionDecl> actions;
  SourceRange range;
};

struct IncludeDecl {
  Ident actionSet;
  SourceRange range;
};

struct ResourceDecl {
  Ident name;
  std::string label;
  std::vector<Ident> owners;       // empty: any scope kind
  bool isScope = false;            // `as scope`: each instance is a node under its owner
  std::vector<ActionDecl> actions; // declared at the top level (groups hold their own)
  std::vector<GroupDecl> groups;
  std::vector<IncludeDecl> includes;
  SourceRange range;
};

struct ActionSetDecl {
  Ident name;
  std::vector<ActionDecl> actions;
  SourceRange range;
};

struct UserTypeDecl {
  Ident name;
  std::string label;
  std::vector<Ident> scopes;
  SourceRange range;
};

struct FlagDecl {
  /// Declared: on scope kinds or user types (node and principal flags); Resource: `on resource
  /// R1, R2` (a fact of those resources); Request: `on request` (a fact of the request).
  enum class Side { Declared, Resource, Request };
  std::vector<Ident> names;
  std::vector<Ident> targets; // scope kinds or user types; resources for Side::Resource
  Side side = Side::Declared;
  SourceRange range;
};

struct Condition {
  enum class Op { Flag, Not, And, Or };
  Op op = Op::Flag;
  Ident flag; // for Op::Flag: `name`, or `side.name` for a fact (`resource.archived`)
  std::unique_ptr<Condition> lhs, rhs; // Not uses lhs only
  SourceRange range;
};

struct PermissionPattern {
  enum class Form { Any, AnyAction, Actions }; // `*`, `res.*`, `res.a` / `res.{a, b}`
  Form form = Form::Any;
  Ident resource;
  std::vector<Ident> actions; // action or group names
  SourceRange range;
};

enum class Effect { Allow, Deny };

struct RuleDecl {
  Effect effect = Effect::Allow;
  std::vector<PermissionPattern> patterns;
  std::vector<PermissionPattern> except;
  std::optional<Ident> relation; // absent: `self` (a policy-wide deny: `tenant`)
  std::unique_ptr<Condition> when;
  std::vector<Ident> kinds; // `for`: only principals of these user types; empty: every one
  SourceRange range;
};

struct AssignsDecl {
  std::vector<Ident> roles;
  std::unique_ptr<Condition> when; // read with the assigner's flags; absent: always
  SourceRange range;
};

/// `created_by account_admin, tenant_admin;` in a custom role.
struct CreatedByDecl {
  std::vector<Ident> roles;
  SourceRange range;
};

/// A role, or with `custom` a custom role ceiling (`custom role NAME for KINDS { allow ...;
/// created_by ...; }`): sema keeps the two apart and says which items each takes.
struct RoleDecl {
  Ident name;
  std::string label;
  bool deprecated = false;
  std::string deprecationNote;
  bool locked = false;
  bool custom = false;
  SourceRange customRange; // the `custom` modifier, when there
  std::vector<CreatedByDecl> createdBy;
  std::vector<Ident> kinds;
  std::vector<Ident> extends;
  std::vector<RuleDecl> rules;
  std::vector<AssignsDecl> assigns;
  SourceRange range;
};

struct ExclusiveDecl {
  std::vector<Ident> roles;
  SourceRange range;
};

struct RequireDecl {
  std::unique_ptr<Condition> condition;
  std::vector<Ident> kinds; // empty: every kind
  SourceRange range;
};

struct TestCase {
  Effect expect = Effect::Allow; // for `assigns` cases: Allow, and Deny for `not assigns`
  bool assigns = false;          // a delegation case: `[not] assigns ROLES: TARGETS;`
  std::vector<Ident> roles;
  std::vector<Ident> targets; // assigns cases: the roles the holder may (not) give
  std::optional<Ident> kind;
  std::vector<Ident> flags; // assigns cases: the assigner's flags
  std::vector<PermissionPattern> patterns;
  std::vector<PermissionPattern> except;
  std::vector<Ident> relations; // empty: all four (`*`)
  SourceRange range;
};

/// `node a: account under acme with business;` - a node of a test's tree.
struct TestNodeDecl {
  Ident name;
  Ident kind;
  std::optional<Ident> parent;
  std::vector<Ident> flags; // flags of the node (declared on its scope kind)
  SourceRange range;
};

/// `alice: account_admin at a;` - roles a principal holds at one node of the test's tree.
struct TestMembershipDecl {
  std::vector<Ident> roles;
  Ident node;
  SourceRange range;
};

/// `principal alice: account_user with active { ... }` - a principal of a test.
struct TestPrincipalDecl {
  Ident name;
  Ident kind;
  std::vector<Ident> flags; // the principal's own flags
  std::vector<TestMembershipDecl> memberships;
  SourceRange range;
};

/// `custom viewer_key: key_role { allow station.view in subtree; }` - a custom role of a test,
/// built from exactly its `allow` rules within ceiling `ceiling`.
struct TestCustomRoleDecl {
  Ident name;
  Ident ceiling;
  std::vector<RuleDecl> rules;
  SourceRange range;
};

struct TestDecl {
  std::string name;
  std::vector<TestCase> cases;
  std::vector<TestNodeDecl> nodes;
  std::vector<TestPrincipalDecl> principals;
  std::vector<TestCustomRoleDecl> customRoles;
  SourceRange range;
};

/// A `//` or `/* */` comment, kept for suppressions and the formatter.
struct Comment {
  std::string text;
  SourceRange range;
};

struct File {
  uint32_t fileId = 0;
  std::vector<Comment> comments;
  std::optional<Header> header;
  std::vector<Import> imports;
  std::vector<ScopeDecl> scopes;
  std::vector<ResourceDecl> resources;
  std::vector<ActionSetDecl> actionSets;
  std::vector<UserTypeDecl> userTypes;
  std::vector<FlagDecl> flags;
  std::vector<RoleDecl> roles;
  std::vector<ExclusiveDecl> exclusives;
  std::vector<RequireDecl> requireClauses;
  std::vector<RuleDecl> policyRules; // rules at the top level: policy-wide denies
  std::vector<TestDecl> tests;
};

} // namespace lattice::ast
