// cmd_verify.cpp - `lattice verify BUNDLE [--public-key KEY]`: reads a bundle as the server will
// (every length, the manifest against the table, the table through the runtime's loader) and
// checks its signature; prints the manifest in words or as JSON.
#include "base/input_file.h"
#include "bundle/bundle.h"
#include "bundle/bundle_format.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"

#include "llvm/Support/JSON.h"

#include <ctime>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kVerifyOptions = {
    {"--public-key", true, "KEY", "check the signature with the public key file KEY"},
    {"--format", true, "text|json", "print the result in words (default) or as JSON"},
    {"--help", false, "", "show this help"},
};

std::string utc(int64_t seconds) {
  const std::time_t t = std::time_t(seconds);
  std::tm tm{};
  if (!gmtime_r(&t, &tm))
    return std::to_string(seconds);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

} // namespace

int runVerify(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kVerifyOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice verify [options] BUNDLE\n\nChecks a bundle written by `lattice "
               "build --bundle`: its layout, that its manifest\ndescribes its table, that the "
               "table loads, and with --public-key its signature.\nExit 0 valid, 1 invalid or "
               "not signed by that key, 2 usage or I/O error.\n\nOptions:\n{}",
               describeOptions(kVerifyOptions));
    return ExitOk;
  }
  if (!args)
    return usageError("verify", error);
  if (args->positional().size() != 1)
    return usageError("verify", "give one bundle file");
  const std::string format = args->get("--format").value_or("text");
  if (format != "text" && format != "json")
    return usageError("verify", fmt::format("unknown format `{}`; use `text` or `json`", format));
  std::optional<bundle::PublicKey> key;
  if (std::optional<std::string> path = args->get("--public-key")) {
    std::string text;
    if (!readWholeFile(*path, 4096, text, error))
      return usageError("verify", fmt::format("cannot read `{}`: {}", *path, error));
    if (!(key = bundle::parsePublicKey(text, error)))
      return usageError("verify", fmt::format("`{}`: {}", *path, error));
  }
  const std::string &path = args->positional()[0];
  std::string file;
  if (!readWholeFile(path,
                     bundle::kHeaderSize + bundle::kMaxManifest + bundle::kMaxTable + 4 +
                         bundle::kSignatureSize,
                     file, error))
    return usageError("verify", fmt::format("cannot read `{}`: {}", path, error));
  const std::vector<uint8_t> bytes(file.begin(), file.end());
  std::optional<bundle::Bundle> read = bundle::readBundle(bytes, error);
  std::string signature; // "" good; else why not
  if (read && key)
    signature = bundle::verifySignature(*read, bytes, *key);
  const bool valid = read && (!key || signature.empty());
  if (format == "json") {
    llvm::json::Object out{{"file", path}, {"valid", valid}};
    if (!read)
      out["error"] = error;
    if (read) {
      llvm::Expected<llvm::json::Value> manifest =
          llvm::json::parse(bundle::manifestJson(read->manifest));
      out["manifest"] = manifest ? std::move(*manifest) : llvm::json::Value(nullptr);
      out["signed"] = read->signature.has_value();
      if (key)
        out["signature"] = signature.empty() ? "good" : signature;
    }
    fmt::print("{}\n", llvm::formatv("{0:2}", llvm::json::Value(std::move(out))).str());
    return valid ? ExitOk : ExitErrors;
  }
  if (!read) {
    fmt::print(stderr, "lattice verify: error: `{}` is not a valid bundle: {}\n", path, error);
    return ExitErrors;
  }
  const bundle::Manifest &m = read->manifest;
  fmt::print("`{}`: {} bundle of policy `{}`{}\n", path, valid ? "valid" : "INVALID", m.policy,
             m.revision.empty() ? "" : fmt::format(", revision `{}`", m.revision));
  fmt::print("  table: format {}, {} bytes, SHA-256 {}\n", m.tableVersion, m.tableBytes,
             m.tableSha256);
  fmt::print("  vocabulary fingerprint: {:016x}\n", m.fingerprint);
  fmt::print("  built: {}\n", utc(m.builtAt));
  if (!read->signature)
    fmt::print("  signature: none\n");
  else if (!key)
    fmt::print("  signature: by key {}, not checked (give --public-key)\n", m.keyId);
  else if (signature.empty())
    fmt::print("  signature: good, key {}\n", m.keyId);
  else
    fmt::print("  signature: BAD: {}\n", signature);
  if (!valid)
    fmt::print(stderr, "lattice verify: error: `{}`: {}\n", path, signature);
  return valid ? ExitOk : ExitErrors;
}

} // namespace lattice::driver
