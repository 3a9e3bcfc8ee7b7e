// bundle.h - policy bundles: writing one (a manifest, the table, an optional signature), reading
// and validating one from untrusted bytes, and Ed25519 keys. Used by `lattice build --bundle`,
// `lattice verify`, `query`/`explain` and the decision server; libsodium does the cryptography.
#pragma once

#include "lattice/lattice.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lattice::bundle {

/// What a bundle says about its table (the manifest's fields, docs/bundles.md).
struct Manifest {
  std::string policy;       // the policy's name (`policy NAME;`), "" when it has none
  std::string revision;     // `--revision`, as in the table
  uint64_t fingerprint = 0; // the table's vocabulary fingerprint
  std::string tableVersion; // "4.0"
  int64_t builtAt = 0;      // seconds since the epoch: SOURCE_DATE_EPOCH, else the build's clock
  std::string tableSha256;  // lower-case hex of the table bytes' SHA-256
  uint64_t tableBytes = 0;
  std::string keyId; // signed bundles: the signing key's id (keyId()), else ""
};

using PublicKey = std::array<uint8_t, 32>;
using SecretKey = std::array<uint8_t, 64>;

/// A new Ed25519 key pair (libsodium's crypto_sign_keypair).
void generateKeys(PublicKey &publicKey, SecretKey &secretKey);
/// The key files' text: "lattice-ed25519-public-key\n<64 hex>\n" and
/// "lattice-ed25519-secret-key\n<128 hex>\n".
std::string publicKeyText(const PublicKey &key);
std::string secretKeyText(const SecretKey &key);
/// Parses a key file's text; nullopt and `error` ("not a lattice public key file", ...) otherwise.
std::optional<PublicKey> parsePublicKey(std::string_view text, std::string &error);
std::optional<SecretKey> parseSecretKey(std::string_view text, std::string &error);
/// A short id of a public key: the first 8 bytes of its SHA-256, in hex.
std::string keyId(const PublicKey &key);

/// The manifest for `table` (bytes of a table that loads): fingerprint, version, revision and
/// digest read from the table itself, so the manifest cannot disagree with it; nullopt and
/// `error` when the table does not load.
std::optional<Manifest> manifestFor(const std::vector<uint8_t> &table, const std::string &policy,
                                    int64_t builtAt, std::string &error);

/// The bundle's bytes; signed with `secretKey` when given (the manifest then names its key).
std::vector<uint8_t> writeBundle(Manifest manifest, const std::vector<uint8_t> &table,
                                 const SecretKey *secretKey);

/// A bundle read from untrusted bytes: every length, the manifest's fields and types, the table's
/// digest, size, fingerprint, version and revision against the table itself (which loads).
struct TableDeleter {
  void operator()(lattice_table *table) const { lattice_table_free(table); }
};

struct Bundle {
  Manifest manifest;
  std::vector<uint8_t> table;
  /// The table as the runtime loaded it to check it, reading `table`'s bytes in place (a move of
  /// the Bundle, or of `table`, keeps them where they are): a reader that serves the table takes
  /// this one instead of loading and checking the same bytes again. Move-only, so no copy of the
  /// Bundle can point into another's bytes.
  std::unique_ptr<lattice_table, TableDeleter> loaded;
  std::optional<std::array<uint8_t, 64>> signature;
  size_t signedBytes = 0; // the prefix of the file the signature covers
};

/// Whether `bytes` start like a bundle (its magic), so a reader can tell one from a table.
bool looksLikeBundle(const uint8_t *bytes, size_t size);

/// Reads and validates a bundle; nullopt and `error` (what is wrong, with the byte offset where
/// it applies) for anything malformed. No signature check: see verifySignature.
std::optional<Bundle> readBundle(const std::vector<uint8_t> &bytes, std::string &error);
/// The same over `size` bytes at `data` (not kept: the bundle's table is a copy).
std::optional<Bundle> readBundle(const uint8_t *data, size_t size, std::string &error);

/// Checks `bundle`'s signature with `key` over the file's bytes it was read from; "" when it
/// holds, else why not ("the bundle is not signed", "signed by key 0123abcd..., not by this key",
/// "the signature does not match: the bundle was changed after signing").
std::string verifySignature(const Bundle &bundle, const std::vector<uint8_t> &bytes,
                            const PublicKey &key);
std::string verifySignature(const Bundle &bundle, const uint8_t *data, size_t size,
                            const PublicKey &key);

/// Lower-case hex of the SHA-256 of `size` bytes (the manifest's `table_sha256`; the decision
/// server tells a rewritten file from a changed one with it).
std::string sha256Hex(const uint8_t *data, size_t size);

/// The manifest as JSON text (stable key order, 2-space indent), as written into bundles.
std::string manifestJson(const Manifest &manifest);

} // namespace lattice::bundle
