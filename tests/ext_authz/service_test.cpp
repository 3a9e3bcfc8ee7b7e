// service_test.cpp - the ext_authz gRPC service end to end in one process: a real gRPC server
// (ExtAuthzServer on a free loopback port) over a real policy store, metrics and decision log,
// called by gRPC's own C++ client stub. Reloads are seen by the next call; the port is checked.
#include "emit/table_writer.h"
#include "envoy/service/auth/v3/external_auth.grpc.pb.h"
#include "ext_authz_test_support.h"
#include "sample_tables.h"
#include "server/core/decision_log.h"
#include "server/core/metrics.h"
#include "server/core/policy_store.h"
#include "server/ext_authz/check.h"
#include "server/ext_authz/service.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace lattice::ext_authz {
namespace {

namespace fs = std::filesystem;
using envoy::service::auth::v3::Authorization;
using envoy::service::auth::v3::CheckRequest;
using envoy::service::auth::v3::CheckResponse;

void writeTable(const fs::path &path, const lower::Tables &tables) {
  const std::vector<uint8_t> bytes = emit::writeTable(tables);
  const fs::path next = path.string() + ".next";
  std::ofstream(next, std::ios::binary)
      .write(reinterpret_cast<const char *>(bytes.data()), std::streamsize(bytes.size()));
  fs::rename(next, path); // readers see the old file or the new one, whole
}

MappingConfig gateway() {
  return mappingOf("kind header x-kind\nmemberships header x-memberships\n"
                   "route GET /t/{tenant}/stations station.view {tenant}\n");
}

CheckRequest ask(const std::string &path, const std::string &memberships) {
  return checkRequest("GET", path, {{"x-kind", "tenant_user"}, {"x-memberships", memberships}});
}

class ServiceTest : public ::testing::Test {
protected:
  void SetUp() override {
    folder = fs::temp_directory_path() / ("lattice-ext-authz-" + std::to_string(::getpid()));
    fs::create_directories(folder);
    table = folder / "policy.ltab";
    writeTable(table, testing::sampleTables());
    store = std::make_unique<server::PolicyStore>(server::PolicySource{table.string(), {}});
    ASSERT_EQ(store->loadInitial(), std::nullopt);
    log = std::make_unique<server::DecisionLog>(server::DecisionLogConfig{
        (folder / "decisions.jsonl").string(), {"memberships.node", "target"}});
    std::string error;
    service = ExtAuthzServer::start("127.0.0.1:0", gateway(), *store, metrics, log.get(), error);
    ASSERT_TRUE(service) << error;
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(service->port()),
                                  grpc::InsecureChannelCredentials());
    stub = Authorization::NewStub(channel);
  }
  void TearDown() override {
    service.reset();
    log.reset();
    fs::remove_all(folder);
  }

  CheckResponse check(const CheckRequest &request) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    CheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  fs::path folder, table;
  std::unique_ptr<server::PolicyStore> store;
  server::Metrics metrics;
  std::unique_ptr<server::DecisionLog> log;
  std::unique_ptr<ExtAuthzServer> service;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<Authorization::Stub> stub;
};

TEST_F(ServiceTest, AllowsDeniesAndRefusesOverGrpc) {
  EXPECT_GT(service->port(), 0);
  EXPECT_EQ(check(ask("/t/acme/stations", "tenant_admin@acme")).status().code(), 0);
  CheckResponse denied = check(ask("/t/acme/stations", "support_agent@other"));
  EXPECT_EQ(denied.status().code(), kRpcPermissionDenied);
  EXPECT_EQ(denied.denied_response().status().code(), envoy::type::v3::Forbidden);
  CheckResponse unmapped = check(ask("/elsewhere", "tenant_admin@acme"));
  EXPECT_EQ(unmapped.status().code(), kRpcPermissionDenied);
  EXPECT_NE(unmapped.status().message().find("no route matches"), std::string::npos);

  // Metrics and the decision log saw all three, masked as configured.
  const std::string text = metrics.prometheusText(store->current().get());
  EXPECT_NE(text.find("ext_authz"), std::string::npos);
  log->flush();
  std::ifstream in(folder / "decisions.jsonl");
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    ++lines;
    EXPECT_NE(line.find("ext_authz"), std::string::npos) << line;
    EXPECT_EQ(line.find("\"acme\""), std::string::npos) << "node not masked: " << line;
    EXPECT_EQ(line.find("x-memberships"), std::string::npos) << "a header logged: " << line;
  }
  EXPECT_EQ(lines, 3);
}

