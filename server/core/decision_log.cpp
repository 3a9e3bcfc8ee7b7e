// decision_log.cpp - the decision log's bounded queue and writer thread: a request only moves its
// entry into the queue; masking, JSON rendering and file I/O happen on the writer thread.
#include "server/core/decision_log.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <mutex>
#include <random>
#include <thread>

namespace lattice::server {
namespace {

void maskPath(llvm::json::Value &value, llvm::ArrayRef<llvm::StringRef> parts, size_t at) {
  if (llvm::json::Array *array = value.getAsArray()) {
    for (llvm::json::Value &item : *array)
      maskPath(item, parts, at);
    return;
  }
  llvm::json::Object *object = value.getAsObject();
  if (object == nullptr)
    return;
  llvm::json::Value *field = object->get(parts[at]);
  if (field == nullptr)
    return;
  if (at + 1 == parts.size())
    *field = "***";
  else
    maskPath(*field, parts, at + 1);
}

/// 64 random bits, so that ids of two processes (or of one restarted) do not collide.
uint64_t randomPrefix() {
  std::random_device device;
  return (uint64_t(device()) << 32) ^ uint64_t(device());
}

struct Queued {
  std::string id;
  const char *endpoint;
  llvm::json::Value request;
  bool allowed;
  std::string reason, error, role, revision;
  uint64_t generation;
  int64_t timeMs;
};

} // namespace

void maskFields(llvm::json::Value &request, const std::vector<std::string> &fields) {
  for (const std::string &field : fields) {
    llvm::SmallVector<llvm::StringRef, 4> split;
    llvm::StringRef(field).split(split, '.');
    if (!split.empty())
      maskPath(request, split, 0);
  }
}

struct DecisionLog::Writer {
  DecisionLogConfig config;
  std::FILE *file = nullptr;
  bool ownsFile = false;
  std::string openError;
  uint64_t prefix = randomPrefix();
  std::atomic<uint64_t> counter{0};
  std::atomic<uint64_t> dropped{0};

  std::mutex mutex;
  std::condition_variable wake, written;
  std::deque<Queued> queue;
  uint64_t queuedTotal = 0, writtenTotal = 0;
  bool stopping = false;
  std::thread thread;

  void write(Queued &entry) {
    maskFields(entry.request, config.maskFields);
    llvm::json::Object line{{"decision_id", entry.id},
                            {"time_ms", entry.timeMs},
                            {"endpoint", entry.endpoint},
                            {"revision", entry.revision},
                            {"generation", int64_t(entry.generation)},
                            {"request", std::move(entry.request)},
                            {"decision", entry.allowed ? "allow" : "deny"},
                            {"reason", entry.reason}};
    if (!entry.role.empty())
      line["role"] = entry.role;
    if (!entry.error.empty())
      line["error"] = entry.error;
    std::string text;
    llvm::raw_string_ostream os(text);
    os << llvm::json::Value(std::move(line)) << '\n';
    os.flush();
    std::fwrite(text.data(), 1, text.size(), file);
  }

  void run() {
    std::unique_lock lock(mutex);
    for (;;) {
      wake.wait(lock, [&] { return stopping || !queue.empty(); });
      if (queue.empty() && stopping)
        return;
      std::deque<Queued> batch;
      batch.swap(queue);
      lock.unlock();
      for (Queued &entry : batch)
        write(entry);
      std::fflush(file);
      lock.lock();
      writtenTotal += batch.size();
      written.notify_all();
    }
  }
};

DecisionLog::DecisionLog(DecisionLogConfig config) : writer_(std::make_unique<Writer>()) {
  Writer &w = *writer_;
  w.config = std::move(config);
  if (w.config.path.empty())
    return;
  if (w.config.path == "-") {
    w.file = stdout;
  } else if (!(w.file = std::fopen(w.config.path.c_str(), "a"))) {
    w.openError =
        fmt::format("cannot open the decision log `{}`: {}", w.config.path, std::strerror(errno));
    return;
  } else {
    w.ownsFile = true;
  }
  w.thread = std::thread([&w] { w.run(); });
}

DecisionLog::~DecisionLog() {
  Writer &w = *writer_;
  if (w.thread.joinable()) {
    {
      std::lock_guard lock(w.mutex);
      w.stopping = true;
    }
    w.wake.notify_all();
    w.thread.join();
  }
  if (w.ownsFile)
    std::fclose(w.file);
}

bool DecisionLog::enabled() const noexcept { return writer_->thread.joinable(); }
const std::string &DecisionLog::openError() const noexcept { return writer_->openError; }
uint64_t DecisionLog::dropped() const noexcept {
  return writer_->dropped.load(std::memory_order_relaxed);
}

std::string DecisionLog::record(DecisionEntry entry) {
  Writer &w = *writer_;
  if (!enabled())
    return "";
  const uint64_t n = w.counter.fetch_add(1, std::memory_order_relaxed) + 1;
  std::string id = fmt::format("{:016x}-{:x}", w.prefix, n);
  Queued queued{id,
                entry.endpoint,
                std::move(entry.request),
                entry.allowed,
                std::move(entry.reason),
                std::move(entry.error),
                std::move(entry.role),
                entry.policy ? entry.policy->revision : "",
                entry.policy ? entry.policy->generation : 0,
                std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count()};
  {
    std::lock_guard lock(w.mutex);
    if (w.queue.size() >= w.config.queueCapacity) {
      w.dropped.fetch_add(1, std::memory_order_relaxed);
      return id;
    }
    w.queue.push_back(std::move(queued));
    ++w.queuedTotal;
  }
  w.wake.notify_one();
  return id;
}

void DecisionLog::flush() {
  Writer &w = *writer_;
  if (!enabled())
    return;
  std::unique_lock lock(w.mutex);
  const uint64_t target = w.queuedTotal;
  w.written.wait(lock, [&] { return w.writtenTotal >= target; });
}

} // namespace lattice::server
