// main.cpp - the `lattice` executable. All work lives in the driver library.
// Kept tiny so the tool's behaviour is testable without spawning processes.
#include "driver/commands.h"

int main(int argc, char **argv) { return lattice::driver::run(argc, argv); }
