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

// Every element is written through the stream as it is produced: building llvm::json::Object
// values first (and having the printer sort their keys) was a quarter of `lattice build` at
// 10,000 roles. Keys are written in sorted order, as the Value printer would.
void kindNames(llvm::json::OStream &json, const sema::Model &model, sema::KindMask mask) {
  json.array([&] {
    for (size_t k = 0; k < model.kinds.size() && k < 64; ++k)
      if (mask & (sema::KindMask{1} << k))
        json.value(llvm::StringRef(model.kinds[k].name));
  });
}

void flagNames(llvm::json::OStream &json, const sema::Model &model, sema::FlagMask mask) {
  json.array([&] {
    for (size_t f = 0; f < model.flags.size() && f < 64; ++f)
      if (mask & (sema::FlagMask{1} << f))
        json.value(llvm::StringRef(model.flags[f].name));
  });
}

void clauses(llvm::json::OStream &json, const sema::Model &model, const sema::Guard &guard) {
  json.array([&] {
    for (const sema::Clause &clause : guard.clauses)
      json.object([&] {
        json.attributeBegin("forbidden");
        flagNames(json, model, clause.forbidden);
        json.attributeEnd();
        json.attributeBegin("required");
        flagNames(json, model, clause.required);
        json.attributeEnd();
      });
  });
}

void roleNames(llvm::json::OStream &json, const sema::Model &model,
               const std::vector<sema::RoleId> &ids) {
  json.array([&] {
    for (sema::RoleId id : ids)
      json.value(llvm::StringRef(model.roles[id].name));
  });
}

/// An attribute whose value a writer function streams.
template <typename Write> void attribute(llvm::json::OStream &json, const char *key, Write write) {
  json.attributeBegin(key);
  write();
  json.attributeEnd();
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

/// One rule: where it is, its effect, permissions (ids), reach and relations, condition, the
/// user types it applies to when it names them (`for`), and its text.
void ruleObject(llvm::json::OStream &json, const sema::Model &model, const SourceManager &sources,
                const sema::Rule &rule) {
  json.object([&] {
    json.attribute("at", location(sources, rule.range));
    attribute(json, "clauses", [&] { clauses(json, model, rule.guard); });
    json.attribute("condition", guardText(model, rule.guard));
    json.attribute("effect", rule.effect == sema::Effect::Deny ? "deny" : "allow");
    if ((rule.kinds & model.allKinds()) != model.allKinds())
      attribute(json, "kinds", [&] { kindNames(json, model, rule.kinds); });
    json.attributeArray("permissions", [&] {
      for (sema::PermissionId id : rule.permissions)
        json.value(static_cast<int64_t>(id));
    });
    json.attribute("reach", sema::reachName(rule.reach));
    json.attributeArray("relations", [&] {
      for (uint32_t r = 0; r < sema::kRelationCount; ++r)
        if (sema::reachRelations(rule.reach) & (1u << r))
          json.value(sema::relationName(static_cast<sema::Relation>(r)));
    });
    json.attribute("source", sourceText(sources, rule.range));
  });
}

void roleObject(llvm::json::OStream &json, const sema::Model &model, const SourceManager &sources,
                const sema::Role &role) {
  json.object([&] {
    json.attribute("at", location(sources, role.decl));
    attribute(json, "extends", [&] { roleNames(json, model, role.extends); });
    attribute(json, "inherited", [&] { roleNames(json, model, role.inherited); });
    attribute(json, "kinds", [&] { kindNames(json, model, role.kinds); });
    json.attribute("name", llvm::StringRef(role.name));
    json.attributeArray("rules", [&] {
      for (uint32_t index : role.rules)
        ruleObject(json, model, sources, model.rules[index]);
    });
  });
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
  os.SetBuffered(); // unbuffered, every token of the ~20 MB of a 10,000-role map is an append
  llvm::json::OStream json(os);
  json.object([&] {
    json.attributeArray("exclusive", [&] {
      for (const sema::ExclusiveSet &set : model.exclusives)
        json.object([&] {
          json.attribute("at", location(sources, set.decl));
          attribute(json, "roles", [&] { roleNames(json, model, set.roles); });
          json.attribute("source", sourceText(sources, set.decl));
        });
    });
    json.attributeArray("flags", [&] {
      for (const sema::Flag &flag : model.flags)
        json.object([&] {
          json.attribute("at", location(sources, flag.decl));
          json.attribute("name", llvm::StringRef(flag.name));
        });
    });
    json.attribute("format", "lattice-source-map");
    json.attributeArray("kinds", [&] {
      for (const sema::PrincipalKind &kind : model.kinds)
        json.object([&] {
          json.attribute("at", location(sources, kind.decl));
          json.attribute("name", llvm::StringRef(kind.name));
        });
    });
    json.attributeArray("permissions", [&] {
      for (const sema::Permission &permission : model.permissions)
        json.object([&] {
          json.attribute("at", location(sources, permission.decl));
          attribute(json, "kinds", [&] { kindNames(json, model, permission.applicableKinds); });
          json.attribute("name", llvm::StringRef(permission.name));
        });
    });
    json.attribute("policy", model.policyName);
    json.attributeArray("policyDenies", [&] {
      for (uint32_t index : model.policyRules)
        ruleObject(json, model, sources, model.rules[index]);
    });
    json.attributeArray("requires", [&] {
      for (const sema::Requirement &requirement : model.requirements)
        json.object([&] {
          json.attribute("at", location(sources, requirement.decl));
          attribute(json, "clauses", [&] { clauses(json, model, requirement.guard); });
          json.attribute("condition", guardText(model, requirement.guard));
          attribute(json, "kinds", [&] { kindNames(json, model, requirement.kinds); });
          json.attribute("source", sourceText(sources, requirement.decl));
        });
    });
    json.attributeArray("roles", [&] {
      for (const sema::Role &role : model.roles)
        roleObject(json, model, sources, role);
    });
    json.attributeObject("table", [&] {
      json.attribute("checksum", fmt::format("{:016x}", identity.checksum));
      json.attribute("size", static_cast<int64_t>(identity.size));
    });
    json.attribute("version", kSourceMapVersion);
  });
  os << '\n';
  os.flush(); // LLVM 14's str() does not flush a buffered stream
  return text;
}

} // namespace lattice::emit
