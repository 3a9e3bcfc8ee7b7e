// commands.h - the subcommands of the `lattice` tool, one function (and file) each.
// Each takes the arguments after its name and returns a stable exit code (see compile.h).
#pragma once

#include <string>
#include <vector>

namespace lattice::driver {

using Argv = std::vector<std::string>;

int runCheck(const Argv &args);
int runFmt(const Argv &args);
int runBuild(const Argv &args);
int runQuery(const Argv &args);
int runExplain(const Argv &args);
int runTest(const Argv &args);
int runDoc(const Argv &args);
int runDiff(const Argv &args);
int runVerify(const Argv &args);
int runKeygen(const Argv &args);
int runWhoCan(const Argv &args);
int runServe(const Argv &args);
int runLsp(const Argv &args);

/// Entry point: dispatches on the subcommand; handles --help and --version.
int run(int argc, char **argv);

} // namespace lattice::driver
