// cmd_serve.cpp - `lattice serve ARGS`: runs `lattice-serve` found beside this `lattice` binary
// (git-style), so the CLI links neither the HTTP nor the gRPC libraries (docs/design.md).
#include "driver/commands.h"
#include "driver/compile.h"

#include <cerrno>
#include <climits>
#include <cstring>
#include <fmt/format.h>
#include <unistd.h>

namespace lattice::driver {

int runServe(const Argv &args) {
  char self[PATH_MAX];
  const ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
  if (length <= 0) {
    fmt::print(stderr, "lattice serve: error: cannot find this program's own path: {}\n",
               std::strerror(errno));
    return ExitUsage;
  }
  std::string dir(self, size_t(length));
  dir.resize(dir.rfind('/') + 1);
  const std::string server = dir + "lattice-serve";
  std::vector<char *> argv;
  argv.push_back(const_cast<char *>("lattice-serve"));
  for (const std::string &arg : args)
    argv.push_back(const_cast<char *>(arg.c_str()));
  argv.push_back(nullptr);
  execv(server.c_str(), argv.data());
  fmt::print(stderr,
             "lattice serve: error: cannot run `{}`: {}\nhelp: `lattice serve` runs the decision "
             "server `lattice-serve` installed beside `lattice`; build it (target "
             "`lattice-serve`) or install it there\n",
             server, std::strerror(errno));
  return ExitUsage;
}

} // namespace lattice::driver
