// render_diff.cpp - text, Markdown and JSON renderings of a PolicyDiff.
// Lines read like test cases: `+ station.{view, reset} on {same, descendant} when business`.
#include "diff/render_diff.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>

namespace lattice::diff {
namespace {

std::string quoted(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &name : names)
    out += (out.empty() ? "`" : ", `") + name + "`";
  return out;
}

std::string describeLine(const AccessChange &change) {
  std::string text = fmt::format("{} {}", change.change == Change::Gained ? '+' : '-',
                                 describePermissions(change.permissions));
  if (!change.memberRelations.empty()) {
    // A combination: the relation of each role's membership.
    std::string through;
    for (size_t i = 0; i < change.roles.size() && i < change.memberRelations.size(); ++i)
      through += fmt::format("{}{} on {}", i == 0 ? " through " : " and ", change.roles[i],
                             describeRelations(change.memberRelations[i]));
    text += through;
  } else {
    text += " on " + describeRelations(change.relations);
  }
  std::string condition = describeCondition(change.condition);
  if (change.conditionTooLarge)
    text += " under a condition too large to print";
  else if (!condition.empty())
    text += " when " + condition;
  if (change.change == Change::Gained)
    text += fmt::format("  [{}]", categoryName(change.category));
  return text;
}

/// The access changes of one position (roles, user type): [begin, end) of diff.access.
struct Section {
  size_t begin, end;
  size_t gained = 0, lost = 0;
};

std::vector<Section> sections(const PolicyDiff &diff) {
  std::vector<Section> out;
  for (size_t i = 0; i < diff.access.size(); ++i) {
    const AccessChange &change = diff.access[i];
    const AccessChange &first = diff.access[out.empty() ? 0 : out.back().begin];
    if (out.empty() || first.roles != change.roles || first.kind != change.kind)
      out.push_back(Section{i, i});
    out.back().end = i + 1;
    // Requests, as the summary counts: each (permission, relation) once.
    (change.change == Change::Gained ? out.back().gained : out.back().lost) +=
        change.permissions.size() * std::max<size_t>(change.relations.size(), 1);
  }
  return out;
}

std::string joinRoles(const std::vector<std::string> &roles, const char *open, const char *close) {
  std::string out;
  for (const std::string &role : roles)
    out += (out.empty() ? "" : " + ") + (open + role + close);
  return out;
}

std::string sectionTitle(const AccessChange &first, const char *open, const char *close) {
  return fmt::format("{} {} as {}{}{}", first.roles.size() == 1 ? "role" : "roles",
                     joinRoles(first.roles, open, close), open, first.kind, close);
}

/// One line per combination and delegation: what is new, and a request that shows it.
std::vector<std::string> newGrants(const PolicyDiff &diff, const char *open, const char *close) {
  std::vector<std::string> lines;
  for (const CombinationChange &change : diff.combinations)
    lines.push_back(
        fmt::format("{} may now be held together by {}{}{} [{}]: {} request{} allowed, e.g. {}{}{}",
                    joinRoles(change.roles, open, close), open, change.kind, close,
                    categoryName(Category::RemovedExclusive), change.allowedRequests,
                    change.allowedRequests == 1 ? "" : "s", open,
                    describeWitness(change.witness, true), close));
  for (const DelegationChange &change : diff.delegations) {
    std::string chain;
    for (size_t i = 0; i + 1 < change.chain.size(); ++i)
      chain += fmt::format("{}{}{}{} assigns {}{}{}", chain.empty() ? "" : ", ", open,
                           change.chain[i], close, open, change.chain[i + 1], close);
    std::string when = change.conditionTooLarge   ? " under a condition too large to print"
                       : change.condition.empty() ? std::string()
                                                  : " when " + describeCondition(change.condition);
    lines.push_back(fmt::format(
        "{}{}{} can now give {}{}{}{}{} ({}) [{}]: e.g. {}{}{}", open, change.assigner, close, open,
        change.chain.back(), close, change.unlocked ? ", no longer locked" : "", when, chain,
        categoryName(Category::NewDelegation), open, describeWitness(change.witness, true), close));
  }
  for (const CustomRoleChange &change : diff.customRoles) {
    std::vector<std::string> parts;
    if (change.added)
      parts.push_back("is new");
    if (!change.cells.empty()) {
      std::string cells;
      for (const auto &[permission, relations] : change.cells) {
        std::string where;
        for (sema::Relation r : relations)
          where += (where.empty() ? "" : ", ") + std::string(sema::relationName(r));
        cells +=
            fmt::format("{}{}{}{} ({})", cells.empty() ? "" : ", ", open, permission, close, where);
      }
      parts.push_back("may now hold " + cells);
    }
    if (!change.kinds.empty())
      parts.push_back("is now for " + joinRoles(change.kinds, open, close));
    std::string text;
    for (const std::string &part : parts)
      text += (text.empty() ? "" : "; ") + part;
    if (!text.empty())
      lines.push_back(fmt::format("custom role {}{}{} {} [{}]", open, change.customRole, close,
                                  text, categoryName(Category::WidenedCustomRole)));
    for (const std::string &creator : change.creators)
      lines.push_back(fmt::format("{}{}{} can now create custom roles of {}{}{} [{}]", open,
                                  creator, close, open, change.customRole, close,
                                  categoryName(Category::NewDelegation)));
  }
  return lines;
}

std::string gateLine(const PolicyDiff &diff) {
  std::string names;
  for (Category category : diff.newAccessCategories())
    names += (names.empty() ? "" : ", ") + std::string(categoryName(category));
  return "new access: " + (names.empty() ? std::string("none") : names);
}

std::vector<std::string> otherChanges(const PolicyDiff &diff) {
  std::vector<std::string> lines;
  auto names = [&](const char *what, const NameChanges &changes) {
    if (!changes.added.empty())
      lines.push_back(fmt::format("{} added: {}", what, quoted(changes.added)));
    if (!changes.removed.empty())
      lines.push_back(fmt::format("{} removed: {}", what, quoted(changes.removed)));
  };
  names("user types", diff.userTypes);
  names("roles", diff.roles);
  names("permissions", diff.permissions);
  names("flags", diff.flags);
  for (const RoleChange &change : diff.roleChanges) {
    std::vector<std::string> parts;
    if (!change.kinds.added.empty())
      parts.push_back("now for " + quoted(change.kinds.added));
    if (!change.kinds.removed.empty())
      parts.push_back("no longer for " + quoted(change.kinds.removed));
    if (!change.assigns.added.empty())
      parts.push_back("now assigns " + quoted(change.assigns.added));
    if (!change.assigns.removed.empty())
      parts.push_back("no longer assigns " + quoted(change.assigns.removed));
    for (const auto &[target, condition] : change.assignConditions)
      parts.push_back(condition == "always"
                          ? fmt::format("now assigns `{}` whatever its flags", target)
                          : fmt::format("now assigns `{}` when `{}`", target, condition));
    if (change.locked)
      parts.push_back(*change.locked ? "now locked" : "no longer locked");
    if (change.deprecated)
      parts.push_back(*change.deprecated ? "now deprecated" : "no longer deprecated");
    std::string text;
    for (const std::string &part : parts)
      text += (text.empty() ? "" : "; ") + part;
    lines.push_back(fmt::format("role `{}`: {}", change.role, text));
  }
  for (const auto &set : diff.exclusivesAdded)
    lines.push_back("exclusive set added: " + quoted(set));
  for (const auto &set : diff.exclusivesRemoved)
    lines.push_back("exclusive set removed: " + quoted(set));
  if (!diff.customRolesNarrowed.empty())
    lines.push_back("custom roles removed or narrowed: " + quoted(diff.customRolesNarrowed));
  return lines;
}

std::string summary(const PolicyDiff &diff) {
  size_t singles = 0, combinations = 0;
  for (const Section &section : sections(diff))
    ++(diff.access[section.begin].roles.size() == 1 ? singles : combinations);
  auto plural = [](size_t n, const char *word) {
    return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
  };
  std::string text = "no access changes";
  if (diff.hasAccessChanges()) {
    text = fmt::format("access: {} gained, {} lost in ", diff.gainedRequests, diff.lostRequests);
    if (singles > 0)
      text += plural(singles, "role");
    if (singles > 0 && combinations > 0)
      text += " and ";
    if (combinations > 0)
      text += plural(combinations, "role combination");
  }
  if (!diff.combinations.empty())
    text += "; " + plural(diff.combinations.size(), "new combination");
  if (!diff.delegations.empty())
    text += "; " + plural(diff.delegations.size(), "new delegation");
  if (!diff.customRoles.empty())
    text += "; " + plural(diff.customRoles.size(), "widened custom role");
  size_t others = otherChanges(diff).size();
  if (others > 0)
    text += "; " + plural(others, "other change");
  return text;
}

} // namespace

