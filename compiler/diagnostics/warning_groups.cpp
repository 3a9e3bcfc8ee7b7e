// warning_groups.cpp - which code belongs to which warning group, kept in this one table, and the
// -W/--werror pass over finished diagnostics. Phases never see the options.
#include "diagnostics/warning_groups.h"

#include "diagnostics/suggest.h"

#include <algorithm>

namespace lattice {
namespace {

struct GroupEntry {
  std::string_view code;
  std::string_view group;
};

// Keyed by code rather than DiagKind so that the table stays valid while codes are being added.
// Errors may carry a group too (L1501): they are listed, but no option or suppression silences
// an error.
constexpr GroupEntry kGroups[] = {
    // front end
    {"L0115", "module-name"},
    {"L0116", "relation-spelling"},
    {"L0117", "unused-flag"},
    {"L0118", "unused-user-type"},
    {"L0119", "unused-action-set"},
    {"L0120", "unused-import"},
    {"L0210", "empty-permission-set"},
    {"L0211", "relation"},
    {"L0214", "condition"},
    {"L0215", "duplicate"},
    {"L0220", "unused-suppression"},
    {"L0221", "empty-role"},
    // static analysis (compiler/analysis)
    {"L1001", "conflict"},
    {"L1101", "unreachable"},
    {"L1201", "redundant"},
    {"L1301", "dead-permission"},
    {"L1401", "escalation"},
    {"L1410", "escalation"},
    {"L1501", "separation-of-duty"},
    {"L1510", "separation-of-duty"},
    {"L1601", "lifecycle"},
    {"L1602", "lifecycle"},
    {"L1701", "impossible-test"},
};

} // namespace

std::optional<std::string_view> warningGroupOfCode(std::string_view code) {
  for (const GroupEntry &entry : kGroups)
    if (entry.code == code)
      return entry.group;
  return std::nullopt;
}

std::optional<std::string_view> warningGroup(DiagKind kind) {
  return warningGroupOfCode(diagInfo(kind).code);
}

const std::vector<std::string_view> &warningGroupNames() {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> result;
    for (const GroupEntry &entry : kGroups)
      result.push_back(entry.group);
    std::sort(result.begin(), result.end());
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
  }();
  return names;
}

bool isWarningGroup(std::string_view name) {
  const auto &names = warningGroupNames();
  return std::binary_search(names.begin(), names.end(), name);
}

std::vector<std::string_view> warningGroupCodes(std::string_view group) {
  std::vector<std::string_view> codes;
  for (const GroupEntry &entry : kGroups)
    if (entry.group == group)
      codes.push_back(entry.code);
  return codes;
}

std::optional<std::string> WarningOptions::apply(std::string_view option) {
  if (option == "--werror" || option == "-Werror") {
    warningsAreErrors = true;
    return std::nullopt;
  }
  if (option == "-Wno-error") {
    warningsAreErrors = false;
    return std::nullopt;
  }
  std::string_view group = option.substr(option.rfind("-W", 0) == 0 ? 2 : 0);
  bool enable = group.rfind("no-", 0) != 0;
  if (!enable)
    group.remove_prefix(3);
  if (!isWarningGroup(group)) {
    NameSuggester suggester(group);
    for (std::string_view name : warningGroupNames())
      suggester.consider(name);
    if (suggester.best())
      return "unknown warning group `" + std::string(group) + "` in `" + std::string(option) +
             "`; did you mean `-W" + (enable ? "" : "no-") + *suggester.best() + "`?";
    std::string names;
    for (std::string_view name : warningGroupNames())
      names += (names.empty() ? "" : ", ") + std::string(name);
    return "unknown warning group `" + std::string(group) + "` in `" + std::string(option) +
           "`; the groups are: " + names;
  }
  auto it = std::find(disabledGroups.begin(), disabledGroups.end(), group);
  if (enable && it != disabledGroups.end())
    disabledGroups.erase(it);
  else if (!enable && it == disabledGroups.end())
    disabledGroups.emplace_back(group);
  return std::nullopt;
}

bool WarningOptions::enabled(std::string_view group) const {
  return std::find(disabledGroups.begin(), disabledGroups.end(), group) == disabledGroups.end();
}

std::vector<Diagnostic> applyWarningOptions(std::vector<Diagnostic> diagnostics,
                                            const WarningOptions &options) {
  std::vector<Diagnostic> kept;
  kept.reserve(diagnostics.size());
  for (Diagnostic &diag : diagnostics) {
    if (diag.severity == Severity::Warning) {
      std::optional<std::string_view> group = warningGroup(diag.kind);
      if (group && !options.enabled(*group))
        continue;
      if (options.werror() && !diag.suppression)
        diag.severity = Severity::Error;
    }
    kept.push_back(std::move(diag));
  }
  return kept;
}

} // namespace lattice
