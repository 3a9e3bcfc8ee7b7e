// bundle.cpp - writes and reads policy bundles (bundle_format.h) and their Ed25519 keys. Reading
// treats the bytes as hostile: every length is checked before use, the manifest must say exactly
// what the table says, and the table must load in the runtime.
#include "bundle/bundle.h"

#include "bundle/bundle_format.h"
#include "lattice/lattice.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <openssl/sha.h>
#include <sodium.h>

namespace lattice::bundle {
namespace {

void initSodium() {
  // Idempotent and thread-safe; fails only without a usable random source, which key generation
  // then cannot do without.
  if (sodium_init() < 0)
    abort();
}

std::string hex(const uint8_t *data, size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();
  return out;
}

} // namespace

std::string sha256Hex(const uint8_t *data, size_t size) {
  initSodium(); // for hex()
  // OpenSSL's libcrypto, not libsodium's crypto_hash_sha256: it uses the CPU's SHA extensions
  // (SHA-NI), about five times faster, and the server hashes the whole table at every reload.
  uint8_t digest[SHA256_DIGEST_LENGTH];
  SHA256(data, size, digest);
  return hex(digest, sizeof digest);
}

namespace {

template <size_t N>
std::optional<std::array<uint8_t, N>> parseKey(std::string_view text, std::string_view header,
                                               std::string &error) {
  const std::string expected = std::string(header) + "\n";
  if (text.substr(0, expected.size()) != expected) {
    error = fmt::format("not a {} file (its first line must be `{}`)", header, header);
    return std::nullopt;
  }
  std::string_view body = text.substr(expected.size());
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r'))
    body.remove_suffix(1);
  std::array<uint8_t, N> key{};
  size_t length = 0;
  const char *end = nullptr;
  if (body.size() != N * 2 ||
      sodium_hex2bin(key.data(), N, body.data(), body.size(), nullptr, &length, &end) != 0 ||
      length != N || end != body.data() + body.size()) {
    error =
        fmt::format("malformed {}: its second line must be {} hexadecimal digits", header, N * 2);
    return std::nullopt;
  }
  return key;
}

void putU32(std::vector<uint8_t> &out, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}
void putU64(std::vector<uint8_t> &out, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    out.push_back(uint8_t(v >> (8 * i)));
}
uint32_t getU32(const uint8_t *p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
uint64_t getU64(const uint8_t *p) { return uint64_t(getU32(p)) | uint64_t(getU32(p + 4)) << 32; }

using TablePtr = std::unique_ptr<lattice_table, TableDeleter>;

/// The table's own facts, or why it does not load; `loaded` (when given) keeps the loaded table.
struct TableFacts {
  uint64_t fingerprint = 0;
  std::string revision, version;
};
std::optional<TableFacts> tableFacts(const std::vector<uint8_t> &table, std::string &error,
                                     TablePtr *keep = nullptr) {
  lattice_table *raw = nullptr;
  const lattice_load_status status = lattice_table_load(table.data(), table.size(), &raw);
  TablePtr loaded(raw);
  if (status != LATTICE_LOAD_OK) {
    error = fmt::format("its table does not load: {}", lattice_load_status_message(status));
    return std::nullopt;
  }
  uint16_t major = 0, minor = 0;
  lattice_table_format_version(table.data(), table.size(), &major, &minor);
  TableFacts facts{lattice_table_fingerprint(loaded.get()), lattice_table_revision(loaded.get()),
                   fmt::format("{}.{}", major, minor)};
  if (keep)
    *keep = std::move(loaded);
  return facts;
}

std::string fingerprintText(uint64_t fingerprint) { return fmt::format("{:016x}", fingerprint); }

/// The manifest's fields from JSON text, each present once with its type; unknown keys refused.
std::optional<Manifest> parseManifest(std::string_view text, std::string &error) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed) {
    error = "its manifest is not JSON: " + llvm::toString(parsed.takeError());
    return std::nullopt;
  }
  const llvm::json::Object *object = parsed->getAsObject();
  if (!object) {
    error = "its manifest is not a JSON object";
    return std::nullopt;
  }
  static const char *const kKeys[] = {"format",       "policy",        "revision",
                                      "fingerprint",  "table_version", "built_at",
                                      "table_sha256", "table_bytes",   "key_id"};
  for (const auto &entry : *object)
    if (std::find_if(std::begin(kKeys), std::end(kKeys),
                     [&](const char *k) { return entry.first == k; }) == std::end(kKeys)) {
      error = fmt::format("its manifest has an unknown field `{}`", entry.first.str());
      return std::nullopt;
    }
  auto text_ = [&](const char *key, bool required) -> std::optional<std::string> {
    const llvm::json::Value *v = object->get(key);
    if (!v) {
      if (required)
        error = fmt::format("its manifest has no `{}`", key);
      return required ? std::nullopt : std::optional<std::string>("");
    }
    if (llvm::Optional<llvm::StringRef> s = v->getAsString())
      return s->str();
    error = fmt::format("its manifest's `{}` is not a string", key);
    return std::nullopt;
  };
  auto integer = [&](const char *key) -> std::optional<int64_t> {
    const llvm::json::Value *v = object->get(key);
    llvm::Optional<int64_t> n = v ? v->getAsInteger() : llvm::None;
    if (!n || *n < 0) {
      error = fmt::format("its manifest's `{}` is {}", key,
                          v ? "not a non-negative integer" : "missing");
      return std::nullopt;
    }
    return *n;
  };
  Manifest m;
  std::optional<std::string> format = text_("format", true);
  if (!format)
    return std::nullopt;
  if (*format != kManifestFormat) {
    error = fmt::format("its manifest is format `{}`; this lattice reads `{}`", *format,
                        kManifestFormat);
    return std::nullopt;
  }
  std::optional<std::string> policy = text_("policy", true), revision = text_("revision", true),
                             fingerprint = text_("fingerprint", true),
                             version = text_("table_version", true),
                             sha = text_("table_sha256", true), key = text_("key_id", false);
  std::optional<int64_t> builtAt = integer("built_at"), bytes = integer("table_bytes");
  if (!policy || !revision || !fingerprint || !version || !sha || !key || !builtAt || !bytes)
    return std::nullopt;
  char *end = nullptr;
  m.fingerprint = std::strtoull(fingerprint->c_str(), &end, 16);
  if (fingerprint->size() != 16 || end != fingerprint->c_str() + 16) {
    error = "its manifest's `fingerprint` is not 16 hexadecimal digits";
    return std::nullopt;
  }
  m.policy = *policy;
  m.revision = *revision;
  m.tableVersion = *version;
  m.builtAt = *builtAt;
  m.tableSha256 = *sha;
  m.tableBytes = uint64_t(*bytes);
  m.keyId = *key;
  return m;
}

} // namespace

