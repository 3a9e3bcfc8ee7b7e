// groups.cpp - lattice_reachable_groups: the groups a user is in through nested groups, so that
// a host can add their memberships to the user's (docs/request-model.md, "Groups").
#include "lattice/lattice.h"

#include <cstdlib>

extern "C" int lattice_reachable_groups(const uint32_t *from, const uint32_t *to, size_t edges,
                                        uint32_t groups, const uint32_t *direct, size_t directCount,
                                        uint8_t *reached) {
  if ((edges > 0 && (!from || !to)) || (directCount > 0 && !direct) || (groups > 0 && !reached))
    return -1;
  for (size_t e = 0; e < edges; ++e)
    if (from[e] >= groups || to[e] >= groups)
      return -1;
  for (size_t i = 0; i < directCount; ++i)
    if (direct[i] >= groups)
      return -1;
  // Edges by member group in compressed rows (a counting sort), then a breadth-first walk.
  uint32_t *first = static_cast<uint32_t *>(std::malloc((size_t(groups) + 1) * sizeof(uint32_t)));
  uint32_t *targets = static_cast<uint32_t *>(std::malloc((edges ? edges : 1) * sizeof(uint32_t)));
  uint32_t *queue = static_cast<uint32_t *>(std::malloc((groups ? groups : 1) * sizeof(uint32_t)));
  uint8_t *seen = static_cast<uint8_t *>(std::calloc(groups ? groups : 1, 1));
  int status = 0;
  if (!first || !targets || !queue || !seen) {
    status = -1;
  } else {
    for (uint32_t g = 0; g <= groups; ++g)
      first[g] = 0;
    for (size_t e = 0; e < edges; ++e)
      ++first[from[e] + 1];
    for (uint32_t g = 0; g < groups; ++g)
      first[g + 1] += first[g];
    for (size_t e = 0; e < edges; ++e)
      targets[first[from[e]]++] = to[e]; // `first[g]` now ends row g ...
    for (uint32_t g = groups; g > 0; --g)
      first[g] = first[g - 1]; // ... shifted back, it starts it again
    first[0] = 0;
    size_t head = 0, tail = 0;
    for (size_t i = 0; i < directCount; ++i)
      if (!seen[direct[i]]) {
        seen[direct[i]] = 1;
        queue[tail++] = direct[i];
      }
    while (head < tail) {
      const uint32_t g = queue[head++];
      reached[g] = 1;
      for (uint32_t e = first[g]; e < first[g + 1]; ++e)
        if (!seen[targets[e]]) {
          seen[targets[e]] = 1;
          queue[tail++] = targets[e];
        }
    }
  }
  std::free(first);
  std::free(targets);
  std::free(queue);
  std::free(seen);
  return status;
}
