// table_helper.h - the bytes of a table compiled from policy text held in memory, for the tests
// that bundle, load or serve one (bundle_test, the server's core_test).
#pragma once

#include "compile_helper.h"
#include "emit/table_writer.h"
#include "lower/lower.h"

#include <gtest/gtest.h>

namespace lattice::testing {

/// The table of kBasePolicy followed by `extra`, with `revision`; a test failure when it does not
/// compile.
inline std::vector<uint8_t> tableOf(const std::string &extra, const std::string &revision = "r1") {
  auto c = compile(std::string(kBasePolicy) + extra);
  EXPECT_TRUE(c->model) << c->describe();
  lower::Tables tables = lower::lowerModel(*c->model);
  tables.revision = revision;
  return emit::writeTable(tables);
}

} // namespace lattice::testing
