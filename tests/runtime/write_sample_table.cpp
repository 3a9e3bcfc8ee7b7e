// write_sample_table.cpp - writes the sample policy's table to a file for the runtime examples
// (runtime/examples/), which CTest then runs against it. Usage: write_sample_table OUT.ltab
#include "emit/table_writer.h"
#include "sample_tables.h"

#include <cstdio>

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: write_sample_table OUT.ltab\n");
    return 2;
  }
  const std::vector<uint8_t> bytes = lattice::emit::writeTable(lattice::testing::sampleTables());
  std::FILE *out = std::fopen(argv[1], "wb");
  if (!out || bytes.empty() || std::fwrite(bytes.data(), 1, bytes.size(), out) != bytes.size() ||
      std::fclose(out) != 0) {
    std::fprintf(stderr, "write_sample_table: cannot write %s\n", argv[1]);
    return 1;
  }
  return 0;
}
