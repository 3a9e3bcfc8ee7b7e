// fuzz_ext_authz.cpp - libFuzzer target: bytes parsed as an ext_authz CheckRequest (Envoy's
// wire format), mapped by a fixed mapping (routes with parameters, header targets, header
// fallbacks) and decided against the runtime tests' sample table. An allow must be a decided
// allow with status OK; anything else PERMISSION_DENIED with a 403; the answer must serialize;
// and a mapped request must be decided as `query --requests` decides the same request line.
#include "query/request_line.h"
#include "sample_tables.h"
#include "server/ext_authz/check.h"

#include <cstdio>
#include <cstdlib>

namespace {

using namespace lattice;

const ext_authz::MappingConfig &mapping() {
  static const ext_authz::MappingConfig config = [] {
    std::vector<ext_authz::ConfigError> errors;
    auto parsed = ext_authz::parseMappingConfig(
        "kind header x-kind\nflags header x-flags\nmemberships header x-memberships\n"
        "facts header x-facts\npermission header x-permission\ntarget header x-target\n"
        "route GET /tenants/{tenant}/stations/{station} station.view {tenant}/{station}\n"
        "route POST /stations/{station}/reset station.reset {header:x-account}/{station}\n"
        "route * /invoices billing.invoices {header:x-account}\n",
        errors);
    if (!parsed)
      std::abort();
    return *parsed;
  }();
  return config;
}

[[noreturn]] void fail(const char *what) {
  std::fprintf(stderr, "%s\n", what);
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ext_authz::CheckRequest request;
  if (!request.ParseFromArray(data, int(size)))
    return 0;
  ext_authz::CheckOutcome outcome =
      ext_authz::decideCheck(testing::loadedSampleTable(), mapping(), request);
  if (outcome.allowed && (!outcome.error.empty() || outcome.reason != "allowed" ||
                          !outcome.membership || outcome.role.empty()))
    fail("an allow that is not a decided allow through a membership");
  if (!outcome.error.empty() && outcome.reason != "error")
    fail("an error without the reason `error`");
  ext_authz::CheckResponse response;
  ext_authz::fillCheckResponse(outcome, "rev", "id-1", response);
  if ((response.status().code() == ext_authz::kRpcOk) != outcome.allowed)
    fail("status OK for a denial, or not OK for an allow");
  if (!outcome.allowed &&
      (!response.has_denied_response() || response.denied_response().status().code() != 403))
    fail("a denial without its 403 denied_response");
  std::string wire;
  if (!response.SerializeToString(&wire) || !ext_authz::CheckResponse().ParseFromString(wire))
    fail("an answer that does not serialize");
  // The same request as a `query --requests` line: the same decision.
  if (outcome.logged.get("permission")) {
    llvm::json::Object line(outcome.logged);
    line.erase("method");
    line.erase("path");
    std::string text;
    llvm::raw_string_ostream os(text);
    os << llvm::json::Value(std::move(line));
    os.flush();
    bool failed = false;
    std::string answerText;
    query::answerRequestLine(testing::loadedSampleTable(), text, 1, failed, answerText);
    llvm::Expected<llvm::json::Value> parsedAnswer = llvm::json::parse(answerText);
    if (!parsedAnswer) {
      llvm::consumeError(parsedAnswer.takeError());
      fail("a `query --requests` answer that is not JSON");
    }
    const llvm::json::Object empty;
    const llvm::json::Object &answer =
        parsedAnswer->getAsObject() ? *parsedAnswer->getAsObject() : empty;
    const bool allowed = answer.getString("decision") == llvm::StringRef("allow");
    if (allowed != outcome.allowed || failed != !outcome.error.empty())
      fail("ext_authz and `query --requests` decide the same request differently");
    if (!failed && answer.getString("reason") != llvm::StringRef(outcome.reason))
      fail("ext_authz and `query --requests` give different reasons");
  }
  return 0;
}
