// access_request.cpp - the membership syntax of the command line, resolution of requests with
// memberships, and their decisions in words. Unknown names and bad paths are reported, never
// guessed: the caller answers such a request with "deny".
#include "query/access_request.h"

#include <fmt/format.h>

namespace lattice::query {
namespace {

/// `a,b` or `a+b` into names; an empty text is no name, an empty name between separators an error.
bool splitNames(std::string_view text, char separator, const char *what,
                std::vector<std::string> &out, std::string &error) {
  if (text.empty())
    return true;
  for (size_t begin = 0;;) {
    size_t end = text.find(separator, begin);
    std::string_view name = text.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (name.empty()) {
      error = fmt::format("empty {} name", what);
      return false;
    }
    out.emplace_back(name);
    if (end == std::string_view::npos)
      return true;
    begin = end + 1;
  }
}

/// Where a flag of `side` is given, for the error of a flag given on another side.
std::string whereGiven(const std::string &name, uint32_t side) {
  if (side & LATTICE_FLAG_FACTS)
    return fmt::format("`{}` is a fact of the {}: give it with the request's facts", name,
                       side == LATTICE_FLAG_RESOURCE ? "resource"
                       : side == LATTICE_FLAG_TARGET ? "target's node"
                                                     : "request");
  if (side == LATTICE_FLAG_NODE)
    return fmt::format("flag `{}` is a flag of nodes (declared on scope kinds): give it with the "
                       "membership whose node has it",
                       name);
  return fmt::format("flag `{}` is a flag of principals (declared on user types): give it with "
                     "the principal's flags",
                     name);
}

/// Resolves flags given on one side of the request (the principal's, a membership's node's, or
/// the facts: `sides` is then every fact side). A flag the table records on another side is an
/// error naming where it goes: the runtime would refuse it (BAD_REQUEST), and moving it silently
/// would guess.
bool resolveFlags(const lattice_table *table, const std::vector<std::string> &names, uint32_t sides,
                  uint64_t &mask, std::string &error) {
  if (names.size() > kMaxFlagNames) {
    error = fmt::format("{} flags named; at most {}", names.size(), kMaxFlagNames);
    return false;
  }
  for (const std::string &name : names) {
    std::optional<uint32_t> id = lookupFlag(table, name, error);
    if (!id)
      return false;
    if (const uint32_t side = lattice_flag_side(table, *id); !(side & sides)) {
      error = whereGiven(name, side);
      return false;
    }
    mask |= uint64_t{1} << *id;
  }
  return true;
}

lattice_node_path pathOf(const std::vector<uint64_t> &ids) {
  return {ids.data(), static_cast<uint32_t>(ids.size())};
}

} // namespace

bool parseMembershipSpec(std::string_view text, NamedMembership &out, std::string &error) {
  out = NamedMembership{};
  const size_t at = text.find('@');
  if (at == std::string_view::npos) {
    error = "no `@` before the node path; write ROLE[,ROLE...]@PATH[+FLAG...]";
    return false;
  }
  const std::string_view place = text.substr(at + 1);
  const size_t plus = place.find('+');
  std::optional<NodeName> node = parseNodePath(place.substr(0, plus), error);
  if (!node)
    return false;
  out.node = std::move(*node);
  if (!splitNames(text.substr(0, at), ',', "role", out.roles, error))
    return false;
  if (plus == std::string_view::npos)
    return true;
  const std::string_view flags = place.substr(plus + 1);
  if (flags.empty()) { // `acme+`: a `+` promises a flag
    error = "empty flag name";
    return false;
  }
  return splitNames(flags, '+', "flag", out.flags, error);
}

bool resolveAccessRequest(const lattice_table *table, const NamedAccessRequest &named,
                          ResolvedAccessRequest &out, std::string &error) {
  out.roles.clear();
  out.paths.clear();
  out.memberships.clear();
  out.access = lattice_access_request{};
  if (named.memberships.size() > kMaxMemberships) {
    error = fmt::format("{} memberships; at most {}", named.memberships.size(), kMaxMemberships);
    return false;
  }
  std::optional<uint32_t> kind = lookupKind(table, named.kind, error);
  if (!kind)
    return false;
  out.access.kind = *kind;
  // Top-level flags are the principal's, a membership's flags its node's; the table says on
  // which side each flag is declared (table format 3).
  if (!resolveFlags(table, named.flags, LATTICE_FLAG_PRINCIPAL, out.access.flags, error) ||
      !resolveFlags(table, named.facts, LATTICE_FLAG_FACTS, out.access.facts, error))
    return false;
  NodePathInterner interner;
  out.roles.resize(named.memberships.size());
  for (size_t m = 0; m < named.memberships.size(); ++m) {
    const NamedMembership &membership = named.memberships[m];
    auto fail = [&] {
      error = fmt::format("membership {}: {}", m + 1, error);
      return false;
    };
    if (membership.roles.size() > kMaxMembershipRoles) {
      error = fmt::format("{} roles; at most {}", membership.roles.size(), kMaxMembershipRoles);
      return fail();
    }
    if (!checkNodeName(membership.node, error))
      return fail();
    for (const std::string &role : membership.roles) {
      std::optional<uint32_t> id = lookupRole(table, role, error);
      // A custom role's ceiling stands for its widest custom role, as in a test case.
      if (const uint32_t ceiling = id ? LATTICE_NO_ID : lattice_ceiling_id(table, role.c_str());
          ceiling != LATTICE_NO_ID) {
        if (!out.custom)
          out.custom.reset(lattice_custom_roles_new(table));
        std::vector<uint32_t> permissions, reaches;
        for (uint32_t p = 0; p < lattice_permission_count(table); ++p)
          if (const uint32_t reach = lattice_ceiling_reach(table, ceiling, p)) {
            permissions.push_back(p);
            reaches.push_back(reach);
          }
        uint32_t built = LATTICE_NO_ID, bad = 0;
        if (!out.custom || lattice_custom_role_add(out.custom.get(), ceiling, permissions.data(),
                                                   reaches.data(), uint32_t(permissions.size()),
                                                   &built, &bad) != LATTICE_CUSTOM_OK) {
          error = fmt::format("custom role `{}` could not be built", role);
          return fail();
        }
        id = built;
      }
      if (!id)
        return fail();
      out.roles[m].push_back(*id);
    }
    lattice_membership resolved{};
    if (!resolveFlags(table, membership.flags, LATTICE_FLAG_NODE, resolved.node_flags, error))
      return fail();
    resolved.roles = out.roles[m].data();
    resolved.role_count = static_cast<uint32_t>(out.roles[m].size());
    out.memberships.push_back(resolved);
    out.paths.push_back(interner.intern(membership.node));
  }
  std::optional<uint32_t> permission = lookupPermission(table, named.permission, error);
  if (!permission)
    return false;
  out.access.permission = *permission;
  if (!checkNodeName(named.target, error)) {
    error = "`target`: " + error;
    return false;
  }
  out.paths.push_back(interner.intern(named.target));
  // Every vector is complete: the pointers below stay valid as long as `out`.
  for (size_t m = 0; m < out.memberships.size(); ++m)
    out.memberships[m].node.path = pathOf(out.paths[m]);
  out.access.memberships = out.memberships.data();
  out.access.membership_count = static_cast<uint32_t>(out.memberships.size());
  out.access.target.path = pathOf(out.paths.back());
  return true;
}

std::optional<size_t> decidingMembership(const lattice_access_decision &decision,
                                         size_t membershipCount) {
  if (decision.deciding_membership >= membershipCount)
    return std::nullopt;
  return size_t(decision.deciding_membership) + 1;
}

std::string describeAccessDecision(const lattice_table *table,
                                   const lattice_access_decision &decision,
                                   const std::vector<std::string> &nodes,
                                   const lattice_custom_roles *custom,
                                   const std::function<std::string(uint32_t)> &customRoleText) {
  if (decision.reason == LATTICE_REASON_OTHER_TREE)
    return "no membership is in the target's tree";
  std::string text = describeDecision(
      table, lattice_decision{decision.allowed, decision.reason, decision.deciding_role});
  const uint32_t ceiling = lattice_custom_role_ceiling(custom, decision.deciding_role);
  if (ceiling != LATTICE_NO_ID) // the words of describeDecision, with the custom role named
    text = fmt::format(
        "{} {}",
        decision.reason == LATTICE_REASON_ALLOWED ? "granted by" : "not for this user type:",
        customRoleText ? customRoleText(decision.deciding_role)
                       : fmt::format("custom role `{}` (every permission of its ceiling)",
                                     lattice_ceiling_name(table, ceiling)));
  // A policy-wide deny is held by no role: it matched through that membership.
  if (std::optional<size_t> m = decidingMembership(decision, nodes.size()))
    text += fmt::format(" {} `{}` (membership {})",
                        decision.reason == LATTICE_REASON_DENIED_BY_POLICY ? "through" : "held at",
                        nodes[*m - 1], *m);
  return text;
}

std::string describeAccessDecision(const lattice_table *table, const NamedAccessRequest &named,
                                   const lattice_access_decision &decision,
                                   const lattice_custom_roles *custom) {
  std::vector<std::string> nodes;
  for (const NamedMembership &m : named.memberships)
    nodes.push_back(nodePathText(m.node));
  return describeAccessDecision(table, decision, nodes, custom);
}

} // namespace lattice::query
