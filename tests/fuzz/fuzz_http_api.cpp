// fuzz_http_api.cpp - libFuzzer target: the decision server's HTTP API (server/http/api.h) without
// the network, over the sample table of the runtime tests. The first input byte picks the route
// and method (decide, batch, what-can, health, ready, policy, a wrong method, an unknown path,
// list-filter, who-can), the rest is the body. Every answer must be JSON with a known status; a
// refused call of a decision endpoint must say why and deny (never allow); a batch answers each
// request in order, a refused element with "deny".
#include "emit/table_writer.h"
#include "sample_tables.h"
#include "server/http/api.h"

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {

using namespace lattice;

struct Fixture {
  server::PolicyStore store;
  server::Metrics metrics;
  server::DecisionLog log{server::DecisionLogConfig{}};
  server::http::Service service{store, metrics, log, server::http::Limits{4096, 8}};

  static std::string tablePath() {
    const std::vector<uint8_t> bytes = emit::writeTable(testing::sampleTables());
    std::string path = "/tmp/fuzz_http_api-" + std::to_string(getpid()) + ".ltab";
    std::FILE *file = std::fopen(path.c_str(), "wb");
    if (!file || std::fwrite(bytes.data(), 1, bytes.size(), file) != bytes.size())
      std::abort();
    std::fclose(file);
    return path;
  }
  Fixture() : store(server::PolicySource{tablePath(), std::nullopt}) {
    if (store.loadInitial())
      std::abort();
    std::remove(store.current()->path.c_str());
  }
};

[[noreturn]] void fail(const char *what, const std::string &body) {
  std::fprintf(stderr, "%s: %s\n", what, body.c_str());
  std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static Fixture fixture;
  static const std::pair<const char *, const char *> kCalls[] = {
      {"POST", "/v1/decide"}, {"POST", "/v1/batch"}, {"POST", "/v1/what-can"},
      {"GET", "/health"},     {"GET", "/ready"},     {"GET", "/v1/policy"},
      {"GET", "/v1/decide"},  {"POST", "/nowhere"},  {"POST", "/v1/list-filter"},
      {"POST", "/v1/who-can"}};
  if (size == 0)
    return 0;
  const auto &[method, path] = kCalls[data[0] % std::size(kCalls)];
  const std::string_view body(reinterpret_cast<const char *>(data + 1), size - 1);
  server::http::Response response = server::http::handle(fixture.service, method, path, body);
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(response.body);
  if (!parsed)
    fail("an answer that is not JSON", response.body);
  const llvm::json::Object *answer = parsed->getAsObject();
  if (answer == nullptr)
    fail("an answer that is not an object", response.body);
  const std::string_view route = path;
  const bool decisionRoute = route == "/v1/decide" || route == "/v1/batch";
  const int status = response.status;
  if (status != 200 && status != 400 && status != 404 && status != 405 && status != 413)
    fail("an unexpected status", response.body);
  if (std::string_view(method) == "GET" && route == "/v1/decide" && status != 405)
    fail("a wrong method not answered 405", response.body);
  if (status != 200 && !answer->getString("error"))
    fail("a refusal without its reason", response.body);
  if (decisionRoute && status != 200 && status != 405 &&
      answer->getString("decision").getValueOr("") != "deny")
    fail("a refused decision call that does not deny", response.body);
  if (route == "/v1/decide" && status == 200 &&
      (answer->get("error") || (answer->getString("decision").getValueOr("") != "allow" &&
                                answer->getString("decision").getValueOr("") != "deny")))
    fail("an answered decision without a decision", response.body);
  if (route == "/v1/list-filter" && (status == 200) != answer->getString("filter").hasValue())
    fail("a list filter answered without its filter, or refused with one", response.body);
  if (route == "/v1/who-can" && (status == 200) != (answer->getArray("relations") != nullptr))
    fail("a who-can answered without its relations, or refused with them", response.body);
  if (route == "/v1/batch" && status == 200) {
    const llvm::json::Array *answers = answer->getArray("answers");
    if (answers == nullptr || answers->size() > 8)
      fail("a batch answer without its answers, or over the limit", response.body);
    for (const llvm::json::Value &item : *answers) {
      const llvm::json::Object *one = item.getAsObject();
      if (one == nullptr ||
          (one->get("error") && one->getString("decision").getValueOr("") != "deny"))
        fail("a refused request of a batch that does not deny", response.body);
    }
  }
  return 0;
}
