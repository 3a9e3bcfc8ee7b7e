// fuzz_bundle.cpp - libFuzzer target: the bundle reader (compiler/bundle) on any bytes, as
// `lattice verify` and the decision server read untrusted files; a bundle it accepts has its
// signature checked with a fixed key. Never a crash, hang or sanitizer report.
#include "bundle/bundle.h"

#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::vector<uint8_t> bytes(data, data + size);
  std::string error;
  std::optional<lattice::bundle::Bundle> read = lattice::bundle::readBundle(bytes, error);
  if (read) {
    lattice::bundle::PublicKey key{};
    key[0] = 1;
    volatile size_t sink = lattice::bundle::verifySignature(*read, bytes, key).size();
    sink = sink + lattice::bundle::manifestJson(read->manifest).size();
  } else if (error.empty()) {
    __builtin_trap(); // a refusal must say why
  }
  return 0;
}