TEST_F(ServiceTest, AReloadIsSeenByTheNextCall) {
  ASSERT_EQ(check(ask("/t/acme/stations", "support_agent@acme")).status().code(), 0);
  // The next table: support agents lose station.view.
  testing::TablesBuilder b("sample");
  const uint64_t tenantUser = 1u << b.kind("tenant_user");
  b.role("support_agent", tenantUser);
  b.permission("station.view", tenantUser);
  writeTable(table, b.build());
  ASSERT_TRUE(store->reloadIfChanged());
  EXPECT_EQ(check(ask("/t/acme/stations", "support_agent@acme")).status().code(),
            kRpcPermissionDenied);
}

TEST_F(ServiceTest, ListenAddresses) {
  std::string error;
  server::Metrics other;
  // A taken port is an error, not a shared port.
  EXPECT_FALSE(ExtAuthzServer::start("127.0.0.1:" + std::to_string(service->port()), gateway(),
                                     *store, other, nullptr, error));
  EXPECT_NE(error.find("cannot listen on"), std::string::npos) << error;
  for (const char *bad : {"127.0.0.1", "127.0.0.1:x", "127.0.0.1:70000", ":80", "[::1:80"}) {
    EXPECT_FALSE(ExtAuthzServer::start(bad, gateway(), *store, other, nullptr, error)) << bad;
  }
  std::string host;
  int port = 0;
  EXPECT_TRUE(splitListenAddress("[::1]:9191", host, port, error));
  EXPECT_EQ(host, "[::1]");
  EXPECT_EQ(port, 9191);
}

TEST_F(ServiceTest, StartRefusesABadMappingWithItsLocation) {
  server::Metrics other;
  std::string error;
  const fs::path mapping = folder / "gateway.map";
  auto startWith = [&](const std::string &text) {
    std::ofstream(mapping) << text;
    return startExtAuthz({"127.0.0.1:0", mapping.string()}, *store, other, nullptr, error);
  };
  // Names are checked against the policy serving now, with suggestions.
  EXPECT_FALSE(startWith("kind is tenant_usr\nmemberships header m\n"
                         "route GET /s station.veiw acme\n"));
  EXPECT_EQ(error, mapping.string() +
                       ":1:9: error: unknown user type `tenant_usr`; did you mean "
                       "`tenant_user`?\n" +
                       mapping.string() +
                       ":3:14: error: unknown permission `station.veiw`; did "
                       "you mean `station.view`?");
  EXPECT_FALSE(
      startWith("kind is tenant_user\nmemberships header m\nroute GET s station.view a\n"));
  EXPECT_EQ(error, mapping.string() + ":3:11: error: a path template starts with `/`");
  fs::remove(mapping);
  EXPECT_FALSE(startExtAuthz({"127.0.0.1:0", mapping.string()}, *store, other, nullptr, error));
  EXPECT_NE(error.find(mapping.string() + ": error: cannot read the ext_authz mapping"),
            std::string::npos)
      << error;
  auto started = startWith("kind is tenant_user\nmemberships header m\n"
                           "route GET /s station.view acme\n");
  ASSERT_TRUE(started) << error;
  EXPECT_EQ(listeningLine(*started),
            "lattice serve: ext_authz gRPC on 127.0.0.1:" + std::to_string(started->port()));
}

} // namespace
} // namespace lattice::ext_authz
