// handlers.cpp - the language features as JSON-RPC requests: each reads its document's last
// good snapshot (or, for formatting and completion, the document's current text).
#include "diagnostics/diagnostic.h"
#include "format/formatter.h"
#include "lsp/features.h"
#include "lsp/protocol.h"
#include "lsp/server.h"
#include "lsp/uri.h"
#include "parse/module_loader.h"

#include <fmt/format.h>

namespace lattice::lsp {

namespace json = llvm::json;

json::Value Server::initialize(const json::Object &params) {
  // UTF-8 positions when the client offers them (LSP 3.17), else UTF-16, the default.
  Encoding chosen = Encoding::Utf16;
  if (const json::Object *capabilities = params.getObject("capabilities"))
    if (const json::Object *general = capabilities->getObject("general"))
      if (const json::Array *encodings = general->getArray("positionEncodings"))
        for (const json::Value &value : *encodings)
          if (value.getAsString() == llvm::StringRef("utf-8"))
            chosen = Encoding::Utf8;
  {
    std::lock_guard lock(mutex);
    encoding = chosen;
  }
  return json::Object{
      {"capabilities",
       json::Object{
           {"positionEncoding", chosen == Encoding::Utf8 ? "utf-8" : "utf-16"},
           {"textDocumentSync", json::Object{{"openClose", true}, {"change", 2}}},
           {"hoverProvider", true},
           {"definitionProvider", true},
           {"referencesProvider", true},
           {"renameProvider", json::Object{{"prepareProvider", true}}},
           {"documentSymbolProvider", true},
           {"documentFormattingProvider", true},
           {"codeActionProvider", json::Object{{"codeActionKinds", json::Array{"quickfix"}}}},
           {"completionProvider", json::Object{{"triggerCharacters", json::Array{".", " ", ","}}}},
       }},
      {"serverInfo", json::Object{{"name", "lattice"}}},
  };
}

std::optional<Server::Target> Server::documentTarget(const std::string &uri) {
  std::optional<std::string> path = uriToPath(uri);
  if (!path)
    return std::nullopt;
  std::string canonical = parse::canonicalPath(*path);
  std::shared_ptr<const Snapshot> snapshot = snapshotOf(canonical);
  uint32_t file = snapshot ? snapshot->fileOf(canonical) : 0;
  if (file == 0)
    return std::nullopt;
  std::lock_guard lock(mutex);
  return Target{std::move(snapshot), file, 0, encoding};
}

std::optional<Server::Target> Server::target(const json::Object &params, Error &error) {
  std::optional<std::string> uri = documentUri(params);
  std::optional<Position> position = readPosition(params.get("position"));
  if (!uri || !position) {
    error = {-32602, "expected `textDocument.uri` and `position`"};
    return std::nullopt;
  }
  std::optional<Target> at = documentTarget(*uri);
  if (at)
    at->offset = at->snapshot->linesOf(at->file).offset(*position, at->encoding);
  return at;
}

json::Value Server::hover(const json::Object &params, Error &error) {
  std::optional<Target> at = target(params, error);
  if (!at)
    return nullptr;
  std::optional<std::string> text = hoverText(*at->snapshot, at->file, at->offset);
  if (!text)
    return nullptr;
  json::Object result{{"contents", json::Object{{"kind", "markdown"}, {"value", *text}}}};
  if (std::optional<SourceRange> range = at->snapshot->index.rangeAt(at->file, at->offset))
    result["range"] = at->snapshot->range(*range, at->encoding);
  return result;
}

json::Value Server::definition(const json::Object &params, Error &error) {
  std::optional<Target> at = target(params, error);
  if (!at)
    return nullptr;
  std::optional<index::SymbolId> id = at->snapshot->index.symbolAt(at->file, at->offset);
  if (!id)
    return nullptr;
  return at->snapshot->location(at->snapshot->index.symbol(*id).nameRange, at->encoding);
}

json::Value Server::references(const json::Object &params, Error &error) {
  std::optional<Target> at = target(params, error);
  if (!at)
    return nullptr;
  std::optional<index::SymbolId> id = at->snapshot->index.symbolAt(at->file, at->offset);
  if (!id)
    return nullptr;
  bool withDeclaration = true;
  if (const json::Object *context = params.getObject("context"))
    withDeclaration = context->getBoolean("includeDeclaration").getValueOr(true);
  json::Array out;
  for (const SourceRange &range : at->snapshot->index.occurrences(*id, withDeclaration))
    out.push_back(at->snapshot->location(range, at->encoding));
  return out;
}

json::Value Server::prepareRename(const json::Object &params, Error &error) {
  std::optional<Target> at = target(params, error);
  if (!at)
    return nullptr;
  std::optional<index::SymbolId> id = at->snapshot->index.symbolAt(at->file, at->offset);
  std::optional<SourceRange> range = at->snapshot->index.rangeAt(at->file, at->offset);
  if (!id || !range)
    return nullptr;
  return json::Object{{"range", at->snapshot->range(*range, at->encoding)},
                      {"placeholder", at->snapshot->index.symbol(*id).name}};
}

json::Value Server::rename(const json::Object &params, Error &error) {
  auto newName = params.getString("newName");
  if (!newName) {
    error = {-32602, "expected `newName`"};
    return nullptr;
  }
  std::optional<Target> at = target(params, error);
  if (!at)
    return nullptr;
  const Snapshot &snapshot = *at->snapshot;
  std::optional<index::SymbolId> id = snapshot.index.symbolAt(at->file, at->offset);
  if (!id) {
    error = {-32803, "no name to rename here"};
    return nullptr;
  }
  if (std::string problem = renameProblem(snapshot, *id, newName->str()); !problem.empty()) {
    error = {-32803, problem};
    return nullptr;
  }
  std::map<std::string, json::Array> edits;
  for (const SourceRange &range : snapshot.index.occurrences(*id, true))
    edits[snapshot.uriOf(range.file)].push_back(
        json::Object{{"range", snapshot.range(range, at->encoding)}, {"newText", newName->str()}});
  // Edits go to the URIs the client knows its documents by.
  std::map<std::string, std::string> clientUri;
  {
    std::lock_guard lock(mutex);
    clientUri = documents.clientUris();
  }
  json::Object changes;
  for (auto &[uri, list] : edits) {
    auto client = clientUri.find(uri);
    changes[client == clientUri.end() ? uri : client->second] = std::move(list);
  }
  return json::Object{{"changes", std::move(changes)}};
}

json::Value Server::documentSymbol(const json::Object &params, Error &error) {
  std::optional<std::string> uri = documentUri(params);
  if (!uri) {
    error = {-32602, "expected `textDocument.uri`"};
    return nullptr;
  }
  std::optional<Target> at = documentTarget(*uri);
  if (!at)
    return json::Array();
  return documentSymbols(*at->snapshot, at->file, at->encoding);
}

json::Value Server::formatting(const json::Object &params, Error &error) {
  std::optional<std::string> uri = documentUri(params);
  if (!uri) {
    error = {-32602, "expected `textDocument.uri`"};
    return nullptr;
  }
  std::string text;
  Encoding used;
  {
    std::lock_guard lock(mutex);
    Document *document = documents.find(*uri);
    if (document == nullptr) {
      error = {-32803, "the document is not open"};
      return nullptr;
    }
    text = document->text;
    used = encoding;
  }
  SourceManager sources;
  uint32_t id = sources.addText(*uri, text);
  DiagnosticEngine diags;
  std::optional<std::string> formatted = format::formatSource(id, sources, diags);
  if (!formatted) {
    error = {-32803, diags.hasErrors() ? "cannot format a file with syntax errors"
                                       : "cannot format without losing a comment; left unchanged"};
    return nullptr;
  }
  if (*formatted == text)
    return json::Array();
  LineTable lines(text);
  Position end = lines.position(static_cast<uint32_t>(text.size()), used);
  return json::Array{json::Object{{"range", rangeJson({}, end)}, {"newText", *formatted}}};
}

json::Value Server::codeAction(const json::Object &params, Error &error) {
  std::optional<std::string> uri = documentUri(params);
  const json::Object *context = params.getObject("context");
  if (!uri || context == nullptr) {
    error = {-32602, "expected `textDocument.uri` and `context`"};
    return nullptr;
  }
  std::string text;
  {
    std::lock_guard lock(mutex);
    if (Document *document = documents.find(*uri))
      text = document->text;
  }
  LineTable lines(text);
  json::Array actions;
  static const json::Array none;
  const json::Array *diagnostics = context->getArray("diagnostics");
  // Strings of the result are copies (std::string): a json::Value of a StringRef does not own it.
  for (const json::Value &value : diagnostics ? *diagnostics : none) {
    const json::Object *diagnostic = value.getAsObject();
    const json::Object *data = diagnostic ? diagnostic->getObject("data") : nullptr;
    std::optional<std::pair<Position, Position>> range =
        diagnostic ? readRange(diagnostic->get("range")) : std::nullopt;
    if (data == nullptr || !range)
      continue;
    if (auto replacement = data->getString("replacement")) {
      json::Object edit{{"range", *diagnostic->get("range")}, {"newText", replacement->str()}};
      actions.push_back(json::Object{
          {"title", fmt::format("replace with `{}`", replacement->str())},
          {"kind", "quickfix"},
          {"isPreferred", true},
          {"diagnostics", json::Array{value}},
          {"edit", json::Object{{"changes", json::Object{{*uri, json::Array{std::move(edit)}}}}}}});
    }
    if (auto group = data->getString("group")) {
      // A comment alone on the line above, indented like it (diagnostics/suppressions.h).
      uint32_t lineStart = lines.offset({range->first.line, 0}, Encoding::Utf8);
      size_t indent = 0;
      while (lineStart + indent < text.size() &&
             (text[lineStart + indent] == ' ' || text[lineStart + indent] == '\t'))
        ++indent;
      std::string comment = text.substr(lineStart, indent) + "// lattice: allow(" + group->str() +
                            ") \"reason: why this is intended\"\n";
      Position at{range->first.line, 0};
      json::Object edit{{"range", rangeJson(at, at)}, {"newText", comment}};
      actions.push_back(json::Object{
          {"title", fmt::format("suppress `{}` here, with a reason", group->str())},
          {"kind", "quickfix"},
          {"diagnostics", json::Array{value}},
          {"edit", json::Object{{"changes", json::Object{{*uri, json::Array{std::move(edit)}}}}}}});
    }
  }
  return actions;
}

json::Value Server::completion(const json::Object &params, Error &error) {
  std::optional<std::string> uri = documentUri(params);
  std::optional<Position> position = readPosition(params.get("position"));
  if (!uri || !position) {
    error = {-32602, "expected `textDocument.uri` and `position`"};
    return nullptr;
  }
  std::string text, path;
  Encoding used;
  {
    std::lock_guard lock(mutex);
    Document *document = documents.find(*uri);
    if (document == nullptr)
      return json::Array();
    text = document->text;
    path = document->path;
    used = encoding;
  }
  LineTable lines(text);
  llvm::StringRef before = llvm::StringRef(text).take_front(lines.offset(*position, used));
  std::shared_ptr<const Snapshot> snapshot = snapshotOf(path);
  json::Array items;
  for (const CompletionItem &item : completions(snapshot.get(), before))
    items.push_back(
        json::Object{{"label", item.label}, {"kind", item.kind}, {"detail", item.detail}});
  return items;
}

} // namespace lattice::lsp
