// documents.h - the editor's open documents: their text and version, kept in step with
// `didOpen`/`didChange`/`didClose` (incremental changes applied in order).
#pragma once

#include "lsp/positions.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lattice::lsp {

struct Document {
  std::string uri;
  std::string path; // canonical (parse::canonicalPath): the key of the compilation's overlay
  std::string text;
  int64_t version = 0;
};

/// One change of `didChange`: replace `range` (absent: the whole text) with `text`.
struct TextChange {
  std::optional<std::pair<Position, Position>> range;
  std::string text;
};

/// Applies one change to `text`; positions are read in `encoding` against the text as it is
/// before this change. A range whose end comes before its start is taken as empty at its start.
void applyChange(std::string &text, const TextChange &change, Encoding encoding);

class DocumentStore {
public:
  void open(Document document) { documents[document.uri] = std::move(document); }
  void close(const std::string &uri) { documents.erase(uri); }
  Document *find(const std::string &uri);
  const std::map<std::string, Document> &all() const { return documents; }
  /// The URI each document was opened by, by the file URI of its path (lattice::fileUri, how a
  /// compilation names files): answers go to the URIs the client knows.
  std::map<std::string, std::string> clientUris() const;

private:
  std::map<std::string, Document> documents; // by URI
};

} // namespace lattice::lsp
