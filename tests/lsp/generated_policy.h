// generated_policy.h - a policy of N roles over 20 resources (roles extend earlier ones, some
// rules conditional), for the server's staleness tests; bench/lsp/run.py (generated_policy) writes
// the same.
#pragma once

#include <string>

namespace lattice::testing {

inline std::string generatedPolicy(unsigned roles) {
  std::string text = "policy generated;\n\nscope tenant;\nscope account under tenant;\n"
                     "usertype user at account;\nflag business on account;\n\n";
  for (unsigned r = 0; r < 20; ++r)
    text += "resource res" + std::to_string(r) + " owned_by account { view, edit, remove; }\n";
  for (unsigned i = 0; i < roles; ++i) {
    std::string n = std::to_string(i);
    text += "\nrole role" + n + " for user";
    if (i > 0)
      text += " extends role" + std::to_string(i / 2);
    text += " {\n";
    text += "  allow res" + std::to_string(i % 20) + ".view in subtree;\n";
    text += "  allow res" + std::to_string((i + 7) % 20) + ".edit when business;\n";
    text += "}\n";
  }
  return text;
}

} // namespace lattice::testing
