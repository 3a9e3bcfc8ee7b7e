// suppressions.cpp - parses `// lattice: allow(...) "reason"` comments, marks the warnings they
// cover and reports malformed, unknown and unused suppressions. Lines are identified by the byte
// offset where they start, so no line table is needed.
#include "diagnostics/suppressions.h"

#include "diagnostics/suggest.h"
#include "diagnostics/warning_groups.h"

#include <algorithm>
#include <cctype>

namespace lattice {
namespace {

struct SuppressedGroup {
  std::string name;
  SourceRange range; // the name inside the comment
  bool used = false;
  bool coversError = false; // an error of this group sits on a covered line
};

struct Suppression {
  SourceRange range; // the whole comment
  std::vector<SuppressedGroup> groups;
  std::string reason;
  uint32_t ownLine = 0;              // offset where the comment's line starts
  std::optional<uint32_t> belowLine; // the line below a run of comment lines
};

uint32_t lineStart(llvm::StringRef buffer, uint32_t offset) {
  size_t newline = buffer.rfind('\n', std::min<size_t>(offset, buffer.size()));
  return newline == llvm::StringRef::npos ? 0 : static_cast<uint32_t>(newline + 1);
}

/// The offset where the line after the one holding `offset` starts, or nullopt at the end.
std::optional<uint32_t> nextLine(llvm::StringRef buffer, uint32_t offset) {
  size_t newline = buffer.find('\n', offset);
  if (newline == llvm::StringRef::npos)
    return std::nullopt;
  return static_cast<uint32_t>(newline + 1);
}

llvm::StringRef lineAt(llvm::StringRef buffer, uint32_t start) {
  size_t stop = buffer.find_first_of("\r\n", start);
  return buffer.slice(start, stop == llvm::StringRef::npos ? buffer.size() : stop);
}

bool isCommentOnly(llvm::StringRef line) { return line.ltrim(" \t").startswith("//"); }

/// A cursor over the text of one comment that knows the comment's place in the file.
class Cursor {
public:
  Cursor(llvm::StringRef text, SourceRange range) : text(text), range(range) {}

  void skipSpace() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t'))
      ++pos;
  }
  bool consume(llvm::StringRef word) {
    if (!text.substr(pos).startswith(word))
      return false;
    pos += word.size();
    return true;
  }
  bool atEnd() const { return pos >= text.size(); }
  char peek() const { return atEnd() ? '\0' : text[pos]; }
  size_t position() const { return pos; }
  void advance() { ++pos; }
  llvm::StringRef slice(size_t from, size_t to) const { return text.slice(from, to); }
  SourceRange at(size_t from, size_t to) const {
    return {range.file, range.begin + static_cast<uint32_t>(from),
            range.begin + static_cast<uint32_t>(std::max(to, from + 1))};
  }
  SourceRange here() const { return at(std::min(pos, text.size() ? text.size() - 1 : 0), 0); }

private:
  llvm::StringRef text;
  SourceRange range;
  size_t pos = 0;
};

constexpr const char *kForm = "`// lattice: allow(GROUP, ...) \"reason\"`";

std::string groupList() {
  std::string names;
  for (std::string_view name : warningGroupNames())
    names += (names.empty() ? "" : ", ") + std::string(name);
  return names;
}

/// Parses one comment. Returns nullopt when it is no suppression (or a malformed one, which is
/// then reported).
std::optional<Suppression> parseSuppression(llvm::StringRef text, SourceRange range,
                                            std::vector<Diagnostic> &out) {
  auto report = [&](DiagKind kind, SourceRange where, std::string message, std::string help = {}) {
    out.push_back({kind,
                   diagInfo(kind).severity,
                   where,
                   std::move(message),
                   {},
                   std::move(help),
                   std::nullopt});
  };
  Cursor cursor(text, range);
  if (!cursor.consume("//"))
    return std::nullopt;
  cursor.skipSpace();
  size_t directive = cursor.position();
  if (!cursor.consume("lattice:"))
    return std::nullopt;
  SourceRange whole = cursor.at(directive, text.size());
  cursor.skipSpace();
  if (!cursor.consume("allow")) {
    report(DiagKind::MalformedSuppression, whole,
           "a `lattice:` comment must be a suppression: `allow(GROUP, ...) \"reason\"`",
           std::string("write it as ") + kForm + ", or reword the comment");
    return std::nullopt;
  }
  cursor.skipSpace();
  if (!cursor.consume("(")) {
    report(DiagKind::MalformedSuppression, cursor.here(),
           "expected `(` and the warning groups after `allow`", std::string("write ") + kForm);
    return std::nullopt;
  }
  Suppression suppression;
  suppression.range = range;
  for (;;) {
    cursor.skipSpace();
    size_t from = cursor.position();
    while (!cursor.atEnd() && (std::isalnum(static_cast<unsigned char>(cursor.peek())) ||
                               cursor.peek() == '-' || cursor.peek() == '_'))
      cursor.advance();
    if (cursor.position() == from) {
      report(DiagKind::MalformedSuppression, cursor.here(), "expected a warning group name",
             "the groups are: " + groupList());
      return std::nullopt;
    }
    suppression.groups.push_back(
        {cursor.slice(from, cursor.position()).str(), cursor.at(from, cursor.position())});
    cursor.skipSpace();
    if (cursor.consume(","))
      continue;
    if (cursor.consume(")"))
      break;
    report(DiagKind::MalformedSuppression, cursor.here(),
           "expected `,` or `)` after a warning group name", std::string("write ") + kForm);
    return std::nullopt;
  }
  cursor.skipSpace();
  if (cursor.atEnd()) {
    report(DiagKind::MalformedSuppression, whole, "this suppression gives no reason",
           "say why the finding is acceptable, as a string after `allow(...)`: "
           "`// lattice: allow(redundant) \"kept for the migration\"`");
    return std::nullopt;
  }
  size_t quote = cursor.position();
  if (!cursor.consume("\"")) {
    report(DiagKind::MalformedSuppression, cursor.here(),
           "expected the reason as a string in double quotes after `allow(...)`",
           std::string("write ") + kForm);
    return std::nullopt;
  }
  std::string reason;
  bool closed = false;
  while (!cursor.atEnd()) {
    char c = cursor.peek();
    cursor.advance();
    if (c == '"') {
      closed = true;
      break;
    }
    if (c == '\\' && !cursor.atEnd()) {
      c = cursor.peek();
      cursor.advance();
    }
    reason += c;
  }
  if (!closed) {
    report(DiagKind::MalformedSuppression, cursor.at(quote, text.size()),
           "the reason of this suppression has no closing `\"`");
    return std::nullopt;
  }
  if (llvm::StringRef(reason).trim().empty()) {
    report(DiagKind::MalformedSuppression, cursor.at(quote, cursor.position()),
           "the reason of this suppression is empty",
           "say why the finding is acceptable: `// lattice: allow(redundant) \"kept for the "
           "migration\"`");
    return std::nullopt;
  }
  cursor.skipSpace();
  if (!cursor.atEnd()) {
    report(DiagKind::MalformedSuppression, cursor.at(cursor.position(), text.size()),
           "unexpected text after the reason of this suppression",
           "put further remarks on a comment line of their own");
    return std::nullopt;
  }
  suppression.reason = llvm::StringRef(reason).trim().str();
  bool known = true;
  for (const SuppressedGroup &group : suppression.groups)
    if (!isWarningGroup(group.name)) {
      NameSuggester suggester(group.name);
      for (std::string_view name : warningGroupNames())
        suggester.consider(name);
      report(DiagKind::UnknownWarningGroup, group.range,
             "unknown warning group `" + group.name + "`",
             suggester.best() ? suggester.didYouMean() : "the groups are: " + groupList());
      known = false;
    }
  if (!known)
    return std::nullopt;
  return suppression;
}

} // namespace

