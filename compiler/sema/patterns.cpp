// patterns.cpp - expands permission patterns (`*`, `res.*`, `res.a`, `res.{a, group}`) to ids.
// The result is sorted and unique so rules and tests compare by value, whatever their spelling.
#include "diagnostics/suggest.h"
#include "sema/context.h"

#include <algorithm>

namespace lattice::sema {
namespace {

/// An unknown action or group of `res`: once per name, with the nearest of the resource's own
/// actions and groups as the suggestion.
void reportUnknownAction(const Resource &res, const ast::Ident &action, Context &context) {
  std::string key = fmt::format("action:{}.{}", res.name, action.name);
  if (context.alreadyReported(key, action))
    return;
  Diagnostic &diag = context.diags.report(
      DiagKind::UnknownAction, action.range,
      fmt::format("resource `{}` has no action or group `{}`", res.name, action.name));
  context.remember(key, diag);
  NameSuggester suggester(action.name);
  if (context.spendSuggestions(res.permissions.size() + res.groups.size())) {
    for (PermissionId pid : res.permissions)
      suggester.consider(context.model.permissions[pid].action);
    for (const Group &group : res.groups)
      suggester.consider(group.name);
  }
  diag.notes.push_back({res.decl, fmt::format("`{}` is declared here", res.name)});
  if (suggester.best())
    diag.help = fmt::format("did you mean `{}.{}`?", res.name, *suggester.best());
}

bool expandOne(const ast::PermissionPattern &pattern, Context &context,
               std::vector<PermissionId> &out) {
  using Form = ast::PermissionPattern::Form;
  const Model &model = context.model;
  if (pattern.form == Form::Any) {
    for (PermissionId id = 0; id < model.permissions.size(); ++id)
      out.push_back(id);
    return true;
  }
  std::optional<uint32_t> resource = context.resource(pattern.resource);
  if (!resource)
    return false;
  const Resource &res = model.resources[*resource];
  if (pattern.form == Form::AnyAction) {
    out.insert(out.end(), res.permissions.begin(), res.permissions.end());
    return true;
  }
  bool ok = true;
  const auto &members = context.resourceMembers[*resource];
  for (const ast::Ident &action : pattern.actions) {
    auto it = members.find(action.name);
    if (it == members.end()) {
      // A resource whose `include` failed may well have had this action: already reported.
      if (!context.incomplete(context.incompleteResources, *resource))
        reportUnknownAction(res, action, context);
      ok = false;
      continue;
    }
    out.insert(out.end(), it->second.begin(), it->second.end());
  }
  return ok;
}

void sortUnique(std::vector<PermissionId> &ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
}

} // namespace

std::optional<std::vector<PermissionId>>
expandPatterns(const std::vector<ast::PermissionPattern> &patterns,
               const std::vector<ast::PermissionPattern> &except, Context &context) {
  std::vector<PermissionId> included, excluded;
  bool ok = true;
  for (const ast::PermissionPattern &pattern : patterns)
    ok &= expandOne(pattern, context, included);
  for (const ast::PermissionPattern &pattern : except)
    ok &= expandOne(pattern, context, excluded);
  if (!ok)
    return std::nullopt;
  sortUnique(included);
  sortUnique(excluded);
  std::vector<PermissionId> result;
  std::set_difference(included.begin(), included.end(), excluded.begin(), excluded.end(),
                      std::back_inserter(result));
  return result;
}

} // namespace lattice::sema
