// args_test.cpp - the command-line parser: values, switches, `=` syntax, `--`, and errors.
// Strictness is the point: every malformed command line must be refused with a reason.
#include "driver/args.h"

#include <gtest/gtest.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kSpecs = {
    {"-o", true, "OUT", ""}, {"--format", true, "F", ""}, {"--verbose", false, "", ""}};

TEST(Args, ParsesValuesSwitchesAndPositionals) {
  std::string error;
  auto args = Args::parse({"a.lat", "-o", "x.ltab", "--format=json", "--verbose", "-", "b.lat"},
                          kSpecs, error);
  ASSERT_TRUE(args) << error;
  EXPECT_EQ(args->positional(), (std::vector<std::string>{"a.lat", "-", "b.lat"}));
  EXPECT_EQ(args->get("-o"), "x.ltab");
  EXPECT_EQ(args->get("--format"), "json");
  EXPECT_TRUE(args->has("--verbose"));
  EXPECT_FALSE(args->has("--missing"));
}

TEST(Args, TreatsEverythingAfterDoubleDashAsFiles) {
  std::string error;
  auto args = Args::parse({"--", "--verbose"}, kSpecs, error);
  ASSERT_TRUE(args);
  EXPECT_EQ(args->positional(), std::vector<std::string>{"--verbose"});
}

TEST(Args, RefusesMalformedCommandLines) {
  std::string error;
  EXPECT_FALSE(Args::parse({"--frobnicate"}, kSpecs, error));
  EXPECT_EQ(error, "unknown option `--frobnicate`");
  EXPECT_FALSE(Args::parse({"-o"}, kSpecs, error));
  EXPECT_EQ(error, "option `-o` needs a value");
  EXPECT_FALSE(Args::parse({"--verbose=yes"}, kSpecs, error));
  EXPECT_EQ(error, "option `--verbose` takes no value");
}

TEST(Args, SplitsLists) {
  EXPECT_EQ(splitList("a,b,,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(splitList("").empty());
}

} // namespace
} // namespace lattice::driver
