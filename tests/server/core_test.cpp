// core_test.cpp - the decision server's core without a network: the policy store's first load and
// reloads (good, bad, corrupt, wrongly signed, unchanged), the metrics text, the decision log.
#include "server/core/decision_log.h"
#include "server/core/metrics.h"
#include "server/core/policy_store.h"
#include "table_helper.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <sstream>

namespace lattice::testing {
namespace {

namespace fs = std::filesystem;
using server::PolicySource;
using server::PolicyStore;
using server::ReloadOutcome;

/// What every served table adds to kBasePolicy; tables differ by their revision.
constexpr const char *kViewer = "role viewer for account_user { allow card.view; }";

struct Keys {
  bundle::PublicKey publicKey{};
  bundle::SecretKey secretKey{};
  Keys() { bundle::generateKeys(publicKey, secretKey); }
};

std::vector<uint8_t> bundleOf(const std::string &revision, const Keys *keys) {
  const std::vector<uint8_t> table = tableOf(kViewer, revision);
  std::string error;
  std::optional<bundle::Manifest> manifest = bundle::manifestFor(table, "base", 1700000000, error);
  EXPECT_TRUE(manifest) << error;
  return bundle::writeBundle(*manifest, table, keys ? &keys->secretKey : nullptr);
}

/// A fresh folder per test, removed afterwards.
class TempDir {
public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("lattice-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(next_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string &name) const { return path_ / name; }
  const fs::path &path() const { return path_; }

private:
  fs::path path_;
  static inline int next_ = 0;
};

/// Writes `bytes` to a temporary name and renames it onto `path`, as a deploy does.
void install(const fs::path &path, const std::vector<uint8_t> &bytes) {
  const fs::path temp = path.parent_path() / ("." + path.filename().string() + ".tmp");
  {
    std::ofstream out(temp, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
  }
  fs::rename(temp, path);
}

TEST(PolicyStore, ServesASignedBundleAndSwapsOnAGoodReload) {
  TempDir dir;
  Keys keys;
  const fs::path file = dir / "policy.lbundle";
  install(file, bundleOf("r1", &keys));
  PolicyStore store(PolicySource{file.string(), keys.publicKey});
  ASSERT_EQ(store.loadInitial(), std::nullopt);
  server::ServedPolicyPtr first = store.current();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->revision, "r1");
  EXPECT_EQ(first->generation, 1u);
  ASSERT_TRUE(first->manifest);
  EXPECT_EQ(first->manifest->policy, "base");
  EXPECT_EQ(store.reload(false), ReloadOutcome::Unchanged);

  install(file, bundleOf("r2", &keys));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Published);
  EXPECT_EQ(store.current()->revision, "r2");
  EXPECT_EQ(store.current()->generation, 2u);
  EXPECT_EQ(store.status().reloads, 1u);
  EXPECT_EQ(store.status().lastError, "");
  // A request that took the first policy still decides against it, whole.
  EXPECT_EQ(first->revision, "r1");
  EXPECT_NE(lattice_permission_id(first->table.get(), "card.view"), LATTICE_NO_ID);
}

TEST(PolicyStore, TheSameBytesWrittenAgainAreNotANewGeneration) {
  TempDir dir;
  const fs::path file = dir / "policy.lbundle";
  const std::vector<uint8_t> bytes = bundleOf("r1", nullptr);
  install(file, bytes);
  PolicyStore store(PolicySource{file.string(), std::nullopt});
  ASSERT_EQ(store.loadInitial(), std::nullopt);
  install(file, bytes);
  EXPECT_EQ(store.reload(false), ReloadOutcome::Unchanged);
  EXPECT_EQ(store.reload(true), ReloadOutcome::Unchanged);
  EXPECT_EQ(store.current()->generation, 1u);
}

TEST(PolicyStore, ACorruptBundleKeepsTheOldPolicyAndIsReported) {
  TempDir dir;
  const fs::path file = dir / "policy.lbundle";
  install(file, bundleOf("r1", nullptr));
  PolicyStore store(PolicySource{file.string(), std::nullopt});
  ASSERT_EQ(store.loadInitial(), std::nullopt);
  std::vector<uint8_t> corrupt = bundleOf("r2", nullptr);
  corrupt[corrupt.size() - 10] ^= 0x40; // inside the table: its digest no longer matches
  install(file, corrupt);
  EXPECT_EQ(store.reload(false), ReloadOutcome::Refused);
  EXPECT_EQ(store.current()->revision, "r1");
  EXPECT_EQ(store.current()->generation, 1u);
  const server::LoadStatus status = store.status();
  EXPECT_EQ(status.failedReloads, 1u);
  EXPECT_NE(status.lastError.find("not a valid bundle"), std::string::npos) << status.lastError;
  // Refused once: polling the same bad file again is not another failure.
  EXPECT_EQ(store.reload(false), ReloadOutcome::Unchanged);
  EXPECT_EQ(store.status().failedReloads, 1u);
  // A good file afterwards is served and clears the error.
  install(file, bundleOf("r3", nullptr));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Published);
  EXPECT_EQ(store.current()->revision, "r3");
  EXPECT_EQ(store.status().lastError, "");
}

TEST(PolicyStore, AWronglySignedOrUnsignedFileIsRefusedWithAKey) {
  TempDir dir;
  Keys keys, other;
  const fs::path file = dir / "policy.lbundle";
  install(file, bundleOf("r1", &keys));
  PolicyStore store(PolicySource{file.string(), keys.publicKey});
  ASSERT_EQ(store.loadInitial(), std::nullopt);

  install(file, bundleOf("r2", &other));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Refused);
  EXPECT_NE(store.status().lastError.find("not by this key"), std::string::npos)
      << store.status().lastError;
  install(file, bundleOf("r3", nullptr));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Refused);
  EXPECT_NE(store.status().lastError.find("not signed"), std::string::npos)
      << store.status().lastError;
  install(file, tableOf(kViewer, "r4"));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Refused);
  EXPECT_NE(store.status().lastError.find("not a signed bundle"), std::string::npos)
      << store.status().lastError;
  EXPECT_EQ(store.current()->revision, "r1");
  EXPECT_EQ(store.status().failedReloads, 3u);
}

