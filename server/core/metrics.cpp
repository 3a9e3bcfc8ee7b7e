// metrics.cpp - relaxed atomic counters and fixed-bucket histograms (no lock on a request's path),
// and their rendering in Prometheus' text exposition format 0.0.4.
#include "server/core/metrics.h"

#include <array>
#include <atomic>
#include <fmt/format.h>

namespace lattice::server {
namespace {

constexpr size_t kEndpoints = size_t(Endpoint::ExtAuthz) + 1;
/// Upper bounds in seconds: decisions take microseconds, a slow batch or a stalled client more.
constexpr std::array<double, 14> kBuckets = {0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                             0.001,    0.0025,  0.005,  0.01,    0.025,
                                             0.05,     0.1,     0.25,   1.0};
/// The statuses an error is counted under; anything else is counted as "other".
constexpr std::array<int, 7> kStatuses = {400, 404, 405, 408, 413, 500, 503};

struct Histogram {
  std::array<std::atomic<uint64_t>, kBuckets.size() + 1> counts{}; // the last: above every bound
  std::atomic<uint64_t> sumNanos{0};
};

/// A Prometheus label value: backslash, double quote and newline escaped.
std::string labelValue(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

} // namespace

struct Metrics::State {
  std::array<std::array<std::atomic<uint64_t>, 2>, kEndpoints> decisions{}; // [endpoint][allowed]
  std::array<std::array<std::atomic<uint64_t>, kStatuses.size() + 1>, kEndpoints> errors{};
  std::array<Histogram, kEndpoints> latency{};
  std::array<std::atomic<uint64_t>, 2> reloads{}; // [succeeded]
};

const char *endpointLabel(Endpoint endpoint) {
  switch (endpoint) {
  case Endpoint::Decide:
    return "decide";
  case Endpoint::Batch:
    return "batch";
  case Endpoint::WhatCan:
    return "what_can";
  case Endpoint::WhoCan:
    return "who_can";
  case Endpoint::ListFilter:
    return "list_filter";
  case Endpoint::ExtAuthz:
    return "ext_authz";
  }
  return "unknown";
}

Metrics::Metrics() : state_(new State) {}
Metrics::~Metrics() { delete state_; }

void Metrics::observeDecisions(Endpoint endpoint, uint64_t allowed, uint64_t denied) noexcept {
  auto &row = state_->decisions[size_t(endpoint)];
  if (allowed)
    row[1].fetch_add(allowed, std::memory_order_relaxed);
  if (denied)
    row[0].fetch_add(denied, std::memory_order_relaxed);
}

void Metrics::observeLatency(Endpoint endpoint, std::chrono::nanoseconds latency) noexcept {
  Histogram &h = state_->latency[size_t(endpoint)];
  const double seconds = std::chrono::duration<double>(latency).count();
  size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket])
    ++bucket;
  h.counts[bucket].fetch_add(1, std::memory_order_relaxed);
  h.sumNanos.fetch_add(uint64_t(latency.count() < 0 ? 0 : latency.count()),
                       std::memory_order_relaxed);
}

