// sarif.cpp - SARIF 2.1.0 rendering. Columns are counted in Unicode code points
// (run.columnKind), regions end just past their last character, and paths under the working
// directory are relative to %SRCROOT% so that uploads to code scanning match repository files.
#include "diagnostics/sarif.h"

#include "diagnostics/warning_groups.h"

#include "llvm/Support/JSON.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace lattice {
namespace {

namespace fs = std::filesystem;

std::string percentEncode(llvm::StringRef path) {
  static const char *kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == '/') {
      out += ch;
      continue;
    }
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string level(Severity severity) {
  switch (severity) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Note:
    return "note";
  }
  return "error";
}

class SarifWriter {
public:
  SarifWriter(const SourceManager &sources, const SarifOptions &options)
      : sources(sources), options(options) {}

  /// {"uri": ..., "uriBaseId": "%SRCROOT%"} for files under the working directory, else a
  /// file:// URI.
  llvm::json::Object artifact(uint32_t file) const {
    std::error_code ec;
    fs::path path = fs::absolute(fs::path(sources.name(file).str()), ec).lexically_normal();
    fs::path relative = path.lexically_relative(fs::path(options.workingDirectory));
    if (!relative.empty() && *relative.begin() != ".." && relative.is_relative())
      return llvm::json::Object{{"uri", percentEncode(relative.generic_string())},
                                {"uriBaseId", "%SRCROOT%"}};
    return llvm::json::Object{{"uri", "file://" + percentEncode(path.generic_string())}};
  }

  /// 1-based column of `offset` in code points.
  unsigned column(uint32_t file, uint32_t offset) const {
    llvm::StringRef buffer = sources.text(file);
    offset = std::min<uint32_t>(offset, buffer.size());
    size_t start = sources.lineStart(file, offset);
    unsigned column = 1;
    for (size_t i = start; i < offset; ++i)
      column += (static_cast<unsigned char>(buffer[i]) & 0xC0) != 0x80;
    return column;
  }

  llvm::json::Object physical(SourceRange range) const {
    LineColumn begin = sources.lineColumn(range.file, range.begin);
    LineColumn end = sources.lineColumn(range.file, range.end);
    llvm::json::Object region{{"startLine", begin.line},
                              {"startColumn", column(range.file, range.begin)},
                              {"endLine", end.line},
                              {"endColumn", column(range.file, range.end)}};
    return llvm::json::Object{{"artifactLocation", artifact(range.file)},
                              {"region", std::move(region)}};
  }

  llvm::json::Object location(SourceRange range) const {
    return llvm::json::Object{{"physicalLocation", physical(range)}};
  }

  std::string helpUri(const DiagKindInfo &info) const {
    std::string anchor(info.code);
    std::transform(anchor.begin(), anchor.end(), anchor.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return options.docsUri + "/diagnostics.md#" + anchor;
  }

  llvm::json::Object rule(const DiagKindInfo &info) const {
    llvm::json::Object rule{
        {"id", std::string(info.code)},
        {"name", std::string(info.name)},
        {"shortDescription", llvm::json::Object{{"text", std::string(info.summary)}}},
        {"helpUri", helpUri(info)},
        {"defaultConfiguration", llvm::json::Object{{"level", level(info.severity)}}}};
    if (std::optional<std::string_view> group = warningGroupOfCode(info.code))
      rule["properties"] = llvm::json::Object{
          {"tags", llvm::json::Array{"lattice", std::string(*group)}}};
    return rule;
  }

  void write(llvm::raw_ostream &out, const std::vector<Diagnostic> &diagnostics) const {
    // Rules: every code reported, in code order; results refer to them by index.
    std::map<std::string_view, DiagKind> codes;
    for (const Diagnostic &diag : diagnostics)
      if (diag.range.valid())
        codes.emplace(diagInfo(diag.kind).code, diag.kind);
    llvm::json::Array rules;
    std::map<std::string_view, int64_t> ruleIndex;
    for (const auto &[code, kind] : codes) {
      ruleIndex[code] = static_cast<int64_t>(rules.size());
      rules.push_back(rule(diagInfo(kind)));
    }

    llvm::json::Array results, notifications;
    for (const Diagnostic &diag : diagnostics) {
      const DiagKindInfo &info = diagInfo(diag.kind);
      std::string text = diag.message;
      for (const DiagNote &note : diag.notes)
        if (!note.range.valid())
          text += "\nnote: " + note.message;
      if (!diag.help.empty())
        text += "\nhelp: " + diag.help;
      if (!diag.range.valid()) {
        notifications.push_back(llvm::json::Object{
            {"level", level(diag.severity)},
            {"message", llvm::json::Object{{"text", text}}},
            {"descriptor", llvm::json::Object{{"id", std::string(info.code)}}}});
        continue;
      }
      llvm::json::Object result{{"ruleId", std::string(info.code)},
                                {"ruleIndex", ruleIndex[info.code]},
                                {"level", level(diag.severity)},
                                {"message", llvm::json::Object{{"text", text}}},
                                {"locations", llvm::json::Array{location(diag.range)}}};
      llvm::json::Array related;
      for (const DiagNote &note : diag.notes) {
        if (!note.range.valid())
          continue;
        llvm::json::Object item = location(note.range);
        item["id"] = static_cast<int64_t>(related.size() + 1);
        item["message"] = llvm::json::Object{{"text", note.message}};
        related.push_back(std::move(item));
      }
      if (!related.empty())
        result["relatedLocations"] = std::move(related);
      if (diag.suppression) {
        llvm::json::Object suppression{{"kind", "inSource"},
                                       {"justification", diag.suppression->justification}};
        if (diag.suppression->range.valid())
          suppression["location"] = location(diag.suppression->range);
        result["suppressions"] = llvm::json::Array{std::move(suppression)};
      }
      results.push_back(std::move(result));
    }

    llvm::json::Object invocation{{"executionSuccessful", options.executionSuccessful}};
    if (!notifications.empty())
      invocation["toolExecutionNotifications"] = std::move(notifications);
    llvm::json::Object driver{{"name", "lattice"},
                              {"version", options.toolVersion},
                              {"semanticVersion", options.toolVersion},
                              {"informationUri", options.docsUri + "/cli.md"},
                              {"rules", std::move(rules)}};
    std::string root = percentEncode(fs::path(options.workingDirectory).generic_string());
    if (root.empty() || root.back() != '/')
      root += '/';
    llvm::json::Object run{
        {"tool", llvm::json::Object{{"driver", std::move(driver)}}},
        {"invocations", llvm::json::Array{std::move(invocation)}},
        {"originalUriBaseIds",
         llvm::json::Object{{"%SRCROOT%", llvm::json::Object{{"uri", "file://" + root}}}}},
        {"columnKind", "unicodeCodePoints"},
        {"results", std::move(results)}};
    llvm::json::Object log{{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                           {"version", "2.1.0"},
                           {"runs", llvm::json::Array{std::move(run)}}};
    out << llvm::formatv("{0:2}", llvm::json::Value(std::move(log))) << '\n';
  }

private:
  const SourceManager &sources;
  const SarifOptions &options;
};

} // namespace

std::string fileUri(llvm::StringRef absolutePath) { return "file://" + percentEncode(absolutePath); }

void renderSarif(llvm::raw_ostream &out, const SourceManager &sources,
                 const std::vector<Diagnostic> &diagnostics, const SarifOptions &options) {
  SarifWriter(sources, options).write(out, diagnostics);
}

} // namespace lattice
