// suggest_test.cpp - "did you mean": which names count as a likely typo of which, and which not.
// The thresholds decide between a helpful hint and a misleading one, so both sides are pinned.
#include "diagnostics/suggest.h"

#include <gtest/gtest.h>

namespace lattice {
namespace {

std::optional<std::string> nearest(std::string_view name, std::vector<std::string_view> names) {
  NameSuggester suggester(name);
  for (std::string_view candidate : names)
    suggester.consider(candidate);
  return suggester.best();
}

TEST(Suggest, CountsOneEditOrOneSwapOfNeighboursAsOne) {
  EXPECT_EQ(editDistance("mfaa", "mfa", 5), 1u);     // insertion
  EXPECT_EQ(editDistance("raed", "read", 5), 1u);    // swap of neighbours
  EXPECT_EQ(editDistance("curd", "crud", 5), 1u);    // swap of neighbours
  EXPECT_EQ(editDistance("viewr", "viewer", 5), 1u); // deletion
  EXPECT_EQ(editDistance("abc", "cba", 5), 2u);      // a swap of non-neighbours is two edits
}

TEST(Suggest, OffersTheNearestNameWithinAThirdOfTheLength) {
  EXPECT_EQ(nearest("mfaa", {"active", "mfa"}), "mfa");
  EXPECT_EQ(nearest("tenant_usr", {"tenant", "tenant_user"}), "tenant_user");
  EXPECT_EQ(nearest("descendents", {"self", "descendants", "ancestors"}), "descendants");
  // Ties go to the first candidate offered (declaration order), so output is deterministic.
  EXPECT_EQ(nearest("cat", {"bat", "car"}), "bat");
  // A name equal but for case wins over a nearer-looking one.
  EXPECT_EQ(nearest("Admin", {"admins", "admin"}), "admin");
}

TEST(Suggest, StaysQuietWhenNothingIsCloseEnough) {
  EXPECT_EQ(nearest("acct", {"account"}), std::nullopt); // 3 edits for 4 letters
  EXPECT_EQ(nearest("orgnization", {"tenant"}), std::nullopt);
  EXPECT_EQ(nearest("a", {"b"}), std::nullopt);           // every letter replaced
  EXPECT_EQ(nearest("ab", {"b"}), std::nullopt);          // too short to tell
  EXPECT_EQ(nearest("viewer", {"viewer"}), std::nullopt); // the name itself is no help
  EXPECT_EQ(nearest("x", {}), std::nullopt);
  NameSuggester none("x");
  EXPECT_EQ(none.didYouMean(), "");
  NameSuggester some("raed");
  some.consider("read");
  EXPECT_EQ(some.didYouMean(), "did you mean `read`?");
}

} // namespace
} // namespace lattice
