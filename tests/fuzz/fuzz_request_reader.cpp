// fuzz_request_reader.cpp - libFuzzer target: the decision server's fast body reader
// (server/http/request_reader.h) against the one request parser. Whenever the fast reader reads a
// body, as a /v1/decide body or as a /v1/batch body (the input itself, and the input as the one
// element of a batch), the one parser must read it too, without an error, to the same requests.
#include "base/json_input.h"
#include "same_request_line.h"
#include "server/http/request_reader.h"

#include <cstdio>
#include <cstdlib>

namespace {

using namespace lattice;

constexpr size_t kMaxBatch = 8;

[[noreturn]] void fail(const char *what, const std::string &detail, std::string_view body) {
  std::fprintf(stderr, "%s: %s\nbody: %.*s\n", what, detail.c_str(), int(body.size()), body.data());
  std::abort();
}

std::optional<llvm::json::Value> parseWithTheOneParser(std::string_view body) {
  JsonError where;
  return parseJson(llvm::StringRef(body.data(), body.size()),
                   JsonLimits{body.size(), kMaxJsonDepth}, where);
}

void checkDecide(std::string_view body) {
  query::RequestLine fast;
  if (!server::http::readDecideBody(body, fast))
    return;
  std::optional<llvm::json::Value> value = parseWithTheOneParser(body);
  if (!value)
    fail("the fast reader read a body that is not JSON to the one parser", "", body);
  query::RequestLine slow;
  std::string error;
  if (!query::parseRequestValue(*value, slow, error))
    fail("the fast reader read a request the one parser refuses", error, body);
  std::string difference = testing::requestLineDifference(fast, slow);
  if (!difference.empty())
    fail("the two readers read different requests", difference, body);
}

void checkBatch(std::string_view body) {
  std::vector<query::RequestLine> fast;
  if (!server::http::readBatchBody(body, kMaxBatch, fast))
    return;
  std::optional<llvm::json::Value> value = parseWithTheOneParser(body);
  const llvm::json::Object *object = value ? value->getAsObject() : nullptr;
  const llvm::json::Array *requests = object ? object->getArray("requests") : nullptr;
  if (requests == nullptr || requests->size() > kMaxBatch || requests->size() != fast.size())
    fail("the fast reader read a batch the one parser refuses or counts differently", "", body);
  for (size_t i = 0; i < fast.size(); ++i) {
    query::RequestLine slow;
    std::string error;
    if (!query::parseRequestValue((*requests)[i], slow, error))
      fail("the fast reader read a batch element the one parser refuses", error, body);
    std::string difference = testing::requestLineDifference(fast[i], slow);
    if (!difference.empty())
      fail("the two readers read different batch elements", difference, body);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string_view body(reinterpret_cast<const char *>(data), size);
  checkDecide(body);
  checkBatch(body);
  checkBatch("{\"requests\": [" + std::string(body) + "]}");
  return 0;
}
