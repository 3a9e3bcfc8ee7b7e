// snapshot.cpp - builds a folder's compilation and index, and turns its diagnostics into the
// protocol's (notes with a location become related information; help joins the message).
#include "lsp/snapshot.h"

#include "diagnostics/warning_groups.h"
#include "lsp/uri.h"
#include "parse/input_files.h"
#include "parse/module_loader.h"

#include <algorithm>
#include <filesystem>

namespace lattice::lsp {

uint32_t Snapshot::fileOf(const std::string &path) const {
  auto it = fileOfPath.find(path);
  return it == fileOfPath.end() ? 0 : it->second;
}

llvm::json::Value Snapshot::range(const SourceRange &range, Encoding encoding) const {
  auto position = [&](uint32_t offset) {
    Position p = lines[range.file].position(offset, encoding);
    return llvm::json::Object{{"line", p.line}, {"character", p.character}};
  };
  if (!range.valid() || range.file >= lines.size())
    return llvm::json::Object{{"start", llvm::json::Object{{"line", 0}, {"character", 0}}},
                              {"end", llvm::json::Object{{"line", 0}, {"character", 0}}}};
  return llvm::json::Object{{"start", position(range.begin)}, {"end", position(range.end)}};
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
  // Open documents of the folder that are not on disk (yet) belong to it too.
  for (const auto &[path, text] : overlay) {
    if (std::filesystem::path(path).parent_path().string() != folder ||
        !llvm::StringRef(path).endswith(".lat"))
      continue;
    bool listed = std::any_of(options.files.begin(), options.files.end(),
                              [&](auto &file) { return parse::canonicalPath(file) == path; });
    if (!listed)
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
    snapshot->uris.push_back(pathToUri(path));
    snapshot->fileOfPath.emplace(std::move(path), file);
  }
  snapshot->index = index::SymbolIndex::build(snapshot->compilation.files);
  snapshot->parsedAll = true;
  for (const std::string &root : options.files) {
    uint32_t file = snapshot->fileOf(parse::canonicalPath(root));
    bool parsed =
        std::any_of(snapshot->compilation.files.begin(), snapshot->compilation.files.end(),
                    [&](const ast::File &f) { return f.fileId == file; });
    snapshot->parsedAll &= file != 0 && parsed;
  }
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

std::map<std::string, llvm::json::Array> lspDiagnostics(const Snapshot &snapshot,
                                                        Encoding encoding) {
  std::map<std::string, llvm::json::Array> out;
  const SourceManager &sources = *snapshot.compilation.sources;
  for (const Diagnostic &diag : snapshot.compilation.diagnostics) {
    if (diag.suppression || !diag.range.valid())
      continue;
    std::string message = diag.message;
    llvm::json::Array related;
    for (const DiagNote &note : diag.notes) {
      if (note.range.valid())
        related.push_back(llvm::json::Object{{"location", snapshot.location(note.range, encoding)},
                                             {"message", note.message}});
      else
        message += "\nnote: " + note.message;
    }
    if (!diag.help.empty())
      message += "\nhelp: " + diag.help;
    const DiagKindInfo &info = diagInfo(diag.kind);
    llvm::json::Object lsp{
        {"range", snapshot.range(diag.range, encoding)},
        {"severity", diag.severity == Severity::Error     ? 1
                     : diag.severity == Severity::Warning ? 2
                                                          : 3},
        {"code", std::string(info.code)},
        {"source", "lattice"},
        {"message", message},
    };
    if (!related.empty())
      lsp["relatedInformation"] = std::move(related);
    llvm::json::Object data;
    // A replacement only where the range is exactly the misspelt name.
    if (std::optional<std::string> name = suggestedName(diag.help)) {
      llvm::StringRef text = sources.text(diag.range.file).slice(diag.range.begin, diag.range.end);
      bool dotted = name->find('.') != std::string::npos;
      bool isName = !text.empty() && llvm::all_of(text, [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (dotted && c == '.');
      });
      if (isName)
        data["replacement"] = *name;
    }
    if (diag.severity == Severity::Warning)
      if (std::optional<std::string_view> group = warningGroup(diag.kind))
        data["group"] = std::string(*group);
    if (!data.empty())
      lsp["data"] = std::move(data);
    out[snapshot.uriOf(diag.range.file)].push_back(std::move(lsp));
  }
  return out;
}

} // namespace lattice::lsp