std::string describePermissions(const std::vector<std::string> &permissions) {
  if (permissions.size() == 1)
    return permissions[0];
  std::string resource = permissions[0].substr(0, permissions[0].find('.'));
  std::string actions;
  for (const std::string &permission : permissions)
    actions += (actions.empty() ? "" : ", ") + permission.substr(permission.find('.') + 1);
  return resource + ".{" + actions + "}";
}

std::string describeRelations(const std::vector<sema::Relation> &relations) {
  if (relations.size() == sema::kRelationCount)
    return "*";
  if (relations.size() == 1)
    return sema::relationName(relations[0]);
  std::string out;
  for (sema::Relation relation : relations)
    out += (out.empty() ? "" : ", ") + std::string(sema::relationName(relation));
  return "{" + out + "}";
}

std::string renderText(const PolicyDiff &diff, bool color) {
  const char *green = color ? "\033[32m" : "", *red = color ? "\033[31m" : "";
  const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
  std::string out;
  for (const Section &section : sections(diff)) {
    out +=
        fmt::format("{}{}:{}\n", bold, sectionTitle(diff.access[section.begin], "`", "`"), reset);
    std::string resource;
    for (size_t i = section.begin; i < section.end; ++i) {
      const AccessChange &change = diff.access[i];
      if (change.resource != resource) {
        resource = change.resource;
        out += fmt::format("  {}:\n", resource);
      }
      out += fmt::format("    {}{}{}\n", change.change == Change::Gained ? green : red,
                         describeLine(change), reset);
    }
    out += "\n";
  }
  std::vector<std::string> grants = newGrants(diff, "`", "`");
  for (const std::string &line : grants)
    out += fmt::format("{}+ {}{}\n", green, line, reset);
  if (!grants.empty())
    out += "\n";
  std::vector<std::string> others = otherChanges(diff);
  for (const std::string &line : others)
    out += line + "\n";
  if (!others.empty())
    out += "\n";
  out += summary(diff) + "\n" + gateLine(diff) + "\n";
  return out;
}

