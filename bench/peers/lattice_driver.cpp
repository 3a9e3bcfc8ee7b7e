// lattice_driver.cpp - the Lattice engine of the side-by-side harness, written as a host would
// use the runtime: only lattice.h/lattice.hpp, per request no allocation. Two hosts: ids resolved
// once (`lattice`), or requests by name looked up per request (`lattice-names`, --names).
#include "alloc_counter.h" // bench/micro: interposes the allocator, so the timed loop can prove 0
#include "lattice/lattice.hpp"
#include "scenario.h"

#include <absl/container/flat_hash_map.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <string_view>

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

/// A request as a service receives it: the user, the permission and the resource by name.
struct NamedRequest {
  std::string user, permission, resource;
};

/// The host's name index: Abseil's flat (open-addressing) hash map, what a C++ service keeps a
/// large name index in (std::unordered_map chains its nodes: a profile of this driver at 56,000
/// names had 66 % of the request in its lookups, each a few cache misses). Its string keys take
/// the request's own strings (no allocation).
template <typename T> using NameMap = absl::flat_hash_map<std::string, T>;

/// The service's indexes from names to its records, built when the entities are loaded.
struct HostNames {
  NameMap<uint32_t> users;     // user name -> index into Host::users
  NameMap<uint32_t> resources; // resource name -> index into Host::owners
};

std::string userName(uint32_t id) { return "u" + std::to_string(id); }
std::string resourceName(uint32_t id) { return "r" + std::to_string(id); }

HostNames indexNames(const Host &host) {
  HostNames names;
  names.users.reserve(host.users.size());
  for (uint32_t i = 0; i < host.users.size(); ++i)
    names.users.emplace(userName(i), i);
  names.resources.reserve(host.owners.size());
  for (uint32_t i = 0; i < host.owners.size(); ++i)
    names.resources.emplace(resourceName(i), i);
  return names;
}

/// Flag bit of `name`, or 0 when the policy has no such flag (then it never matters).
uint64_t flagBit(const lattice::Table &table, const char *name) {
  uint32_t id = table.flagId(name).value();
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
    HostUser h{table.kindId(user.kind).value(), user.node, uint32_t(host.roleIds.size()),
               uint32_t(user.roles.size()), user.blocked ? blocked : 0};
    // Unknown names stay LATTICE_NO_ID: the runtime denies such a request (BAD_REQUEST).
    for (const std::string &role : user.roles)
      host.roleIds.push_back(table.roleId(role).value());
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

/// The whole request of a service that receives names: the user's and the resource's records
/// from its hash maps, the permission id from the runtime's name lookup, then the same decision.
/// An unknown name denies.
inline bool decideByName(const lattice::Table &table, const Host &host, const HostNames &names,
                         const NamedRequest &q) {
  const auto user = names.users.find(q.user);
  const auto resource = names.resources.find(q.resource);
  if (user == names.users.end() || resource == names.resources.end())
    return false;
  return decide(table, host,
                {user->second, table.permissionId(q.permission).value(), resource->second});
}

long peakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0)
      return std::stol(line.substr(6));
  return -1;
}

struct Options {
  const char *table = nullptr, *scenario = nullptr, *answers = nullptr;
  size_t batch = 1000;
  double minSeconds = 0; // repeat the requests until this much timed work (0: one pass)
  bool names = false;
};

