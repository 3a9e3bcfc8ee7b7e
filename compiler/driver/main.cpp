// main.cpp - the `lattice` executable. All work lives in the driver library.
// Kept tiny so the tool's behaviour is testable without spawning processes. Built twice: the
// self-contained variant (LATTICE_SELF_CONTAINED, docs/building.md) reads its stdlib modules
// from the binary, not from the source tree it was built in.
#include "driver/commands.h"
#include "parse/embedded_stdlib.h"

int main(int argc, char **argv) {
#ifdef LATTICE_SELF_CONTAINED
  lattice::parse::useEmbeddedStdlib();
#endif
  return lattice::driver::run(argc, argv);
}