TEST(PolicyStore, ServesATableAndRefusesAMissingOrEmptyFirstFile) {
  TempDir dir;
  const fs::path table = dir / "p.ltab";
  install(table, tableOf(kViewer, "t1"));
  PolicyStore store(PolicySource{table.string(), std::nullopt});
  ASSERT_EQ(store.loadInitial(), std::nullopt);
  EXPECT_FALSE(store.current()->manifest);
  EXPECT_EQ(store.current()->revision, "t1");

  PolicyStore missing(PolicySource{(dir / "nope.lbundle").string(), std::nullopt});
  std::optional<std::string> error = missing.loadInitial();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("nope.lbundle"), std::string::npos) << *error;
  EXPECT_FALSE(missing.current());

  install(dir / "empty.ltab", {});
  PolicyStore empty(PolicySource{(dir / "empty.ltab").string(), std::nullopt});
  ASSERT_TRUE(empty.loadInitial());
  EXPECT_FALSE(empty.current());
}

TEST(PolicyStore, AFolderServesItsOnePolicyFile) {
  TempDir dir;
  PolicyStore store(PolicySource{dir.path().string(), std::nullopt});
  std::optional<std::string> error = store.loadInitial();
  ASSERT_TRUE(error);
  EXPECT_NE(error->find("holds no policy"), std::string::npos) << *error;

  install(dir / "a.lbundle", bundleOf("r1", nullptr));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Published);
  EXPECT_EQ(store.current()->revision, "r1");
  // A second policy file: ambiguous, so refused; the first keeps serving.
  install(dir / "b.lbundle", bundleOf("r2", nullptr));
  EXPECT_EQ(store.reload(false), ReloadOutcome::Refused);
  EXPECT_NE(store.status().lastError.find("holds 2 policies"), std::string::npos);
  EXPECT_EQ(store.current()->revision, "r1");
  fs::remove(dir / "a.lbundle");
  EXPECT_EQ(store.reload(false), ReloadOutcome::Published);
  EXPECT_EQ(store.current()->revision, "r2");
}

