// unified_diff.cpp - lines in, `diff -u` text out. dtl computes the shortest edit script; the
// hunks and their printing are ours, to match `diff -u` (3 lines of context, a last line without
// a line break marked).
#include "format/unified_diff.h"

#include <algorithm>
#include <dtl/dtl.hpp>
#include <fmt/format.h>
#include <vector>

namespace lattice::format {
namespace {

constexpr size_t kContext = 3; // lines of context around a change, as `diff -u`

/// Lines with their line break ("a\n"), so that a last line without one differs from the same
/// text with one.
std::vector<std::string> splitLines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

template <typename Element> void printLine(std::string &out, char prefix, const Element &element) {
  const std::string &line = element.first;
  out += prefix;
  out += line;
  if (line.empty() || line.back() != '\n')
    out += "\n\\ No newline at end of file\n";
}

} // namespace

std::string unifiedDiff(const std::string &before, const std::string &after,
                        const std::string &name) {
  if (before == after)
    return "";
  std::vector<std::string> a = splitLines(before), b = splitLines(after);
  dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
  diff.compose();
  // The edit script, one element per line: common, deleted (from a) or added (from b). Hunks
  // are grouped here, as `diff -u` does: changes less than 2 x 3 common lines apart share one.
  const auto script = diff.getSes().getSequence();
  std::vector<size_t> changes;
  for (size_t i = 0; i < script.size(); ++i)
    if (script[i].second.type != dtl::SES_COMMON)
      changes.push_back(i);
  std::string out = fmt::format("--- {}\n+++ {}\n", name, name);
  for (size_t first = 0; first < changes.size();) {
    size_t last = first;
    while (last + 1 < changes.size() && changes[last + 1] - changes[last] <= 2 * kContext)
      ++last;
    size_t begin = changes[first] >= kContext ? changes[first] - kContext : 0;
    size_t end = std::min(script.size(), changes[last] + kContext + 1);
    // Line numbers: a's and b's line of the hunk's first element (1-based), and the counts.
    long long oldStart = 0, newStart = 0, oldLines = 0, newLines = 0;
    for (size_t i = 0; i < begin; ++i) {
      oldStart += script[i].second.type != dtl::SES_ADD;
      newStart += script[i].second.type != dtl::SES_DELETE;
    }
    for (size_t i = begin; i < end; ++i) {
      oldLines += script[i].second.type != dtl::SES_ADD;
      newLines += script[i].second.type != dtl::SES_DELETE;
    }
    // An empty side starts at the line before, as `diff -u` writes it (`+0,0`).
    out += fmt::format("@@ -{},{} +{},{} @@\n", oldLines == 0 ? oldStart : oldStart + 1, oldLines,
                       newLines == 0 ? newStart : newStart + 1, newLines);
    // In each run of changed lines, the deleted lines first, as `diff -u` prints them.
    for (size_t i = begin; i < end;) {
      if (script[i].second.type == dtl::SES_COMMON) {
        printLine(out, ' ', script[i++]);
        continue;
      }
      size_t runEnd = i;
      while (runEnd < end && script[runEnd].second.type != dtl::SES_COMMON)
        ++runEnd;
      for (size_t k = i; k < runEnd; ++k)
        if (script[k].second.type == dtl::SES_DELETE)
          printLine(out, '-', script[k]);
      for (size_t k = i; k < runEnd; ++k)
        if (script[k].second.type == dtl::SES_ADD)
          printLine(out, '+', script[k]);
      i = runEnd;
    }
    first = last + 1;
  }
  return out;
}

} // namespace lattice::format
