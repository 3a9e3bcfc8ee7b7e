// fuzz_request_line.cpp - libFuzzer target: one line of a `query --requests` stream, parsed
// within the JSON limits and answered against the sample table of the runtime tests (kinds
// tenant_user, account_user; roles tenant_admin, driver, ...), in either shape (one node, or
// memberships and a target). The answer must always be a JSON object with a line number and a
// decision, a refused line must say why, and an allow through memberships names its membership.
#include "query/request_line.h"
#include "sample_tables.h"

#include <cstdio>
#include <cstdlib>

namespace {

using namespace lattice;

enum class RequestLineShape { Other, Memberships };

/// Whether the line parses as a request with memberships (the answer must then name the
/// membership of every allow).
RequestLineShape shapeOf(llvm::StringRef line) {
  query::RequestLine parsed;
  std::string error;
  return query::parseRequestLine(line, parsed, error) && parsed.access
             ? RequestLineShape::Memberships
             : RequestLineShape::Other;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef line(reinterpret_cast<const char *>(data), size);
  bool failed = false;
  std::string text;
  query::answerRequestLine(testing::loadedSampleTable(), line, 7, failed, text);
  // The answer is printed as one line of JSON: one object, parsing back, whatever the request held.
  llvm::Expected<llvm::json::Value> parsedAnswer = llvm::json::parse(text);
  if (!parsedAnswer) {
    llvm::consumeError(parsedAnswer.takeError());
    std::fprintf(stderr, "an answer that is not JSON: %s\n", text.c_str());
    std::abort();
  }
  const llvm::json::Object *object = parsedAnswer->getAsObject();
  if (!object || text.find('\n') != std::string::npos) {
    std::fprintf(stderr, "an answer that is not one object on one line\n");
    std::abort();
  }
  const llvm::json::Object &answer = *object;
  auto number = answer.getInteger("line");
  auto decision = answer.getString("decision");
  const bool hasError = answer.getString("error").hasValue();
  if (!number || *number != 7 || !decision || (*decision != "allow" && *decision != "deny") ||
      failed != hasError || (failed && *decision != "deny")) {
    std::fprintf(stderr, "malformed answer to a request line\n");
    std::abort();
  }
  // A deciding membership comes with its role, numbered from 1 within the request's limit; an
  // allow of a request with memberships always names one.
  auto membership = answer.getInteger("membership");
  const bool hasRole = answer.getString("role").hasValue();
  if (membership &&
      (*membership < 1 || *membership > int64_t(query::kMaxMemberships) || !hasRole || hasError)) {
    std::fprintf(stderr, "a deciding membership out of range or without its role\n");
    std::abort();
  }
  RequestLineShape shape = shapeOf(line);
  if (shape == RequestLineShape::Memberships && *decision == "allow" && !membership) {
    std::fprintf(stderr, "an allow through memberships that names none\n");
    std::abort();
  }
  return 0;
}
