// ast_builder.cpp - one small function per grammar construct, from *Context nodes to AST nodes.
// Recursion here is bounded: conditions are the only recursive construct and the parser driver
// rejects nesting deeper than kMaxNesting and conditions longer than kMaxConditionOperators.
#include "parse/ast_builder.h"

namespace lattice::parse {
namespace {

using P = lattice_gen::LatticeParser;

class Builder {
public:
  explicit Builder(const SourceText &text) : text(text) {}

  ast::File file(P::FileContext *ctx) {
    ast::File result;
    result.fileId = text.fileId();
    if (auto *header = ctx->header())
      result.header = ast::Header{header->kind->getType() == P::MODULE,
                                  qualifiedName(header->qualifiedName()), range(header)};
    for (auto *import : ctx->importDecl())
      result.imports.push_back({qualifiedName(import->qualifiedName()), range(import)});
    for (auto *decl : ctx->decl())
      declaration(decl, result);
    return result;
  }

private:
  SourceRange range(antlr4::ParserRuleContext *ctx) const {
    auto *stop = ctx->getStop();
    size_t last = stop ? stop->getStopIndex() : ctx->getStart()->getStartIndex();
    return text.range(ctx->getStart()->getStartIndex(), last);
  }

  ast::Ident ident(P::IdentContext *ctx) const { return {ctx->getText(), range(ctx)}; }

  std::vector<ast::Ident> identList(P::IdentListContext *ctx) const {
    std::vector<ast::Ident> result;
    if (ctx == nullptr)
      return result;
    for (auto *id : ctx->ident())
      result.push_back(ident(id));
    return result;
  }

  /// A flag as a condition or a test's `with` names it: `business`, or `side.name` for a fact
  /// (`resource.archived`), kept as one name with the side in it; sema resolves the side.
  ast::Ident flagRef(P::FlagRefContext *ctx) const {
    std::string name;
    for (auto *id : ctx->ident())
      name += (name.empty() ? "" : ".") + id->getText();
    return {name, range(ctx)};
  }

  std::vector<ast::Ident> flagList(P::FlagListContext *ctx) const {
    std::vector<ast::Ident> result;
    if (ctx == nullptr)
      return result;
    for (auto *ref : ctx->flagRef())
      result.push_back(flagRef(ref));
    return result;
  }

  ast::QualifiedName qualifiedName(P::QualifiedNameContext *ctx) const {
    ast::QualifiedName result;
    for (auto *id : ctx->ident())
      result.parts.push_back(ident(id));
    result.range = range(ctx);
    return result;
  }

  static std::string unquote(const std::string &literal) {
    std::string result;
    for (size_t i = 1; i + 1 < literal.size(); ++i) {
      char c = literal[i];
      if (c == '\\' && i + 2 < literal.size()) {
        char next = literal[++i];
        result += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        continue;
      }
      result += c;
    }
    return result;
  }

  std::string label(P::LabelContext *ctx) const {
    return ctx ? unquote(ctx->STRING()->getText()) : std::string();
  }

  void declaration(P::DeclContext *ctx, ast::File &out) {
    if (auto *d = ctx->scopeDecl())
      out.scopes.push_back(
          {ident(d->ident()), label(d->label()), identList(d->identList()), range(d)});
    else if (auto *d = ctx->resourceDecl())
      out.resources.push_back(resource(d));
    else if (auto *d = ctx->actionSetDecl())
      out.actionSets.push_back(actionSet(d));
    else if (auto *d = ctx->userTypeDecl())
      out.userTypes.push_back(
          {ident(d->ident()), label(d->label()), identList(d->identList()), range(d)});
    else if (auto *d = ctx->flagDecl())
      out.flags.push_back(flagDecl(d));
    else if (auto *d = ctx->roleDecl())
      out.roles.push_back(role(d));
    else if (auto *d = ctx->exclusiveDecl())
      out.exclusives.push_back({identList(d->identList()), range(d)});
    else if (auto *d = ctx->requireDecl())
      out.requireClauses.push_back({condition(d->condition()), identList(d->kinds), range(d)});
    else if (auto *d = ctx->policyRuleDecl())
      out.policyRules.push_back(ruleDecl(d->ruleDecl()));
    else if (auto *d = ctx->testDecl())
      out.tests.push_back(test(d));
  }

