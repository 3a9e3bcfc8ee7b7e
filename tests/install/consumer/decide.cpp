// decide.cpp - a C++ host of the installed runtime (shared library): the RAII wrapper, ids tied
// to the table that resolved them, and labelTree. Usage: decide_cxx TABLE
#include <cstdio>
#include <lattice/lattice.hpp>

int main(int argc, char **argv) {
  lattice_load_status status;
  std::optional<lattice::Table> table = lattice::Table::loadFile(argc > 1 ? argv[1] : "", &status);
  if (!table) {
    std::fprintf(stderr, "cannot load: %s\n", lattice_load_status_message(status));
    return 2;
  }
  const bool exportAllowed = bool(table->decide(
      table->kindId("fleet_user"), table->roles({"fleet_manager"}),
      table->permissionId("vehicle.delete"), LATTICE_REL_DESCENDANT, table->flags({"active"})));
  const lattice::TreeLabels labels = lattice::labelTree({-1, 0});
  std::printf("fleet_manager vehicle.delete below: %s\n", exportAllowed ? "allow" : "deny");
  return exportAllowed && labels.ok() ? 0 : 1;
}
