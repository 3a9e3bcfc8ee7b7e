// lattice_driver.cpp - the Lattice engine of the side-by-side harness, written as a host would
// use the runtime: only lattice.h/lattice.hpp, names resolved once, per request no allocation.
#include "alloc_counter.h" // bench/micro: interposes the allocator, so the timed loop can prove 0
#include "lattice/lattice.hpp"
#include "scenario.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// The host's own records: ids resolved against the table once, when the entities are loaded.
struct HostUser {
  uint32_t kind = LATTICE_NO_ID;
  uint32_t node = 0;
  uint32_t firstRole = 0; // into Host::roleIds
  uint32_t roleCount = 0;
  uint64_t flags = 0; // the user's own flags (blocked); the node's are added per request
};

/// A node's record: its label and its flags (business), read together per request.
struct HostNode {
  lattice_node_label label;
  uint64_t flags = 0;
};

struct Host {
  std::vector<HostNode> nodes;
  std::vector<HostUser> users;
  std::vector<uint32_t> roleIds;
  std::vector<uint32_t> owners; // per resource: its owner node
};

struct HostRequest {
  uint32_t user, permission, resource;
};

/// Flag bit of `name`, or 0 when the policy has no such flag (then it never matters).
uint64_t flagBit(const lattice::Table &table, const char *name) {
  uint32_t id = table.flagId(name);
  return id == LATTICE_NO_ID ? 0 : uint64_t(1) << id;
}

std::optional<Host> loadHost(const lattice::Table &table, const std::string &dir,
                             std::string &error) {
  std::optional<bench::Entities> e = bench::readEntities(dir, error);
  if (!e)
    return std::nullopt;
  Host host;
  std::vector<int64_t> parents;
  for (const bench::Node &node : e->nodes)
    parents.push_back(node.parent);
  lattice::TreeLabels tree = lattice::labelTree(parents);
  if (!tree.ok()) {
    error = "the node tree cannot be labelled";
    return std::nullopt;
  }
  const uint64_t business = flagBit(table, "business"), blocked = flagBit(table, "blocked");
  for (size_t i = 0; i < e->nodes.size(); ++i)
    host.nodes.push_back({tree.labels[i], e->nodes[i].business ? business : 0});
  for (const bench::User &user : e->users) {
    HostUser h{table.kindId(user.kind), user.node, uint32_t(host.roleIds.size()),
               uint32_t(user.roles.size()), user.blocked ? blocked : 0};
    // Unknown names stay LATTICE_NO_ID: the runtime denies such a request (BAD_REQUEST).
    for (const std::string &role : user.roles)
      host.roleIds.push_back(table.roleId(role));
    host.users.push_back(h);
  }
  for (const bench::Resource &resource : e->resources)
    host.owners.push_back(resource.owner);
  return host;
}

/// What a host does per request: its records, the scope relation from the labels, the decision.
inline bool decide(const lattice::Table &table, const Host &host, const HostRequest &q) {
  const HostUser &user = host.users[q.user];
  const HostNode &node = host.nodes[user.node];
  const HostNode &owner = host.nodes[host.owners[q.resource]];
  lattice_request request{user.kind,
                          host.roleIds.data() + user.firstRole,
                          user.roleCount,
                          q.permission,
                          uint32_t(lattice_relation_of(node.label, owner.label)),
                          user.flags | node.flags};
  return lattice_decide(table.get(), &request).allowed != 0;
}

long peakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: lattice_driver TABLE.ltab SCENARIO_DIR ANSWERS_OUT [BATCH]\n");
    return 2;
  }
  const size_t batch = argc == 5 ? std::stoul(argv[4]) : 1000;

  Clock::time_point start = Clock::now();
  lattice_load_status status;
  std::optional<lattice::Table> table = lattice::Table::loadFile(argv[1], &status);
  if (!table) {
    std::fprintf(stderr, "lattice_driver: cannot load %s: %s\n", argv[1],
                 lattice_load_status_message(status));
    return 1;
  }
  double loadMs = msSince(start);

  start = Clock::now();
  std::string error;
  std::optional<Host> host = loadHost(*table, argv[2], error);
  if (!host) {
    std::fprintf(stderr, "lattice_driver: %s\n", error.c_str());
    return 1;
  }
  double entitiesMs = msSince(start);

  // Requests arrive with the permission by name; a host holds its ids as constants, so they are
  // resolved here, outside the timing.
  std::optional<std::vector<bench::Request>> read =
      bench::readRequests(argv[2], host->users.size(), host->owners.size(), error);
  if (!read || batch == 0) {
    std::fprintf(stderr, "lattice_driver: %s\n", batch == 0 ? "batch must be > 0" : error.c_str());
    return 1;
  }
  std::vector<HostRequest> requests;
  for (const bench::Request &q : *read)
    requests.push_back({q.user, table->permissionId(q.permission), q.resource});

  std::vector<uint8_t> answers(requests.size());
  // One untimed pass over the first batch warms caches, as in the node engines.
  for (size_t i = 0; i < std::min(batch, requests.size()); ++i)
    answers[i] = decide(*table, *host, requests[i]);
  std::vector<double> batchNs; // ns per decision of each batch
  batchNs.reserve(requests.size() / batch + 1);
  double totalNs = 0;
  if (!lattice::bench::allocationCountingWorks()) {
    std::fprintf(stderr, "lattice_driver: allocations cannot be counted in this build\n");
    return 1;
  }
  const uint64_t allocationsBefore = lattice::bench::allocationCount();
  for (size_t begin = 0; begin < requests.size(); begin += batch) {
    size_t end = std::min(begin + batch, requests.size());
    Clock::time_point t0 = Clock::now();
    for (size_t i = begin; i < end; ++i)
      answers[i] = decide(*table, *host, requests[i]);
    double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
    totalNs += ns;
    batchNs.push_back(ns / double(end - begin));
  }
  if (const uint64_t allocated = lattice::bench::allocationCount() - allocationsBefore) {
    std::fprintf(stderr, "lattice_driver: the timed path allocated %llu times\n",
                 static_cast<unsigned long long>(allocated));
    return 1;
  }
  if (!bench::writeAnswers(argv[3], answers)) {
    std::fprintf(stderr, "lattice_driver: cannot write %s\n", argv[3]);
    return 1;
  }

  // Nearest-rank percentiles over the batches, as engines.mjs computes them.
  std::sort(batchNs.begin(), batchNs.end());
  auto percentile = [&](double q) {
    if (batchNs.empty())
      return 0.0;
    size_t rank = size_t(std::ceil(q * double(batchNs.size())));
    return batchNs[std::clamp<size_t>(rank, 1, batchNs.size()) - 1];
  };
  size_t n = requests.size();
  std::printf("{\"name\":\"lattice\",\"load_ms\":%.3f,\"entities_ms\":%.3f,"
              "\"decisions_per_s\":%.0f,\"ns_mean\":%.2f,\"ns_p50\":%.2f,\"ns_p99\":%.2f,"
              "\"peak_rss_kib\":%ld}\n",
              loadMs, entitiesMs, n == 0 ? 0.0 : double(n) * 1e9 / totalNs,
              n == 0 ? 0.0 : totalNs / double(n), percentile(0.5), percentile(0.99), peakRssKib());
  return 0;
}
