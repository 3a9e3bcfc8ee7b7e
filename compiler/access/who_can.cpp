// who_can.cpp - the answer of "who can do this" on a checked model: a role is listed when a
// principal holding it alone is allowed the permission for some user type, asked relation and
// flags, as the review gate's symbolic decision computes it (diff/symbolic_policy: exact in the
// flags, the gates of docs/request-model.md included).
#include "access/who_can.h"

#include "diagnostics/suggest.h"
#include "diff/symbolic_policy.h"
#include "logic/bdd.h"
#include "sema/relation_words.h"

#include <algorithm>
#include <fmt/format.h>

namespace lattice::access {
namespace {

/// "a and not b or c": a guard in the words of `when`.
std::string guardWords(const sema::Model &model, const sema::Guard &guard) {
  if (guard.isAlways())
    return "";
  if (guard.isNever())
    return "never";
  std::string text;
  for (const sema::Clause &clause : guard.clauses) {
    std::string product;
    for (uint32_t f = 0; f < model.flags.size(); ++f) {
      const sema::FlagMask bit = sema::FlagMask{1} << f;
      if (clause.required & bit)
        product += (product.empty() ? "" : " and ") + model.flags[f].name;
      if (clause.forbidden & bit)
        product += (product.empty() ? "not " : " and not ") + model.flags[f].name;
    }
    text += (text.empty() ? "" : " or ") + product;
  }
  return text;
}

RuleSite siteOf(const sema::Model &model, uint32_t index, sema::RelationMask asked) {
  const sema::Rule &rule = model.rules[index];
  RuleSite site;
  site.rule = index;
  if (!rule.policyWide())
    site.role = rule.role;
  site.effect = rule.effect;
  site.relations = sema::reachRelations(rule.reach) & asked;
  site.condition = guardWords(model, rule.guard);
  site.kinds = rule.kinds & (rule.policyWide() ? model.allKinds() : model.roles[rule.role].kinds);
  site.range = rule.range;
  return site;
}

/// Whether rule `index` can take part in a request for the permission at an asked relation.
bool covers(const sema::Model &model, uint32_t index, sema::PermissionId permission,
            sema::RelationMask asked) {
  const sema::Rule &rule = model.rules[index];
  return (sema::reachRelations(rule.reach) & asked) != 0 && !rule.guard.isNever() &&
         std::binary_search(rule.permissions.begin(), rule.permissions.end(), permission);
}

} // namespace

bool resolveWhoCan(const sema::Model &model, const std::string &permission,
                   const std::optional<std::string> &relation,
                   const std::optional<std::vector<std::string>> &flags, WhoCanQuery &out,
                   std::string &error) {
  out = WhoCanQuery{};
  auto unknown = [&](const char *what, const std::string &name, auto candidates) {
    NameSuggester suggester(name);
    for (const auto &candidate : candidates)
      suggester.consider(candidate);
    error = fmt::format("unknown {} `{}`", what, name);
    if (suggester.best())
      error += "; " + suggester.didYouMean();
    return false;
  };
  auto names = [](const auto &items) {
    std::vector<std::string> out;
    for (const auto &item : items)
      out.push_back(item.name);
    return out;
  };
  bool found = false;
  for (sema::PermissionId p = 0; p < model.permissions.size() && !found; ++p)
    if (model.permissions[p].name == permission) {
      out.permission = p;
      found = true;
    }
  if (!found)
    return unknown("permission", permission, names(model.permissions));
  if (relation) {
    const sema::RelationWord *word = sema::findRelationWord(*relation);
    if (word && !word->replacement.empty()) {
      error = fmt::format("`{}` is the old spelling of the relation `{}`; write `--relation {}`",
                          *relation, word->replacement, word->replacement);
      return false;
    }
    if (!word) {
      std::vector<std::string> words;
      for (std::string_view w : sema::canonicalRelationWords())
        words.emplace_back(w);
      return unknown("relation", *relation, words);
    }
    out.relations = word->relations;
  }
  if (flags) {
    sema::FlagMask mask = 0;
    for (const std::string &name : *flags) {
      bool known = false;
      for (sema::FlagId f = 0; f < model.flags.size() && !known; ++f)
        if (model.flags[f].name == name) {
          mask |= sema::FlagMask{1} << f;
          known = true;
        }
      if (!known)
        return unknown("flag", name, names(model.flags));
    }
    out.flags = mask;
  }
  return true;
}

bool whoCan(const sema::Model &model, const WhoCanQuery &query, WhoCan &out, std::string &error) {
  out = WhoCan{};
  out.query = query;
  const sema::Permission &permission = model.permissions[query.permission];
  diff::FlagSpace space(model, model);
  logic::BddManager bdds(space.size());
  diff::SymbolicPolicy policy(model, bdds, space, diff::SymbolicPolicy::Side::After);
  // With --flags: the one assignment (node flags of the one membership: copy 0; the other
  // copies are never read by a principal at one node).
  logic::Bdd assignment = logic::kTrue;
  if (query.flags) {
    logic::Cube cube;
    for (sema::FlagId f = 0; f < model.flags.size(); ++f)
      cube.push_back({space.afterVariable(f, 0), ((*query.flags >> f) & 1) != 0});
    std::sort(cube.begin(), cube.end(), [](const logic::Literal &a, const logic::Literal &b) {
      return a.variable < b.variable;
    });
    assignment = bdds.cube(cube);
  }
  auto productText = [&](const logic::Cube &cube) {
    std::string text;
    for (const logic::Literal &literal : cube)
      text += fmt::format("{}{}{}", text.empty() ? "" : " and ", literal.positive ? "" : "not ",
                          space.name(literal.variable));
    return text;
  };
  for (sema::RoleId r = 0; r < model.roles.size(); ++r) {
    const sema::Role &role = model.roles[r];
    RoleAnswer answer;
    answer.role = r;
    for (sema::KindId k = 0; k < model.kinds.size(); ++k) {
      if (!((role.kinds >> k) & 1))
        continue;
      for (uint32_t rel = 0; rel < sema::kRelationCount; ++rel) {
        if (!((query.relations >> rel) & 1))
          continue;
        const logic::Bdd allowed = bdds.conjoin(
            policy.allowed(model.kinds[k].name, {role.name}, permission.name, sema::Relation(rel)),
            assignment);
        if (allowed == logic::kFalse)
          continue;
        Allowed a{k, sema::Relation(rel), {}, true};
        if (query.flags) // the one assignment asked about: no condition left to show
          a.when.clear();
        else if (auto products = bdds.sumOfProducts(allowed, 16))
          for (const logic::Cube &cube : *products)
            a.when.push_back(productText(cube));
        else
          a.exact = false;
        answer.allowed.push_back(std::move(a));
      }
    }
    if (answer.allowed.empty())
      continue;
    for (uint32_t index : policy.rulesOf(r))
      if (covers(model, index, query.permission, query.relations) &&
          (model.rules[index].kinds & role.kinds) != 0)
        (model.rules[index].effect == sema::Effect::Allow ? answer.allows : answer.denies)
            .push_back(siteOf(model, index, query.relations));
    for (const Allowed &a : answer.allowed)
      out.userTypes |= sema::KindMask{1} << a.kind;
    out.roles.push_back(std::move(answer));
  }
  for (uint32_t c = 0; c < model.customRoles.size(); ++c) {
    const sema::CustomRole &ceiling = model.customRoles[c];
    CeilingAnswer answer{c,
                         ceiling.kinds & permission.applicableKinds,
                         sema::RelationMask(ceiling.reachOf(query.permission) & query.relations),
                         {}};
    if (answer.kinds == 0 || answer.relations == 0)
      continue;
    for (const sema::CustomRole::Allow &allow : ceiling.allows)
      if (std::binary_search(allow.permissions.begin(), allow.permissions.end(),
                             query.permission) &&
          (sema::reachRelations(allow.reach) & query.relations))
        answer.sites.push_back(allow.range);
    out.userTypes |= answer.kinds;
    out.ceilings.push_back(std::move(answer));
  }
  for (uint32_t index = 0; index < model.rules.size(); ++index)
    if (model.rules[index].effect == sema::Effect::Deny &&
        covers(model, index, query.permission, query.relations))
      out.denies.push_back(siteOf(model, index, query.relations));
  for (const sema::Requirement &requirement : model.requirements)
    if (requirement.kinds & out.userTypes)
      out.requirements.push_back(requirement.decl);
  if (bdds.exhausted()) {
    error = "the policy's conditions are too large to decide exactly here";
    return false;
  }
  return true;
}

} // namespace lattice::access