void generateKeys(PublicKey &publicKey, SecretKey &secretKey) {
  initSodium();
  crypto_sign_keypair(publicKey.data(), secretKey.data());
}

std::string publicKeyText(const PublicKey &key) {
  return "lattice-ed25519-public-key\n" + hex(key.data(), key.size()) + "\n";
}
std::string secretKeyText(const SecretKey &key) {
  return "lattice-ed25519-secret-key\n" + hex(key.data(), key.size()) + "\n";
}
std::optional<PublicKey> parsePublicKey(std::string_view text, std::string &error) {
  return parseKey<kPublicKeySize>(text, "lattice-ed25519-public-key", error);
}
std::optional<SecretKey> parseSecretKey(std::string_view text, std::string &error) {
  return parseKey<kSecretKeySize>(text, "lattice-ed25519-secret-key", error);
}

std::string keyId(const PublicKey &key) { return sha256Hex(key.data(), key.size()).substr(0, 16); }

std::optional<Manifest> manifestFor(const std::vector<uint8_t> &table, const std::string &policy,
                                    int64_t builtAt, std::string &error) {
  std::optional<TableFacts> facts = tableFacts(table, error);
  if (!facts)
    return std::nullopt;
  Manifest m;
  m.policy = policy;
  m.revision = facts->revision;
  m.fingerprint = facts->fingerprint;
  m.tableVersion = facts->version;
  m.builtAt = builtAt;
  m.tableSha256 = sha256Hex(table.data(), table.size());
  m.tableBytes = table.size();
  return m;
}

std::string manifestJson(const Manifest &m) {
  llvm::json::Object object{
      {"format", kManifestFormat},       {"policy", m.policy},
      {"revision", m.revision},          {"fingerprint", fingerprintText(m.fingerprint)},
      {"table_version", m.tableVersion}, {"built_at", m.builtAt},
      {"table_sha256", m.tableSha256},   {"table_bytes", int64_t(m.tableBytes)}};
  if (!m.keyId.empty())
    object["key_id"] = m.keyId;
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(object)));
  os.flush();
  return out + "\n";
}

