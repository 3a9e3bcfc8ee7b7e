// bundle_test.cpp - policy bundles: what `build --bundle` writes reads back; every kind of damage
// or tampering (lengths, manifest, table, signature, a re-made unsigned bundle) is refused.
#include "bundle/bundle.h"
#include "bundle/bundle_format.h"
#include "table_helper.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace lattice::testing {
namespace {

struct Signed {
  bundle::PublicKey publicKey{};
  bundle::SecretKey secretKey{};
  std::vector<uint8_t> table, bytes;
};

Signed signedBundle() {
  Signed s;
  bundle::generateKeys(s.publicKey, s.secretKey);
  s.table = tableOf("role viewer for account_user { allow card.view; }");
  std::string error;
  std::optional<bundle::Manifest> manifest = bundle::manifestFor(s.table, "p", 1700000000, error);
  EXPECT_TRUE(manifest) << error;
  s.bytes = bundle::writeBundle(*manifest, s.table, &s.secretKey);
  return s;
}

/// The error reading `bytes`, or "" when they read.
std::string readError(const std::vector<uint8_t> &bytes) {
  std::string error;
  return bundle::readBundle(bytes, error) ? "" : error;
}

TEST(Bundle, ASignedBundleReadsBackAndVerifies) {
  const Signed s = signedBundle();
  std::string error;
  std::optional<bundle::Bundle> read = bundle::readBundle(s.bytes, error);
  ASSERT_TRUE(read) << error;
  EXPECT_EQ(read->table, s.table);
  EXPECT_EQ(read->manifest.policy, "p");
  EXPECT_EQ(read->manifest.revision, "r1");
  EXPECT_EQ(read->manifest.builtAt, 1700000000);
  EXPECT_EQ(read->manifest.tableVersion, "4.0");
  EXPECT_EQ(read->manifest.keyId, bundle::keyId(s.publicKey));
  EXPECT_EQ(bundle::verifySignature(*read, s.bytes, s.publicKey), "");
  bundle::PublicKey other{};
  bundle::SecretKey otherSecret{};
  bundle::generateKeys(other, otherSecret);
  EXPECT_NE(bundle::verifySignature(*read, s.bytes, other).find("not by this key"),
            std::string::npos);
}

TEST(Bundle, ItsLoadedTableIsTheCheckedOneAndSurvivesMoves) {
  const Signed s = signedBundle();
  std::string error;
  std::optional<bundle::Bundle> read = bundle::readBundle(s.bytes.data(), s.bytes.size(), error);
  ASSERT_TRUE(read) << error;
  ASSERT_TRUE(read->loaded);
  const uint8_t *bytesAt = read->table.data();
  // Moved the way the decision server moves it: the table's bytes and the loaded table go on.
  bundle::Bundle moved = std::move(*read);
  std::vector<uint8_t> tableBytes = std::move(moved.table);
  EXPECT_EQ(tableBytes.data(), bytesAt);
  const lattice_table *table = moved.loaded.get();
  EXPECT_EQ(fmt::format("{:016x}", lattice_table_fingerprint(table)),
            fmt::format("{:016x}", moved.manifest.fingerprint));
  EXPECT_EQ(std::string(lattice_table_revision(table)), "r1");
  const uint32_t viewer = lattice_role_id(table, "viewer");
  ASSERT_NE(viewer, LATTICE_NO_ID);
  lattice_request request{};
  request.kind = lattice_kind_id(table, "account_user");
  request.roles = &viewer;
  request.role_count = 1;
  request.permission = lattice_permission_id(table, "card.view");
  request.relation = LATTICE_REL_SAME;
  EXPECT_TRUE(lattice_decide(table, &request).allowed);
}

TEST(Bundle, TheSameInputsGiveTheSameBytes) {
  const std::vector<uint8_t> table = tableOf("role viewer for account_user { allow card.view; }");
  std::string error;
  std::optional<bundle::Manifest> m = bundle::manifestFor(table, "p", 42, error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(bundle::writeBundle(*m, table, nullptr), bundle::writeBundle(*m, table, nullptr));
}

TEST(Bundle, AnUnsignedBundleReadsButDoesNotVerify) {
  const Signed s = signedBundle();
  std::string error;
  std::optional<bundle::Manifest> m = bundle::manifestFor(s.table, "p", 1, error);
  ASSERT_TRUE(m) << error;
  const std::vector<uint8_t> bytes = bundle::writeBundle(*m, s.table, nullptr);
  std::optional<bundle::Bundle> read = bundle::readBundle(bytes, error);
  ASSERT_TRUE(read) << error;
  EXPECT_EQ(bundle::verifySignature(*read, bytes, s.publicKey), "the bundle is not signed");
}

TEST(Bundle, EveryFlippedByteIsRefusedOrFailsTheSignature) {
  // Header, manifest, table and signature: each single-bit change is caught by the reader, or
  // else (a byte the reader cannot judge, such as the signature itself) by the signature.
  const Signed s = signedBundle();
  for (size_t i = 0; i < s.bytes.size(); ++i) {
    std::vector<uint8_t> bytes = s.bytes;
    bytes[i] ^= 0x20;
    std::string error;
    std::optional<bundle::Bundle> read = bundle::readBundle(bytes, error);
    if (read) {
      EXPECT_NE(bundle::verifySignature(*read, bytes, s.publicKey), "") << "byte " << i;
    }
  }
}

TEST(Bundle, TruncationsAndTrailingBytesAreRefused) {
  const Signed s = signedBundle();
  for (size_t size = 0; size < s.bytes.size(); size += 7)
    EXPECT_NE(readError({s.bytes.begin(), s.bytes.begin() + ptrdiff_t(size)}), "") << size;
  std::vector<uint8_t> longer = s.bytes;
  longer.push_back(0);
  EXPECT_NE(readError(longer).find("announce"), std::string::npos);
}

TEST(Bundle, HostileLengthsAreRefusedBeforeUse) {
  const Signed s = signedBundle();
  std::vector<uint8_t> bytes = s.bytes;
  for (size_t i = 16; i < 24; ++i)
    bytes[i] = 0xFF; // table size 2^64 - 1
  EXPECT_NE(readError(bytes).find("more than the limit"), std::string::npos);
  bytes = s.bytes;
  bytes[12] = bytes[13] = bytes[14] = bytes[15] = 0xFF; // manifest size 4 GiB
  EXPECT_NE(readError(bytes).find("more than the limit"), std::string::npos);
  bytes = s.bytes;
  bytes[8] = 9;
  EXPECT_NE(readError(bytes).find("layout version 9"), std::string::npos);
  EXPECT_NE(readError({'L', 'T', 'A', 'B'}).find("not a lattice bundle"), std::string::npos);
}

TEST(Bundle, ATableSwappedInWithAMatchingManifestFailsTheSignature) {
  // An attacker replaces the table by another valid one and rewrites the manifest to match,
  // keeping the old signature: the reader accepts the consistent bundle, the signature does not.
  const Signed s = signedBundle();
  const std::vector<uint8_t> other =
      tableOf("role viewer for account_user { allow card.view, card.block in tenant; }");
  std::string error;
  std::optional<bundle::Manifest> m = bundle::manifestFor(other, "p", 1700000000, error);
  ASSERT_TRUE(m) << error;
  std::vector<uint8_t> forged = bundle::writeBundle(*m, other, &s.secretKey);
  // Replace the forged signature with the genuine one of the original bundle.
  std::copy(s.bytes.end() - 64, s.bytes.end(), forged.end() - 64);
  std::optional<bundle::Bundle> read = bundle::readBundle(forged, error);
  ASSERT_TRUE(read) << error;
  EXPECT_NE(bundle::verifySignature(*read, forged, s.publicKey).find("does not match"),
            std::string::npos);
}

TEST(Bundle, TheManifestMustDescribeItsTable) {
  const std::vector<uint8_t> table = tableOf("role viewer for account_user { allow card.view; }");
  std::string error;
  std::optional<bundle::Manifest> m = bundle::manifestFor(table, "p", 1, error);
  ASSERT_TRUE(m) << error;
  bundle::Manifest wrong = *m;
  wrong.revision = "r2";
  EXPECT_NE(readError(bundle::writeBundle(wrong, table, nullptr)).find("revision `r2` / `r1`"),
            std::string::npos);
  wrong = *m;
  wrong.fingerprint ^= 1;
  EXPECT_NE(readError(bundle::writeBundle(wrong, table, nullptr)).find("does not describe"),
            std::string::npos);
  wrong = *m;
  wrong.tableSha256[0] = wrong.tableSha256[0] == '0' ? '1' : '0';
  EXPECT_NE(readError(bundle::writeBundle(wrong, table, nullptr)).find("SHA-256"),
            std::string::npos);
}

TEST(Bundle, KeyFilesRoundTripAndMalformedOnesAreRefused) {
  bundle::PublicKey pub{};
  bundle::SecretKey sec{};
  bundle::generateKeys(pub, sec);
  std::string error;
  EXPECT_EQ(bundle::parsePublicKey(bundle::publicKeyText(pub), error), pub) << error;
  EXPECT_EQ(bundle::parseSecretKey(bundle::secretKeyText(sec), error), sec) << error;
  EXPECT_FALSE(bundle::parsePublicKey(bundle::secretKeyText(sec), error));
  EXPECT_NE(error.find("not a lattice-ed25519-public-key file"), std::string::npos) << error;
  EXPECT_FALSE(bundle::parsePublicKey("lattice-ed25519-public-key\nzz\n", error));
  EXPECT_NE(error.find("64 hexadecimal digits"), std::string::npos) << error;
  std::string text = bundle::publicKeyText(pub);
  text[30] = 'g';
  EXPECT_FALSE(bundle::parsePublicKey(text, error));
}

} // namespace
} // namespace lattice::testing