/// The exposition text as {sample name with labels -> value}, checking its shape: every sample
/// belongs to a family announced by # HELP and # TYPE before it.
std::map<std::string, double> parseExposition(const std::string &text) {
  std::map<std::string, double> samples;
  std::map<std::string, std::string> types;
  const std::regex sample(R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? ([-+0-9.eE]+|\+Inf|NaN)$)");
  const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)\"(,|$))");
  std::istringstream in(text);
  std::string line;
  std::string lastHelp;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      lastHelp = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::string name = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_EQ(name, lastHelp) << "TYPE without HELP: " << line;
      types[name] = line.substr(line.find(' ', 7) + 1);
      continue;
    }
    std::smatch m;
    EXPECT_TRUE(std::regex_match(line, m, sample)) << "not a sample line: " << line;
    if (m.empty())
      continue;
    std::string family = m[1];
    for (const char *suffix : {"_bucket", "_sum", "_count"})
      if (!types.count(family) && family.size() > strlen(suffix) &&
          family.compare(family.size() - strlen(suffix), std::string::npos, suffix) == 0)
        family.resize(family.size() - strlen(suffix));
    EXPECT_TRUE(types.count(family)) << "sample before its # TYPE: " << line;
    if (m[2].matched) {
      std::string labels = std::string(m[2]).substr(1, m[2].length() - 2);
      EXPECT_TRUE(std::regex_search(labels, label)) << line;
    }
    samples[std::string(m[1]) + std::string(m[2])] =
        m[3] == "+Inf" ? INFINITY : std::stod(std::string(m[3]));
  }
  return samples;
}

TEST(Metrics, TheTextParsesAndTheCountersMove) {
  server::Metrics metrics;
  auto before = parseExposition(metrics.prometheusText(nullptr));
  EXPECT_EQ(before.at("lattice_decisions_total{endpoint=\"decide\",decision=\"allow\"}"), 0);
  EXPECT_EQ(before.at("lattice_policy_generation"), 0);

  metrics.observeDecisions(server::Endpoint::Decide, 2, 1);
  metrics.observeDecisions(server::Endpoint::ExtAuthz, 0, 5);
  metrics.observeLatency(server::Endpoint::Decide, std::chrono::microseconds(30));
  metrics.observeLatency(server::Endpoint::Decide, std::chrono::milliseconds(2));
  metrics.observeLatency(server::Endpoint::Decide, std::chrono::seconds(3));
  metrics.observeError(server::Endpoint::Batch, 413);
  metrics.observeError(server::Endpoint::Batch, 418);
  metrics.observeReload(true);
  metrics.observeReload(false);
  metrics.observeReload(false);

  TempDir dir;
  install(dir / "p.lbundle", bundleOf("rev\"1", nullptr));
  PolicyStore store(PolicySource{(dir / "p.lbundle").string(), std::nullopt});
  ASSERT_EQ(store.loadInitial(), std::nullopt);
  const std::string text = metrics.prometheusText(store.current().get());
  auto after = parseExposition(text);
  EXPECT_EQ(after.at("lattice_decisions_total{endpoint=\"decide\",decision=\"allow\"}"), 2);
  EXPECT_EQ(after.at("lattice_decisions_total{endpoint=\"decide\",decision=\"deny\"}"), 1);
  EXPECT_EQ(after.at("lattice_decisions_total{endpoint=\"ext_authz\",decision=\"deny\"}"), 5);
  EXPECT_EQ(after.at("lattice_request_errors_total{endpoint=\"batch\",code=\"413\"}"), 1);
  EXPECT_EQ(after.at("lattice_request_errors_total{endpoint=\"batch\",code=\"other\"}"), 1);
  EXPECT_EQ(after.at("lattice_request_duration_seconds_count{endpoint=\"decide\"}"), 3);
  EXPECT_EQ(after.at("lattice_request_duration_seconds_bucket{endpoint=\"decide\",le=\"5e-05\"}"),
            1);
  EXPECT_EQ(after.at("lattice_request_duration_seconds_bucket{endpoint=\"decide\",le=\"0.0025\"}"),
            2);
  EXPECT_EQ(after.at("lattice_request_duration_seconds_bucket{endpoint=\"decide\",le=\"1\"}"), 2);
  EXPECT_EQ(after.at("lattice_request_duration_seconds_bucket{endpoint=\"decide\",le=\"+Inf\"}"),
            3);
  EXPECT_NEAR(after.at("lattice_request_duration_seconds_sum{endpoint=\"decide\"}"), 3.00203, 1e-9);
  EXPECT_EQ(after.at("lattice_policy_reloads_total{result=\"success\"}"), 1);
  EXPECT_EQ(after.at("lattice_policy_reloads_total{result=\"failure\"}"), 2);
  EXPECT_EQ(after.at("lattice_policy_generation"), 1);
  // The revision's quote is escaped in its label.
  EXPECT_NE(text.find("revision=\"rev\\\"1\""), std::string::npos) << text;
  // Buckets are cumulative in every histogram.
  double last = 0;
  for (const auto &[name, value] : after)
    if (name.rfind("lattice_request_duration_seconds_bucket{endpoint=\"decide\"", 0) == 0)
      last = std::max(last, value);
  EXPECT_EQ(last, 3);
}