std::string renderMarkdown(const PolicyDiff &diff) {
  std::string out =
      fmt::format("**Lattice policy diff:** {}\n\n**{}**\n", summary(diff), gateLine(diff));
  for (const Section &section : sections(diff)) {
    const AccessChange &first = diff.access[section.begin];
    out += fmt::format("\n<details><summary>{}: {} gained, {} lost</summary>\n\n```diff\n",
                       sectionTitle(first, "<code>", "</code>"), section.gained, section.lost);
    std::string resource;
    for (size_t i = section.begin; i < section.end; ++i) {
      const AccessChange &change = diff.access[i];
      if (change.resource != resource) {
        resource = change.resource;
        out += fmt::format("@@ {} @@\n", resource);
      }
      out += describeLine(change) + "\n";
      if (change.change == Change::Gained)
        out += "  e.g. " + describeWitness(change.witness, true) + "\n";
    }
    out += "```\n\n</details>\n";
  }
  std::vector<std::string> grants = newGrants(diff, "`", "`");
  if (!grants.empty()) {
    out += fmt::format("\n<details><summary>New combinations and delegations ({})</summary>\n\n",
                       grants.size());
    for (const std::string &line : grants)
      out += "- " + line + "\n";
    out += "\n</details>\n";
  }
  std::vector<std::string> others = otherChanges(diff);
  if (!others.empty()) {
    out += fmt::format("\n<details><summary>Other changes ({})</summary>\n\n", others.size());
    for (const std::string &line : others)
      out += "- " + line + "\n";
    out += "\n</details>\n";
  }
  return out;
}

