// model.cpp - names and relation sets of the model's small enums, in the words of the language
// (sema/relation_words.h). Kept out of the header so the tables they encode are defined once.
#include "sema/model.h"

#include <algorithm>

namespace lattice::sema {

const char *relationName(Relation relation) {
  static const char *const names[] = {"self", "descendants", "ancestors", "elsewhere"};
  return names[static_cast<unsigned>(relation)];
}

const char *reachName(Reach reach) {
  static const char *const names[] = {"self",      "descendants", "subtree",
                                      "ancestors", "tenant",      "elsewhere"};
  return names[static_cast<unsigned>(reach)];
}

std::string kindList(const Model &model, KindMask mask) {
  std::string result;
  for (KindId k = 0; k < model.kinds.size(); ++k)
    if (mask >> k & 1)
      result += (result.empty() ? "`" : ", `") + model.kinds[k].name + "`";
  return result.empty() ? "no user type" : result;
}

std::string conditionWords(const Model &model, const Guard &guard) {
  if (guard.isNever())
    return "never";
  if (guard.isAlways())
    return "always";
  std::string text;
  for (const Clause &clause : guard.clauses) {
    std::string literals;
    for (FlagId flag = 0; flag < model.flags.size(); ++flag) {
      bool required = clause.required >> flag & 1, forbidden = clause.forbidden >> flag & 1;
      if (required || forbidden)
        literals += (literals.empty() ? "" : " and ") + std::string(forbidden ? "not " : "") +
                    model.flags[flag].name;
    }
    text += (text.empty() ? "" : " or ") + literals;
  }
  return text;
}

RelationMask reachRelations(Reach reach) {
  constexpr RelationMask same = 1u << static_cast<unsigned>(Relation::Same);
  constexpr RelationMask descendant = 1u << static_cast<unsigned>(Relation::Descendant);
  constexpr RelationMask ancestor = 1u << static_cast<unsigned>(Relation::Ancestor);
  constexpr RelationMask tenant = 1u << static_cast<unsigned>(Relation::Tenant);
  switch (reach) {
  case Reach::Self:
    return same;
  case Reach::Descendants:
    return descendant;
  case Reach::Subtree:
    return same | descendant;
  case Reach::Ancestors:
    return ancestor;
  case Reach::Tenant:
    return same | descendant | ancestor | tenant;
  case Reach::Elsewhere:
    return tenant;
  }
  return 0;
}

const Guard *Role::assignGuard(RoleId target) const {
  auto it = std::lower_bound(assigns.begin(), assigns.end(), target);
  if (it == assigns.end() || *it != target)
    return nullptr;
  return &assignGuards[size_t(it - assigns.begin())];
}

bool aboutNodeOf(const Model &model, PermissionId permission, ScopeKindId kind) {
  const std::vector<ScopeKindId> about =
      model.resources[model.permissions[permission].resource].aboutKinds();
  return about.empty() || std::find(about.begin(), about.end(), kind) != about.end();
}

} // namespace lattice::sema

namespace lattice::sema {

RelationMask CustomRole::reachOf(PermissionId permission) const {
  auto it = std::lower_bound(cells.begin(), cells.end(), permission,
                             [](const std::pair<PermissionId, RelationMask> &cell, PermissionId p) {
                               return cell.first < p;
                             });
  return it != cells.end() && it->first == permission ? it->second : 0;
}

} // namespace lattice::sema
