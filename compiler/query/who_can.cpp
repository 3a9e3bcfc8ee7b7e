// who_can.cpp - who-can from a table by name: names resolved as `query` resolves them (unknown
// ones named with the nearest), one lattice_who_can per asked relation, answers in words.
#include "query/who_can.h"

#include "diagnostics/suggest.h"
#include "query/node_path.h"
#include "query/request.h"
#include "sema/relation_words.h"

#include <fmt/format.h>

namespace lattice::query {
namespace {

/// The relations a word names (bit r = lattice_relation r), or nothing with `error` set.
std::optional<uint32_t> relationsOf(const std::optional<std::string> &word, std::string &error) {
  if (!word)
    return 0xFu;
  if (*word == kOtherTree)
    return 1u << LATTICE_REL_NONE;
  if (const sema::RelationWord *found = sema::findRelationWord(*word))
    return uint32_t(found->relations);
  NameSuggester suggester(*word);
  for (std::string_view candidate : sema::canonicalRelationWords())
    suggester.consider(candidate);
  suggester.consider(kOtherTree);
  error = fmt::format("unknown relation `{}`; expected `self`, `descendants`, `ancestors`, "
                      "`elsewhere`, `subtree`, `tenant` or `none` (another tree)",
                      quotedText(*word));
  if (suggester.best())
    error += "; " + suggester.didYouMean();
  return std::nullopt;
}

std::vector<uint32_t> idsOf(const std::vector<uint64_t> &words) {
  std::vector<uint32_t> ids;
  for (size_t w = 0; w < words.size(); ++w)
    for (uint64_t bits = words[w]; bits != 0; bits &= bits - 1)
      ids.push_back(uint32_t(w * 64 + size_t(__builtin_ctzll(bits))));
  return ids;
}

std::string listOf(const std::vector<uint32_t> &ids, const lattice_table *table,
                   const char *(*nameOf)(const lattice_table *, uint32_t)) {
  if (ids.empty())
    return "none";
  std::string text;
  for (uint32_t id : ids)
    text += fmt::format("{}`{}`", text.empty() ? "" : ", ", nameOf(table, id));
  return text;
}

} // namespace

bool whoCanFromTable(const lattice_table *table, const NamedWhoCan &named, WhoCanTableAnswer &out,
                     std::string &error) {
  out = WhoCanTableAnswer{};
  const std::optional<uint32_t> permission = lookupPermission(table, named.permission, error);
  if (!permission)
    return false;
  const std::optional<uint32_t> relations = relationsOf(named.relation, error);
  if (!relations)
    return false;
  uint64_t flags = 0;
  if (!resolveFlagsAndFacts(table, named.flags, named.facts, flags, error))
    return false;
  out.permission = *permission;
  out.flags = flags;
  for (uint32_t relation = 0; relation <= LATTICE_REL_NONE; ++relation) {
    if (!((*relations >> relation) & 1))
      continue;
    std::vector<uint64_t> roles(LATTICE_ROLE_WORDS(table)), ceilings(LATTICE_CEILING_WORDS(table)),
        kinds(LATTICE_KIND_WORDS(table));
    const lattice_who_can_status status = lattice_who_can(
        table, *permission, relation, flags, roles.data(), uint32_t(roles.size()), ceilings.data(),
        uint32_t(ceilings.size()), kinds.data(), uint32_t(kinds.size()));
    if (status != LATTICE_WHO_CAN_OK) {
      error = lattice_who_can_status_message(status);
      out.relations.clear();
      return false;
    }
    out.relations.push_back({relation, idsOf(roles), idsOf(ceilings), idsOf(kinds)});
  }
  return true;
}

const char *relationWord(uint32_t relation) {
  if (relation < sema::kRelationCount)
    return sema::relationName(static_cast<sema::Relation>(relation));
  return relation == LATTICE_REL_NONE ? kOtherTree : "unknown";
}

std::string describeWhoCan(const lattice_table *table, const WhoCanTableAnswer &answer) {
  std::vector<uint32_t> flags;
  for (uint32_t f = 0; f < 64; ++f)
    if ((answer.flags >> f) & 1)
      flags.push_back(f);
  std::string text =
      fmt::format("who can `{}` ({})", lattice_permission_name(table, answer.permission),
                  flags.empty() ? std::string("no flags set")
                                : "exactly " + listOf(flags, table, lattice_flag_name) + " set");
  for (const WhoCanAtRelation &at : answer.relations)
    text += fmt::format("\n  at {}: roles: {}; custom-role ceilings: {}; user types: {}",
                        relationWord(at.relation), listOf(at.roles, table, lattice_role_name),
                        listOf(at.ceilings, table, lattice_ceiling_name),
                        listOf(at.kinds, table, lattice_kind_name));
  return text;
}

} // namespace lattice::query
