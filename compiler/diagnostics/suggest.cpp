// suggest.cpp - nearest-name suggestions for unknown names, on top of LLVM's edit distance.
// LLVM's Levenshtein distance counts a swap of two letters (`curd` for `crud`) as 2; the
// commonest typo of all, so a single neighbouring swap is counted as 1 here.
#include "diagnostics/suggest.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cctype>

namespace lattice {
namespace {

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool isOneSwap(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b)
    return false;
  size_t first = 0;
  while (a[first] == b[first])
    ++first;
  return first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
         a.substr(first + 2) == b.substr(first + 2);
}

} // namespace

unsigned editDistance(std::string_view a, std::string_view b, unsigned limit) {
  if (isOneSwap(a, b))
    return 1;
  return llvm::StringRef(a.data(), a.size())
      .edit_distance(llvm::StringRef(b.data(), b.size()), /*AllowReplacements=*/true, limit);
}

NameSuggester::NameSuggester(std::string_view name)
    : name(name), limit(std::max<unsigned>(1, static_cast<unsigned>(name.size()) / 3)),
      bestDistance(limit + 1) {}

void NameSuggester::consider(std::string_view candidate) {
  if (candidate.empty() || candidate == name)
    return;
  if (equalsIgnoringCase(candidate, name)) {
    if (bestDistance > 0) {
      bestDistance = 0;
      bestName = std::string(candidate);
    }
    return;
  }
  // Names of one or two letters are too short to tell a typo from another name.
  unsigned distance = editDistance(name, candidate, limit + 1);
  if (distance == 0 || distance > limit || distance >= name.size() || distance >= candidate.size())
    return;
  if (distance < bestDistance) {
    bestDistance = distance;
    bestName = std::string(candidate);
  }
}

std::string NameSuggester::didYouMean() const {
  return bestName ? "did you mean `" + *bestName + "`?" : std::string();
}

} // namespace lattice
