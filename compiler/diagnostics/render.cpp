// render.cpp - clang-style text rendering (with caret snippets) and JSON rendering of diagnostics.
// Columns are 1-based byte columns, as clang and rustc report them for ASCII sources.
#include "diagnostics/render.h"

#include "llvm/Support/JSON.h"

#include <algorithm>

namespace lattice {
namespace {

using Color = llvm::raw_ostream::Colors;

Color severityColor(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return Color::RED;
  case Severity::Warning:
    return Color::MAGENTA;
  case Severity::Note:
    return Color::CYAN;
  }
  return Color::RED;
}

void printLocation(llvm::raw_ostream &out, const SourceManager &sources, SourceRange range) {
  if (!range.valid()) {
    out << "lattice: ";
    return;
  }
  LineColumn lc = sources.lineColumn(range.file, range.begin);
  out << sources.name(range.file) << ':' << lc.line << ':' << lc.column << ": ";
}

/// Makes a source line safe to print: control characters and bytes that are not valid UTF-8
/// become `?` (tabs a space), so diagnostics stay readable text whatever the input was.
std::string printable(llvm::StringRef line) {
  std::string out;
  out.reserve(line.size());
  for (size_t i = 0; i < line.size();) {
    auto c = static_cast<unsigned char>(line[i]);
    if (c < 0x80) {
      out += c == '\t' ? ' ' : (c < 0x20 || c == 0x7F) ? '?' : static_cast<char>(c);
      ++i;
      continue;
    }
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool valid = length > 0 && c <= 0xF4 && i + length <= line.size();
    for (size_t k = 1; valid && k < length; ++k)
      valid = (static_cast<unsigned char>(line[i + k]) & 0xC0) == 0x80;
    if (!valid) {
      out += '?';
      ++i;
      continue;
    }
    out.append(line.data() + i, length);
    i += length;
  }
  return out;
}

void printSnippet(llvm::raw_ostream &out, const SourceManager &sources, SourceRange range,
                  RenderOptions options) {
  if (!range.valid())
    return;
  // Long lines (minified or generated input) are shown as a window around the caret.
  constexpr size_t kWindow = 160, kLeadIn = 60;
  llvm::StringRef line = sources.lineText(range.file, range.begin);
  if (line.empty() && range.begin == range.end)
    return; // nothing to point at (an empty file)
  LineColumn lc = sources.lineColumn(range.file, range.begin);
  size_t start = lc.column == 0 ? 0 : lc.column - 1;
  size_t width = range.end > range.begin ? range.end - range.begin : 1;
  std::string prefix;
  if (line.size() > kWindow) {
    size_t from = start > kLeadIn ? start - kLeadIn : 0;
    line = line.substr(from, kWindow);
    start -= from;
    if (from > 0)
      prefix = "...";
  }
  std::string shown = prefix + printable(line);
  start += prefix.size();
  width = std::max<size_t>(1, std::min(width, shown.size() > start ? shown.size() - start : 1));
  // Indent by characters, not bytes, so the caret sits under the right column after `é`.
  auto characters = [&](size_t from, size_t count) {
    size_t n = 0;
    for (size_t i = from; i < from + count && i < shown.size(); ++i)
      n += (static_cast<unsigned char>(shown[i]) & 0xC0) != 0x80;
    return n;
  };
  width = std::max<size_t>(1, characters(start, width));
  start = characters(0, start);
  out << "  " << shown << '\n';
  out << "  " << std::string(start, ' ');
  if (options.color)
    out.changeColor(Color::GREEN, true);
  out << '^' << std::string(width - 1, '~');
  if (options.color)
    out.resetColor();
  out << '\n';
}

void printHeadline(llvm::raw_ostream &out, Severity severity, llvm::StringRef code,
                   llvm::StringRef message, RenderOptions options) {
  if (options.color)
    out.changeColor(severityColor(severity), true);
  out << severityName(severity);
  if (!code.empty())
    out << '[' << code << ']';
  out << ':';
  if (options.color)
    out.changeColor(Color::SAVEDCOLOR, true);
  out << ' ' << message << '\n';
  if (options.color)
    out.resetColor();
}

} // namespace

void renderText(llvm::raw_ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diagnostics, RenderOptions options) {
  for (const Diagnostic &diag : diagnostics) {
    if (diag.suppression)
      continue; // listed only by JSON and SARIF
    if (options.color)
      out.changeColor(Color::SAVEDCOLOR, true);
    printLocation(out, sources, diag.range);
    printHeadline(out, diag.severity, diagInfo(diag.kind).code, diag.message, options);
    printSnippet(out, sources, diag.range, options);
    for (const DiagNote &note : diag.notes) {
      if (note.range.valid()) // a note without a place belongs to the diagnostic above it
        printLocation(out, sources, note.range);
      else
        out << "  ";
      printHeadline(out, Severity::Note, "", note.message, options);
      printSnippet(out, sources, note.range, options);
    }
    if (!diag.help.empty()) {
      out << "  = help: " << diag.help << '\n';
    }
  }
}

namespace {

llvm::json::Object jsonLocation(const SourceManager &sources, SourceRange range) {
  if (!range.valid())
    return {};
  LineColumn begin = sources.lineColumn(range.file, range.begin);
  LineColumn end = sources.lineColumn(range.file, range.end);
  return llvm::json::Object{{"file", sources.name(range.file).str()},
                            {"line", begin.line},
                            {"column", begin.column},
                            {"end_line", end.line},
                            {"end_column", end.column},
                            {"offset", range.begin},
                            {"length", range.end - range.begin}};
}

} // namespace

void renderJson(llvm::raw_ostream &out, const SourceManager &sources,
                const std::vector<Diagnostic> &diagnostics) {
  out << llvm::formatv("{0:2}", llvm::json::Value(diagnosticsJson(sources, diagnostics))) << '\n';
}

llvm::json::Object diagnosticsJson(const SourceManager &sources,
                                   const std::vector<Diagnostic> &diagnostics) {
  llvm::json::Array items;
  size_t errors = 0, warnings = 0;
  for (const Diagnostic &diag : diagnostics) {
    errors += !diag.suppression && diag.severity == Severity::Error;
    warnings += !diag.suppression && diag.severity == Severity::Warning;
    llvm::json::Array notes;
    for (const DiagNote &note : diag.notes)
      notes.push_back(llvm::json::Object{{"message", note.message},
                                         {"location", jsonLocation(sources, note.range)}});
    llvm::json::Object item{{"code", std::string(diagInfo(diag.kind).code)},
                            {"name", std::string(diagInfo(diag.kind).name)},
                            {"severity", std::string(severityName(diag.severity))},
                            {"message", diag.message},
                            {"location", jsonLocation(sources, diag.range)},
                            {"notes", std::move(notes)}};
    if (!diag.help.empty())
      item["help"] = diag.help;
    if (diag.suppression)
      item["suppression"] =
          llvm::json::Object{{"kind", "inSource"},
                             {"justification", diag.suppression->justification},
                             {"location", jsonLocation(sources, diag.suppression->range)}};
    items.push_back(std::move(item));
  }
  return llvm::json::Object{{"diagnostics", std::move(items)},
                            {"errors", static_cast<int64_t>(errors)},
                            {"warnings", static_cast<int64_t>(warnings)}};
}

} // namespace lattice
