// metrics.h - the decision server's counters and latency histograms, rendered in Prometheus'
// text exposition format for /metrics. Recording is lock-free: it sits on every request's path.
#pragma once

#include "server/core/served_policy.h"

#include <chrono>
#include <string>

namespace lattice::server {

/// Where a decision was asked; a label of every decision metric.
enum class Endpoint { Decide, Batch, WhatCan, WhoCan, ListFilter, ExtAuthz };
const char *endpointLabel(Endpoint endpoint); // "decide", "batch", ..., "ext_authz"

class Metrics {
public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics &) = delete;
  Metrics &operator=(const Metrics &) = delete;

  /// One answered decision (a batch records each of its decisions and one latency for the call).
  void observeDecisions(Endpoint endpoint, uint64_t allowed, uint64_t denied) noexcept;
  /// The time one call took, from its request read to its answer written.
  void observeLatency(Endpoint endpoint, std::chrono::nanoseconds latency) noexcept;
  /// A call answered with an error (malformed, unknown name, over a limit): counted by status.
  void observeError(Endpoint endpoint, int httpStatus) noexcept;
  void observeReload(bool succeeded) noexcept;

  /// The exposition text: counters, histograms, and the serving policy's revision and generation
  /// as an info-style gauge (`policy` may be null before the first load).
  std::string prometheusText(const ServedPolicy *policy) const;

private:
  struct State;
  State *state_;
};

} // namespace lattice::server
