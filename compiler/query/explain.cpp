// explain.cpp - building an Explanation from the source map and the runtime's decision (the
// table and its map loaded, the request resolved and decided), and its two renderings. The
// decision itself always comes from the runtime: the map only says why.
#include "query/explain.h"

#include "base/input_file.h"
#include "query/table_load.h"
#include "sema/model.h"

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

/// The roles and flags one set of rules is asked with: the request at one node, or one membership
/// (the principal's flags with that node's).
struct Holding {
  const std::string &kind; // the principal's user type
  const std::vector<std::string> &roles;
  const std::string &relation;
  std::vector<std::string> flags;
  size_t membership = 0;
};

/// Why `rule` does not match the holding (empty when it does): its user types (`for`), its
/// reach, its condition.
std::string mismatchOf(const MapRule &rule, const Holding &holding) {
  if (!rule.kinds.empty() && !contains(rule.kinds, holding.kind))
    return fmt::format("it is for {}, not `{}`", quotedList(rule.kinds), holding.kind);
  if (!contains(rule.relations, holding.relation))
    return fmt::format("reach `{}` does not cover relation `{}`", rule.reach, holding.relation);
  if (!clausesHold(rule.clauses, holding.flags))
    return fmt::format("condition `{}` is false", rule.condition);
  return {};
}

/// Every rule of the held roles (and the roles they extend) naming the permission, each once per
/// holding, in map order, then every policy-wide deny naming it (held by every holding, whatever
/// its roles); whether it matches the holding's user type, relation and flags.
void collectRules(const SourceMap &map, const Holding &holding, uint32_t permission,
                  std::vector<ExplainedRule> &out) {
  std::set<std::pair<const MapRole *, size_t>> seen;
  for (const std::string &held : holding.roles) {
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
        out.push_back(ExplainedRule{rule.deny,
                                    declaring->name,
                                    held,
                                    {rule.at, rule.source},
                                    mismatchOf(rule, holding),
                                    false,
                                    holding.membership});
      }
  }
  for (const MapRule &rule : map.policyDenies) // their role names are empty
    if (std::find(rule.permissions.begin(), rule.permissions.end(), permission) !=
        rule.permissions.end())
      out.push_back(ExplainedRule{true,
                                  "",
                                  "",
                                  {rule.at, rule.source},
                                  mismatchOf(rule, holding),
                                  false,
                                  holding.membership});
}

/// Denies first; a matching deny (when no gate stopped the request) overrides every matching
/// allow, through whichever membership.
void orderAndMarkOverridden(Explanation &e) {
  std::stable_partition(e.rules.begin(), e.rules.end(),
                        [](const ExplainedRule &r) { return r.deny; });
  bool anyDeny = false;
  for (const ExplainedRule &r : e.rules)
    anyDeny |= r.mismatch.empty() && r.deny;
  if (!e.gate && anyDeny)
    for (ExplainedRule &r : e.rules)
      r.overridden = r.mismatch.empty() && !r.deny;
}

/// The flags the rules read through membership `m`: the principal's with its node's, and the
/// request's facts.
std::vector<std::string> flagsAt(const NamedAccessRequest &request, const ExplainedMembership &m) {
  std::vector<std::string> flags = request.flags;
  flags.insert(flags.end(), m.flags.begin(), m.flags.end());
  flags.insert(flags.end(), request.facts.begin(), request.facts.end());
  return flags;
}

/// The flags the rules of a request at one node read: its flags and its facts.
std::vector<std::string> flagsOf(const NamedRequest &request) {
  std::vector<std::string> flags = request.flags;
  flags.insert(flags.end(), request.facts.begin(), request.facts.end());
  return flags;
}

/// "`acme/eu` (membership 2)"
std::string membershipText(const ExplainedMembership &m) {
  return fmt::format("`{}` (membership {})", m.node, m.number);
}

