// positions_test.cpp - LSP positions in UTF-16 and UTF-8 over non-ASCII text, line breaks of
// every kind, the protocol's clamping rules; file URIs; message framing.
#include "diagnostics/sarif.h"
#include "lsp/documents.h"
#include "lsp/positions.h"
#include "lsp/transport.h"
#include "lsp/uri.h"

#include <gtest/gtest.h>

namespace lattice::lsp {
namespace {

// "é" is 2 bytes and 1 UTF-16 unit; "😀" is 4 bytes and 2 units (a surrogate pair).
const std::string kText = "role é \"Café 😀\" x;\r\nnext\rthird\nlast";

TEST(Positions, Utf16CountsCodeUnits) {
  LineTable lines(kText);
  EXPECT_EQ(lines.lineCount(), 4u);
  size_t x = kText.find(" x;");
  EXPECT_EQ(lines.position(static_cast<uint32_t>(x), Encoding::Utf16), (Position{0, 16}));
  EXPECT_EQ(lines.position(static_cast<uint32_t>(x), Encoding::Utf8), (Position{0, 20}));
  EXPECT_EQ(lines.offset({0, 16}, Encoding::Utf16), x);
  EXPECT_EQ(lines.offset({0, 20}, Encoding::Utf8), x);
  // After "😀": units 13 and 14 are its halves; 15 is the quote after it.
  size_t emoji = kText.find("😀");
  EXPECT_EQ(lines.position(static_cast<uint32_t>(emoji), Encoding::Utf16), (Position{0, 13}));
  EXPECT_EQ(lines.offset({0, 15}, Encoding::Utf16), emoji + 4);
  // Half a surrogate pair is the character's start.
  EXPECT_EQ(lines.offset({0, 14}, Encoding::Utf16), emoji);
  // Inside a UTF-8 sequence: back to its first byte.
  EXPECT_EQ(lines.offset({0, static_cast<uint32_t>(emoji + 2)}, Encoding::Utf8), emoji);
}

TEST(Positions, EveryLineBreakAndClamping) {
  LineTable lines(kText);
  EXPECT_EQ(lines.offset({1, 0}, Encoding::Utf16), kText.find("next"));
  EXPECT_EQ(lines.offset({2, 0}, Encoding::Utf16), kText.find("third"));
  EXPECT_EQ(lines.offset({3, 2}, Encoding::Utf16), kText.find("last") + 2);
  // A character past the line's end is the end of the line, before its break.
  EXPECT_EQ(lines.offset({0, 999}, Encoding::Utf16), kText.find("\r\n"));
  EXPECT_EQ(lines.offset({1, 999}, Encoding::Utf8), kText.find("\rthird"));
  // The last line's end, in bytes, and a character as large as a client can send.
  EXPECT_EQ(lines.offset({3, 999}, Encoding::Utf8), kText.size());
  EXPECT_EQ(lines.offset({0, UINT32_MAX}, Encoding::Utf8), kText.find("\r\n"));
  EXPECT_EQ(lines.offset({3, UINT32_MAX}, Encoding::Utf16), kText.size());
  // A line past the end is the end of the text.
  EXPECT_EQ(lines.offset({99, 0}, Encoding::Utf16), kText.size());
  EXPECT_EQ(lines.position(static_cast<uint32_t>(kText.size()), Encoding::Utf16), (Position{3, 4}));
  // Round trips at every character boundary.
  for (Encoding encoding : {Encoding::Utf8, Encoding::Utf16})
    for (uint32_t offset = 0; offset <= kText.size(); ++offset) {
      if (offset < kText.size() && (static_cast<unsigned char>(kText[offset]) & 0xC0) == 0x80)
        continue;
      if (offset > 0 && kText[offset - 1] == '\r' && offset < kText.size() && kText[offset] == '\n')
        continue; // between \r and \n: not a position
      EXPECT_EQ(lines.offset(lines.position(offset, encoding), encoding), offset) << offset;
    }
}

TEST(Documents, IncrementalChangesApplyInOrder) {
  std::string text = "role a {\n  allow café.view;\n}\n";
  // Typing after "café" on line 1 (UTF-16: "  allow café" is 12 units).
  applyChange(text, {std::pair(Position{1, 12}, Position{1, 12}), "s"}, Encoding::Utf16);
  EXPECT_EQ(text, "role a {\n  allow cafés.view;\n}\n");
  // In UTF-8 the same place is byte 13 + 1.
  applyChange(text, {std::pair(Position{1, 13}, Position{1, 14}), ""}, Encoding::Utf8);
  EXPECT_EQ(text, "role a {\n  allow café.view;\n}\n");
  // A replacement spanning lines, then an insertion on the new text's coordinates.
  applyChange(text, {std::pair(Position{0, 5}, Position{1, 7}), "b {\n  deny"}, Encoding::Utf16);
  EXPECT_EQ(text, "role b {\n  deny café.view;\n}\n");
  applyChange(text, {std::pair(Position{3, 0}, Position{3, 0}), "// end\n"}, Encoding::Utf16);
  EXPECT_EQ(text, "role b {\n  deny café.view;\n}\n// end\n");
  // A reversed range is empty at its start; the whole text without a range.
  applyChange(text, {std::pair(Position{0, 4}, Position{0, 2}), "!"}, Encoding::Utf16);
  EXPECT_EQ(text.substr(0, 6), "role! ");
  applyChange(text, {std::nullopt, "x"}, Encoding::Utf16);
  EXPECT_EQ(text, "x");
}

TEST(Uri, FileUrisRoundTrip) {
  EXPECT_EQ(uriToPath("file:///tmp/a%20b/caf%C3%A9.lat"), "/tmp/a b/café.lat");
  EXPECT_EQ(uriToPath("file://localhost/x.lat"), "/x.lat");
  EXPECT_EQ(uriToPath("untitled:Untitled-1"), std::nullopt);
  EXPECT_EQ(uriToPath("file:///bad%2"), std::nullopt);
  EXPECT_EQ(uriToPath("file:///nul%00"), std::nullopt);
  EXPECT_EQ(fileUri("/tmp/a b/café.lat"), "file:///tmp/a%20b/caf%C3%A9.lat");
  EXPECT_EQ(uriToPath(fileUri("/x/#1?.lat")), "/x/#1?.lat");
}

TEST(Transport, FramesSplitAnywhereDecodeWhole) {
  std::string stream =
      encodeFrame(R"({"id":1})") + "content-length: 2\r\nContent-Type: x\r\n\r\n{}";
  for (size_t split = 0; split <= stream.size(); ++split) {
    FrameDecoder decoder;
    decoder.feed(llvm::StringRef(stream).take_front(split));
    std::vector<std::string> bodies;
    while (auto body = decoder.next())
      bodies.push_back(*body);
    decoder.feed(llvm::StringRef(stream).drop_front(split));
    while (auto body = decoder.next())
      bodies.push_back(*body);
    EXPECT_EQ(bodies, (std::vector<std::string>{"{\"id\":1}", "{}"})) << split;
    EXPECT_FALSE(decoder.failed());
  }
  FrameDecoder bad;
  bad.feed("Content-Length: -1\r\n\r\n");
  EXPECT_FALSE(bad.next());
  EXPECT_TRUE(bad.failed());
  FrameDecoder missing;
  missing.feed("X: 1\r\n\r\n{}");
  EXPECT_FALSE(missing.next());
  EXPECT_TRUE(missing.failed());
}

} // namespace
} // namespace lattice::lsp