std::string renderJson(const PolicyDiff &diff) {
  auto strings = [](const std::vector<std::string> &items) {
    llvm::json::Array array;
    for (const std::string &item : items)
      array.push_back(item);
    return array;
  };
  auto names = [&](const NameChanges &changes) {
    return llvm::json::Object{{"added", strings(changes.added)},
                              {"removed", strings(changes.removed)}};
  };
  auto witness = [&](const Witness &w) {
    llvm::json::Array relations;
    for (sema::Relation relation : w.relations)
      relations.push_back(sema::relationName(relation));
    std::optional<sema::Relation> common = w.commonRelation();
    return llvm::json::Object{{"userType", w.kind},
                              {"roles", strings(w.roles)},
                              {"relations", std::move(relations)},
                              {"relation", common ? llvm::json::Value(sema::relationName(*common))
                                                  : llvm::json::Value(nullptr)},
                              {"permission", w.permission},
                              {"flags", strings(w.flags)},
                              {"testCase", describeWitness(w, true)}};
  };
  llvm::json::Array access;
  for (const AccessChange &change : diff.access) {
    llvm::json::Array relations;
    for (sema::Relation relation : change.relations)
      relations.push_back(sema::relationName(relation));
    llvm::json::Array condition;
    for (const NamedClause &clause : change.condition)
      condition.push_back(llvm::json::Object{{"required", strings(clause.required)},
                                             {"forbidden", strings(clause.forbidden)}});
    std::string text = describeCondition(change.condition);
    llvm::json::Array memberRelations;
    for (const std::vector<sema::Relation> &set : change.memberRelations) {
      llvm::json::Array names;
      for (sema::Relation relation : set)
        names.push_back(sema::relationName(relation));
      memberRelations.push_back(std::move(names));
    }
    llvm::json::Object item{
        {"roles", strings(change.roles)},
        {"memberRelations", std::move(memberRelations)},
        {"userType", change.kind},
        {"change", change.change == Change::Gained ? "gained" : "lost"},
        {"resource", change.resource},
        {"permissions", strings(change.permissions)},
        {"relations", std::move(relations)},
        {"when", text.empty() ? llvm::json::Value(nullptr) : llvm::json::Value(text)},
        {"condition", std::move(condition)},
    };
    if (change.conditionTooLarge)
      item["conditionTooLarge"] = true;
    if (change.change == Change::Gained) {
      item["category"] = categoryName(change.category);
      item["witness"] = witness(change.witness);
    }
    access.push_back(std::move(item));
  }
  llvm::json::Array combinations;
  for (const CombinationChange &change : diff.combinations)
    combinations.push_back(
        llvm::json::Object{{"roles", strings(change.roles)},
                           {"userType", change.kind},
                           {"category", categoryName(Category::RemovedExclusive)},
                           {"allowedRequests", static_cast<int64_t>(change.allowedRequests)},
                           {"witness", witness(change.witness)}});
  llvm::json::Array delegations;
  for (const DelegationChange &change : diff.delegations) {
    llvm::json::Object item{{"assigner", change.assigner},
                            {"chain", strings(change.chain)},
                            {"unlocked", change.unlocked},
                            {"category", categoryName(Category::NewDelegation)},
                            {"witness", witness(change.witness)}};
    if (!change.condition.empty())
      item["condition"] = describeCondition(change.condition);
    if (change.conditionTooLarge)
      item["conditionTooLarge"] = true;
    delegations.push_back(std::move(item));
  }
  llvm::json::Array categories;
  for (Category category : diff.newAccessCategories())
    categories.push_back(categoryName(category));
  llvm::json::Array roleChanges;
  for (const RoleChange &change : diff.roleChanges) {
    llvm::json::Object object{{"role", change.role},
                              {"userTypes", names(change.kinds)},
                              {"assigns", names(change.assigns)}};
    if (!change.assignConditions.empty()) {
      llvm::json::Object conditions;
      for (const auto &[target, condition] : change.assignConditions)
        conditions[target] = condition;
      object["assignConditions"] = std::move(conditions);
    }
    if (change.locked)
      object["locked"] = *change.locked;
    if (change.deprecated)
      object["deprecated"] = *change.deprecated;
    roleChanges.push_back(std::move(object));
  }
  auto sets = [&](const std::vector<std::vector<std::string>> &items) {
    llvm::json::Array array;
    for (const auto &set : items)
      array.push_back(strings(set));
    return array;
  };
  llvm::json::Object document{
      {"summary",
       llvm::json::Object{{"gained", static_cast<int64_t>(diff.gainedRequests)},
                          {"lost", static_cast<int64_t>(diff.lostRequests)},
                          {"combinations", static_cast<int64_t>(diff.combinations.size())},
                          {"delegations", static_cast<int64_t>(diff.delegations.size())},
                          {"otherChanges", static_cast<int64_t>(otherChanges(diff).size())}}},
      {"newAccess", std::move(categories)},
      {"access", std::move(access)},
      {"combinations", std::move(combinations)},
      {"delegations", std::move(delegations)},
      {"roles", names(diff.roles)},
      {"userTypes", names(diff.userTypes)},
      {"permissions", names(diff.permissions)},
      {"flags", names(diff.flags)},
      {"roleChanges", std::move(roleChanges)},
      {"exclusive", llvm::json::Object{{"added", sets(diff.exclusivesAdded)},
                                       {"removed", sets(diff.exclusivesRemoved)}}},
  };
  if (!diff.customRoles.empty() || !diff.customRolesNarrowed.empty()) { // only when there are
    llvm::json::Array customRoles;
    for (const CustomRoleChange &change : diff.customRoles) {
      llvm::json::Array cells;
      for (const auto &[permission, relations] : change.cells) {
        llvm::json::Array where;
        for (sema::Relation r : relations)
          where.push_back(sema::relationName(r));
        cells.push_back(
            llvm::json::Object{{"permission", permission}, {"relations", std::move(where)}});
      }
      customRoles.push_back(llvm::json::Object{{"customRole", change.customRole},
                                               {"added", change.added},
                                               {"cells", std::move(cells)},
                                               {"userTypes", strings(change.kinds)},
                                               {"creators", strings(change.creators)}});
    }
    document["customRoles"] = std::move(customRoles);
    document["customRolesNarrowed"] = strings(diff.customRolesNarrowed);
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(document)));
  os.flush();
  return text + "\n";
}

} // namespace lattice::diff