  ast::FlagDecl flagDecl(P::FlagDeclContext *ctx) const {
    P::FlagTargetsContext *targets = ctx->flagTargets();
    ast::FlagDecl result{identList(ctx->names), {}, ast::FlagDecl::Side::Declared, range(ctx)};
    if (targets->REQUEST()) {
      result.side = ast::FlagDecl::Side::Request;
    } else if (targets->resources) {
      result.side = ast::FlagDecl::Side::Resource;
      result.targets = identList(targets->resources);
    } else {
      result.targets = identList(targets->targets);
    }
    return result;
  }

  void actionDecl(P::ActionDeclContext *ctx, std::vector<ast::ActionDecl> &out) const {
    std::vector<ast::Ident> kinds = identList(ctx->identList());
    for (auto *item : ctx->actionItem())
      out.push_back({ident(item->ident()), label(item->label()), kinds, range(item)});
  }

  ast::ResourceDecl resource(P::ResourceDeclContext *ctx) const {
    ast::ResourceDecl result;
    result.name = ident(ctx->ident());
    result.label = label(ctx->label());
    result.owners = identList(ctx->identList());
    result.isScope = ctx->SCOPE() != nullptr;
    result.range = range(ctx);
    for (auto *item : ctx->resourceItem()) {
      if (auto *action = item->actionDecl()) {
        actionDecl(action, result.actions);
      } else if (auto *group = item->groupDecl()) {
        ast::GroupDecl decl{ident(group->ident()), label(group->label()), {}, range(group)};
        for (auto *action : group->actionDecl())
          actionDecl(action, decl.actions);
        result.groups.push_back(std::move(decl));
      } else if (auto *include = item->includeDecl()) {
        result.includes.push_back({ident(include->ident()), range(include)});
      }
    }
    return result;
  }

  ast::ActionSetDecl actionSet(P::ActionSetDeclContext *ctx) const {
    ast::ActionSetDecl result{ident(ctx->ident()), {}, range(ctx)};
    for (auto *action : ctx->actionDecl())
      actionDecl(action, result.actions);
    return result;
  }

  ast::RoleDecl role(P::RoleDeclContext *ctx) const {
    ast::RoleDecl result;
    result.name = ident(ctx->ident());
    result.label = label(ctx->label());
    for (auto *modifier : ctx->roleModifier()) {
      if (modifier->LOCKED()) {
        result.locked = true;
        continue;
      }
      if (modifier->CUSTOM()) {
        result.custom = true;
        result.customRange = range(modifier);
        continue;
      }
      result.deprecated = true;
      if (auto *note = modifier->STRING())
        result.deprecationNote = unquote(note->getText());
    }
    result.kinds = identList(ctx->kinds);
    result.extends = identList(ctx->parents);
    result.range = range(ctx);
    for (auto *item : ctx->roleItem()) {
      if (auto *rule = item->ruleDecl())
        result.rules.push_back(ruleDecl(rule));
      else if (auto *assigns = item->assignsDecl())
        result.assigns.push_back({identList(assigns->identList()),
                                  assigns->condition() ? condition(assigns->condition()) : nullptr,
                                  range(assigns)});
      else if (auto *createdBy = item->createdByDecl())
        result.createdBy.push_back({identList(createdBy->identList()), range(createdBy)});
    }
    return result;
  }

  ast::RuleDecl ruleDecl(P::RuleDeclContext *ctx) const {
    ast::RuleDecl result;
    result.effect = ctx->effect->getType() == P::DENY ? ast::Effect::Deny : ast::Effect::Allow;
    result.patterns = patterns(ctx->patterns);
    result.except = patterns(ctx->excluded);
    if (ctx->relation)
      result.relation = ident(ctx->relation);
    if (ctx->condition())
      result.when = condition(ctx->condition());
    result.kinds = identList(ctx->kinds);
    result.range = range(ctx);
    return result;
  }

  std::vector<ast::PermissionPattern> patterns(P::PermissionListContext *ctx) const {
    std::vector<ast::PermissionPattern> result;
    if (ctx == nullptr)
      return result;
    for (auto *pattern : ctx->permissionPattern()) {
      ast::PermissionPattern out;
      out.range = range(pattern);
      if (auto *any = dynamic_cast<P::AnyActionContext *>(pattern)) {
        out.form = ast::PermissionPattern::Form::AnyAction;
        out.resource = ident(any->ident());
      } else if (auto *set = dynamic_cast<P::ActionSetContext *>(pattern)) {
        out.form = ast::PermissionPattern::Form::Actions;
        out.resource = ident(set->ident());
        out.actions = identList(set->identList());
      } else if (auto *single = dynamic_cast<P::SingleActionContext *>(pattern)) {
        out.form = ast::PermissionPattern::Form::Actions;
        out.resource = ident(single->ident(0));
        out.actions.push_back(ident(single->ident(1)));
      }
      result.push_back(std::move(out));
    }
    return result;
  }

