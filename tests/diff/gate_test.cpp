// gate_test.cpp - the review gate (`lattice diff`) against brute force on random policy pairs
// (gate_oracle.h): new access exists exactly when the diff reports some, and every witness holds.
#include "compile_helper.h"
#include "gate_oracle.h"
#include "policy_generator.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace lattice::difftest {
namespace {

/// The policy text with its `index`-th line (of the lines that hold a statement) removed; the
/// result may not compile (then the pair is skipped).
std::string withoutLine(const std::string &text, uint64_t index) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  std::vector<size_t> candidates;
  for (size_t i = 0; i < lines.size(); ++i)
    if (lines[i].find(';') != std::string::npos && lines[i].rfind("policy", 0) != 0)
      candidates.push_back(i);
  if (candidates.empty())
    return text;
  lines.erase(lines.begin() + static_cast<long>(candidates[index % candidates.size()]));
  std::string out;
  for (const std::string &line : lines)
    out += line + "\n";
  return out;
}

/// The policy text with the condition (` when ...`) of its `index`-th line that has one removed:
/// a weakened allow, deny, policy-wide deny or `assigns` (e.g. a new delegation).
std::string withoutCondition(const std::string &text, uint64_t index) {
  std::vector<size_t> starts; // where each ` when ` begins
  for (size_t at = text.find(" when "); at != std::string::npos; at = text.find(" when ", at + 1))
    starts.push_back(at);
  if (starts.empty())
    return text;
  const size_t begin = starts[index % starts.size()];
  size_t end = text.find(';', begin);
  const size_t forAt = text.find(" for ", begin);
  if (forAt != std::string::npos && forAt < end)
    end = forAt; // keep a rule's `for`
  return text.substr(0, begin) + text.substr(end);
}

/// The oracle cost of the pairs --write-pairs keeps: fuzz_diff skips pairs above 10^6.
constexpr double kSeedCost = 2e5;

/// Writes a pair as fuzz_diff reads it: before, a line `=====`, after.
void writePair(const char *folder, uint64_t seed, const std::string &before,
               const std::string &after) {
  const std::string path = std::string(folder) + "/random_" + std::to_string(seed) + ".seed";
  if (FILE *f = std::fopen(path.c_str(), "wb")) {
    const std::string text = before + "=====\n" + after;
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
}

} // namespace
} // namespace lattice::difftest

int main(int argc, char **argv) {
  using namespace lattice::difftest;
  uint64_t seed = 1, count = 1000;
  GateMutation mutation = GateMutation::None;
  const char *pairFolder = nullptr; // --write-pairs: seeds for tests/fuzz's fuzz_diff
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--seed") == 0)
      seed = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--count") == 0)
      count = std::strtoull(argv[i + 1], nullptr, 10);
    else if (std::strcmp(argv[i], "--mutate") == 0 && std::strcmp(argv[i + 1], "combinations") == 0)
      mutation = GateMutation::DropCombinations;
    else if (std::strcmp(argv[i], "--mutate") == 0 && std::strcmp(argv[i + 1], "delegations") == 0)
      mutation = GateMutation::DropDelegations;
    else if (std::strcmp(argv[i], "--write-pairs") == 0)
      pairFolder = argv[i + 1];
    else {
      std::fprintf(stderr, "usage: lattice_gate_test [--seed N] [--count N] "
                           "[--mutate combinations|delegations] [--write-pairs DIR]\n");
      return 2;
    }
  }
  uint64_t pairs = 0, gains = 0, failures = 0, skipped = 0;
  for (uint64_t n = 0; n < count; ++n) {
    const uint64_t s = seed + n;
    Rng rng(s * 7919);
    const std::string a = generatePolicy(s);
    // Half the pairs are two random policies (same names, other content), half a policy and
    // the same policy with one statement removed (or, one time in four, one condition), in
    // either direction.
    std::string b = rng.chance(50)   ? generatePolicy(s + 1000003)
                    : rng.chance(25) ? withoutCondition(a, rng.next())
                                     : withoutLine(a, rng.next());
    std::string before = a, after = b;
    if (rng.chance(50))
      std::swap(before, after);
    auto compiledBefore = lattice::testing::compile(before);
    auto compiledAfter = lattice::testing::compile(after);
    if (!compiledBefore->model || !compiledAfter->model) {
      ++skipped;
      continue;
    }
    if (pairFolder && oracleCost(*compiledBefore->model, *compiledAfter->model) <= kSeedCost)
      writePair(pairFolder, s, before, after);
    GateCheck result = checkGate(*compiledBefore->model, *compiledAfter->model, mutation);
    ++pairs;
    gains += result.gained;
    if (!result.ok) {
      ++failures;
      if (mutation != GateMutation::None)
        break; // the self-test's verdict is settled by the first miss it catches
      if (failures <= 5)
        std::printf("seed %llu: %s\n--- before\n%s--- after\n%s\n",
                    static_cast<unsigned long long>(s), result.problem.c_str(), before.c_str(),
                    after.c_str());
    }
  }
  std::printf("%llu policy pairs (%llu with new access), %llu skipped (did not compile), "
              "%llu failed\n",
              static_cast<unsigned long long>(pairs), static_cast<unsigned long long>(gains),
              static_cast<unsigned long long>(skipped), static_cast<unsigned long long>(failures));
  if (mutation != GateMutation::None) // the checks must catch the injected misses
    return failures > 0 ? 0 : 1;
  return failures == 0 && pairs > 0 ? 0 : 1;
}
