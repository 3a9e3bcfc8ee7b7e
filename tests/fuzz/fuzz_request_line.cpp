// fuzz_request_line.cpp - libFuzzer target: one line of a `query --requests` stream, parsed
// within the JSON limits and answered against the sample table of the runtime tests (kinds
// tenant_user, account_user; roles tenant_admin, driver, ...). The answer must always be a JSON
// object with a line number and a decision, and a refused line must say why.
#include "emit/table_writer.h"
#include "query/request_line.h"
#include "sample_tables.h"

#include <cstdio>
#include <cstdlib>

namespace {

using namespace lattice;

const lattice_table *sampleTable() {
  static const std::vector<uint8_t> bytes = emit::writeTable(testing::sampleTables());
  static lattice_table *table = [] {
    lattice_table *t = nullptr;
    if (lattice_table_load(bytes.data(), bytes.size(), &t) != LATTICE_LOAD_OK)
      std::abort();
    return t;
  }();
  return table;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef line(reinterpret_cast<const char *>(data), size);
  bool failed = false;
  llvm::json::Object answer = query::answerRequestLine(sampleTable(), line, 7, failed);
  auto number = answer.getInteger("line");
  auto decision = answer.getString("decision");
  const bool hasError = answer.getString("error").hasValue();
  if (!number || *number != 7 || !decision || (*decision != "allow" && *decision != "deny") ||
      failed != hasError || (failed && *decision != "deny")) {
    std::fprintf(stderr, "malformed answer to a request line\n");
    std::abort();
  }
  // The answer is printed as one line of JSON: it must serialize and parse back.
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::json::Value(std::move(answer));
  os.flush();
  if (text.find('\n') != std::string::npos || !llvm::json::parse(text)) {
    std::fprintf(stderr, "an answer that is not one line of JSON: %s\n", text.c_str());
    std::abort();
  }
  return 0;
}