std::vector<uint8_t> writeBundle(Manifest manifest, const std::vector<uint8_t> &table,
                                 const SecretKey *secretKey) {
  initSodium();
  if (secretKey) {
    PublicKey publicKey{};
    crypto_sign_ed25519_sk_to_pk(publicKey.data(), secretKey->data());
    manifest.keyId = keyId(publicKey);
  }
  const std::string json = manifestJson(manifest);
  std::vector<uint8_t> out(std::begin(kMagic), std::end(kMagic));
  putU32(out, kVersion);
  putU32(out, uint32_t(json.size()));
  putU64(out, table.size());
  out.insert(out.end(), json.begin(), json.end());
  out.insert(out.end(), table.begin(), table.end());
  std::array<uint8_t, kSignatureSize> signature{};
  const size_t signedBytes = out.size();
  if (secretKey)
    crypto_sign_detached(signature.data(), nullptr, out.data(), signedBytes, secretKey->data());
  putU32(out, secretKey ? uint32_t(kSignatureSize) : 0);
  if (secretKey)
    out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

bool looksLikeBundle(const uint8_t *bytes, size_t size) {
  return bytes && size >= sizeof kMagic && std::memcmp(bytes, kMagic, sizeof kMagic) == 0;
}

std::optional<Bundle> readBundle(const std::vector<uint8_t> &bytes, std::string &error) {
  return readBundle(bytes.data(), bytes.size(), error);
}

std::optional<Bundle> readBundle(const uint8_t *data, size_t size, std::string &error) {
  if (!looksLikeBundle(data, size)) {
    error = "not a lattice bundle (no bundle magic at byte 0)";
    return std::nullopt;
  }
  if (size < kHeaderSize) {
    error = fmt::format("truncated: {} bytes, shorter than the {}-byte header", size, kHeaderSize);
    return std::nullopt;
  }
  const uint8_t *p = data;
  if (const uint32_t version = getU32(p + 8); version != kVersion) {
    error = fmt::format("bundle layout version {} at byte 8; this lattice reads version {}",
                        version, kVersion);
    return std::nullopt;
  }
  const uint64_t manifestSize = getU32(p + 12), tableSize = getU64(p + 16);
  if (manifestSize > kMaxManifest) {
    error = fmt::format("its manifest size at byte 12 is {} bytes, more than the limit of {}",
                        manifestSize, kMaxManifest);
    return std::nullopt;
  }
  if (tableSize > kMaxTable) {
    error = fmt::format("its table size at byte 16 is {} bytes, more than the limit of {}",
                        tableSize, kMaxTable);
    return std::nullopt;
  }
  const size_t tableAt = kHeaderSize + size_t(manifestSize);
  const size_t signatureSizeAt = tableAt + size_t(tableSize);
  if (size < signatureSizeAt + 4) {
    error = fmt::format("truncated: the header announces {} bytes of manifest and table and a "
                        "signature size, the file has {} bytes",
                        signatureSizeAt + 4, size);
    return std::nullopt;
  }
  const uint32_t signatureSize = getU32(p + signatureSizeAt);
  if (signatureSize != 0 && signatureSize != kSignatureSize) {
    error = fmt::format("its signature size at byte {} is {}; a signature is {} bytes or absent",
                        signatureSizeAt, signatureSize, kSignatureSize);
    return std::nullopt;
  }
  if (size != signatureSizeAt + 4 + signatureSize) {
    error = fmt::format("{} bytes where the header and signature size announce {}", size,
                        signatureSizeAt + 4 + signatureSize);
    return std::nullopt;
  }
  Bundle bundle;
  std::optional<Manifest> manifest = parseManifest(
      std::string_view(reinterpret_cast<const char *>(p + kHeaderSize), manifestSize), error);
  if (!manifest)
    return std::nullopt;
  bundle.manifest = std::move(*manifest);
  bundle.table.assign(p + tableAt, p + signatureSizeAt);
  bundle.signedBytes = signatureSizeAt;
  if (signatureSize) {
    bundle.signature.emplace();
    std::memcpy(bundle.signature->data(), p + signatureSizeAt + 4, kSignatureSize);
  }
  const Manifest &m = bundle.manifest;
  if (m.keyId.empty() != !bundle.signature) {
    error = bundle.signature ? "it is signed, but its manifest names no `key_id`"
                             : "its manifest names a signing key, but it has no signature";
    return std::nullopt;
  }
  if (m.tableBytes != tableSize) {
    error =
        fmt::format("its manifest says the table has {} bytes; it has {}", m.tableBytes, tableSize);
    return std::nullopt;
  }
  if (const std::string digest = sha256Hex(bundle.table.data(), bundle.table.size());
      digest != m.tableSha256) {
    error = fmt::format("its table's SHA-256 is {}, its manifest says {}: the table was changed",
                        digest, m.tableSha256);
    return std::nullopt;
  }
  std::optional<TableFacts> facts = tableFacts(bundle.table, error, &bundle.loaded);
  if (!facts)
    return std::nullopt;
  if (facts->fingerprint != m.fingerprint || facts->revision != m.revision ||
      facts->version != m.tableVersion) {
    error = fmt::format("its manifest does not describe its table: fingerprint {} / {}, revision "
                        "`{}` / `{}`, version {} / {} (manifest / table)",
                        fingerprintText(m.fingerprint), fingerprintText(facts->fingerprint),
                        m.revision, facts->revision, m.tableVersion, facts->version);
    return std::nullopt;
  }
  return bundle;
}

std::string verifySignature(const Bundle &bundle, const std::vector<uint8_t> &bytes,
                            const PublicKey &key) {
  return verifySignature(bundle, bytes.data(), bytes.size(), key);
}

std::string verifySignature(const Bundle &bundle, const uint8_t *data, size_t size,
                            const PublicKey &key) {
  initSodium();
  if (!bundle.signature)
    return "the bundle is not signed";
  if (bundle.manifest.keyId != keyId(key))
    return fmt::format("the bundle is signed by key {}, not by this key ({})",
                       bundle.manifest.keyId, keyId(key));
  if (bundle.signedBytes > size || crypto_sign_verify_detached(bundle.signature->data(), data,
                                                               bundle.signedBytes, key.data()) != 0)
    return "the signature does not match: the bundle was changed after it was signed";
  return "";
}

} // namespace lattice::bundle
