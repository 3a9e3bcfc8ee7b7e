// padded_tables.cpp - appends unused roles to lowered tables and widens their dense bitsets, for
// the differential test's second decide path (see padded_tables.h).
#include "padded_tables.h"

#include <string>

namespace lattice::difftest {

lower::Tables padPastOneWord(const lower::Tables &tables) {
  lower::Tables out = tables;
  const uint32_t roles = uint32_t(tables.roleNames.size());
  const uint32_t total = roles < kPaddedRoleCount ? kPaddedRoleCount : roles;
  uint64_t everyKind = 0;
  for (size_t k = 0; k < tables.kindNames.size(); ++k)
    everyKind |= uint64_t(1) << k;
  for (uint32_t r = roles; r < total; ++r) {
    // Generated names are lowercase identifiers: an upper-case one cannot clash.
    out.roleNames.push_back("Padding" + std::to_string(r));
    out.roleKindMask.push_back(everyKind);
    out.roleAttributes.push_back(0);
    out.roleAssigns.emplace_back();
  }
  // Re-lay the dense bitsets with the wider word count; the padding roles' bits stay clear.
  const uint32_t words = (total + 63) / 64;
  const uint32_t oldWords = tables.wordsPerBitset;
  const size_t rows = oldWords == 0 ? 0 : tables.allowBits.size() / oldWords;
  out.wordsPerBitset = words;
  out.allowBits.assign(rows * words, 0);
  for (size_t row = 0; row < rows; ++row)
    for (uint32_t w = 0; w < oldWords && w < words; ++w)
      out.allowBits[row * words + w] = tables.allowBits[row * oldWords + w];
  return out;
}

} // namespace lattice::difftest
