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

TEST(Args, TreatsWhatIsNoOptionAfterDoubleDashAsFiles) {
  std::string error;
  auto args = Args::parse({"a.lat", "--", "--not-an-option", "-Wfoo", "b.lat"}, kSpecs, error);
  ASSERT_TRUE(args) << error;
  EXPECT_EQ(args->positional(),
            (std::vector<std::string>{"a.lat", "--not-an-option", "-Wfoo", "b.lat"}));
  EXPECT_EQ(args->positionalsBeforeDashes(), 1u);
  EXPECT_EQ(Args::parse({"a.lat"}, kSpecs, error)->positionalsBeforeDashes(), std::nullopt);
}

TEST(Args, RefusesAnOptionOfTheCommandAfterDoubleDash) {
  // Taken as a file name it would be silently dropped (a gate option appended to a CI line).
  std::string error;
  EXPECT_FALSE(Args::parse({"a.lat", "--", "--format=json"}, kSpecs, error));
  EXPECT_EQ(error, "option `--format` after `--`: put options before `--` (write "
                   "`./--format=json` for a file of that name)");
  EXPECT_FALSE(Args::parse({"--", "-o", "x"}, kSpecs, error));
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

TEST(Args, SuggestsTheNearestOptionOfTheCommand) {
  std::string error;
  EXPECT_FALSE(Args::parse({"--fromat", "json"}, kSpecs, error));
  EXPECT_EQ(error, "unknown option `--fromat`; did you mean `--format`?");
  EXPECT_FALSE(Args::parse({"--verbos"}, kSpecs, error));
  EXPECT_EQ(error, "unknown option `--verbos`; did you mean `--verbose`?");
  // Nothing near enough: no suggestion.
  EXPECT_FALSE(Args::parse({"--relation", "self"}, kSpecs, error));
  EXPECT_EQ(error, "unknown option `--relation`");
}

TEST(Args, SplitsLists) {
  EXPECT_EQ(splitList("a,b,,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(splitList("").empty());
}

} // namespace
} // namespace lattice::driver