std::optional<Options> parseOptions(int argc, char **argv) {
  if (argc < 4)
    return std::nullopt;
  Options o{argv[1], argv[2], argv[3]};
  for (int i = 4; i < argc; ++i) {
    char *end = nullptr;
    if (std::strcmp(argv[i], "--names") == 0) {
      o.names = true;
    } else if (std::strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
      o.batch = std::strtoul(argv[++i], &end, 10);
      if (*end != 0 || o.batch == 0)
        return std::nullopt;
    } else if (std::strcmp(argv[i], "--min-seconds") == 0 && i + 1 < argc) {
      o.minSeconds = std::strtod(argv[++i], &end);
      if (*end != 0 || !(o.minSeconds >= 0))
        return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  return o;
}

/// Answers requests [begin, end) of either kind into `answers`.
struct Decider {
  const lattice::Table &table;
  const Host &host;
  const HostNames *names;                  // set for --names
  const std::vector<HostRequest> &byId;    // used without --names
  const std::vector<NamedRequest> &byName; // used with --names
  size_t size() const { return names ? byName.size() : byId.size(); }
  void run(size_t begin, size_t end, std::vector<uint8_t> &answers) const {
    if (names) {
      for (size_t i = begin; i < end; ++i)
        answers[i] = decideByName(table, host, *names, byName[i]);
    } else {
      for (size_t i = begin; i < end; ++i)
        answers[i] = decide(table, host, byId[i]);
    }
  }
};

} // namespace

int main(int argc, char **argv) {
  std::optional<Options> options = parseOptions(argc, argv);
  if (!options) {
    std::fprintf(stderr, "usage: lattice_driver TABLE.ltab SCENARIO_DIR ANSWERS_OUT [--names] "
                         "[--batch N] [--min-seconds S]\n");
    return 2;
  }
  const size_t batch = options->batch;

  Clock::time_point start = Clock::now();
  lattice_load_status status;
  std::optional<lattice::Table> table = lattice::Table::loadFile(options->table, &status);
  if (!table) {
    std::fprintf(stderr, "lattice_driver: cannot load %s: %s\n", options->table,
                 lattice_load_status_message(status));
    return 1;
  }
  double loadMs = msSince(start);

  start = Clock::now();
  std::string error;
  std::optional<Host> host = loadHost(*table, options->scenario, error);
  if (!host) {
    std::fprintf(stderr, "lattice_driver: %s\n", error.c_str());
    return 1;
  }
  std::optional<HostNames> names;
  if (options->names)
    names = indexNames(*host);
  double entitiesMs = msSince(start);

  std::optional<std::vector<bench::Request>> read =
      bench::readRequests(options->scenario, host->users.size(), host->owners.size(), error);
  if (!read) {
    std::fprintf(stderr, "lattice_driver: %s\n", error.c_str());
    return 1;
  }
  // Dense ids: a host holds permission ids as constants, so they are resolved here, outside the
  // timing. Names: the requests as they arrive, every lookup inside the timing.
  std::vector<HostRequest> byId;
  std::vector<NamedRequest> byName;
  for (const bench::Request &q : *read) {
    if (options->names)
      byName.push_back({userName(q.user), q.permission, resourceName(q.resource)});
    else
      byId.push_back({q.user, table->permissionId(q.permission).value(), q.resource});
  }
  const Decider decider{*table, *host, names ? &*names : nullptr, byId, byName};
  const size_t n = decider.size();

  std::vector<uint8_t> answers(n), again(n);
  // One untimed pass over the first batch warms caches, as in the node engines.
  decider.run(0, std::min(batch, n), answers);
  std::vector<double> batchNs; // ns per decision of each batch, over every pass
  double totalNs = 0;
  size_t passes = 0;
  if (!lattice::bench::allocationCountingWorks()) {
    std::fprintf(stderr, "lattice_driver: allocations cannot be counted in this build\n");
    return 1;
  }
  // Passes over all requests until enough timed work, so that the median batch is stable.
  const size_t batchesPerPass = (n + batch - 1) / batch;
  const size_t expectedPasses =
      size_t(options->minSeconds * 1e9 / (double(n) * 10.0)) + 2; // room at 10 ns a decision
  batchNs.reserve(batchesPerPass * std::min<size_t>(expectedPasses, 100000));
  const uint64_t allocationsBefore = lattice::bench::allocationCount();
  do {
    std::vector<uint8_t> &out = passes == 0 ? answers : again;
    for (size_t begin = 0; begin < n; begin += batch) {
      size_t end = std::min(begin + batch, n);
      Clock::time_point t0 = Clock::now();
      decider.run(begin, end, out);
      double ns = std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
      totalNs += ns;
      if (batchNs.size() < batchNs.capacity()) // never grow inside the counted loop
        batchNs.push_back(ns / double(end - begin));
    }
    if (passes > 0 && again != answers) {
      std::fprintf(stderr, "lattice_driver: pass %zu answered differently\n", passes + 1);
      return 1;
    }
    ++passes;
  } while (n > 0 && totalNs < options->minSeconds * 1e9);
  if (const uint64_t allocated = lattice::bench::allocationCount() - allocationsBefore) {
    std::fprintf(stderr, "lattice_driver: the timed path allocated %llu times\n",
                 static_cast<unsigned long long>(allocated));
    return 1;
  }
  if (!bench::writeAnswers(options->answers, answers)) {
    std::fprintf(stderr, "lattice_driver: cannot write %s\n", options->answers);
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
  const double decisions = double(n) * double(passes);
  std::printf("{\"name\":\"%s\",\"load_ms\":%.3f,\"entities_ms\":%.3f,"
              "\"decisions_per_s\":%.0f,\"ns_mean\":%.2f,\"ns_p50\":%.2f,\"ns_p99\":%.2f,"
              "\"passes\":%zu,\"timed_s\":%.3f,\"peak_rss_kib\":%ld}\n",
              options->names ? "lattice-names" : "lattice", loadMs, entitiesMs,
              n == 0 ? 0.0 : decisions * 1e9 / totalNs, n == 0 ? 0.0 : totalNs / decisions,
              percentile(0.5), percentile(0.99), passes, totalNs / 1e9, peakRssKib());
  return 0;
}