void Metrics::observeError(Endpoint endpoint, int httpStatus) noexcept {
  size_t slot = 0;
  while (slot < kStatuses.size() && kStatuses[slot] != httpStatus)
    ++slot;
  state_->errors[size_t(endpoint)][slot].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::observeReload(bool succeeded) noexcept {
  state_->reloads[succeeded ? 1 : 0].fetch_add(1, std::memory_order_relaxed);
}

std::string Metrics::prometheusText(const ServedPolicy *policy) const {
  auto load = [](const std::atomic<uint64_t> &a) { return a.load(std::memory_order_relaxed); };
  std::string out;
  out += "# HELP lattice_decisions_total Decisions answered, by endpoint and decision.\n"
         "# TYPE lattice_decisions_total counter\n";
  for (size_t e = 0; e < kEndpoints; ++e)
    for (int allowed : {1, 0})
      out += fmt::format("lattice_decisions_total{{endpoint=\"{}\",decision=\"{}\"}} {}\n",
                         endpointLabel(Endpoint(e)), allowed ? "allow" : "deny",
                         load(state_->decisions[e][allowed]));
  out += "# HELP lattice_request_errors_total Calls refused with an error status (malformed, "
         "unknown name, over a limit), by endpoint and status.\n"
         "# TYPE lattice_request_errors_total counter\n";
  for (size_t e = 0; e < kEndpoints; ++e)
    for (size_t s = 0; s <= kStatuses.size(); ++s)
      if (uint64_t n = load(state_->errors[e][s]))
        out += fmt::format("lattice_request_errors_total{{endpoint=\"{}\",code=\"{}\"}} {}\n",
                           endpointLabel(Endpoint(e)),
                           s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other", n);
  out += "# HELP lattice_request_duration_seconds Time from a call's request read to its answer "
         "written, by endpoint.\n"
         "# TYPE lattice_request_duration_seconds histogram\n";
  for (size_t e = 0; e < kEndpoints; ++e) {
    const Histogram &h = state_->latency[e];
    const char *label = endpointLabel(Endpoint(e));
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBuckets.size(); ++b) {
      cumulative += load(h.counts[b]);
      out +=
          fmt::format("lattice_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"{}\"}} {}\n",
                      label, kBuckets[b], cumulative);
    }
    cumulative += load(h.counts[kBuckets.size()]);
    out +=
        fmt::format("lattice_request_duration_seconds_bucket{{endpoint=\"{}\",le=\"+Inf\"}} {}\n",
                    label, cumulative);
    out += fmt::format("lattice_request_duration_seconds_sum{{endpoint=\"{}\"}} {:.9f}\n", label,
                       double(load(h.sumNanos)) / 1e9);
    out += fmt::format("lattice_request_duration_seconds_count{{endpoint=\"{}\"}} {}\n", label,
                       cumulative);
  }
  out += "# HELP lattice_policy_reloads_total Reload attempts of a changed policy file, by "
         "result (a failed one keeps the old policy serving).\n"
         "# TYPE lattice_policy_reloads_total counter\n";
  out += fmt::format("lattice_policy_reloads_total{{result=\"success\"}} {}\n",
                     load(state_->reloads[1]));
  out += fmt::format("lattice_policy_reloads_total{{result=\"failure\"}} {}\n",
                     load(state_->reloads[0]));
  out += "# HELP lattice_policy_generation The serving policy's generation: 1 for the first "
         "load, +1 per successful reload (0 before the first load).\n"
         "# TYPE lattice_policy_generation gauge\n";
  out += fmt::format("lattice_policy_generation {}\n", policy ? policy->generation : 0);
  if (policy) {
    out += "# HELP lattice_policy_info The serving policy: its name, revision, vocabulary "
           "fingerprint and table digest (bundles).\n"
           "# TYPE lattice_policy_info gauge\n";
    const char *tableName = lattice_policy_name(policy->table.get());
    const std::string name =
        policy->manifest ? policy->manifest->policy : std::string(tableName ? tableName : "");
    out += fmt::format("lattice_policy_info{{policy=\"{}\",revision=\"{}\",fingerprint=\"{:016x}\","
                       "table_sha256=\"{}\"}} 1\n",
                       labelValue(name), labelValue(policy->revision), policy->fingerprint,
                       policy->manifest ? policy->manifest->tableSha256 : "");
    out += "# HELP lattice_policy_loaded_timestamp_seconds When the serving policy was loaded.\n"
           "# TYPE lattice_policy_loaded_timestamp_seconds gauge\n";
    out += fmt::format("lattice_policy_loaded_timestamp_seconds {:.3f}\n",
                       double(policy->loadedAtUnixMs) / 1000.0);
  }
  return out;
}

} // namespace lattice::server
