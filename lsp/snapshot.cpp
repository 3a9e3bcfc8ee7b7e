// snapshot.cpp - builds a folder's compilation and index, and turns its diagnostics into the
// protocol's (notes with a location become related information; help joins the message).
#include "lsp/snapshot.h"

#include "diagnostics/sarif.h"
#include "diagnostics/warning_groups.h"
#include "lsp/protocol.h"
#include "parse/input_files.h"
#include "parse/module_loader.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace lattice::lsp {

uint32_t Snapshot::fileOf(const std::string &path) const {
  auto it = fileOfPath.find(path);
  return it == fileOfPath.end() ? 0 : it->second;
}

bool Snapshot::parsed(const std::string &path) const {
  uint32_t file = fileOf(path);
  return file != 0 && std::any_of(compilation.files.begin(), compilation.files.end(),
                                  [&](const ast::File &f) { return f.fileId == file; });
}

llvm::json::Value Snapshot::range(const SourceRange &range, Encoding encoding) const {
  if (!range.valid() || range.file >= lines.size())
    return rangeJson({}, {});
  const LineTable &table = lines[range.file];
  return rangeJson(table.position(range.begin, encoding), table.position(range.end, encoding));
}

llvm::json::Value Snapshot::location(const SourceRange &range, Encoding encoding) const {
  return llvm::json::Object{{"uri", uriOf(range.file)}, {"range", this->range(range, encoding)}};
}

std::shared_ptr<Snapshot> buildSnapshot(const std::string &folder,
                                        const std::map<std::string, std::string> &overlay,
                                        std::map<std::string, int64_t> versions,
                                        const WarningOptions &warnings) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->folder = folder;
  snapshot->versions = std::move(versions);
  pipeline::CompileOptions options;
  std::string error;
  if (auto files = parse::expandInputPaths({folder}, error))
    options.files = std::move(*files);
  // The roots by canonical path: open documents of the folder that are not on disk (yet) belong
  // to it too.
  std::set<std::string> roots;
  for (const std::string &file : options.files)
    roots.insert(parse::canonicalPath(file));
  for (const auto &[path, text] : overlay) {
    if (std::filesystem::path(path).parent_path().string() == folder &&
        llvm::StringRef(path).endswith(".lat") && roots.insert(path).second)
      options.files.push_back(path);
  }
  std::sort(options.files.begin(), options.files.end());
  options.warnings = warnings;
  options.overlay = &overlay;
  snapshot->compilation = pipeline::compile(options);
  const SourceManager &sources = *snapshot->compilation.sources;
  snapshot->lines.emplace_back(llvm::StringRef());
  snapshot->uris.emplace_back();
  for (uint32_t file = 1; file <= sources.fileCount(); ++file) {
    std::string path = parse::canonicalPath(sources.name(file).str());
    snapshot->lines.emplace_back(sources.text(file));
    snapshot->uris.push_back(fileUri(path));
    snapshot->fileOfPath.emplace(std::move(path), file);
  }
  snapshot->index = index::SymbolIndex::build(snapshot->compilation.files);
  snapshot->parsedAll = std::all_of(
      roots.begin(), roots.end(), [&](const std::string &root) { return snapshot->parsed(root); });
  return snapshot;
}

namespace {

/// `did you mean `x`?` -> x.
std::optional<std::string> suggestedName(llvm::StringRef help) {
  size_t at = help.find("did you mean `");
  if (at == llvm::StringRef::npos)
    return std::nullopt;
  llvm::StringRef rest = help.drop_front(at + 14);
  size_t end = rest.find('`');
  if (end == llvm::StringRef::npos || end == 0)
    return std::nullopt;
  return rest.take_front(end).str();
}

} // namespace

std::map<std::string, DiagnosticsText> lspDiagnostics(const Snapshot &snapshot, Encoding encoding) {
  // Written as text with json::OStream: a json::Value tree costs a hash table per object, which
  // for the thousands of findings of a large policy was several times the compilation's memory.
  std::map<std::string, DiagnosticsText> out;
  std::map<std::string, std::unique_ptr<llvm::raw_string_ostream>> streams;
  std::map<std::string, std::unique_ptr<llvm::json::OStream>> writers;
  const SourceManager &sources = *snapshot.compilation.sources;
  auto writeRange = [&](llvm::json::OStream &json, const SourceRange &range) {
    const LineTable &lines = snapshot.lines[range.file];
    Position start = lines.position(range.begin, encoding);
    Position end = lines.position(range.end, encoding);
    json.attributeObject("start", [&] {
      json.attribute("line", start.line);
      json.attribute("character", start.character);
    });
    json.attributeObject("end", [&] {
      json.attribute("line", end.line);
      json.attribute("character", end.character);
    });
  };
  for (const Diagnostic &diag : snapshot.compilation.diagnostics) {
    if (diag.suppression || !diag.range.valid() || diag.range.file >= snapshot.lines.size())
      continue;
    const std::string &uri = snapshot.uriOf(diag.range.file);
    DiagnosticsText &text = out[uri];
    if (!writers.count(uri)) {
      streams[uri] = std::make_unique<llvm::raw_string_ostream>(text.array);
      writers[uri] = std::make_unique<llvm::json::OStream>(*streams[uri]);
      writers[uri]->arrayBegin();
    }
    llvm::json::OStream &json = *writers[uri];
    ++text.count;
    std::string message = diag.message;
    bool related = false;
    for (const DiagNote &note : diag.notes) {
      if (note.range.valid())
        related = true;
      else
        message += "\nnote: " + note.message;
    }
    if (!diag.help.empty())
      message += "\nhelp: " + diag.help;
    json.object([&] {
      json.attributeObject("range", [&] { writeRange(json, diag.range); });
      json.attribute("severity", diag.severity == Severity::Error     ? 1
                                 : diag.severity == Severity::Warning ? 2
                                                                      : 3);
      json.attribute("code", std::string(diagInfo(diag.kind).code));
      json.attribute("source", "lattice");
      json.attribute("message", message);
      if (related)
        json.attributeArray("relatedInformation", [&] {
          for (const DiagNote &note : diag.notes)
            if (note.range.valid() && note.range.file < snapshot.lines.size())
              json.object([&] {
                json.attributeObject("location", [&] {
                  json.attribute("uri", snapshot.uriOf(note.range.file));
                  json.attributeObject("range", [&] { writeRange(json, note.range); });
                });
                json.attribute("message", note.message);
              });
        });
      std::optional<std::string> replacement;
      // A replacement only where the range is exactly the misspelt name.
      if (std::optional<std::string> name = suggestedName(diag.help)) {
        llvm::StringRef text =
            sources.text(diag.range.file).slice(diag.range.begin, diag.range.end);
        bool dotted = name->find('.') != std::string::npos;
        bool isName = !text.empty() && llvm::all_of(text, [&](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dotted && c == '.');
        });
        if (isName)
          replacement = std::move(name);
      }
      std::optional<std::string_view> group;
      if (diag.severity == Severity::Warning)
        group = warningGroup(diag.kind);
      if (replacement || group)
        json.attributeObject("data", [&] {
          if (replacement)
            json.attribute("replacement", *replacement);
          if (group)
            json.attribute("group", std::string(*group));
        });
    });
  }
  for (auto &[uri, writer] : writers) {
    writer->arrayEnd();
    writer->flush();
    streams[uri]->flush();
  }
  return out;
}

} // namespace lattice::lsp
