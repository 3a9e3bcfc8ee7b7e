// render_diff.h - a PolicyDiff as text (for terminals), Markdown (for pull-request comments)
// and JSON (for tools). Every renderer lists the same changes in the same order.
#pragma once

#include "diff/access_diff.h"

#include <string>

namespace lattice::diff {

/// Grouped by role and user type, then resource; `+` gained, `-` lost (green/red with colour).
std::string renderText(const PolicyDiff &diff, bool color);
/// A summary line, then one collapsible section per role and user type, then other changes.
std::string renderMarkdown(const PolicyDiff &diff);
/// One JSON document (pretty-printed).
std::string renderJson(const PolicyDiff &diff);

/// `station.{view, reset}` and `{same, descendant}`, as test cases write them.
std::string describePermissions(const std::vector<std::string> &permissions);
std::string describeRelations(const std::vector<sema::Relation> &relations);

} // namespace lattice::diff
