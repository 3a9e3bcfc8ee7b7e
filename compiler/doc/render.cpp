// render.cpp - the matrix as Markdown (tables per resource), CSV (one row per permission, role,
// user type and relation: machine-checkable), JSON (structured) and one self-contained HTML page.
#include "doc/matrix.h"

#include <fmt/format.h>
#include <llvm/Support/JSON.h>
#include <llvm/Support/raw_ostream.h>
#include <map>

namespace lattice::doc {
namespace {

const sema::Model &M(const Matrix &matrix) { return *matrix.model; }

std::string roleLabel(const sema::Role &role) {
  return role.label.empty() ? role.name : role.label;
}
std::string permissionLabel(const sema::Permission &p) {
  return p.label.empty() ? p.action : p.label;
}
std::string resourceLabel(const sema::Resource &r) { return r.label.empty() ? r.name : r.label; }
std::string groupLabel(const sema::Group &g) { return g.label.empty() ? g.name : g.label; }

/// The requirements that gate a user type's requests, each a condition in words.
std::vector<std::string> requirementsFor(const sema::Model &model, sema::KindId kind) {
  std::vector<std::string> out;
  for (const sema::Requirement &requirement : model.requirements)
    if (requirement.kinds >> kind & 1)
      out.push_back(conditionText(model, requirement.guard));
  return out;
}

std::vector<std::string> requirementLines(const sema::Model &model) {
  std::vector<std::string> lines;
  for (const sema::Requirement &requirement : model.requirements) {
    std::string who = (requirement.kinds & model.allKinds()) == model.allKinds()
                          ? "every user type"
                          : kindsText(model, requirement.kinds);
    lines.push_back(
        fmt::format("requests by {} require `{}`", who, conditionText(model, requirement.guard)));
  }
  return lines;
}

/// The scopes in words, with the policy's own scope kinds: "own node = the resource belongs to
/// the user's own node (scope kinds: tenant, account or subaccount); ...".
std::string relationWords(const sema::Model &model) {
  std::string kinds = scopeKindsText(model, false), roots = scopeKindsText(model, true);
  return fmt::format("own node = the resource belongs to the user's own node{}; below = to a "
                     "node under it; above = to a node over it; whole tenant = anywhere in the "
                     "user's tree{}",
                     kinds.empty() ? "" : " (scope kinds: " + kinds + ")",
                     roots.empty() ? "" : " (one tree per " + roots + ")");
}

/// The roles a role may give (`assigns`), by label, with the condition of a conditional one:
/// "Driver (when `business`)", or without the backticks (`code` false) for an HTML attribute.
std::string assignsText(const sema::Model &model, const sema::Role &role, bool code = true) {
  std::string text;
  for (size_t i = 0; i < role.assigns.size(); ++i) {
    const sema::Role &target = model.roles[role.assigns[i]];
    text += (text.empty() ? "" : ", ") + (target.label.empty() ? target.name : target.label);
    if (!role.assignGuards[i].isAlways())
      text += fmt::format(fmt::runtime(code ? " (when `{}`)" : " (when {})"),
                          conditionText(model, role.assignGuards[i]));
  }
  return text;
}

/// The policy-wide denies in words: "`station.update_firmware` is denied whatever role allows
/// it (whole tenant), when `not certified`" (every cell already shows their effect).
std::vector<std::string> policyDenyLines(const sema::Model &model) {
  std::vector<std::string> lines;
  for (uint32_t index : model.policyRules) {
    const sema::Rule &rule = model.rules[index];
    std::string permissions;
    for (size_t i = 0; i < rule.permissions.size() && i < 8; ++i)
      permissions += (i ? ", `" : "`") + model.permissions[rule.permissions[i]].name + "`";
    if (rule.permissions.size() > 8)
      permissions += fmt::format(" and {} more", rule.permissions.size() - 8);
    std::string line = fmt::format("{} {} denied whatever role allows {} ({})", permissions,
                                   rule.permissions.size() == 1 ? "is" : "are",
                                   rule.permissions.size() == 1 ? "it" : "them",
                                   relationsText(sema::reachRelations(rule.reach)));
    if ((rule.kinds & model.allKinds()) != model.allKinds())
      line += ", to " + kindsText(model, rule.kinds);
    if (!rule.guard.isAlways())
      line += fmt::format(", when `{}`", conditionText(model, rule.guard));
    lines.push_back(std::move(line));
  }
  return lines;
}

/// What a custom role ceiling may hold, permissions grouped by reach in the language's words:
/// "`station.view`, `station.reset` in subtree; `billing.read` in self".
std::string ceilingText(const sema::Model &model, const sema::CustomRole &custom) {
  std::map<sema::RelationMask, std::vector<std::string>> byReach;
  for (const auto &[permission, relations] : custom.cells)
    byReach[relations].push_back("`" + model.permissions[permission].name + "`");
  static const std::pair<sema::Reach, const char *> kWords[] = {
      {sema::Reach::Self, "self"},       {sema::Reach::Descendants, "descendants"},
      {sema::Reach::Subtree, "subtree"}, {sema::Reach::Ancestors, "ancestors"},
      {sema::Reach::Tenant, "tenant"},   {sema::Reach::Elsewhere, "elsewhere"}};
  std::string out;
  for (const auto &[relations, names] : byReach) {
    std::string where;
    for (const auto &[reach, word] : kWords)
      if (sema::reachRelations(reach) == relations)
        where = word;
    if (where.empty())
      for (uint32_t r = 0; r < sema::kRelationCount; ++r)
        if (relations >> r & 1)
          where += (where.empty() ? "" : ", ") +
                   std::string(sema::relationName(static_cast<sema::Relation>(r)));
    std::string list;
    for (const std::string &name : names)
      list += (list.empty() ? "" : ", ") + name;
    out += (out.empty() ? "" : "; ") + list + " in " + where;
  }
  return out;
}

/// The roles of `created_by`, by label.
std::string creatorsText(const sema::Model &model, const sema::CustomRole &custom) {
  std::string out;
  for (sema::RoleId role : custom.creators)
    out += (out.empty() ? "" : ", ") + roleLabel(model.roles[role]);
  return out.empty() ? std::string("nobody (the platform builds them)") : out;
}

std::string mdEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

/// HTML-escapes `text` and turns its `code` spans into <code> elements, so that no backtick shows.
std::string htmlText(const std::string &text);

std::string htmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::string csvField(const std::string &text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string htmlText(const std::string &text) {
  std::string out;
  bool code = false;
  size_t start = 0;
  for (size_t tick = text.find('`'); tick != std::string::npos; tick = text.find('`', start)) {
    out += htmlEscape(text.substr(start, tick - start)) + (code ? "</code>" : "<code>");
    code = !code;
    start = tick + 1;
  }
  out += htmlEscape(text.substr(start));
  return code ? out + "</code>" : out;
}

const Column &column(const Matrix &matrix, size_t c) { return matrix.columns[c]; }

} // namespace

// ---- Markdown -----------------------------------------------------------------------------

std::string renderMarkdown(const Matrix &matrix) {
  const sema::Model &model = M(matrix);
  std::string out =
      fmt::format("# Access matrix: {}\n\n",
                  model.policyName.empty() ? std::string("policy") : model.policyName);
  out += "Generated by `lattice doc` from the policy. Each cell is what a request by a user "
         "holding only that role (or that stacked combination) decides.\n\n";
  out += "Legend: ✔ allowed (with the scope it reaches and the condition, if any) · ✖ denied · "
         "n/a the permission does not apply to the role's user types. Scopes: ";
  out += relationWords(model);
  out += ".\n";
  for (const std::string &line : requirementLines(model))
    out += fmt::format("\nEvery cell also assumes that {}.\n", line);
  for (const std::string &line : policyDenyLines(model))
    out += fmt::format("\nPolicy-wide: {}.\n", line);
  out += "\n## Roles\n\n| Role | Name | User types | Extends | Assigns |\n|---|---|---|---|---|\n";
  for (const Column &col : matrix.columns) {
    if (col.stacked())
      continue;
    const sema::Role &role = model.roles[col.roles[0]];
    std::string extends;
    for (sema::RoleId e : role.extends)
      extends += (extends.empty() ? "" : ", ") + roleLabel(model.roles[e]);
    out += fmt::format("| {}{} | `{}` | {} | {} | {} |\n", mdEscape(roleLabel(role)),
                       role.locked       ? " (locked)"
                       : role.deprecated ? " (deprecated)"
                                         : "",
                       role.name, mdEscape(kindsText(model, role.kinds)), mdEscape(extends),
                       mdEscape(assignsText(model, role)));
  }
  bool anyStack = false;
  for (const Column &col : matrix.columns)
    if (col.stacked()) {
      if (!anyStack)
        out += "\nStacked columns (a user holding all of these roles at once):\n\n";
      anyStack = true;
      out += fmt::format("- {} (`{}`), as {}\n", mdEscape(columnLabel(model, col)),
                         columnName(model, col), mdEscape(kindsText(model, col.kinds)));
    }
  if (!model.customRoles.empty()) {
    out += "\n## Custom roles\n\nRoles that tenants compose at run time from permissions, each "
           "within its ceiling: it may hold any of these permissions up to the reach shown, and "
           "nothing else.\n\n| Custom role | Name | User types | Created by | May hold |\n"
           "|---|---|---|---|---|\n";
    for (const sema::CustomRole &custom : model.customRoles)
      out += fmt::format("| {} | `{}` | {} | {} | {} |\n",
                         mdEscape(custom.label.empty() ? custom.name : custom.label), custom.name,
                         mdEscape(kindsText(model, custom.kinds)),
                         mdEscape(creatorsText(model, custom)), ceilingText(model, custom));
  }
  for (const Section &section : matrix.sections) {
    const sema::Resource &resource = model.resources[section.resource];
    out += fmt::format("\n## {} (`{}`)\n\n| Permission |", mdEscape(resourceLabel(resource)),
                       resource.name);
    for (size_t c = 0; c < matrix.columns.size(); ++c)
      out += fmt::format(" {} |", mdEscape(columnLabel(model, column(matrix, c))));
    out += "\n|---|";
    for (size_t c = 0; c < matrix.columns.size(); ++c)
      out += "---|";
    out += "\n";
    int group = -1;
    for (const Row &row : section.rows) {
      if (row.group != group && row.group >= 0) {
        out += fmt::format("| **{}** |", mdEscape(groupLabel(resource.groups[row.group])));
        for (size_t c = 0; c < matrix.columns.size(); ++c)
          out += " |";
        out += "\n";
      }
      group = row.group;
      const sema::Permission &permission = model.permissions[row.permission];
      out += fmt::format("| {} (`{}`) |", mdEscape(permissionLabel(permission)), permission.name);
      for (size_t c = 0; c < row.cells.size(); ++c)
        out += " " + mdEscape(cellText(model, row.cells[c], column(matrix, c).kinds)) + " |";
      out += "\n";
    }
  }
  return out;
}

// ---- CSV ----------------------------------------------------------------------------------

std::string renderCsv(const Matrix &matrix) {
  const sema::Model &model = M(matrix);
  std::string out = "resource,group,permission,permission_label,role,role_label,kind,relation,"
                    "access,condition,requires\n";
  for (const Section &section : matrix.sections) {
    const sema::Resource &resource = model.resources[section.resource];
    for (const Row &row : section.rows) {
      const sema::Permission &permission = model.permissions[row.permission];
      std::string group = row.group >= 0 ? resource.groups[row.group].name : "";
      for (size_t c = 0; c < row.cells.size(); ++c) {
        const Column &col = column(matrix, c);
        for (const KindAccess &variant : row.cells[c].variants)
          for (sema::KindId kind = 0; kind < model.kinds.size(); ++kind) {
            if (!(variant.kinds >> kind & 1))
              continue;
            std::string gates;
            for (const std::string &r : requirementsFor(model, kind))
              gates += (gates.empty() ? "" : "; ") + r;
            for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
              const sema::Guard &when = variant.when[r];
              Access access = !variant.applicable ? Access::NotApplicable
                              : when.isNever()    ? Access::Denied
                              : when.isAlways()   ? Access::Allowed
                                                  : Access::Conditional;
              out += fmt::format(
                  "{},{},{},{},{},{},{},{},{},{},{}\n", resource.name, group, permission.name,
                  csvField(permissionLabel(permission)), columnName(model, col),
                  csvField(columnLabel(model, col)), model.kinds[kind].name,
                  sema::relationName(static_cast<sema::Relation>(r)), accessName(access),
                  access == Access::Conditional ? csvField(conditionText(model, when)) : "",
                  csvField(gates));
            }
          }
      }
    }
  }
  return out;
}

// ---- JSON ---------------------------------------------------------------------------------

std::string renderJson(const Matrix &matrix) {
  const sema::Model &model = M(matrix);
  using llvm::json::Array;
  using llvm::json::Object;
  auto kindNames = [&](sema::KindMask kinds) {
    Array names;
    for (sema::KindId kind = 0; kind < model.kinds.size(); ++kind)
      if (kinds >> kind & 1)
        names.push_back(model.kinds[kind].name);
    return names;
  };
  Array kinds;
  for (sema::KindId kind = 0; kind < model.kinds.size(); ++kind) {
    Array gates;
    for (const std::string &r : requirementsFor(model, kind))
      gates.push_back(r);
    kinds.push_back(Object{{"name", model.kinds[kind].name},
                           {"label", model.kinds[kind].label},
                           {"requires", std::move(gates)}});
  }
  Array groups;
  for (const ColumnGroup &group : matrix.columnGroups) {
    Array roles;
    for (size_t c : group.columns) {
      const Column &col = column(matrix, c);
      if (col.stacked()) {
        Array stack;
        for (sema::RoleId id : col.roles)
          stack.push_back(model.roles[id].name);
        roles.push_back(Object{{"name", columnName(model, col)},
                               {"label", columnLabel(model, col)},
                               {"stack", std::move(stack)}});
        continue;
      }
      const sema::Role &role = model.roles[col.roles[0]];
      Array extends, assigns;
      for (sema::RoleId e : role.extends)
        extends.push_back(model.roles[e].name);
      Object assignsWhen; // the conditional ones: role name -> condition
      for (size_t i = 0; i < role.assigns.size(); ++i) {
        assigns.push_back(model.roles[role.assigns[i]].name);
        if (!role.assignGuards[i].isAlways())
          assignsWhen[model.roles[role.assigns[i]].name] =
              conditionText(model, role.assignGuards[i]);
      }
      Object item{{"name", role.name},
                  {"label", role.label},
                  {"extends", std::move(extends)},
                  {"assigns", std::move(assigns)},
                  {"locked", role.locked},
                  {"deprecated", role.deprecated}};
      if (!assignsWhen.empty())
        item["assignsWhen"] = std::move(assignsWhen);
      roles.push_back(std::move(item));
    }
    Object item{{"kinds", kindNames(group.kinds)}, {"roles", std::move(roles)}};
    if (group.stacked)
      item["stacked"] = true;
    groups.push_back(std::move(item));
  }
  Array resources;
  for (const Section &section : matrix.sections) {
    const sema::Resource &resource = model.resources[section.resource];
    Array rows;
    for (const Row &row : section.rows) {
      const sema::Permission &permission = model.permissions[row.permission];
      Object cells;
      for (size_t c = 0; c < row.cells.size(); ++c) {
        const Cell &cell = row.cells[c];
        Array variants;
        for (const KindAccess &variant : cell.variants) {
          Array reachList;
          for (const Reach &reach : reaches(variant)) {
            Array relations;
            for (uint32_t r = 0; r < sema::kRelationCount; ++r)
              if (reach.relations >> r & 1)
                relations.push_back(sema::relationName(static_cast<sema::Relation>(r)));
            Object item{{"relations", std::move(relations)},
                        {"scope", relationsText(reach.relations)}};
            if (!reach.when.isAlways())
              item["when"] = conditionText(model, reach.when);
            reachList.push_back(std::move(item));
          }
          variants.push_back(Object{{"kinds", kindNames(variant.kinds)},
                                    {"applicable", variant.applicable},
                                    {"allowed", std::move(reachList)}});
        }
        cells[columnName(model, column(matrix, c))] =
            Object{{"access", accessName(cell.access)},
                   {"text", cellText(model, cell, column(matrix, c).kinds)},
                   {"variants", std::move(variants)}};
      }
      Object item{{"permission", permission.name},
                  {"label", permissionLabel(permission)},
                  {"applies_to", kindNames(permission.applicableKinds)},
                  {"cells", std::move(cells)}};
      if (row.group >= 0)
        item["group"] = resource.groups[row.group].name;
      rows.push_back(std::move(item));
    }
    Array groupList;
    for (const sema::Group &g : resource.groups)
      groupList.push_back(Object{{"name", g.name}, {"label", groupLabel(g)}});
    resources.push_back(Object{{"name", resource.name},
                               {"label", resourceLabel(resource)},
                               {"groups", std::move(groupList)},
                               {"rows", std::move(rows)}});
  }
  Object root{{"policy", model.policyName},
              {"kinds", std::move(kinds)},
              {"column_groups", std::move(groups)},
              {"resources", std::move(resources)}};
  Array policyDenies; // in words; every cell already shows their effect
  for (const std::string &line : policyDenyLines(model))
    policyDenies.push_back(line);
  if (!policyDenies.empty())
    root["policy_denies"] = std::move(policyDenies);
  Array customRoles; // ceilings, only when the policy has some
  for (const sema::CustomRole &custom : model.customRoles) {
    Array cells, creators;
    for (const auto &[permission, relations] : custom.cells) {
      Array where;
      for (uint32_t r = 0; r < sema::kRelationCount; ++r)
        if (relations >> r & 1)
          where.push_back(sema::relationName(static_cast<sema::Relation>(r)));
      cells.push_back(Object{{"permission", model.permissions[permission].name},
                             {"relations", std::move(where)}});
    }
    for (sema::RoleId role : custom.creators)
      creators.push_back(model.roles[role].name);
    customRoles.push_back(Object{{"name", custom.name},
                                 {"label", custom.label},
                                 {"kinds", kindNames(custom.kinds)},
                                 {"created_by", std::move(creators)},
                                 {"ceiling", std::move(cells)}});
  }
  if (!customRoles.empty())
    root["custom_roles"] = std::move(customRoles);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root)));
  os.flush();
  return text + "\n";
}

