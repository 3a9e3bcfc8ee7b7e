// percent_decode.cpp - RFC 3986 percent-decoding; the hex digits are read by LLVM's
// tryGetHexFromNibbles.
#include "base/percent_decode.h"

#include "llvm/ADT/StringExtras.h"

namespace lattice {

bool percentDecode(std::string_view text, std::string &out) {
  out.clear();
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    uint8_t byte = 0;
    if (i + 2 >= text.size() || !llvm::tryGetHexFromNibbles(text[i + 1], text[i + 2], byte))
      return false;
    out.push_back(char(byte));
    i += 2;
  }
  return true;
}

} // namespace lattice
