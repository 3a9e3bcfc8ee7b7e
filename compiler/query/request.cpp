// request.cpp - name resolution for requests and wording of decisions.
// Unknown names are reported, never guessed: the caller answers such a request with "deny".
#include "query/request.h"

#include "diagnostics/suggest.h"
#include "query/node_path.h"
#include "sema/relation_words.h"

#include <fmt/format.h>

namespace lattice::query {
namespace {

/// One category of names in a table: how to find a name, how many there are, the name of an id.
struct NameCategory {
  const char *what; // "role", for messages
  uint32_t (*find)(const lattice_table *, const char *);
  uint32_t (*count)(const lattice_table *);
  const char *(*nameOf)(const lattice_table *, uint32_t);
};

/// The id of `name`, or nothing with `error` set to "unknown role `x`", with the nearest name of
/// that category in the table when one is close: the request is still denied, the suggestion
/// only says what was probably meant.
std::optional<uint32_t> lookup(const lattice_table *table, const NameCategory &category,
                               const std::string &name, std::string &error) {
  uint32_t id = category.find(table, name.c_str());
  if (id != LATTICE_NO_ID)
    return id;
  NameSuggester suggester(name);
  for (uint32_t other = 0; other < category.count(table); ++other)
    if (const char *candidate = category.nameOf(table, other))
      suggester.consider(candidate);
  error = fmt::format("unknown {} `{}`", category.what, quotedText(name));
  if (suggester.best())
    error += "; " + suggester.didYouMean();
  return std::nullopt;
}

} // namespace

std::optional<uint32_t> lookupKind(const lattice_table *table, const std::string &name,
                                   std::string &error) {
  static constexpr NameCategory kKinds{"user type", lattice_kind_id, lattice_kind_count,
                                       lattice_kind_name};
  return lookup(table, kKinds, name, error);
}

std::optional<uint32_t> lookupRole(const lattice_table *table, const std::string &name,
                                   std::string &error) {
  static constexpr NameCategory kRoles{"role", lattice_role_id, lattice_role_count,
                                       lattice_role_name};
  std::optional<uint32_t> id = lookup(table, kRoles, name, error);
  if (!id && lattice_ceiling_id(table, name.c_str()) != LATTICE_NO_ID)
    error = fmt::format("`{}` is a custom role: name it in a membership (`--membership "
                        "{}@PATH`), where it stands for its widest custom role",
                        quotedText(name), quotedText(name));
  return id;
}

std::optional<uint32_t> lookupPermission(const lattice_table *table, const std::string &name,
                                         std::string &error) {
  static constexpr NameCategory kPermissions{"permission", lattice_permission_id,
                                             lattice_permission_count, lattice_permission_name};
  return lookup(table, kPermissions, name, error);
}

std::optional<uint32_t> lookupFlag(const lattice_table *table, const std::string &name,
                                   std::string &error) {
  static constexpr NameCategory kFlags{"flag", lattice_flag_id, lattice_flag_count,
                                       lattice_flag_name};
  return lookup(table, kFlags, name, error);
}

bool resolveFlagsAndFacts(const lattice_table *table, const std::vector<std::string> &flags,
                          const std::vector<std::string> &facts, uint64_t &mask,
                          std::string &error) {
  for (const std::string &flag : flags) {
    std::optional<uint32_t> id = lookupFlag(table, flag, error);
    if (!id)
      return false;
    mask |= uint64_t{1} << *id;
  }
  for (const std::string &fact : facts) {
    std::optional<uint32_t> id = lookupFlag(table, fact, error);
    if (!id)
      return false;
    if (!(lattice_flag_side(table, *id) & LATTICE_FLAG_FACTS)) {
      error = fmt::format("`{}` is not a fact: give it with the flags", fact);
      return false;
    }
    mask |= uint64_t{1} << *id;
  }
  return true;
}

bool resolveRequest(const lattice_table *table, const NamedRequest &named,
                    std::vector<uint32_t> &roleIds, lattice_request &out, std::string &error) {
  out = lattice_request{};
  std::optional<uint32_t> kind = lookupKind(table, named.kind, error);
  if (!kind)
    return false;
  out.kind = *kind;
  roleIds.clear();
  for (const std::string &role : named.roles) {
    std::optional<uint32_t> id = lookupRole(table, role, error);
    if (!id)
      return false;
    roleIds.push_back(*id);
  }
  out.roles = roleIds.data();
  out.role_count = static_cast<uint32_t>(roleIds.size());
  std::optional<uint32_t> permission = lookupPermission(table, named.permission, error);
  if (!permission)
    return false;
  out.permission = *permission;
  if (named.relation == kOtherTree) {
    out.relation = LATTICE_REL_NONE; // another tree: the runtime denies it (OTHER_TREE)
  } else if (!sema::findRelationWord(named.relation)) {
    // Not a word at all: name `none` too, which only a request can say.
    NameSuggester suggester(named.relation);
    for (std::string_view candidate : {"self", "descendants", "ancestors", "elsewhere", "none"})
      suggester.consider(candidate);
    error = fmt::format("unknown relation `{}`; expected `self`, `descendants`, `ancestors`, "
                        "`elsewhere` or `none` (another tree)",
                        quotedText(named.relation));
    if (suggester.best())
      error += "; " + suggester.didYouMean();
    return false;
  } else {
    std::string_view replacement; // old spellings are accepted here without a word
    std::optional<sema::Relation> relation =
        sema::parseRequestRelation(named.relation, replacement, error);
    if (!relation)
      return false; // a word of several relations (`subtree`)
    out.relation = static_cast<uint32_t>(*relation);
  }
  return resolveFlagsAndFacts(table, named.flags, named.facts, out.flags, error);
}

const char *reasonKey(uint32_t reason) {
  static const char *const keys[] = {"allowed",     "denied_by_rule",  "no_allow",
                                     "bad_request", "other_tree",      "role_not_for_kind",
                                     "exclusive",   "not_applicable",  "requirement",
                                     "no_table",    "denied_by_policy"};
  return reason < sizeof(keys) / sizeof(keys[0]) ? keys[reason] : "unknown";
}

std::string describeDecision(const lattice_table *table, const lattice_decision &decision) {
  const char *role = decision.deciding_role == LATTICE_NO_ID
                         ? nullptr
                         : lattice_role_name(table, decision.deciding_role);
  std::string roleText = role ? fmt::format("role `{}`", role) : "a held role";
  switch (decision.reason) {
  case LATTICE_REASON_ALLOWED:
    return fmt::format("granted by {}", roleText);
  case LATTICE_REASON_DENIED_BY_RULE:
    return fmt::format("denied by a rule of {}", roleText);
  case LATTICE_REASON_DENIED_BY_POLICY:
    return "denied by a policy-wide deny";
  case LATTICE_REASON_NO_ALLOW:
    return "no held role allows it";
  case LATTICE_REASON_BAD_REQUEST:
    return "malformed request";
  case LATTICE_REASON_OTHER_TREE:
    return "the resource is in another tree";
  case LATTICE_REASON_ROLE_NOT_FOR_KIND:
    return fmt::format("{} may not be held by this user type", roleText);
  case LATTICE_REASON_EXCLUSIVE:
    return fmt::format("{} is exclusive with another held role", roleText);
  case LATTICE_REASON_NOT_APPLICABLE:
    return "the permission does not apply to this user type";
  case LATTICE_REASON_REQUIREMENT:
    return "a `require` condition does not hold";
  default:
    return "no table";
  }
}

} // namespace lattice::query
