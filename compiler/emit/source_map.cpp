// source_map.cpp - writes the sidecar source map of a table (see source_map.h).
// Built into lattice_driver (it needs the checked model and llvm::json), not the std-only emit lib.
#include "emit/source_map.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

namespace lattice::emit {
namespace {

std::string location(const SourceManager &sources, SourceRange range) {
  if (!range.valid())
    return "";
  LineColumn lc = sources.lineColumn(range.file, range.begin);
  return fmt::format("{}:{}:{}", sources.name(range.file).str(), lc.line, lc.column);
}

/// The source text of `range` on one line: whitespace runs collapsed, trailing `;` dropped.
std::string sourceText(const SourceManager &sources, SourceRange range) {
  if (!range.valid())
    return "";
  llvm::StringRef text = sources.text(range.file);
  if (range.end > text.size() || range.begin > range.end)
    return "";
  std::string out;
  bool space = false;
  for (char c : text.slice(range.begin, range.end)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space)
      out += ' ';
    space = false;
    out += c;
  }
  while (!out.empty() && (out.back() == ';' || out.back() == ' '))
    out.pop_back();
  return out;
}

llvm::json::Array kindNames(const sema::Model &model, sema::KindMask mask) {
  llvm::json::Array out;
  for (size_t k = 0; k < model.kinds.size() && k < 64; ++k)
    if (mask & (sema::KindMask{1} << k))
      out.push_back(model.kinds[k].name);
  return out;
}

llvm::json::Array flagNames(const sema::Model &model, sema::FlagMask mask) {
  llvm::json::Array out;
  for (size_t f = 0; f < model.flags.size() && f < 64; ++f)
    if (mask & (sema::FlagMask{1} << f))
      out.push_back(model.flags[f].name);
  return out;
}

llvm::json::Array clauses(const sema::Model &model, const sema::Guard &guard) {
  llvm::json::Array out;
  for (const sema::Clause &clause : guard.clauses)
    out.push_back(llvm::json::Object{{"required", flagNames(model, clause.required)},
                                     {"forbidden", flagNames(model, clause.forbidden)}});
  return out;
}

llvm::json::Array roleNames(const sema::Model &model, const std::vector<sema::RoleId> &ids) {
  llvm::json::Array out;
  for (sema::RoleId id : ids)
    out.push_back(model.roles[id].name);
  return out;
}

} // namespace

std::string guardText(const sema::Model &model, const sema::Guard &guard) {
  if (guard.isAlways())
    return "always";
  if (guard.isNever())
    return "never";
  std::string out;
  for (const sema::Clause &clause : guard.clauses) {
    std::string term;
    for (size_t f = 0; f < model.flags.size() && f < 64; ++f) {
      sema::FlagMask bit = sema::FlagMask{1} << f;
      if (!(clause.required & bit) && !(clause.forbidden & bit))
        continue;
      if (!term.empty())
        term += " and ";
      term += (clause.forbidden & bit) ? "not " + model.flags[f].name : model.flags[f].name;
    }
    if (!out.empty())
      out += " or ";
    out += term.empty() ? "always" : term;
  }
  return out;
}

namespace {

llvm::json::Object roleObject(const sema::Model &model, const SourceManager &sources,
                              const sema::Role &role) {
  llvm::json::Array rules;
  for (uint32_t index : role.rules) {
    const sema::Rule &rule = model.rules[index];
    llvm::json::Array ids;
    for (sema::PermissionId id : rule.permissions)
      ids.push_back(static_cast<int64_t>(id));
    llvm::json::Array relations;
    for (uint32_t r = 0; r < sema::kRelationCount; ++r)
      if (sema::reachRelations(rule.reach) & (1u << r))
        relations.push_back(sema::relationName(static_cast<sema::Relation>(r)));
    rules.push_back(
        llvm::json::Object{{"effect", rule.effect == sema::Effect::Deny ? "deny" : "allow"},
                           {"permissions", std::move(ids)},
                           {"reach", sema::reachName(rule.reach)},
                           {"relations", std::move(relations)},
                           {"condition", guardText(model, rule.guard)},
                           {"clauses", clauses(model, rule.guard)},
                           {"source", sourceText(sources, rule.range)},
                           {"at", location(sources, rule.range)}});
  }
  return llvm::json::Object{{"name", role.name},
                            {"kinds", kindNames(model, role.kinds)},
                            {"extends", roleNames(model, role.extends)},
                            {"inherited", roleNames(model, role.inherited)},
                            {"at", location(sources, role.decl)},
                            {"rules", std::move(rules)}};
}

} // namespace

std::string writeSourceMap(const sema::Model &model, const SourceManager &sources,
                           const std::vector<uint8_t> &tableBytes) {
  // Streamed, one element at a time: a whole-document llvm::json::Value of a 10,000-role policy
  // took ~460 MiB. The root's keys are written in sorted order, as the Value printer sorts them,
  // so the text is the same as printing the whole document.
  TableIdentity identity = tableIdentity(tableBytes);
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::json::OStream json(os, /*IndentSize=*/1);
  json.object([&] {
    json.attributeArray("exclusive", [&] {
      for (const sema::ExclusiveSet &set : model.exclusives)
        json.value(llvm::json::Object{{"roles", roleNames(model, set.roles)},
                                      {"source", sourceText(sources, set.decl)},
                                      {"at", location(sources, set.decl)}});
    });
    json.attributeArray("flags", [&] {
      for (const sema::Flag &flag : model.flags)
        json.value(llvm::json::Object{{"name", flag.name}, {"at", location(sources, flag.decl)}});
    });
    json.attribute("format", "lattice-source-map");
    json.attributeArray("kinds", [&] {
      for (const sema::PrincipalKind &kind : model.kinds)
        json.value(llvm::json::Object{{"name", kind.name}, {"at", location(sources, kind.decl)}});
    });
    json.attributeArray("permissions", [&] {
      for (const sema::Permission &permission : model.permissions)
        json.value(llvm::json::Object{{"name", permission.name},
                                      {"kinds", kindNames(model, permission.applicableKinds)},
                                      {"at", location(sources, permission.decl)}});
    });
    json.attribute("policy", model.policyName);
    json.attributeArray("requires", [&] {
      for (const sema::Requirement &requirement : model.requirements)
        json.value(llvm::json::Object{{"kinds", kindNames(model, requirement.kinds)},
                                      {"condition", guardText(model, requirement.guard)},
                                      {"clauses", clauses(model, requirement.guard)},
                                      {"source", sourceText(sources, requirement.decl)},
                                      {"at", location(sources, requirement.decl)}});
    });
    json.attributeArray("roles", [&] {
      for (const sema::Role &role : model.roles)
        json.value(roleObject(model, sources, role));
    });
    json.attribute("table",
                   llvm::json::Object{{"checksum", fmt::format("{:016x}", identity.checksum)},
                                      {"size", static_cast<int64_t>(identity.size)}});
    json.attribute("version", kSourceMapVersion);
  });
  os << '\n';
  return os.str();
}

} // namespace lattice::emit
