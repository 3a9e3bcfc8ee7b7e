// seed_args.h - the `--seed N --count N [--mutate]` command line of the random differential
// drivers that take nothing else (what-can, who-can): one parser, one usage message.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace lattice::difftest {

/// Reads `--seed N` and `--count N` into `seed` and `count` (kept when absent) and, for a driver
/// with a self-test (`mutate` given), `--mutate` into `*mutate`; false after printing why to
/// stderr (`program` names the driver) on anything else.
inline bool parseSeedCount(int argc, char **argv, const char *program, uint64_t &seed,
                           uint64_t &count, bool *mutate = nullptr) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (mutate && arg == "--mutate") {
      *mutate = true;
      continue;
    }
    if ((arg == "--seed" || arg == "--count") && i + 1 < argc) {
      char *end = nullptr;
      const uint64_t value = std::strtoull(argv[++i], &end, 10);
      if (!end || *end != 0) {
        std::fprintf(stderr, "%s: bad number `%s`\n", program, argv[i]);
        return false;
      }
      (arg == "--seed" ? seed : count) = value;
      continue;
    }
    std::fprintf(stderr, "usage: %s [--seed N] [--count N]%s\n", program,
                 mutate ? " [--mutate]" : "");
    return false;
  }
  return true;
}

} // namespace lattice::difftest
