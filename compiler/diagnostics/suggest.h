// suggest.h - "did you mean": the nearest of some candidate names to a name that was not found.
// Callers offer only names of the kind expected at that place, in a deterministic order.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lattice {

/// Collects candidates one by one and keeps the one nearest to `name` by edit distance (an
/// insertion, deletion, replacement or swap of two neighbouring letters costs 1), if it is near
/// enough to be a likely typo: at most a third of the name's length (at least 1), and less than
/// the name's length. A candidate equal but for case always wins. Ties go to the first offered.
class NameSuggester {
public:
  explicit NameSuggester(std::string_view name);

  void consider(std::string_view candidate);
  /// The nearest candidate, or nullopt when none was near enough.
  const std::optional<std::string> &best() const { return bestName; }
  /// `did you mean `x`?`, or "" when there is no suggestion.
  std::string didYouMean() const;

private:
  std::string name;
  unsigned limit;
  unsigned bestDistance;
  std::optional<std::string> bestName;
};

/// The edit distance described above (exposed for tests).
unsigned editDistance(std::string_view a, std::string_view b, unsigned limit);

} // namespace lattice
