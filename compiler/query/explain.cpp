// explain.cpp - building an Explanation from the source map and the runtime's decision, and its
// two renderings. The decision itself always comes from the runtime: the map only says why.
#include "query/explain.h"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace lattice::query {
namespace {

bool contains(const std::vector<std::string> &list, const std::string &item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string quotedList(const std::vector<std::string> &names) {
  if (names.empty())
    return "none";
  std::string out;
  for (const std::string &name : names)
    out += (out.empty() ? "`" : ", `") + name + "`";
  return out;
}

/// Every rule of the held roles (and the roles they extend) naming the permission, each once,
/// denies first.
std::vector<ExplainedRule> rulesFor(const SourceMap &map, const NamedRequest &request,
                                    uint32_t permission) {
  std::vector<ExplainedRule> out;
  std::set<std::pair<const MapRole *, size_t>> seen;
  for (const std::string &held : request.roles) {
    const MapRole *role = map.role(held);
    if (role == nullptr)
      continue;
    std::vector<const MapRole *> chain{role};
    for (const std::string &name : role->inherited)
      if (const MapRole *parent = map.role(name))
        chain.push_back(parent);
    for (const MapRole *declaring : chain)
      for (size_t i = 0; i < declaring->rules.size(); ++i) {
        const MapRule &rule = declaring->rules[i];
        if (std::find(rule.permissions.begin(), rule.permissions.end(), permission) ==
                rule.permissions.end() ||
            !seen.insert({declaring, i}).second)
          continue;
        ExplainedRule explained{rule.deny, declaring->name, held, {rule.at, rule.source}, "",
                                false};
        if (!contains(rule.relations, request.relation))
          explained.mismatch =
              fmt::format("reach `{}` does not cover relation `{}`", rule.reach, request.relation);
        else if (!clausesHold(rule.clauses, request.flags))
          explained.mismatch = fmt::format("condition `{}` is false", rule.condition);
        out.push_back(std::move(explained));
      }
  }
  std::stable_partition(out.begin(), out.end(), [](const ExplainedRule &r) { return r.deny; });
  return out;
}

/// The gate the runtime stopped at, with where it is declared.
std::optional<Gate> gateOf(const SourceMap &map, const NamedRequest &request,
                           const lattice_decision &decision, const std::string &deciding,
                           uint32_t permission) {
  switch (decision.reason) {
  case LATTICE_REASON_OTHER_TREE:
    return Gate{"other_tree",
                "other tree: the resource's owner is in another tree, and a request across trees "
                "is always denied",
                {}};
  case LATTICE_REASON_ROLE_NOT_FOR_KIND: {
    const MapRole *role = map.role(deciding);
    if (role == nullptr)
      break;
    return Gate{"role_not_for_kind",
                fmt::format("role not for kind: role `{}` is for {}, not `{}`", role->name,
                            quotedList(role->kinds), request.kind),
                {{role->at, ""}}};
  }
  case LATTICE_REASON_EXCLUSIVE:
    for (const MapExclusive &set : map.exclusives) {
      if (!contains(set.roles, deciding))
        continue;
      std::vector<std::string> held;
      for (const std::string &role : set.roles)
        if (contains(request.roles, role))
          held.push_back(role);
      if (held.size() >= 2)
        return Gate{"exclusive",
                    fmt::format("exclusive: {} may not be held together", quotedList(held)),
                    {{set.at, set.source}}};
    }
    break;
  case LATTICE_REASON_NOT_APPLICABLE: {
    const MapPermission &p = map.permissions[permission];
    return Gate{"not_applicable",
                fmt::format("not applicable: `{}` applies only to {}, not `{}`", p.name,
                            quotedList(p.kinds), request.kind),
                {{p.at, ""}}};
  }
  case LATTICE_REASON_REQUIREMENT: {
    Gate gate{"requirement",
              fmt::format("requirement: a `require` for `{}` does not hold with flags {}",
                          request.kind, quotedList(request.flags)),
              {}};
    for (const MapRequire &require : map.requires_)
      if (contains(require.kinds, request.kind) && !clausesHold(require.clauses, request.flags))
        gate.places.push_back({require.at, require.source});
    return gate;
  }
  default:
    break;
  }
  return std::nullopt;
}

std::string gateText(const Gate &gate) {
  std::string out = gate.message;
  for (const Place &place : gate.places)
    if (place.source.empty())
      out += fmt::format(" ({})", place.at);
  for (const Place &place : gate.places)
    if (!place.source.empty())
      out += fmt::format("\n  {}: {}", place.at, place.source);
  return out;
}

std::string ruleText(const ExplainedRule &rule) {
  std::string via = rule.role == rule.heldRole ? "" : fmt::format(" via `{}`", rule.heldRole);
  return fmt::format("{} {}: role `{}`{}: {}", rule.deny ? "deny " : "allow", rule.place.at,
                     rule.role, via, rule.place.source);
}

llvm::json::Array strings(const std::vector<std::string> &items) {
  llvm::json::Array out;
  for (const std::string &item : items)
    out.push_back(item);
  return out;
}

llvm::json::Object placeJson(const Place &place) {
  llvm::json::Object out{{"at", place.at}};
  if (!place.source.empty())
    out["source"] = place.source;
  return out;
}

} // namespace

Explanation explain(const SourceMap &map, const NamedRequest &request,
                    const lattice_decision &decision, const lattice_table *table,
                    uint32_t permission) {
  Explanation out;
  out.request = request;
  out.decision = decision;
  out.decisionText = describeDecision(table, decision);
  const char *deciding = decision.deciding_role == LATTICE_NO_ID
                             ? nullptr
                             : lattice_role_name(table, decision.deciding_role);
  out.decidingRole = deciding ? deciding : "";
  out.gate = gateOf(map, request, decision, out.decidingRole, permission);
  out.rules = rulesFor(map, request, permission);
  bool anyDeny = false;
  for (const ExplainedRule &r : out.rules)
    anyDeny |= r.mismatch.empty() && r.deny;
  if (!out.gate && anyDeny)
    for (ExplainedRule &r : out.rules)
      r.overridden = r.mismatch.empty() && !r.deny;
  return out;
}

std::string explanationText(const Explanation &e) {
  std::string out =
      fmt::format("{}\n  {}\n", e.decision.allowed ? "allow" : "deny", e.decisionText);
  if (e.gate)
    out +=
        fmt::format("denied before any rule is consulted, by a gate:\n  {}\n", gateText(*e.gate));
  if (e.request.roles.empty())
    out += "no roles held\n";
  bool anyMatch = std::any_of(e.rules.begin(), e.rules.end(),
                              [](const ExplainedRule &r) { return r.mismatch.empty(); });
  if (anyMatch) {
    out += e.gate ? "matching rules (not consulted):\n" : "matching rules:\n";
    for (const ExplainedRule &r : e.rules)
      if (r.mismatch.empty())
        out +=
            fmt::format("  {}{}\n", ruleText(r), r.overridden ? " (overridden: a deny wins)" : "");
  } else if (!e.request.roles.empty()) {
    out += fmt::format("no rule of a held role matches `{}` on `{}`\n", e.request.permission,
                       e.request.relation);
  }
  if (e.decision.allowed)
    return out;
  bool header = false;
  for (const ExplainedRule &r : e.rules) {
    if (r.mismatch.empty())
      continue;
    if (!header)
      out += fmt::format("rules naming `{}` that do not match:\n", e.request.permission);
    header = true;
    out += fmt::format("  {} ({})\n", ruleText(r), r.mismatch);
  }
  return out;
}

llvm::json::Value explanationJson(const Explanation &e) {
  llvm::json::Object request{{"kind", e.request.kind},
                             {"roles", strings(e.request.roles)},
                             {"permission", e.request.permission},
                             {"relation", e.request.relation},
                             {"flags", strings(e.request.flags)}};
  llvm::json::Array matching, notMatching;
  for (const ExplainedRule &r : e.rules) {
    llvm::json::Object rule{{"effect", r.deny ? "deny" : "allow"},
                            {"role", r.role},
                            {"heldRole", r.heldRole},
                            {"at", r.place.at},
                            {"source", r.place.source}};
    if (r.mismatch.empty()) {
      rule["overridden"] = r.overridden;
      matching.push_back(std::move(rule));
    } else if (!e.decision.allowed) {
      rule["why"] = r.mismatch;
      notMatching.push_back(std::move(rule));
    }
  }
  llvm::json::Value gate = nullptr;
  if (e.gate) {
    llvm::json::Array places;
    for (const Place &place : e.gate->places)
      places.push_back(placeJson(place));
    gate = llvm::json::Object{
        {"kind", e.gate->kind}, {"message", e.gate->message}, {"declarations", std::move(places)}};
  }
  llvm::json::Object out{{"request", std::move(request)},
                         {"decision", e.decision.allowed ? "allow" : "deny"},
                         {"reason", reasonKey(e.decision.reason)},
                         {"description", e.decisionText},
                         {"gate", std::move(gate)},
                         {"matchingRules", std::move(matching)}};
  out["role"] = e.decidingRole.empty() ? llvm::json::Value(nullptr) : e.decidingRole;
  if (!e.decision.allowed)
    out["nonMatchingRules"] = std::move(notMatching);
  return out;
}

} // namespace lattice::query
