// tests.cpp - resolves `test` blocks into concrete cases: roles, one user type, flags,
// permissions and relations. `lattice test` then runs each case through the runtime.
#include "sema/context.h"

#include <algorithm>

namespace lattice::sema {
namespace {

std::optional<RelationMask> relations(const std::vector<ast::Ident> &names, Context &ctx,
                                      std::vector<TestCase::RelationSite> &sites) {
  if (names.empty())
    return RelationMask((1u << kRelationCount) - 1);
  RelationMask mask = 0;
  bool ok = true;
  for (const ast::Ident &name : names) {
    const RelationWord *word = ctx.relationWord(name, DiagKind::UnknownTestRelation);
    ok &= word != nullptr;
    if (!word)
      continue;
    mask |= word->relations;
    sites.push_back({name.name, word->relations, name.range});
  }
  return ok ? std::optional(mask) : std::nullopt;
}

/// A case's flags (`with FLAGS`: the request's, or an assigns case's assigner's) into
/// `result.flags`, with their sites; false when one is unknown (reported).
bool resolveFlags(const std::vector<ast::Ident> &names, Context &ctx, TestCase &result) {
  bool ok = true;
  for (const ast::Ident &name : names) {
    std::optional<FlagId> flag = ctx.flag(name);
    ok &= flag.has_value();
    if (flag) {
      result.flags |= FlagMask{1} << *flag;
      result.flagSites.push_back({*flag, name.range});
    }
  }
  return ok;
}

/// `[not] assigns ROLES [with FLAGS]: TARGETS;`: only names to resolve. Whether the roles can be
/// held together does not matter: lattice_can_assign_with looks at the held roles' `assigns`
/// (their conditions read with FLAGS, the assigner's own and its node's) and the target's lock.
std::optional<TestCase> checkAssignCase(const ast::TestCase &decl, Context &ctx) {
  TestCase result;
  result.assigns = true;
  result.expect = decl.expect == ast::Effect::Deny ? Effect::Deny : Effect::Allow;
  result.range = decl.range;
  bool ok = true;
  for (const ast::Ident &name : decl.roles) {
    std::optional<RoleId> role = ctx.role(name);
    ok &= role.has_value();
    if (role)
      result.roles.push_back(*role);
  }
  for (const ast::Ident &name : decl.targets) {
    std::optional<RoleId> role = ctx.role(name);
    ok &= role.has_value();
    if (role)
      result.targets.push_back(*role);
  }
  ok &= resolveFlags(decl.flags, ctx, result);
  return ok ? std::optional(result) : std::nullopt;
}

std::optional<TestCase> checkCase(const ast::TestCase &decl, const Test &test,
                                  const TestCustomRoleLookup &customRole, Context &ctx) {
  if (decl.assigns)
    return checkAssignCase(decl, ctx);
  const Model &model = ctx.model;
  TestCase result;
  result.expect = decl.expect == ast::Effect::Deny ? Effect::Deny : Effect::Allow;
  result.range = decl.range;
  bool ok = true;
  KindMask common = model.allKinds();
  bool kindsKnown = true; // false when a role's `for` named an unknown user type (reported)
  std::vector<const ast::Ident *> customNames; // where each of result.customRoles is named
  for (const ast::Ident &name : decl.roles) {
    // A custom role of the test, or a ceiling standing for its widest custom role.
    bool failed = false;
    if (std::optional<uint32_t> custom = customRole(name, failed)) {
      result.customRoles.push_back(*custom);
      customNames.push_back(&name);
      common &= model.customRoles[test.customRoles[*custom].ceiling].kinds;
      continue;
    }
    if (failed) {
      ok = false; // its declaration failed its own checks (reported)
      continue;
    }
    std::optional<RoleId> role = ctx.role(name);
    if (!role) {
      ok = false;
      continue;
    }
    result.roles.push_back(*role);
    common &= model.roles[*role].kinds;
    kindsKnown &= !ctx.incomplete(ctx.incompleteRoles, *role);
  }
  ok &= resolveFlags(decl.flags, ctx, result);
  std::optional<RelationMask> rel = relations(decl.relations, ctx, result.relationSites);
  std::optional<std::vector<PermissionId>> permissions =
      expandPatterns(decl.patterns, decl.except, ctx);
  if (!rel || !permissions || !ok)
    return std::nullopt;
  result.relations = *rel;
  result.permissions = std::move(*permissions);
  if (result.permissions.empty())
    ctx.diags.report(DiagKind::EmptyPermissionSet, decl.range, "this test matches no permission");

  if (decl.kind) {
    std::optional<KindId> kind = ctx.kind(*decl.kind);
    if (!kind || !kindsKnown)
      return std::nullopt;
    result.kind = *kind;
    // A `deny` case may hold a role its kind cannot hold: it checks that such a request fails
    // closed. An `allow` case like that could never pass, so it is an error.
    for (size_t i = 0; i < result.roles.size() && result.expect == Effect::Allow; ++i)
      if (!(model.roles[result.roles[i]].kinds >> *kind & 1)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestKindMismatch, decl.roles[i].range,
            fmt::format("user type `{}` may not hold role `{}`, so this case can never be "
                        "allowed",
                        decl.kind->name, decl.roles[i].name));
        diag.notes.push_back({model.roles[result.roles[i]].decl, "role declared here"});
        ok = false;
      }
    for (size_t i = 0; i < result.customRoles.size() && result.expect == Effect::Allow; ++i)
      if (const CustomRole &ceiling =
              model.customRoles[test.customRoles[result.customRoles[i]].ceiling];
          !(ceiling.kinds >> *kind & 1)) {
        Diagnostic &diag = ctx.diags.report(
            DiagKind::TestKindMismatch, customNames[i]->range,
            fmt::format("user type `{}` may not hold custom role `{}`, so this case can never "
                        "be allowed",
                        decl.kind->name, customNames[i]->name));
        diag.notes.push_back({ceiling.decl, "custom role declared here"});
        ok = false;
      }
    return ok ? std::optional(result) : std::nullopt;
  }
  if (!kindsKnown)
    return std::nullopt;
  if (common == 0) {
    ctx.diags.report(DiagKind::TestKindMismatch, decl.range,
                     "no user type may hold all of these roles");
    return std::nullopt;
  }
  if ((common & (common - 1)) != 0) {
    Diagnostic &diag = ctx.diags.report(
        DiagKind::TestKindAmbiguous, decl.range,
        fmt::format("{} can be held by several user types; say which with `as <user type>`",
                    decl.roles.size() == 1 ? "this role" : "these roles"));
    for (KindId k = 0; k < model.kinds.size(); ++k)
      if (common >> k & 1)
        diag.notes.push_back(
            {model.kinds[k].decl, fmt::format("`{}` could hold them", model.kinds[k].name)});
    return std::nullopt;
  }
  result.kind = static_cast<KindId>(__builtin_ctzll(common));
  return result;
}

} // namespace

void checkTests(const std::vector<ast::File> &files, Context &ctx) {
  for (const ast::File &file : files)
    for (const ast::TestDecl &decl : file.tests) {
      Test test{decl.name, decl.range, {}, {}, {}, {}};
      checkTestBlock(decl, test, ctx,
                     [&](const ast::TestCase &c, const TestCustomRoleLookup &customRole) {
                       return checkCase(c, test, customRole, ctx);
                     });
      ctx.model.tests.push_back(std::move(test));
    }
}

} // namespace lattice::sema