  std::unique_ptr<ast::Condition> condition(P::ConditionContext *ctx) const {
    auto result = std::make_unique<ast::Condition>();
    result->range = range(ctx);
    if (auto *paren = dynamic_cast<P::ParenConditionContext *>(ctx)) {
      auto inner = condition(paren->condition());
      inner->range = result->range; // keep the parentheses in the range
      return inner;
    }
    if (auto *flag = dynamic_cast<P::FlagConditionContext *>(ctx)) {
      result->op = ast::Condition::Op::Flag;
      result->flag = flagRef(flag->flagRef());
    } else if (auto *negation = dynamic_cast<P::NotConditionContext *>(ctx)) {
      result->op = ast::Condition::Op::Not;
      result->lhs = condition(negation->condition());
    } else if (auto *conj = dynamic_cast<P::AndConditionContext *>(ctx)) {
      result->op = ast::Condition::Op::And;
      result->lhs = condition(conj->condition(0));
      result->rhs = condition(conj->condition(1));
    } else if (auto *disj = dynamic_cast<P::OrConditionContext *>(ctx)) {
      result->op = ast::Condition::Op::Or;
      result->lhs = condition(disj->condition(0));
      result->rhs = condition(disj->condition(1));
    }
    return result;
  }

  ast::TestDecl test(P::TestDeclContext *ctx) const {
    ast::TestDecl result{unquote(ctx->STRING()->getText()), {}, {}, {}, {}, range(ctx)};
    for (auto *item : ctx->testItem()) {
      if (auto *node = item->testNode()) {
        ast::TestNodeDecl out{ident(node->name), ident(node->kind), std::nullopt,
                              identList(node->flags), range(node)};
        if (node->parent)
          out.parent = ident(node->parent);
        result.nodes.push_back(std::move(out));
      } else if (auto *principal = item->testPrincipal()) {
        ast::TestPrincipalDecl out{ident(principal->name),
                                   ident(principal->kind),
                                   identList(principal->flags),
                                   {},
                                   range(principal)};
        for (auto *m : principal->testMembership())
          out.memberships.push_back({identList(m->roles), ident(m->node), range(m)});
        result.principals.push_back(std::move(out));
      } else if (auto *custom = item->testCustomRole()) {
        ast::TestCustomRoleDecl out{ident(custom->name), ident(custom->ceiling), {}, range(custom)};
        for (auto *rule : custom->ruleDecl())
          out.rules.push_back(ruleDecl(rule));
        result.customRoles.push_back(std::move(out));
      }
    }
    for (auto *item : ctx->testItem()) {
      auto *c = item->testCase();
      if (c == nullptr)
        continue;
      ast::TestCase out;
      for (auto *role : c->roles)
        out.roles.push_back(ident(role));
      out.range = range(c);
      if (c->ASSIGNS() != nullptr) {
        out.assigns = true;
        out.expect = c->negated != nullptr ? ast::Effect::Deny : ast::Effect::Allow;
        out.targets = identList(c->targets);
        out.flags = flagList(c->flags);
        result.cases.push_back(std::move(out));
        continue;
      }
      out.expect = c->expect->getType() == P::DENY ? ast::Effect::Deny : ast::Effect::Allow;
      if (c->kind)
        out.kind = ident(c->kind);
      out.flags = flagList(c->flags);
      out.patterns = patterns(c->patterns);
      out.except = patterns(c->excluded);
      auto *relations = c->relationList();
      if (auto *single = relations->ident())
        out.relations.push_back(ident(single));
      else
        out.relations = identList(relations->identList()); // empty for `*`
      result.cases.push_back(std::move(out));
    }
    return result;
  }

  const SourceText &text;
};

} // namespace

ast::File buildAst(P::FileContext *tree, const SourceText &text) {
  return Builder(text).file(tree);
}

} // namespace lattice::parse