std::vector<Diagnostic> applySuppressions(std::vector<Diagnostic> diagnostics,
                                          const std::vector<SourceRange> &comments,
                                          const SourceManager &sources, bool reportUnused) {
  std::vector<Diagnostic> added;
  std::vector<Suppression> suppressions;
  for (const SourceRange &range : comments) {
    if (!range.valid() || range.end <= range.begin)
      continue;
    llvm::StringRef buffer = sources.text(range.file);
    if (range.end > buffer.size())
      continue;
    std::optional<Suppression> parsed =
        parseSuppression(buffer.slice(range.begin, range.end), range, added);
    if (!parsed)
      continue;
    parsed->ownLine = lineStart(buffer, range.begin);
    llvm::StringRef before = buffer.slice(parsed->ownLine, range.begin);
    if (before.trim(" \t").empty()) {
      // Alone on its line: also covers the first line after the run of comment lines.
      std::optional<uint32_t> line = nextLine(buffer, range.end);
      while (line && isCommentOnly(lineAt(buffer, *line)))
        line = nextLine(buffer, *line);
      parsed->belowLine = line;
    }
    suppressions.push_back(std::move(*parsed));
  }

  for (Diagnostic &diag : diagnostics) {
    if (!diag.range.valid() || diag.suppression)
      continue;
    std::optional<std::string_view> group = warningGroup(diag.kind);
    if (!group)
      continue;
    uint32_t line = lineStart(sources.text(diag.range.file), diag.range.begin);
    for (Suppression &suppression : suppressions) {
      if (suppression.range.file != diag.range.file ||
          (suppression.ownLine != line && suppression.belowLine != line))
        continue;
      for (SuppressedGroup &named : suppression.groups) {
        if (named.name != *group)
          continue;
        if (diag.severity == Severity::Error) {
          named.coversError = true;
          continue;
        }
        named.used = true;
        if (!diag.suppression)
          diag.suppression = DiagSuppression{suppression.range, suppression.reason};
      }
    }
  }

  if (reportUnused)
    for (const Suppression &suppression : suppressions)
      for (const SuppressedGroup &named : suppression.groups) {
        if (named.used)
          continue;
        std::string help =
            named.coversError
                ? "`" + named.name + "` finds an error here, and errors cannot be suppressed"
                : "remove it, or move it to the line of the finding or just above it";
        added.push_back({DiagKind::UnusedSuppression,
                         diagInfo(DiagKind::UnusedSuppression).severity,
                         named.range,
                         "`allow(" + named.name + ")` silences nothing here",
                         {},
                         std::move(help),
                         std::nullopt});
      }

  for (Diagnostic &diag : added)
    diagnostics.push_back(std::move(diag));
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic &a, const Diagnostic &b) { return a.range < b.range; });
  return diagnostics;
}

} // namespace lattice
