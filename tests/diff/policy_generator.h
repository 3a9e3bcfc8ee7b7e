// policy_generator.h - random small Lattice policies for the differential test, as .lat text.
// A seed always gives the same text (own RNG, no std distributions), and every text compiles.
#pragma once

#include <cstdint>
#include <string>

namespace lattice::difftest {

/// A deterministic 64-bit generator (splitmix64): the same seed gives the same policy on every
/// platform and standard library.
class Rng {
public:
  explicit Rng(uint64_t seed) : state(seed) {}
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// Uniform in [lo, hi] (inclusive); the tiny modulo bias does not matter here.
  uint32_t between(uint32_t lo, uint32_t hi) { return lo + uint32_t(next() % (hi - lo + 1)); }
  /// True with probability percent/100.
  bool chance(uint32_t percent) { return next() % 100 < percent; }

private:
  uint64_t state;
};

/// A random policy with 2-4 scope kinds in one or two trees, 1-3 user types, 1-3 resources,
/// 0-3 flags, 0-2 facts (of the request or of resources, and `target.f` of node flags), 1-5
/// roles with rules, extends, assigns, locked/deprecated roles, exclusive sets and requirements.
/// Valid by construction: it must compile without errors (warnings are fine).
std::string generatePolicy(uint64_t seed);

} // namespace lattice::difftest
