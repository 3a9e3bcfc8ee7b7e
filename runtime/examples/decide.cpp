// decide.cpp - the C++ example of docs/runtime.md: RAII table, ids tied to it, node labels.
// Built and run by CTest against the sample table: decide SAMPLE.ltab
#include "lattice/lattice.hpp"

#include <cstdio>
#include <vector>

int main(int argc, char **argv) {
  lattice_load_status status;
  std::optional<lattice::Table> table = lattice::Table::loadFile(argc > 1 ? argv[1] : "", &status);
  if (!table) {
    std::fprintf(stderr, "cannot load table: %s\n", lattice_load_status_message(status));
    return 1;
  }

  // The host labels its scope tree once (and again after it changes):
  //   tenant 0 -> account 1 -> subaccount 2;  tenant 0 -> account 3
  lattice::TreeLabels tree = lattice::labelTree({-1, 0, 1, 0});
  if (!tree.ok())
    return 1;
  const std::vector<lattice_node_label> &node = tree.labels;

  // Ids carry the vocabulary of the table that resolved them: a table whose ids mean something
  // else refuses them (BAD_REQUEST) instead of reading them as its own. Unknown names deny too.
  const lattice::KindId kind = table->kindId("account_user");
  const lattice::RoleSet roles = table->roles({"driver"});
  const lattice::FlagSet flags = table->flags({"active"});
  // A driver sitting at account 1 acting on stations owned by account 1 itself.
  const lattice_relation relation = lattice::relationOf(node[1], node[1]);
  for (const char *permission : {"station.view", "station.reset"}) {
    lattice::Decision d =
        table->decide(kind, roles, table->permissionId(permission), relation, flags);
    std::printf("driver may %s: %s%s\n", permission + 8, d.allowed ? "yes" : "no",
                d.allowed ? "" : (d.reason == LATTICE_REASON_NO_ALLOW ? " (no_allow)" : " (?)"));
  }
  // Stations of the sibling account 3 are "tenant" to this principal: not covered by `self`.
  lattice::Decision sibling = table->decide(kind, roles, table->permissionId("station.view"),
                                            lattice::relationOf(node[1], node[3]), flags);
  std::printf("driver may view the sibling account's stations: %s\n", sibling ? "yes" : "no");
  return 0;
}
