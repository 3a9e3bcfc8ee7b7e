// warning_groups.h - the one table of warning groups (code -> `-W<group>` name), the -W options
// and the pass that applies them to finished diagnostics (filter, --werror), after every phase.
#pragma once

#include "diagnostics/diagnostic.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice {

/// The group of a diagnostic code ("L1201" -> "redundant"), or nullopt when it has none.
/// Groups name what `-W<group>`, `-Wno-<group>` and `// lattice: allow(<group>) "reason"` act on.
std::optional<std::string_view> warningGroupOfCode(std::string_view code);
std::optional<std::string_view> warningGroup(DiagKind kind);
/// Every group name, sorted, without repeats.
const std::vector<std::string_view> &warningGroupNames();
bool isWarningGroup(std::string_view name);
/// The codes in a group, in code order (for help texts and listings).
std::vector<std::string_view> warningGroupCodes(std::string_view group);

/// The state of the -W options of one compilation. Every group is enabled by default; options
/// apply left to right, so the last one naming a group wins.
class WarningOptions {
public:
  /// Applies one option: `-W<group>`, `-Wno-<group>`, `-Werror`, `-Wno-error` or `--werror`.
  /// Returns an error message (naming the valid groups) for an unknown group.
  std::optional<std::string> apply(std::string_view option);

  bool enabled(std::string_view group) const;
  bool werror() const { return warningsAreErrors; }

private:
  std::vector<std::string> disabledGroups;
  bool warningsAreErrors = false;
};

/// Drops warnings of disabled groups (they are neither shown nor counted) and, with --werror,
/// turns the remaining unsuppressed warnings into errors. Errors are never dropped.
std::vector<Diagnostic> applyWarningOptions(std::vector<Diagnostic> diagnostics,
                                            const WarningOptions &options);

} // namespace lattice
