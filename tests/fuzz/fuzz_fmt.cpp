// fuzz_fmt.cpp - libFuzzer target: `lattice fmt` on any text. A text that formats must format
// to a fixed point (formatting the output changes nothing), the output must parse, and when the
// input compiles, the output must compile to the same table bytes (docs/fmt.md).
#include "compile_helper.h"
#include "emit/table_writer.h"
#include "format/formatter.h"
#include "lower/lower.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace lattice;

std::optional<std::string> formatText(const std::string &text) {
  SourceManager sources;
  DiagnosticEngine diags;
  uint32_t id = sources.addText("fuzz.lat", text);
  return format::formatSource(id, sources, diags);
}

std::vector<uint8_t> tableOf(const std::string &text) {
  std::unique_ptr<testing::Compiled> compiled = testing::compile(text);
  if (!compiled->model)
    return {};
  return emit::writeTable(lower::lowerModel(*compiled->model));
}

[[noreturn]] void fail(const char *what, const std::string &a, const std::string &b) {
  std::fprintf(stderr, "fmt: %s\n--- first ---\n%s\n--- second ---\n%s\n", what, a.c_str(),
               b.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string input(reinterpret_cast<const char *>(data), size);
  std::optional<std::string> once = formatText(input);
  if (!once)
    return 0; // syntax errors, or a comment it cannot place: left unchanged, reported
  std::optional<std::string> twice = formatText(*once);
  if (!twice)
    fail("the formatted text does not format again", input, *once);
  if (*twice != *once)
    fail("formatting is not idempotent", *once, *twice);
  std::vector<uint8_t> before = tableOf(input);
  if (!before.empty() && tableOf(*once) != before)
    fail("the formatted policy compiles to different table bytes", input, *once);
  return 0;
}
