// patterns.cpp - expands permission patterns (`*`, `res.*`, `res.a`, `res.{a, group}`) to ids.
// The result is sorted and unique so rules and tests compare by value, whatever their spelling.
#include "sema/context.h"

#include <algorithm>

namespace lattice::sema {
namespace {

bool expandOne(const ast::PermissionPattern &pattern, Context &context,
               std::vector<PermissionId> &out) {
  using Form = ast::PermissionPattern::Form;
  const Model &model = context.model;
  if (pattern.form == Form::Any) {
    for (PermissionId id = 0; id < model.permissions.size(); ++id)
      out.push_back(id);
    return true;
  }
  std::optional<uint32_t> resource = context.resourceNames.find(pattern.resource.name);
  if (!resource) {
    context.diags.report(DiagKind::UnknownResource, pattern.resource.range,
                         fmt::format("unknown resource `{}`", pattern.resource.name));
    return false;
  }
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
      Diagnostic &diag = context.diags.report(
          DiagKind::UnknownAction, action.range,
          fmt::format("resource `{}` has no action or group `{}`", res.name, action.name));
      diag.notes.push_back({res.decl, fmt::format("`{}` is declared here", res.name)});
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
