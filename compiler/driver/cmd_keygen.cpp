// cmd_keygen.cpp - `lattice keygen -o NAME`: a new Ed25519 key pair for signing bundles, written
// to NAME.key (secret, mode 0600) and NAME.pub; existing files are never overwritten.
#include "bundle/bundle.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kKeygenOptions = {
    {"-o", true, "NAME", "write NAME.key (the secret key) and NAME.pub (the public key)"},
    {"--help", false, "", "show this help"},
};

/// Creates `path` (never an existing file or link: O_EXCL) with `mode` and writes `text`; on
/// failure removes what it created.
bool writeNewFile(const std::string &path, const std::string &text, mode_t mode,
                  std::string &error) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    error = fmt::format("cannot create `{}`: {}", path, std::strerror(errno));
    return false;
  }
  fchmod(fd, mode); // the umask does not loosen a secret key, nor tighten a public one
  const bool ok = write(fd, text.data(), text.size()) == ssize_t(text.size()) && fsync(fd) == 0;
  if (!ok)
    error = fmt::format("cannot write `{}`: {}", path, std::strerror(errno));
  close(fd);
  if (!ok)
    unlink(path.c_str());
  return ok;
}

} // namespace

int runKeygen(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kKeygenOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice keygen -o NAME\n\nWrites a new Ed25519 key pair for `lattice "
               "build --bundle --sign NAME.key` and\n`lattice verify --public-key NAME.pub`. "
               "Keep NAME.key secret (it is written with mode 0600).\n\nOptions:\n{}",
               describeOptions(kKeygenOptions));
    return ExitOk;
  }
  if (!args)
    return usageError("keygen", error);
  if (!args->positional().empty())
    return usageError("keygen", fmt::format("unexpected argument `{}`", args->positional()[0]));
  std::optional<std::string> name = args->get("-o");
  if (!name)
    return usageError("keygen", "no output name; use `-o NAME`");
  const std::string secretPath = *name + ".key", publicPath = *name + ".pub";
  for (const std::string &path : {secretPath, publicPath}) {
    struct stat st {};
    if (lstat(path.c_str(), &st) == 0)
      return usageError("keygen", fmt::format("`{}` exists; keygen never overwrites a key", path));
  }
  bundle::PublicKey publicKey{};
  bundle::SecretKey secretKey{};
  bundle::generateKeys(publicKey, secretKey);
  if (!writeNewFile(secretPath, bundle::secretKeyText(secretKey), 0600, error)) {
    fmt::print(stderr, "lattice keygen: error: {}\n", error);
    return ExitUsage;
  }
  if (!writeNewFile(publicPath, bundle::publicKeyText(publicKey), 0644, error)) {
    unlink(secretPath.c_str()); // half a pair is no use
    fmt::print(stderr, "lattice keygen: error: {}\n", error);
    return ExitUsage;
  }
  fmt::print("wrote `{}` (secret) and `{}` (public), key id {}\n", secretPath, publicPath,
             bundle::keyId(publicKey));
  return ExitOk;
}

} // namespace lattice::driver