/// The gate the runtime stopped at, with where it is declared and, for a request with
/// memberships, where the roles it names are held.
std::optional<Gate> gateOf(const SourceMap &map, const Explanation &e, uint32_t permission) {
  const std::string &kind = e.access ? e.access->kind : e.request.kind;
  const std::string &deciding = e.decidingRole;
  switch (e.decision.reason) {
  case LATTICE_REASON_OTHER_TREE:
    return Gate{"other_tree",
                e.access ? "other tree: no membership is in the target's tree, and a request "
                           "across trees is always denied"
                         : "other tree: the resource's owner is in another tree, and a request "
                           "across trees is always denied",
                {}};
  case LATTICE_REASON_ROLE_NOT_FOR_KIND: {
    const MapRole *role = map.role(deciding);
    if (role == nullptr)
      break;
    std::string where;
    for (const ExplainedMembership &m : e.memberships)
      if (contains(m.roles, deciding) && where.empty())
        where = ", held at " + membershipText(m) + ",";
    return Gate{"role_not_for_kind",
                fmt::format("role not for kind: role `{}`{} is for {}, not `{}`", role->name, where,
                            quotedList(role->kinds), kind),
                {{role->at, ""}}};
  }
  case LATTICE_REASON_EXCLUSIVE:
    for (const MapExclusive &set : map.exclusives) {
      if (!contains(set.roles, deciding))
        continue;
      std::vector<std::string> held; // the set's roles held (in the target's tree), where
      for (const std::string &role : set.roles) {
        if (!e.access) {
          if (contains(e.request.roles, role))
            held.push_back(role);
          continue;
        }
        for (const ExplainedMembership &m : e.memberships)
          if (m.relation != kOtherTree && contains(m.roles, role)) {
            held.push_back(role + "` at `" + m.node);
            break;
          }
      }
      if (held.size() >= 2)
        return Gate{"exclusive",
                    fmt::format("exclusive: {} may not be held together{}", quotedList(held),
                                e.access ? " in one tree" : ""),
                    {{set.at, set.source}}};
    }
    break;
  case LATTICE_REASON_NOT_APPLICABLE: {
    const MapPermission &p = map.permissions[permission];
    return Gate{"not_applicable",
                fmt::format("not applicable: `{}` applies only to {}, not `{}`", p.name,
                            quotedList(p.kinds), kind),
                {{p.at, ""}}};
  }
  case LATTICE_REASON_REQUIREMENT: {
    auto failing = [&](const std::vector<std::string> &flags) {
      std::vector<Place> places;
      for (const MapRequire &require : map.requires_)
        if (contains(require.kinds, kind) && !clausesHold(require.clauses, flags))
          places.push_back({require.at, require.source});
      return places;
    };
    if (!e.access)
      return Gate{"requirement",
                  fmt::format("requirement: a `require` for `{}` does not hold with flags {}", kind,
                              quotedList(flagsOf(e.request))),
                  failing(flagsOf(e.request))};
    // The runtime checks each membership in the target's tree in order: the first that fails.
    for (const ExplainedMembership &m : e.memberships) {
      if (m.relation == kOtherTree)
        continue;
      std::vector<std::string> flags = flagsAt(*e.access, m);
      std::vector<Place> places = failing(flags);
      if (!places.empty())
        return Gate{"requirement",
                    fmt::format("requirement: a `require` for `{}` does not hold at {} with flags "
                                "{}",
                                kind, membershipText(m), quotedList(flags)),
                    std::move(places)};
    }
    return Gate{
        "requirement", fmt::format("requirement: a `require` for `{}` does not hold", kind), {}};
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
  if (rule.role.empty())
    return fmt::format("deny  {}: policy-wide: {}", rule.place.at, rule.place.source);
  std::string via = rule.role == rule.heldRole ? "" : fmt::format(" via `{}`", rule.heldRole);
  return fmt::format("{} {}: role `{}`{}: {}", rule.deny ? "deny " : "allow", rule.place.at,
                     rule.role, via, rule.place.source);
}

/// The matching rules, then on a deny the rules that do not match, of the rules of one holding
/// (`indent` before each line), as `lattice explain` prints them.
std::string rulesText(const Explanation &e, const std::vector<const ExplainedRule *> &rules,
                      bool rolesHeld, const std::string &relation, const std::string &indent) {
  const std::string &permission = e.access ? e.access->permission : e.request.permission;
  std::string out;
  bool anyMatch = std::any_of(rules.begin(), rules.end(),
                              [](const ExplainedRule *r) { return r->mismatch.empty(); });
  if (!rolesHeld)
    out += indent + "no roles held\n";
  if (anyMatch) {
    out += indent + (e.gate ? "matching rules (not consulted):\n" : "matching rules:\n");
    for (const ExplainedRule *r : rules)
      if (r->mismatch.empty())
        out += fmt::format("{}  {}{}\n", indent, ruleText(*r),
                           r->overridden ? " (overridden: a deny wins)" : "");
  } else if (rolesHeld) {
    out += fmt::format("{}no rule of a held role matches `{}` on `{}`\n", indent, permission,
                       relation);
  }
  if (e.decision.allowed)
    return out;
  bool header = false;
  for (const ExplainedRule *r : rules) {
    if (r->mismatch.empty())
      continue;
    if (!header)
      out += fmt::format("{}rules naming `{}` that do not match:\n", indent, permission);
    header = true;
    out += fmt::format("{}  {} ({})\n", indent, ruleText(*r), r->mismatch);
  }
  return out;
}

std::string membershipHeader(const ExplainedMembership &m) {
  std::string out = fmt::format("membership {}: ", m.number);
  out += m.roles.empty() ? "no roles" : quotedList(m.roles);
  out += fmt::format(" at `{}`", m.node);
  if (!m.flags.empty())
    out += " with " + quotedList(m.flags);
  if (m.relation == kOtherTree)
    return out + ", in another tree than the target: not consulted\n";
  return out + fmt::format(", relation `{}`\n", m.relation);
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

/// The relation word of a runtime relation; `none` for another tree.
std::string relationWord(lattice_relation relation) {
  if (relation >= sema::kRelationCount)
    return kOtherTree;
  return sema::relationName(static_cast<sema::Relation>(relation));
}

/// The map's index of a permission the table knows; the map of another build may lack it.
std::optional<uint32_t> permissionInMap(const SourceMap &map, const std::string &name,
                                        std::string &error) {
  std::optional<uint32_t> permission = map.permission(name);
  if (!permission)
    error = fmt::format("unknown permission `{}`", name);
  return permission;
}

void describeDeciding(Explanation &out, const lattice_table *table) {
  const char *deciding = lattice_role_name(table, out.decision.deciding_role); // NULL for NO_ID
  out.decidingRole = deciding ? deciding : "";
}

} // namespace

Explanation explain(const SourceMap &map, const NamedRequest &request,
                    const lattice_decision &decision, const lattice_table *table,
                    uint32_t permission) {
  Explanation out;
  out.request = request;
  out.decision = decision;
  out.decisionText = describeDecision(table, decision);
  describeDeciding(out, table);
  out.gate = gateOf(map, out, permission);
  collectRules(map, Holding{request.kind, request.roles, request.relation, flagsOf(request), 0},
               permission, out.rules);
  orderAndMarkOverridden(out);
  return out;
}

Explanation explainAccess(const SourceMap &map, const NamedAccessRequest &request,
                          const ResolvedAccessRequest &resolved,
                          const lattice_access_decision &decision, const lattice_table *table,
                          uint32_t permission) {
  Explanation out;
  out.access = request;
  out.decision = lattice_decision{decision.allowed, decision.reason, decision.deciding_role};
  out.decisionText = describeAccessDecision(table, request, decision, resolved.customRoles());
  out.decidingMembership = decidingMembership(decision, request.memberships.size());
  describeDeciding(out, table);
  // A custom role decided: named by its ceiling, as the membership names it.
  const uint32_t ceiling =
      lattice_custom_role_ceiling(resolved.customRoles(), decision.deciding_role);
  if (ceiling != LATTICE_NO_ID)
    out.decidingRole = lattice_ceiling_name(table, ceiling);
  for (size_t m = 0; m < request.memberships.size(); ++m) {
    const NamedMembership &named = request.memberships[m];
    out.memberships.push_back({m + 1,
                               nodePathText(named.node),
                               named.roles,
                               named.flags,
                               relationWord(lattice_relation_of_refs(resolved.membership(m).node,
                                                                     resolved.request().target)),
                               {}});
    for (const std::string &role : named.roles) {
      const uint32_t ceiling = lattice_ceiling_id(table, role.c_str());
      if (ceiling == LATTICE_NO_ID || lattice_role_id(table, role.c_str()) != LATTICE_NO_ID)
        continue;
      const uint32_t reach = lattice_ceiling_reach(table, ceiling, resolved.request().permission);
      std::string where;
      for (uint32_t r = 0; r < 4; ++r)
        if (reach >> r & 1)
          where += (where.empty() ? "" : ", ") + std::string(relationWord(lattice_relation(r)));
      const std::string &relation = out.memberships.back().relation;
      const bool matches = relation != kOtherTree && where.find(relation) != std::string::npos;
      out.memberships.back().customRoles.push_back(
          reach == 0 ? fmt::format("custom role `{}`: its ceiling does not hold `{}`", role,
                                   request.permission)
                     : fmt::format("custom role `{}` (every permission of its ceiling) holds `{}` "
                                   "at {}: {}",
                                   role, request.permission, where,
                                   matches ? "matches" : "not at this relation"));
    }
  }
  out.gate = gateOf(map, out, permission);
  for (const ExplainedMembership &m : out.memberships) {
    if (m.relation == kOtherTree)
      continue; // never consulted: the runtime takes no rule through another tree
    collectRules(map, Holding{request.kind, m.roles, m.relation, flagsAt(request, m), m.number},
                 permission, out.rules);
  }
  orderAndMarkOverridden(out);
  return out;
}

std::optional<std::string> loadExplainedTable(const std::string &tablePath,
                                              const std::string &mapPath, ExplainedTable &out) {
  if (std::optional<std::string> error = loadTableOrBundle(tablePath, out.bytes, out.table))
    return error;
  return loadSourceMap(mapPath, tablePath,
                       emit::tableIdentity(llvm::arrayRefFromStringRef(out.bytes)), out.map);
}

std::optional<Explanation> explainRequest(const lattice_table *table, const SourceMap &map,
                                          const NamedRequest &request, std::string &error) {
  std::vector<uint32_t> roles;
  lattice_request resolved;
  if (!resolveRequest(table, request, roles, resolved, error))
    return std::nullopt;
  std::optional<uint32_t> permission = permissionInMap(map, request.permission, error);
  if (!permission)
    return std::nullopt;
  return explain(map, request, lattice_decide(table, &resolved), table, *permission);
}

std::optional<Explanation> explainAccessRequest(const lattice_table *table, const SourceMap &map,
                                                const NamedAccessRequest &request,
                                                std::string &error) {
  ResolvedAccessRequest resolved;
  if (!resolveAccessRequest(table, request, resolved, error))
    return std::nullopt;
  std::optional<uint32_t> permission = permissionInMap(map, request.permission, error);
  if (!permission)
    return std::nullopt;
  return explainAccess(map, request, resolved, resolved.decide(table), table, *permission);
}

std::string explanationText(const Explanation &e) {
  std::string out =
      fmt::format("{}\n  {}\n", e.decision.allowed ? "allow" : "deny", e.decisionText);
  if (e.gate)
    out +=
        fmt::format("denied before any rule is consulted, by a gate:\n  {}\n", gateText(*e.gate));
  if (!e.access) {
    std::vector<const ExplainedRule *> rules;
    for (const ExplainedRule &r : e.rules)
      rules.push_back(&r);
    return out + rulesText(e, rules, !e.request.roles.empty(), e.request.relation, "");
  }
  if (e.memberships.empty())
    out += "no memberships\n";
  for (const ExplainedMembership &m : e.memberships) {
    out += membershipHeader(m);
    if (m.relation == kOtherTree)
      continue;
    std::vector<const ExplainedRule *> rules;
    for (const ExplainedRule &r : e.rules)
      if (r.membership == m.number)
        rules.push_back(&r);
    out += rulesText(e, rules, !m.roles.empty(), m.relation, "  ");
    for (const std::string &line : m.customRoles)
      out += "  " + line + "\n";
  }
  return out;
}

llvm::json::Value explanationJson(const Explanation &e) {
  llvm::json::Object request;
  if (e.access) {
    llvm::json::Array memberships;
    for (const ExplainedMembership &m : e.memberships)
      memberships.push_back(llvm::json::Object{{"node", m.node},
                                               {"roles", strings(m.roles)},
                                               {"flags", strings(m.flags)},
                                               {"relation", m.relation}});
    request = llvm::json::Object{{"kind", e.access->kind},
                                 {"flags", strings(e.access->flags)},
                                 {"memberships", std::move(memberships)},
                                 {"permission", e.access->permission},
                                 {"target", nodePathText(e.access->target)}};
    if (!e.access->facts.empty())
      request["facts"] = strings(e.access->facts);
  } else {
    request = llvm::json::Object{{"kind", e.request.kind},
                                 {"roles", strings(e.request.roles)},
                                 {"permission", e.request.permission},
                                 {"relation", e.request.relation},
                                 {"flags", strings(e.request.flags)}};
    if (!e.request.facts.empty())
      request["facts"] = strings(e.request.facts);
  }
  llvm::json::Array matching, notMatching;
  for (const ExplainedRule &r : e.rules) {
    // A policy-wide deny belongs to no role: `"role": null`, `"policyWide": true`.
    llvm::json::Object rule{{"effect", r.deny ? "deny" : "allow"},
                            {"role", r.role.empty() ? llvm::json::Value(nullptr) : r.role},
                            {"heldRole", r.heldRole.empty() ? llvm::json::Value(nullptr)
                                                            : llvm::json::Value(r.heldRole)},
                            {"at", r.place.at},
                            {"source", r.place.source}};
    if (r.role.empty())
      rule["policyWide"] = true;
    if (e.access)
      rule["membership"] = static_cast<int64_t>(r.membership);
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
  if (e.access)
    out["membership"] = e.decidingMembership
                            ? llvm::json::Value(static_cast<int64_t>(*e.decidingMembership))
                            : llvm::json::Value(nullptr);
  if (!e.decision.allowed)
    out["nonMatchingRules"] = std::move(notMatching);
  return out;
}

} // namespace lattice::query
