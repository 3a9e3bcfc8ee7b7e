// documents.cpp - incremental text sync: each change is converted to byte offsets against the
// text as it stands, so a batch of changes applies like the client applied them.
#include "lsp/documents.h"

#include "diagnostics/sarif.h"

namespace lattice::lsp {

void applyChange(std::string &text, const TextChange &change, Encoding encoding) {
  if (!change.range) {
    text = change.text;
    return;
  }
  LineTable lines(text);
  uint32_t begin = lines.offset(change.range->first, encoding);
  uint32_t end = lines.offset(change.range->second, encoding);
  if (end < begin)
    end = begin;
  text.replace(begin, end - begin, change.text);
}

std::map<std::string, std::string> DocumentStore::clientUris() const {
  std::map<std::string, std::string> out;
  for (const auto &[uri, document] : documents)
    out[fileUri(document.path)] = uri;
  return out;
}

Document *DocumentStore::find(const std::string &uri) {
  auto it = documents.find(uri);
  return it == documents.end() ? nullptr : &it->second;
}

} // namespace lattice::lsp
