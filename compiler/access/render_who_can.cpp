// render_who_can.cpp - the "who can do this" answer as text, Markdown and JSON (docs/cli.md,
// `lattice who-can`): roles, their conditions and rules, custom-role ceilings, user types,
// denies and requirements, in the answer's deterministic order.
#include "access/who_can.h"

#include <fmt/format.h>
#include <llvm/Support/FormatVariadic.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>

namespace lattice::access {
namespace {

std::string relationList(sema::RelationMask relations) {
  std::string text;
  for (uint32_t r = 0; r < sema::kRelationCount; ++r)
    if ((relations >> r) & 1)
      text += (text.empty() ? "" : ", ") + std::string(sema::relationName(sema::Relation(r)));
  return text;
}

std::string kindList(const sema::Model &model, sema::KindMask kinds, const char *quote) {
  std::string text;
  for (uint32_t k = 0; k < model.kinds.size(); ++k)
    if ((kinds >> k) & 1)
      text += fmt::format("{}{}{}{}", text.empty() ? "" : ", ", quote, model.kinds[k].name, quote);
  return text;
}

std::string location(const SourceManager &sources, const SourceRange &range) {
  if (!range.valid())
    return "<unknown>";
  const LineColumn at = sources.lineColumn(range.file, range.begin);
  return fmt::format("{}:{}:{}", sources.name(range.file).str(), at.line, at.column);
}

/// The source line of a rule, trimmed: what an auditor recognises.
std::string lineOf(const SourceManager &sources, const SourceRange &range) {
  if (!range.valid())
    return "";
  std::string text = sources.lineText(range.file, range.begin).str();
  const size_t first = text.find_first_not_of(" \t");
  const size_t last = text.find_last_not_of(" \t\r");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

std::string roleOf(const sema::Model &model, const RuleSite &site) {
  return site.role ? fmt::format("role `{}`", model.roles[*site.role].name) : "policy-wide";
}

std::string whenText(const Allowed &a) {
  if (a.exact && a.when.empty())
    return "with these flags";
  if (!a.exact)
    return "under conditions too large to list";
  if (a.when.size() == 1 && a.when[0].empty())
    return "always";
  std::string text;
  for (const std::string &product : a.when)
    text += (text.empty() ? "when " : " or ") + product;
  return text;
}

/// Per user type, the relations grouped by their condition (first-seen order).
struct Grant {
  sema::KindId kind;
  sema::RelationMask relations;
  std::string when;
};
std::vector<Grant> grants(const RoleAnswer &role) {
  std::vector<Grant> out;
  for (const Allowed &a : role.allowed) {
    const std::string when = whenText(a);
    auto it = std::find_if(out.begin(), out.end(),
                           [&](const Grant &g) { return g.kind == a.kind && g.when == when; });
    if (it == out.end())
      out.push_back({a.kind, sema::RelationMask(1u << unsigned(a.relation)), when});
    else
      it->relations |= sema::RelationMask(1u << unsigned(a.relation));
  }
  return out;
}

std::string heading(const sema::Model &model, const WhoCan &answer, const char *quote) {
  std::string flags = "any flags";
  if (answer.query.flags) {
    std::string names;
    for (uint32_t f = 0; f < model.flags.size(); ++f)
      if ((*answer.query.flags >> f) & 1)
        names +=
            fmt::format("{}{}{}{}", names.empty() ? "" : ", ", quote, model.flags[f].name, quote);
    flags = names.empty() ? "no flag set" : "exactly " + names + " set";
  }
  return fmt::format("who can {}{}{} (at {}; {})", quote,
                     model.permissions[answer.query.permission].name, quote,
                     relationList(answer.query.relations), flags);
}

} // namespace

std::string renderWhoCanText(const sema::Model &model, const SourceManager &sources,
                             const WhoCan &answer) {
  std::string out = heading(model, answer, "`") + "\n";
  if (answer.roles.empty() && answer.ceilings.empty())
    out += "no role and no custom role can be allowed it\n";
  for (const RoleAnswer &role : answer.roles) {
    out += fmt::format("\nrole `{}`\n", model.roles[role.role].name);
    for (const Grant &g : grants(role))
      out += fmt::format("  user type `{}` at {}: {}\n", model.kinds[g.kind].name,
                         relationList(g.relations), g.when);
    for (const RuleSite &site : role.allows)
      out += fmt::format("  allowed by {}: {}: {}\n", roleOf(model, site),
                         location(sources, site.range), lineOf(sources, site.range));
    for (const RuleSite &site : role.denies)
      out += fmt::format("  denied by its own {}: {}: {}\n", roleOf(model, site),
                         location(sources, site.range), lineOf(sources, site.range));
  }
  for (const CeilingAnswer &c : answer.ceilings) {
    const sema::CustomRole &ceiling = model.customRoles[c.ceiling];
    out += fmt::format("\ncustom role `{}` (user types {}) at {}\n", ceiling.name,
                       kindList(model, c.kinds, "`"), relationList(c.relations));
    for (const SourceRange &site : c.sites)
      out += fmt::format("  held by its ceiling: {}: {}\n", location(sources, site),
                         lineOf(sources, site));
    if (!ceiling.creators.empty()) {
      std::string creators;
      for (sema::RoleId r : ceiling.creators)
        creators += fmt::format("{}`{}`", creators.empty() ? "" : ", ", model.roles[r].name);
      out += "  created by " + creators + "\n";
    }
  }
  out += fmt::format("\nuser types: {}\n",
                     answer.userTypes ? kindList(model, answer.userTypes, "`") : "none");
  if (!answer.denies.empty()) {
    out += "denies that can take it away:\n";
    for (const RuleSite &site : answer.denies)
      out += fmt::format("  {} at {}: {}: {}\n", roleOf(model, site), relationList(site.relations),
                         location(sources, site.range), lineOf(sources, site.range));
  }
  if (!answer.requirements.empty()) {
    out += "requirements of those user types:\n";
    for (const SourceRange &range : answer.requirements)
      out += fmt::format("  {}: {}\n", location(sources, range), lineOf(sources, range));
  }
  return out;
}

std::string renderWhoCanMarkdown(const sema::Model &model, const SourceManager &sources,
                                 const WhoCan &answer) {
  auto cell = [](std::string text) { // a table cell: pipes escaped
    std::string out;
    for (char c : text)
      out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string out = "## " + heading(model, answer, "`") + "\n\n";
  if (answer.roles.empty() && answer.ceilings.empty())
    out += "No role and no custom role can be allowed it.\n\n";
  if (!answer.roles.empty()) {
    out += "| role | user type | relations | when |\n|---|---|---|---|\n";
    for (const RoleAnswer &role : answer.roles)
      for (const Grant &g : grants(role))
        out += fmt::format("| `{}` | `{}` | {} | {} |\n", model.roles[role.role].name,
                           model.kinds[g.kind].name, relationList(g.relations), cell(g.when));
    out += "\n### Rules that allow it\n\n| role | rule | where |\n|---|---|---|\n";
    for (const RoleAnswer &role : answer.roles)
      for (const RuleSite &site : role.allows)
        out += fmt::format("| `{}` | `{}` | {} |\n", model.roles[role.role].name,
                           cell(lineOf(sources, site.range)), location(sources, site.range));
  }
  if (!answer.ceilings.empty()) {
    out +=
        "\n### Custom roles\n\n| ceiling | user types | relations | where |\n|---|---|---|---|\n";
    for (const CeilingAnswer &c : answer.ceilings) {
      std::string where;
      for (const SourceRange &site : c.sites)
        where += (where.empty() ? "" : "<br>") + location(sources, site);
      out += fmt::format("| `{}` | {} | {} | {} |\n", model.customRoles[c.ceiling].name,
                         kindList(model, c.kinds, "`"), relationList(c.relations), where);
    }
  }
  out += fmt::format("\nUser types: {}.\n",
                     answer.userTypes ? kindList(model, answer.userTypes, "`") : "none");
  if (!answer.denies.empty()) {
    out += "\n### Denies that can take it away\n\n| from | relations | rule | where |\n"
           "|---|---|---|---|\n";
    for (const RuleSite &site : answer.denies)
      out += fmt::format("| {} | {} | `{}` | {} |\n", roleOf(model, site),
                         relationList(site.relations), cell(lineOf(sources, site.range)),
                         location(sources, site.range));
  }
  if (!answer.requirements.empty()) {
    out += "\n### Requirements\n\n";
    for (const SourceRange &range : answer.requirements)
      out += fmt::format("- `{}` ({})\n", lineOf(sources, range), location(sources, range));
  }
  return out;
}

std::string renderWhoCanJson(const sema::Model &model, const SourceManager &sources,
                             const WhoCan &answer) {
  using llvm::json::Array;
  using llvm::json::Object;
  using llvm::json::Value;
  auto relations = [](sema::RelationMask mask) {
    Array out;
    for (uint32_t r = 0; r < sema::kRelationCount; ++r)
      if ((mask >> r) & 1)
        out.push_back(sema::relationName(sema::Relation(r)));
    return out;
  };
  auto kinds = [&](sema::KindMask mask) {
    Array out;
    for (uint32_t k = 0; k < model.kinds.size(); ++k)
      if ((mask >> k) & 1)
        out.push_back(model.kinds[k].name);
    return out;
  };
  auto where = [&](const SourceRange &range) -> Value {
    if (!range.valid())
      return nullptr;
    const LineColumn at = sources.lineColumn(range.file, range.begin);
    return Object{{"file", sources.name(range.file).str()},
                  {"line", int64_t(at.line)},
                  {"column", int64_t(at.column)},
                  {"text", lineOf(sources, range)}};
  };
  auto site = [&](const RuleSite &s) {
    return Object{{"role", s.role ? Value(model.roles[*s.role].name) : Value(nullptr)},
                  {"effect", s.effect == sema::Effect::Allow ? "allow" : "deny"},
                  {"relations", relations(s.relations)},
                  {"condition", s.condition.empty() ? Value(nullptr) : Value(s.condition)},
                  {"user_types", kinds(s.kinds)},
                  {"location", where(s.range)}};
  };
  Array roles;
  for (const RoleAnswer &role : answer.roles) {
    Array allowed, allows, denies;
    for (const Allowed &a : role.allowed) {
      Array when;
      for (const std::string &product : a.when)
        when.push_back(product);
      allowed.push_back(Object{
          {"user_type", model.kinds[a.kind].name},
          {"relation", sema::relationName(a.relation)},
          {"when", a.exact && !answer.query.flags ? Value(std::move(when)) : Value(nullptr)}});
    }
    for (const RuleSite &s : role.allows)
      allows.push_back(site(s));
    for (const RuleSite &s : role.denies)
      denies.push_back(site(s));
    roles.push_back(Object{{"role", model.roles[role.role].name},
                           {"allowed", std::move(allowed)},
                           {"allows", std::move(allows)},
                           {"denies", std::move(denies)}});
  }
  Array ceilings;
  for (const CeilingAnswer &c : answer.ceilings) {
    const sema::CustomRole &ceiling = model.customRoles[c.ceiling];
    Array sites, creators;
    for (const SourceRange &range : c.sites)
      sites.push_back(where(range));
    for (sema::RoleId r : ceiling.creators)
      creators.push_back(model.roles[r].name);
    ceilings.push_back(Object{{"ceiling", ceiling.name},
                              {"user_types", kinds(c.kinds)},
                              {"relations", relations(c.relations)},
                              {"created_by", std::move(creators)},
                              {"locations", std::move(sites)}});
  }
  Array denies, requirements;
  for (const RuleSite &s : answer.denies)
    denies.push_back(site(s));
  for (const SourceRange &range : answer.requirements)
    requirements.push_back(where(range));
  Value flags = nullptr;
  if (answer.query.flags) {
    Array names;
    for (uint32_t f = 0; f < model.flags.size(); ++f)
      if ((*answer.query.flags >> f) & 1)
        names.push_back(model.flags[f].name);
    flags = std::move(names);
  }
  Object document{{"permission", model.permissions[answer.query.permission].name},
                  {"relations", relations(answer.query.relations)},
                  {"flags", std::move(flags)},
                  {"roles", std::move(roles)},
                  {"custom_roles", std::move(ceilings)},
                  {"user_types", kinds(answer.userTypes)},
                  {"denies", std::move(denies)},
                  {"requirements", std::move(requirements)}};
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", Value(std::move(document)));
  os.flush();
  return text + "\n";
}

} // namespace lattice::access