TEST(DecisionLog, MaskingReplacesNamedFieldsThroughArrays) {
  llvm::json::Value request = llvm::json::Object{
      {"kind", "account_user"},
      {"flags", llvm::json::Array{"active"}},
      {"memberships", llvm::json::Array{llvm::json::Object{{"node", "a/b"}, {"roles", {"x"}}},
                                        llvm::json::Object{{"node", "a/c"}}}}};
  server::maskFields(request, {"flags", "memberships.node", "absent", "kind.deeper"});
  std::string text;
  llvm::raw_string_ostream(text) << request;
  EXPECT_EQ(text, R"({"flags":"***","kind":"account_user","memberships":[{"node":"***","roles":)"
                  R"(["x"]},{"node":"***"}]})");
}

TEST(DecisionLog, WritesOneMaskedLineWithAUniqueIdPerDecision) {
  TempDir dir;
  const fs::path path = dir / "decisions.jsonl";
  std::set<std::string> ids;
  {
    server::DecisionLog log(server::DecisionLogConfig{path.string(), {"roles"}});
    ASSERT_EQ(log.openError(), "");
    ASSERT_TRUE(log.enabled());
    server::ServedPolicy policy;
    policy.revision = "r9";
    policy.generation = 4;
    for (int i = 0; i < 100; ++i) {
      server::DecisionEntry entry;
      entry.endpoint = server::endpointLabel(server::Endpoint::Decide);
      entry.request = llvm::json::Object{{"kind", "k"}, {"roles", {"secret"}}, {"n", i}};
      entry.allowed = i % 2 == 0;
      entry.reason = "allowed";
      entry.role = "viewer";
      entry.policy = &policy;
      ids.insert(log.record(std::move(entry)));
    }
    log.flush();
    EXPECT_EQ(log.dropped(), 0u);
  }
  EXPECT_EQ(ids.size(), 100u);
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(line);
    ASSERT_TRUE(bool(parsed)) << line;
    const llvm::json::Object *object = parsed->getAsObject();
    ASSERT_TRUE(object);
    EXPECT_TRUE(ids.count(object->getString("decision_id").getValueOr("").str())) << line;
    EXPECT_EQ(object->getString("revision").getValueOr(""), "r9");
    EXPECT_EQ(object->getInteger("generation").getValueOr(0), 4);
    EXPECT_EQ(object->getString("decision").getValueOr(""), n % 2 == 0 ? "allow" : "deny");
    EXPECT_EQ(object->getObject("request")->getString("roles").getValueOr(""), "***") << line;
    EXPECT_EQ(object->getObject("request")->getInteger("n").getValueOr(-1), n);
    ++n;
  }
  EXPECT_EQ(n, 100);
}

TEST(DecisionLog, NoPathMeansNoLogAndAnUnopenableFileIsAnError) {
  server::DecisionLog off(server::DecisionLogConfig{});
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(off.record(server::DecisionEntry{}), "");
  server::DecisionLog bad(server::DecisionLogConfig{"/nonexistent-dir/x/decisions.jsonl", {}});
  EXPECT_NE(bad.openError().find("cannot open the decision log"), std::string::npos);
  EXPECT_FALSE(bad.enabled());
}

} // namespace
} // namespace lattice::testing
