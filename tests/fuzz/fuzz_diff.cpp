// fuzz_diff.cpp - libFuzzer target: the review gate (`lattice diff`) on two policy texts. When
// both compile and are small enough to brute-force, new access must be reported exactly when the
// reference interpreter finds some, with witnesses that hold (tests/diff/gate_oracle.h).
#include "compile_helper.h"
#include "diff/access_diff.h"
#include "gate_oracle.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace lattice;

// The input is the policy before, a line holding only this marker, and the policy after.
constexpr const char *kMarker = "\n=====\n";
constexpr size_t kMaxInput = 16 * 1024;
// Past this many oracle decisions an input takes seconds under ASan, and the fuzzer's -timeout
// would report the oracle's cost as a finding.
constexpr double kMaxOracleCost = 1e6;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > kMaxInput)
    return 0;
  const std::string input(reinterpret_cast<const char *>(data), size);
  const size_t split = input.find(kMarker);
  if (split == std::string::npos)
    return 0;
  auto before = testing::compile(input.substr(0, split + 1));
  auto after = testing::compile(input.substr(split + std::char_traits<char>::length(kMarker)));
  if (!before->model || !after->model ||
      difftest::oracleCost(*before->model, *after->model) > kMaxOracleCost)
    return 0;
  difftest::GateCheck check;
  try {
    check = difftest::checkGate(*before->model, *after->model);
  } catch (const diff::TooComplex &) {
    return 0; // `lattice diff` exits 2: it refuses, it does not pass
  }
  if (!check.ok) {
    std::fprintf(stderr, "review gate vs brute force: %s\n", check.problem.c_str());
    std::abort();
  }
  return 0;
}
