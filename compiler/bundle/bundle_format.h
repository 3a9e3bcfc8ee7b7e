// bundle_format.h - the layout of a policy bundle (`lattice build --bundle`): a manifest, the
// decision table and an optional Ed25519 signature in one file (docs/bundles.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace lattice::bundle {

// All integers little-endian. Layout:
//   [0, 8)    magic "LTBUNDL\0"
//   [8, 12)   u32 layout version (kVersion)
//   [12, 16)  u32 manifest size M (UTF-8 JSON, at most kMaxManifest)
//   [16, 24)  u64 table size T (a table file's bytes, at most kMaxTable)
//   [24, 24+M)          the manifest
//   [24+M, 24+M+T)      the table
//   then u32 signature size S (0, or kSignatureSize) and S bytes of signature
// and nothing after. The signature is Ed25519 over every byte before the signature size, so it
// covers the header, the manifest and the table.
inline constexpr char kMagic[8] = {'L', 'T', 'B', 'U', 'N', 'D', 'L', '\0'};
inline constexpr uint32_t kVersion = 1;
inline constexpr size_t kHeaderSize = 24;
inline constexpr size_t kMaxManifest = 64 * 1024;
inline constexpr size_t kMaxTable = size_t(256) << 20; // the runtime's default table limit
inline constexpr size_t kSignatureSize = 64;
inline constexpr size_t kPublicKeySize = 32;
inline constexpr size_t kSecretKeySize = 64; // libsodium's: seed and public key
/// The manifest's "format" value.
inline constexpr const char *kManifestFormat = "lattice-bundle/1";

} // namespace lattice::bundle