// ---- HTML ---------------------------------------------------------------------------------

namespace {

constexpr const char *kStyle = R"(
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1d2330; }
header { position: sticky; top: 0; z-index: 5; background: #fff; padding: 12px 20px 8px;
  border-bottom: 1px solid #d7dce5; }
h1 { font-size: 20px; margin: 0 0 6px; }
h2 { font-size: 16px; margin: 24px 20px 8px; }
#filter { font-size: 14px; padding: 5px 8px; width: 320px; border: 1px solid #aab2c0; border-radius: 4px; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; margin-top: 6px; font-size: 12px; color: #444; }
.legend span.sample { display: inline-block; padding: 0 6px; border-radius: 3px; }
.notes { font-size: 12px; color: #444; margin: 4px 0 0; }
.wrap { overflow: auto; max-height: 80vh; margin: 0 20px; border: 1px solid #d7dce5; }
table { border-collapse: separate; border-spacing: 0; }
th, td { border-right: 1px solid #e3e7ee; border-bottom: 1px solid #e3e7ee; padding: 4px 8px;
  vertical-align: top; }
thead th { position: sticky; background: #f3f5f9; z-index: 2; font-weight: 600; }
thead tr.kinds th { top: 0; text-align: center; background: #e6eaf2; }
thead tr.roles th { top: 27px; min-width: 92px; }
th.perm, td.perm { position: sticky; left: 0; background: #fff; z-index: 1; min-width: 260px;
  text-align: left; }
thead th.perm { z-index: 3; background: #e6eaf2; }
td.perm code { color: #667; font-size: 12px; }
tr.group td { background: #f7f8fb; font-weight: 600; }
td.allow { background: #e3f6e8; }
td.conditional { background: #fff4d6; }
td.deny { background: #fbe9e9; color: #a33; text-align: center; }
td.na { background: #f1f1f1; color: #888; text-align: center; }
.hidden { display: none; }
)";

constexpr const char *kScript = R"(
(function () {
  var box = document.getElementById('filter');
  function apply() {
    var q = box.value.trim().toLowerCase();
    var sections = document.querySelectorAll('section.resource');
    for (var s = 0; s < sections.length; s++) {
      var rows = sections[s].querySelectorAll('tr.row');
      var shown = 0;
      for (var i = 0; i < rows.length; i++) {
        var hit = q === '' || rows[i].getAttribute('data-text').indexOf(q) >= 0;
        rows[i].classList.toggle('hidden', !hit);
        if (hit) shown++;
      }
      var groups = sections[s].querySelectorAll('tr.group');
      for (var g = 0; g < groups.length; g++) {
        var id = groups[g].getAttribute('data-group');
        var any = sections[s].querySelectorAll('tr.row[data-group="' + id + '"]:not(.hidden)');
        groups[g].classList.toggle('hidden', any.length === 0);
      }
      sections[s].classList.toggle('hidden', shown === 0);
    }
    document.getElementById('count').textContent = document.querySelectorAll('tr.row:not(.hidden)').length;
  }
  box.addEventListener('input', apply);
  function stick() { // the role row sits under the user-type row, however tall that one wraps
    var heads = document.querySelectorAll('thead');
    for (var h = 0; h < heads.length; h++) {
      var top = heads[h].querySelector('tr.kinds').getBoundingClientRect().height;
      var cells = heads[h].querySelectorAll('tr.roles th');
      for (var c = 0; c < cells.length; c++) cells[c].style.top = top + 'px';
    }
  }
  window.addEventListener('resize', stick);
  stick();
  apply();
})();
)";

/// The cell's CSS class: the access name, except that `n/a` is not a valid class name.
const char *cssClass(Access access) {
  return access == Access::NotApplicable ? "na" : accessName(access);
}

std::string lower(std::string text) {
  for (char &c : text)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return text;
}

} // namespace

std::string renderHtml(const Matrix &matrix) {
  const sema::Model &model = M(matrix);
  std::string title = "Access matrix: " + (model.policyName.empty() ? "policy" : model.policyName);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<header>\n",
                     htmlEscape(title), kStyle);
  out += fmt::format("<h1>{}</h1>\n", htmlEscape(title));
  out += "<input id=\"filter\" type=\"search\" placeholder=\"Filter permissions…\" "
         "aria-label=\"Filter permissions\"> <span class=\"notes\"><span id=\"count\"></span> "
         "permissions shown</span>\n";
  out += "<div class=\"legend\" id=\"legend\"><span><span class=\"sample\" "
         "style=\"background:#e3f6e8\">✔ scope</span> allowed</span><span><span class=\"sample\" "
         "style=\"background:#fff4d6\">✔ scope when …</span> allowed under a condition</span>"
         "<span><span class=\"sample\" style=\"background:#fbe9e9\">✖</span> denied</span>"
         "<span><span class=\"sample\" style=\"background:#f1f1f1\">n/a</span> does not apply to "
         "the role's user types</span></div>\n";
  out += fmt::format("<p class=\"notes\">Scopes: {}. Each cell is what a request by a user "
                     "holding only that role (or that stacked combination) decides.</p>\n",
                     htmlEscape(relationWords(model)));
  for (const std::string &line : requirementLines(model))
    out += fmt::format("<p class=\"notes\">Every cell also assumes that {}.</p>\n", htmlText(line));
  for (const std::string &line : policyDenyLines(model))
    out += fmt::format("<p class=\"notes\">Policy-wide: {}.</p>\n", htmlText(line));
  out += "</header>\n<main>\n";
  out += "<section class=\"roles\" id=\"roles\">\n<h2>Roles</h2>\n<div class=\"wrap\"><table>\n"
         "<thead><tr><th>Role</th><th>Name</th><th>User types</th><th>Extends</th>"
         "<th>Assigns</th></tr></thead>\n<tbody>\n";
  for (const Column &col : matrix.columns) {
    if (col.stacked())
      continue;
    const sema::Role &role = model.roles[col.roles[0]];
    std::string extends;
    for (sema::RoleId e : role.extends)
      extends += (extends.empty() ? "" : ", ") + roleLabel(model.roles[e]);
    out += fmt::format("<tr data-role=\"{}\"><td>{}{}</td><td><code>{}</code></td><td>{}</td>"
                       "<td>{}</td><td class=\"assigns\">{}</td></tr>\n",
                       htmlEscape(role.name), htmlEscape(roleLabel(role)),
                       role.locked       ? " (locked)"
                       : role.deprecated ? " (deprecated)"
                                         : "",
                       htmlEscape(role.name), htmlEscape(kindsText(model, role.kinds)),
                       htmlEscape(extends), htmlText(assignsText(model, role)));
  }
  out += "</tbody>\n</table></div>\n</section>\n";
  if (!model.customRoles.empty()) {
    out +=
        "<section class=\"roles\" id=\"custom-roles\">\n<h2>Custom roles</h2>\n<p class=\"notes\">"
        "Roles that tenants compose at run time from permissions, each within its ceiling."
        "</p>\n<div class=\"wrap\"><table>\n<thead><tr><th>Custom role</th><th>Name</th>"
        "<th>User types</th><th>Created by</th><th>May hold</th></tr></thead>\n<tbody>\n";
    for (const sema::CustomRole &custom : model.customRoles)
      out += fmt::format("<tr><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td>"
                         "<td>{}</td></tr>\n",
                         htmlEscape(custom.label.empty() ? custom.name : custom.label),
                         htmlEscape(custom.name), htmlEscape(kindsText(model, custom.kinds)),
                         htmlEscape(creatorsText(model, custom)),
                         htmlText(ceilingText(model, custom)));
    out += "</tbody>\n</table></div>\n</section>\n";
  }
  for (const Section &section : matrix.sections) {
    const sema::Resource &resource = model.resources[section.resource];
    out += fmt::format("<section class=\"resource\" id=\"res-{0}\" data-resource=\"{0}\">\n"
                       "<h2>{1} <code>{0}</code></h2>\n<div class=\"wrap\"><table>\n<thead>\n"
                       "<tr class=\"kinds\"><th class=\"perm\" rowspan=\"2\">Permission</th>",
                       htmlEscape(resource.name), htmlEscape(resourceLabel(resource)));
    for (const ColumnGroup &group : matrix.columnGroups)
      out +=
          fmt::format("<th colspan=\"{}\">{}{}</th>", group.columns.size(),
                      group.stacked ? "Stacked: " : "", htmlEscape(kindsText(model, group.kinds)));
    out += "</tr>\n<tr class=\"roles\">";
    for (size_t c = 0; c < matrix.columns.size(); ++c) {
      const Column &col = column(matrix, c);
      const sema::Role &first = model.roles[col.roles[0]];
      std::string title = columnName(model, col);
      if (!col.stacked() && !first.assigns.empty())
        title += "; assigns " + assignsText(model, first, false);
      out += fmt::format("<th data-role=\"{}\" title=\"{}\">{}{}</th>",
                         htmlEscape(columnName(model, col)), htmlEscape(title),
                         htmlEscape(columnLabel(model, col)),
                         col.stacked()      ? ""
                         : first.locked     ? " (locked)"
                         : first.deprecated ? " (deprecated)"
                                            : "");
    }
    out += "</tr>\n</thead>\n<tbody>\n";
    int group = -1;
    for (const Row &row : section.rows) {
      std::string groupName = row.group >= 0 ? resource.groups[row.group].name : "";
      if (row.group != group && row.group >= 0)
        out +=
            fmt::format("<tr class=\"group\" data-group=\"{}\"><td class=\"perm\">{}</td>"
                        "<td colspan=\"{}\"></td></tr>\n",
                        htmlEscape(groupName), htmlEscape(groupLabel(resource.groups[row.group])),
                        matrix.columns.size());
      group = row.group;
      const sema::Permission &permission = model.permissions[row.permission];
      std::string text = lower(permissionLabel(permission) + " " + permission.name + " " +
                               (row.group >= 0 ? groupLabel(resource.groups[row.group]) : "") +
                               " " + resourceLabel(resource));
      out += fmt::format("<tr class=\"row\" data-permission=\"{}\" data-group=\"{}\" "
                         "data-text=\"{}\"><td class=\"perm\">{} <code>{}</code></td>",
                         htmlEscape(permission.name), htmlEscape(groupName), htmlEscape(text),
                         htmlEscape(permissionLabel(permission)), htmlEscape(permission.name));
      for (size_t c = 0; c < row.cells.size(); ++c) {
        const Column &col = column(matrix, c);
        out += fmt::format("<td class=\"{}\" data-role=\"{}\" data-access=\"{}\">{}</td>",
                           cssClass(row.cells[c].access), htmlEscape(columnName(model, col)),
                           accessName(row.cells[c].access),
                           htmlText(cellText(model, row.cells[c], col.kinds)));
      }
      out += "</tr>\n";
    }
    out += "</tbody>\n</table></div>\n</section>\n";
  }
  out += fmt::format("</main>\n<script>{}</script>\n</body>\n</html>\n", kScript);
  return out;
}

} // namespace lattice::doc
