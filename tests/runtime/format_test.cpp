// format_test.cpp - the table format as the loader sees it: determinism, every single-byte and
// header-bit corruption, truncation, random mutation, and each validation rule on its own.
#include "sample_tables.h"
#include "test_support.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <gtest/gtest.h>
#include <random>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace lattice::testing {
namespace {

using namespace format;

constexpr size_t kHeaderSize = hdr::kDirectory + hdr::kDirectoryEntrySize * kSectionCount;

TEST(Format, EmittingIsDeterministic) {
  const lower::Tables tables = sampleTables();
  EXPECT_EQ(emit::writeTable(tables), emit::writeTable(tables));
  EXPECT_EQ(emit::writeTable(tables), emit::writeTable(sampleTables()));
}

TEST(Format, SetLikeListsAreCanonicalised) {
  lower::Tables shuffled = sampleTables();
  std::mt19937 rng(7);
  std::shuffle(shuffled.sparseRules.begin(), shuffled.sparseRules.end(), rng);
  std::shuffle(shuffled.requireClauses.begin(), shuffled.requireClauses.end(), rng);
  std::reverse(shuffled.exclusiveSets.begin(), shuffled.exclusiveSets.end());
  for (auto &set : shuffled.exclusiveSets)
    std::reverse(set.begin(), set.end());
  for (auto &assigns : shuffled.roleAssigns) {
    std::reverse(assigns.begin(), assigns.end());
    if (!assigns.empty())
      assigns.push_back(assigns.front()); // a duplicate changes nothing either
  }
  shuffled.sparseRules.push_back(shuffled.sparseRules.front());
  EXPECT_EQ(emit::writeTable(shuffled), emit::writeTable(sampleTables()));
}

TEST(Format, LayoutBasics) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  ASSERT_GE(bytes.size(), kHeaderSize);
  EXPECT_EQ(bytes.size() % 8, 0u);
  EXPECT_TRUE(std::equal(std::begin(kMagic), std::end(kMagic), bytes.begin()));
  EXPECT_EQ(loadU16(&bytes[hdr::kVersionMajor]), 4);
  EXPECT_EQ(loadU16(&bytes[hdr::kVersionMinor]), 0);
  EXPECT_EQ(loadU64(&bytes[hdr::kFileSize]), bytes.size());
  uint64_t previousEnd = kHeaderSize;
  for (uint32_t i = 0; i < kSectionCount; ++i) {
    const uint8_t *entry = &bytes[hdr::kDirectory + hdr::kDirectoryEntrySize * i];
    const uint64_t offset = loadU64(entry), size = loadU64(entry + 8);
    EXPECT_EQ(offset % 8, 0u) << "section " << i;
    EXPECT_EQ(offset, alignUp(previousEnd)) << "sections are written in id order, packed";
    // Padding between sections is zero.
    for (uint64_t p = previousEnd; p < offset; ++p)
      EXPECT_EQ(bytes[p], 0) << "padding byte " << p;
    previousEnd = offset + size;
  }
  EXPECT_EQ(alignUp(previousEnd), bytes.size());
}

/// The smallest table, byte for byte: pins the layout docs/table-format.md shows as an example.
TEST(Format, MinimalTableGolden) {
  lower::Tables tables;
  tables.policyName = "p";
  const std::vector<uint8_t> bytes = emit(tables);
  ASSERT_EQ(bytes.size(), 384u);
  // String data: "p\0" (the policy name) and "\0" (no revision) at 352, their offsets (u32 0
  // and 2) at 360, sections 2-14 empty at 368, and the Ceilings section's 16-byte head (no
  // ceilings) at 368. A second, independent writer (Python, from docs/table-format.md) produced
  // the same 384 bytes.
  EXPECT_EQ(loadU16(&bytes[hdr::kVersionMajor]), 4);
  EXPECT_EQ(loadU32(&bytes[hdr::kSectionCount]), 16u);
  EXPECT_EQ(loadU64(&bytes[hdr::kDirectory + hdr::kDirectoryEntrySize * kCeilings]), 368u);
  EXPECT_EQ(loadU64(&bytes[hdr::kDirectory + hdr::kDirectoryEntrySize * kCeilings + 8]), 16u);
  EXPECT_EQ(loadStatus(bytes), LATTICE_LOAD_OK);
  std::string all;
  for (uint8_t b : bytes) {
    char buffer[3];
    std::snprintf(buffer, sizeof buffer, "%02x", b);
    all += buffer;
  }
  EXPECT_EQ(all, "4c5441420d0a1a0a21eb7f9366ae4aa104000000100000008001000000000000"
                 "0000000000000000000000000000000004000000000000000000000000000000"
                 "0000000002000000000000000000000001000000000000006564ff60b91f2088"
                 "6001000000000000030000000000000068010000000000000800000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000000000000000000000"
                 "7001000000000000000000000000000070010000000000001000000000000000"
                 "7000000000000000000000000200000000000000000000000000000000000000");
}

/// The vocabulary fingerprint's test vectors (docs/table-format.md), so that a second
/// implementation can check itself: the empty vocabulary and the sample policy's.
TEST(Fingerprint, SpecifiedValues) {
  EXPECT_EQ(emit::vocabularyFingerprint(lower::Tables{}), 0x88201fb960ff6465ull);
  EXPECT_EQ(emit::vocabularyFingerprint(sampleTables()), 0x07fd719706bfc8ebull);
  Fingerprint fp;
  EXPECT_EQ(fp.value(), kFnvOffsetBasis);
  const uint8_t a[] = {'a'};
  fp.bytes(a, 1);
  EXPECT_EQ(fp.value(), 0xaf63dc4c8601ec8cull); // FNV-1a 64 of "a", the published vector
}

/// The smallest table of an old format `major` (1.x or 2.x, whose headers both have 88 bytes
/// before a directory of `sections` entries), as its spec gave it: a policy named "p", sealed.
std::vector<uint8_t> smallestOldTable(uint16_t major, uint32_t sections) {
  constexpr size_t kOldDirectory = 88;
  const size_t strings = kOldDirectory + hdr::kDirectoryEntrySize * sections; // then the offsets
  std::vector<uint8_t> bytes(strings + 16, 0);
  std::copy(std::begin(kMagic), std::end(kMagic), bytes.begin());
  storeU16(&bytes[hdr::kVersionMajor], major);
  storeU32(&bytes[hdr::kSectionCount], sections);
  storeU64(&bytes[hdr::kFileSize], bytes.size());
  storeU32(&bytes[hdr::kRelationCount], 4);
  storeU32(&bytes[hdr::kStringCount], 1);
  for (uint32_t i = 0; i < sections; ++i) {
    const uint64_t offset = i == 0   ? strings
                            : i == 1 ? strings + 8
                                     : strings + 16,
                   size = i == 0   ? 2
                          : i == 1 ? 4
                                   : 0;
    storeU64(&bytes[kOldDirectory + hdr::kDirectoryEntrySize * i], offset);
    storeU64(&bytes[kOldDirectory + hdr::kDirectoryEntrySize * i + 8], size);
  }
  bytes[strings] = 'p';
  reseal(bytes);
  return bytes;
}

/// lattice_table_format_version reads `major`.`minor` from `bytes` without loading them.
void expectFormatVersion(const std::vector<uint8_t> &bytes, uint16_t major, uint16_t minor) {
  uint16_t gotMajor = 0, gotMinor = 9;
  EXPECT_EQ(lattice_table_format_version(bytes.data(), bytes.size(), &gotMajor, &gotMinor),
            LATTICE_LOAD_OK);
  EXPECT_EQ(gotMajor, major);
  EXPECT_EQ(gotMinor, minor);
}

/// The smallest 1.0 table, as the 1.0 spec gave it (its checksum pins the bytes): this reader
/// must refuse it by its version, since 1.x stored denies in a dense section 2.x no longer has.
TEST(Format, RejectsVersion1Tables) {
  const std::vector<uint8_t> v1 = smallestOldTable(1, 14);
  ASSERT_EQ(v1.size(), 328u);
  ASSERT_EQ(loadU64(&v1[hdr::kChecksum]), 0x6a2aa9566a49562eull) << "not the 1.0 golden table";
  EXPECT_EQ(loadStatus(v1), LATTICE_LOAD_BAD_VERSION);
}

/// The smallest 2.0 table, byte for byte as the 2.0 spec gave it: refused by its version, since
/// 2.x records no flag sides and no vocabulary fingerprint.
TEST(Format, RejectsVersion2Tables) {
  const std::vector<uint8_t> v2 = smallestOldTable(2, 13);
  ASSERT_EQ(v2.size(), 312u);
  ASSERT_EQ(loadU64(&v2[hdr::kChecksum]), 0xf9a6851b650f6f43ull) << "not the 2.0 golden table";
  EXPECT_EQ(loadStatus(v2), LATTICE_LOAD_BAD_VERSION);
  expectFormatVersion(v2, 2, 0);
}

/// The smallest 3.0 table, byte for byte as the 3.0 spec gave it: refused by its version, since
/// 3.x has no custom role ceilings (a 3.x reader would let any role create any custom role).
TEST(Format, RejectsVersion3Tables) {
  const std::string hex = "4c5441420d0a1a0a6c2fc0d4a3086ba7030000000f0000006001000000000000"
                          "0000000000000000000000000000000004000000000000000000000000000000"
                          "0000000002000000000000000000000001000000000000006564ff60b91f2088"
                          "5001000000000000030000000000000058010000000000000800000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000060010000000000000000000000000000"
                          "6001000000000000000000000000000070000000000000000000000002000000";
  std::vector<uint8_t> v3;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    v3.push_back(uint8_t(std::stoul(hex.substr(i, 2), nullptr, 16)));
  ASSERT_EQ(v3.size(), 352u);
  ASSERT_EQ(loadU64(&v3[hdr::kChecksum]), 0xa76b08a3d4c02f6cull) << "not the 3.0 golden table";
  EXPECT_EQ(loadStatus(v3), LATTICE_LOAD_BAD_VERSION);
  expectFormatVersion(v3, 3, 0);
}

TEST(Checksum, SpecifiedValues) {
  // Fixed vectors so a second implementation can check itself (docs/table-format.md).
  EXPECT_EQ(checksum(nullptr, 0), 0x5f8379bf13018040ull);
  const uint8_t abc[] = {'a', 'b', 'c'};
  EXPECT_EQ(checksum(abc, 3), 0x51a3e323ac8b9998ull);
  uint8_t ramp[16];
  for (int i = 0; i < 16; ++i)
    ramp[i] = uint8_t(i);
  EXPECT_EQ(checksum(ramp, 16), 0xb1d604af6cc14762ull);
}

TEST(Checksum, DetectsEverySingleByteChange) {
  std::vector<uint8_t> data(64);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = uint8_t(i * 37);
  const uint64_t original = checksum(data.data(), data.size());
  for (size_t i = 0; i < data.size(); ++i)
    for (int v = 0; v < 256; ++v) {
      if (v == data[i])
        continue;
      std::vector<uint8_t> changed = data;
      changed[i] = uint8_t(v);
      ASSERT_NE(checksum(changed.data(), changed.size()), original) << i << " " << v;
    }
}

TEST(Corruption, EverySingleByteChangeIsRejected) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  ASSERT_EQ(loadStatus(bytes), LATTICE_LOAD_OK);
  for (size_t i = 0; i < bytes.size(); ++i)
    for (uint8_t mask : {0x01, 0x80, 0xFF}) {
      std::vector<uint8_t> changed = bytes;
      changed[i] ^= mask;
      ASSERT_NE(loadStatus(changed), LATTICE_LOAD_OK) << "byte " << i << " ^ " << int(mask);
    }
}

TEST(Corruption, EveryHeaderBitFlipIsRejected) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  for (size_t bit = 0; bit < kHeaderSize * 8; ++bit) {
    std::vector<uint8_t> changed = bytes;
    changed[bit / 8] ^= uint8_t(1u << (bit % 8));
    lattice_load_status status = loadStatus(changed);
    ASSERT_NE(status, LATTICE_LOAD_OK) << "bit " << bit;
    if (bit < 64) {
      EXPECT_EQ(status, LATTICE_LOAD_BAD_MAGIC);
    } else if (bit < 128) {
      EXPECT_EQ(status, LATTICE_LOAD_BAD_CHECKSUM);
    }
  }
}

TEST(Corruption, EveryTruncationIsRejected) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  for (size_t length = 0; length < bytes.size(); ++length) {
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + length);
    lattice_load_status status = loadStatus(prefix);
    ASSERT_EQ(status, length < kHeaderSize ? LATTICE_LOAD_TOO_SMALL : LATTICE_LOAD_BAD_SIZE)
        << "length " << length;
  }
  std::vector<uint8_t> longer = bytes;
  longer.resize(bytes.size() + 8, 0);
  EXPECT_EQ(loadStatus(longer), LATTICE_LOAD_BAD_SIZE);
  lattice_table *table = nullptr;
  EXPECT_EQ(lattice_table_load(nullptr, 0, &table), LATTICE_LOAD_TOO_SMALL);
  EXPECT_EQ(lattice_table_load(bytes.data(), bytes.size(), nullptr), LATTICE_LOAD_IO_ERROR);
}

/// Decisions, lookups and delegation over every id a table has (plus one past the end): used on
/// mutated tables that happen to load, where the only requirement is not to crash.
void exerciseEverything(const lattice_table *t) {
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t perms = lattice_permission_count(t);
  for (uint32_t id = 0; id <= roles; ++id)
    if (const char *name = lattice_role_name(t, id))
      (void)lattice_role_id(t, name);
  for (uint32_t k = 0; k <= kinds; ++k)
    for (uint32_t p = 0; p <= perms; ++p)
      for (uint32_t rel = 0; rel <= 5; ++rel)
        for (uint32_t r = 0; r <= roles; ++r) {
          const uint32_t held[] = {r, (r * 7) % (roles + 1)};
          lattice_request q{k, held, 2, p, rel, rel * 3};
          lattice_decision d = lattice_decide(t, &q);
          ASSERT_LE(d.reason, uint32_t(LATTICE_REASON_NO_TABLE));
          (void)lattice_can_assign(t, held, 2, p);
        }
}

TEST(Corruption, RandomMutationsNeverLoadOrNeverCrash) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  std::mt19937_64 rng(12345);
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> changed = bytes;
    const int edits = 1 + int(rng() % 4);
    for (int e = 0; e < edits; ++e)
      changed[rng() % changed.size()] ^= uint8_t(1 + rng() % 255);
    lattice_table *table = nullptr;
    if (lattice_table_load(changed.data(), changed.size(), &table) == LATTICE_LOAD_OK) {
      ADD_FAILURE() << "a mutated table loaded in round " << round; // the checksum should stop it
      exerciseEverything(table);
    }
    lattice_table_free(table);
  }
}

/// The same with the checksum recomputed after each mutation: this exercises the layout
/// validation for real. Whatever loads must then be safe to query.
TEST(Corruption, ResealedRandomMutationsAreRejectedOrSafe) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  std::mt19937_64 rng(54321);
  int loaded = 0;
  for (int round = 0; round < 20000; ++round) {
    std::vector<uint8_t> changed = bytes;
    const int edits = 1 + int(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = hdr::kChecksumStart + rng() % (changed.size() - hdr::kChecksumStart);
      changed[at] = rng() % 2 ? uint8_t(rng()) : changed[at] ^ uint8_t(1u << (rng() % 8));
    }
    reseal(changed);
    lattice_table *table = nullptr;
    if (lattice_table_load(changed.data(), changed.size(), &table) == LATTICE_LOAD_OK) {
      ++loaded;
      exerciseEverything(table);
    }
    lattice_table_free(table);
  }
  // Some mutations are legitimately harmless (a rule bit, a kind mask bit, a name byte).
  RecordProperty("loaded", loaded);
}

/// Each validation rule, reached with a correct checksum so that nothing earlier catches it.
class Validation : public ::testing::Test {
protected:
  lower::Tables tables = sampleTables();
  std::vector<uint8_t> bytes = emit(tables);

  lattice_load_status patched(const std::function<void(std::vector<uint8_t> &)> &edit) {
    std::vector<uint8_t> copy = bytes;
    edit(copy);
    reseal(copy);
    return loadStatus(copy);
  }
  size_t at(SectionId id, size_t offset = 0) const { return sectionOffset(bytes, id) + offset; }
  size_t roleField(uint32_t role, size_t field) const {
    return at(kRoleInfo, role::kSize * role + field);
  }
  size_t sparseField(uint32_t entry, size_t field) const {
    return at(kSparseRules, sparse::kSize * entry + field);
  }
  size_t requireField(uint32_t clause, size_t field) const {
    return at(kRequire, require::kSize * clause + field);
  }
  uint32_t count(size_t field) const { return loadU32(&bytes[field]); }
};

TEST_F(Validation, ResealingAloneKeepsTheTableValid) {
  EXPECT_EQ(patched([](auto &) {}), LATTICE_LOAD_OK);
}

TEST_F(Validation, Magic) {
  EXPECT_EQ(patched([](auto &b) { b[3] = 'X'; }), LATTICE_LOAD_BAD_MAGIC);
  EXPECT_EQ(patched([](auto &b) { b[4] = '\n'; }), LATTICE_LOAD_BAD_MAGIC); // CRLF -> LF damage
}

TEST_F(Validation, Version) {
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMajor], 1); }),
            LATTICE_LOAD_BAD_VERSION);
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMajor], 2); }),
            LATTICE_LOAD_BAD_VERSION);
  // 3.x: before facts (issue 12), whose sides it does not have; 5: a newer major.
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMajor], 3); }),
            LATTICE_LOAD_BAD_VERSION);
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMajor], 5); }),
            LATTICE_LOAD_BAD_VERSION);
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMajor], 0); }),
            LATTICE_LOAD_BAD_VERSION);
  // Minor versions only add what older readers may ignore.
  EXPECT_EQ(patched([](auto &b) { storeU16(&b[hdr::kVersionMinor], 7); }), LATTICE_LOAD_OK);
}

TEST_F(Validation, RecordedSize) {
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, hdr::kFileSize, b.size() - 8); }),
            LATTICE_LOAD_BAD_SIZE);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, hdr::kFileSize, b.size() + 8); }),
            LATTICE_LOAD_BAD_SIZE);
}

TEST_F(Validation, Checksum) {
  std::vector<uint8_t> copy = bytes;
  copy[hdr::kChecksum] ^= 1;
  EXPECT_EQ(loadStatus(copy), LATTICE_LOAD_BAD_CHECKSUM);
}

TEST_F(Validation, HeaderCounts) {
  auto set32 = [&](size_t field, uint32_t v) {
    return patched([&](auto &b) { patchU32(b, field, v); });
  };
  EXPECT_EQ(set32(hdr::kSectionCount, kSectionCount - 1), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kSectionCount, 1000000), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kRelationCount, 5), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kKindCount, 65), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kFlagCount, 65), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kWordsPerBitset, 2), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kPolicyName, count(hdr::kStringCount)), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kRoleCount, UINT32_MAX), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kPermissionCount, UINT32_MAX), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kSparseRuleCount, count(hdr::kSparseRuleCount) + 1),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kAssignCount, count(hdr::kAssignCount) - 1), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kAssignConditionCount, count(hdr::kAssignConditionCount) + 1),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kRevision, count(hdr::kStringCount)), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set32(hdr::kRevision, count(hdr::kPolicyName)), LATTICE_LOAD_OK); // any string
}

// The fingerprint is recomputed from the names and sides; the header's must match.
TEST_F(Validation, Fingerprint) {
  for (int bit : {0, 1, 31, 63})
    EXPECT_EQ(patched([&](auto &b) {
                patchU64(b, hdr::kFingerprint, loadU64(&b[hdr::kFingerprint]) ^ (1ull << bit));
              }),
              LATTICE_LOAD_BAD_FINGERPRINT)
        << bit;
  // A renamed role (same length, still sorted): valid names, a different vocabulary.
  const size_t name =
      at(kStringData, loadU32(&bytes[at(kStringOffsets, 4 * loadU32(&bytes[at(kRoleNames, 12)]))]));
  ASSERT_EQ(std::string(reinterpret_cast<const char *>(&bytes[name])), "driver");
  EXPECT_EQ(patched([&](auto &b) { b[name + 5] = 's'; }), LATTICE_LOAD_BAD_FINGERPRINT);
  // A flag moved to the other side.
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kFlagInfo, flaginfo::kSide), kSidePrincipal); }),
            LATTICE_LOAD_BAD_FINGERPRINT);
}

// Each flag has exactly one side this reader knows; the record's reserved half is zero.
TEST_F(Validation, FlagInfo) {
  ASSERT_EQ(count(hdr::kFlagCount), 4u);
  ASSERT_EQ(loadU32(&bytes[at(kFlagInfo, flaginfo::kSide)]), kSideNode);      // business
  ASSERT_EQ(loadU32(&bytes[at(kFlagInfo, flaginfo::kSize)]), kSidePrincipal); // active
  for (uint32_t side : {0u, 3u, 12u, 32u, 1u << 31})
    EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kFlagInfo, flaginfo::kSide), side); }),
              LATTICE_LOAD_BAD_LAYOUT)
        << side;
  // The fact sides (4.0) are known: such a table loads as far as the fingerprint, which covers
  // the sides and so no longer matches.
  for (uint32_t side : {kSideResource, kSideTarget, kSideRequest})
    EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kFlagInfo, flaginfo::kSide), side); }),
              LATTICE_LOAD_BAD_FINGERPRINT)
        << side;
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kFlagInfo, flaginfo::kReserved), 1); }),
            LATTICE_LOAD_BAD_LAYOUT);
  auto entry = [](uint32_t id) { return hdr::kDirectory + hdr::kDirectoryEntrySize * id; };
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, entry(kFlagInfo) + 8, 24); }),
            LATTICE_LOAD_BAD_LAYOUT); // 8 bytes per flag, exactly
}

// Reading a table's version needs only its first 20 bytes, in any major: what a host or the CLI
// uses to say which format an old or newer table has.
TEST(FormatVersion, ReadWithoutLoading) {
  std::vector<uint8_t> bytes = emit(sampleTables());
  uint16_t major = 0, minor = 0;
  EXPECT_EQ(lattice_table_format_version(bytes.data(), bytes.size(), &major, &minor),
            LATTICE_LOAD_OK);
  EXPECT_EQ(major, kVersionMajor);
  EXPECT_EQ(minor, kVersionMinor);
  EXPECT_EQ(major, LATTICE_TABLE_FORMAT_MAJOR);
  storeU16(&bytes[hdr::kVersionMajor], 2);
  storeU16(&bytes[hdr::kVersionMinor], 5);
  EXPECT_EQ(lattice_table_format_version(bytes.data(), hdr::kVersionEnd, &major, &minor),
            LATTICE_LOAD_OK);
  EXPECT_EQ(major, 2);
  EXPECT_EQ(minor, 5);
  EXPECT_EQ(loadStatus(bytes), LATTICE_LOAD_BAD_VERSION); // (checksum not even looked at)
  // Shorter than a table of an older major's header: still BAD_VERSION, not TOO_SMALL.
  EXPECT_EQ(loadStatus(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 100)),
            LATTICE_LOAD_BAD_VERSION);
  EXPECT_EQ(lattice_table_format_version(bytes.data(), hdr::kVersionEnd - 1, &major, &minor),
            LATTICE_LOAD_TOO_SMALL);
  EXPECT_EQ(lattice_table_format_version(nullptr, 100, &major, &minor), LATTICE_LOAD_TOO_SMALL);
  EXPECT_EQ(lattice_table_format_version(bytes.data(), bytes.size(), nullptr, &minor),
            LATTICE_LOAD_IO_ERROR);
  bytes[0] = 'X';
  EXPECT_EQ(lattice_table_format_version(bytes.data(), bytes.size(), &major, &minor),
            LATTICE_LOAD_BAD_MAGIC);
}

TEST_F(Validation, SectionDirectory) {
  auto entry = [](uint32_t id) { return hdr::kDirectory + hdr::kDirectoryEntrySize * id; };
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, entry(kSparseRules), at(kSparseRules) + 4); }),
            LATTICE_LOAD_BAD_LAYOUT); // misaligned
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, entry(kSparseRules), b.size() + 8); }),
            LATTICE_LOAD_BAD_LAYOUT); // past the end
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, entry(kSparseRules), 8); }),
            LATTICE_LOAD_BAD_LAYOUT); // inside the header
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, entry(kRequire) + 8, UINT64_MAX); }),
            LATTICE_LOAD_BAD_LAYOUT); // size overflows
  EXPECT_EQ(patched([&](auto &b) {
              patchU64(b, entry(kRequire) + 8, loadU64(&b[entry(kRequire) + 8]) - 32);
            }),
            LATTICE_LOAD_BAD_LAYOUT); // size disagrees with the count
}

/// A directory with an extra entry a newer minor version might add: ignored when well-formed.
TEST_F(Validation, UnknownSectionsAreCheckedButIgnored) {
  auto withExtraSection = [&](uint64_t offset, uint64_t size) {
    std::vector<uint8_t> b = bytes;
    b.insert(b.begin() + kHeaderSize, hdr::kDirectoryEntrySize, 0); // shift sections by 16
    for (uint32_t i = 0; i < kSectionCount; ++i) {
      size_t e = hdr::kDirectory + hdr::kDirectoryEntrySize * i;
      patchU64(b, e, loadU64(&b[e]) + hdr::kDirectoryEntrySize);
    }
    patchU32(b, hdr::kSectionCount, kSectionCount + 1);
    patchU64(b, kHeaderSize, offset);
    patchU64(b, kHeaderSize + 8, size);
    patchU64(b, hdr::kFileSize, b.size());
    reseal(b);
    return loadStatus(b);
  };
  const uint64_t firstSection = kHeaderSize + hdr::kDirectoryEntrySize;
  EXPECT_EQ(withExtraSection(firstSection, 8), LATTICE_LOAD_OK);
  EXPECT_EQ(withExtraSection(firstSection + 4, 8), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(withExtraSection(firstSection, bytes.size()), LATTICE_LOAD_BAD_LAYOUT);
}

TEST_F(Validation, Strings) {
  const size_t dataSize = loadU64(&bytes[hdr::kDirectory + 8]);
  EXPECT_EQ(patched([&](auto &b) { b[at(kStringData, dataSize - 1)] = 'x'; }),
            LATTICE_LOAD_BAD_LAYOUT); // unterminated last string
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kStringOffsets, 4), uint32_t(dataSize)); }),
            LATTICE_LOAD_BAD_LAYOUT); // offset out of bounds
  // A string starts at 0 or just after a NUL (issue 10, defect 7): an offset into the middle of
  // a string, which format 2.0 first allowed, is refused; the start of another string is fine.
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kStringOffsets, 0), 1); }),
            LATTICE_LOAD_BAD_LAYOUT);
  const uint32_t second = loadU32(&bytes[at(kStringOffsets, 4)]);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kStringOffsets, 0), second); }),
            LATTICE_LOAD_OK); // the policy name now reads as string 1
}

// Role names stored as suffixes of one long name (each offset inside it) made name validation
// compare about roles x length / 2 bytes: 150 ms per MB instead of 0.3. Such a table is refused
// now, after one pass over the offsets; the same names stored whole load as before.
TEST(NameValidation, OverlappingNamesAreRefused) {
  const std::vector<uint8_t> overlapping = overlappingNameTable(2000, 4000);
  EXPECT_EQ(loadStatus(overlapping), LATTICE_LOAD_BAD_LAYOUT);
  const std::vector<uint8_t> whole = emit(suffixNameTables(200, 400));
  Table table = mustLoad(whole);
  EXPECT_EQ(table.roleId(std::string(399, 'a') + "b").value(), 0u);
  EXPECT_EQ(table.roleId("ab").value(), 199u);
}

TEST_F(Validation, NameTables) {
  const uint32_t roles = count(hdr::kRoleCount);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kRoleNames, 0), count(hdr::kStringCount)); }),
            LATTICE_LOAD_BAD_LAYOUT); // string id out of range
  EXPECT_EQ(patched([&](auto &b) {
              const size_t sorted = at(kRoleNames, 4 * roles);
              uint32_t first = loadU32(&b[sorted]), second = loadU32(&b[sorted + 4]);
              patchU32(b, sorted, second);
              patchU32(b, sorted + 4, first);
            }),
            LATTICE_LOAD_BAD_LAYOUT); // unsorted index
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kRoleNames, 4 * roles), roles); }),
            LATTICE_LOAD_BAD_LAYOUT); // index id out of range
  EXPECT_EQ(
      patched([&](auto &b) { patchU32(b, at(kRoleNames, 4), loadU32(&b[at(kRoleNames, 0)])); }),
      LATTICE_LOAD_BAD_LAYOUT); // two roles with one name
  EXPECT_EQ(patched([&](auto &b) {
              const size_t sorted = at(kFlagNames, 4 * count(hdr::kFlagCount));
              patchU32(b, sorted + 4, loadU32(&b[sorted]));
            }),
            LATTICE_LOAD_BAD_LAYOUT); // one id twice in the index
}

TEST_F(Validation, Roles) {
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, roleField(0, role::kKindMask), 1u << 2); }),
            LATTICE_LOAD_BAD_LAYOUT); // kind bit out of range
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, roleField(0, role::kAttributes), 4); }),
            LATTICE_LOAD_BAD_LAYOUT); // unknown attribute
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, roleField(0, role::kReserved), 1); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, roleField(0, role::kAssignsBegin), 1); }),
            LATTICE_LOAD_BAD_LAYOUT); // ranges must start at 0 and be contiguous
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, roleField(0, role::kAssignsEnd), 1000); }),
            LATTICE_LOAD_BAD_LAYOUT); // past the assigns list
  EXPECT_EQ(patched([&](auto &b) {
              // Drop account_admin's last target; the later (empty) ranges follow on.
              const uint32_t end = loadU32(&b[roleField(2, role::kAssignsEnd)]) - 1;
              patchU32(b, roleField(2, role::kAssignsEnd), end);
              for (uint32_t r = 3; r < count(hdr::kRoleCount); ++r) {
                patchU32(b, roleField(r, role::kAssignsBegin), end);
                patchU32(b, roleField(r, role::kAssignsEnd), end);
              }
            }),
            LATTICE_LOAD_BAD_LAYOUT); // the last range does not end at assignCount
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kAssigns, 0), count(hdr::kRoleCount)); }),
            LATTICE_LOAD_BAD_LAYOUT); // out-of-range role id in assigns
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kAssigns, 4), loadU32(&b[at(kAssigns, 0)])); }),
            LATTICE_LOAD_BAD_LAYOUT); // not strictly ascending
}

TEST_F(Validation, Permissions) {
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, at(kPermissionInfo, perm::kKindMask), 4); }),
            LATTICE_LOAD_BAD_LAYOUT);
  const uint32_t perms = count(hdr::kPermissionCount), sparseCount = count(hdr::kSparseRuleCount);
  const size_t lastEnd = at(kPermissionInfo, perm::kSize * (perms - 1) + perm::kSparseEnd);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, lastEnd, sparseCount + 1); }),
            LATTICE_LOAD_BAD_LAYOUT); // sparse range past the end
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, at(kPermissionInfo, perm::kSparseBegin), 1); }),
            LATTICE_LOAD_BAD_LAYOUT); // not starting at 0
  EXPECT_EQ(patched([&](auto &b) {
              const size_t end0 = at(kPermissionInfo, perm::kSparseEnd);
              const size_t begin1 = at(kPermissionInfo, perm::kSize + perm::kSparseBegin);
              patchU32(b, end0, 5);
              patchU32(b, begin1, 5);
            }),
            LATTICE_LOAD_BAD_LAYOUT); // a range holding another permission's entries
}

TEST_F(Validation, SparseRules) {
  ASSERT_GT(count(hdr::kSparseRuleCount), 0u);
  auto set = [&](size_t field, auto value) {
    return patched([&](auto &b) {
      if constexpr (sizeof(value) == 1)
        patchU8(b, sparseField(0, field), value);
      else if constexpr (sizeof(value) == 4)
        patchU32(b, sparseField(0, field), value);
      else
        patchU64(b, sparseField(0, field), value);
    });
  };
  EXPECT_EQ(set(sparse::kPermission, uint32_t(0)), LATTICE_LOAD_BAD_LAYOUT); // wrong group
  EXPECT_EQ(set(sparse::kRole, count(hdr::kRoleCount)), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set(sparse::kRelationMask, uint8_t(0x10)), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set(sparse::kDeny, uint8_t(2)), LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(set(sparse::kRequired, uint64_t(1) << 4), LATTICE_LOAD_BAD_LAYOUT); // 4 flags
  EXPECT_EQ(set(sparse::kForbidden, uint64_t(1) << 63), LATTICE_LOAD_BAD_LAYOUT);
  for (size_t r = sparse::kReserved; r < sparse::kSize; ++r)
    EXPECT_EQ(set(r, uint8_t(1)), LATTICE_LOAD_BAD_LAYOUT) << r;
  EXPECT_EQ(set(sparse::kRelationMask, uint8_t(0xF)), LATTICE_LOAD_OK); // still valid
}

/// Within a permission, entries are sorted by role: decide stops at the first matching deny.
TEST_F(Validation, SparseRulesSortedByRole) {
  // Entries 0 and 1 are station.reset's: driver (3), then auditor (5).
  ASSERT_EQ(loadU32(&bytes[sparseField(0, sparse::kPermission)]), 1u);
  ASSERT_EQ(loadU32(&bytes[sparseField(1, sparse::kPermission)]), 1u);
  ASSERT_EQ(loadU32(&bytes[sparseField(0, sparse::kRole)]), 3u);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, sparseField(1, sparse::kRole), 2); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, sparseField(1, sparse::kRole), 3); }),
            LATTICE_LOAD_OK); // equal roles are fine
}

TEST_F(Validation, Bitsets) {
  // Six roles: bits 6..63 of every word are stray.
  for (SectionId id : {kAllowBits, kExclusive})
    EXPECT_EQ(patched([&](auto &b) { b[at(id, 7)] |= 0x80; }), LATTICE_LOAD_BAD_LAYOUT) << id;
  EXPECT_EQ(patched([&](auto &b) { b[at(kAllowBits, 8)] |= 0x20; }), LATTICE_LOAD_OK);
}

TEST_F(Validation, RequireClauses) {
  ASSERT_EQ(count(hdr::kRequireCount), 3u);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, requireField(0, require::kReserved), 1); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, requireField(0, require::kKindMask), 4); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, requireField(0, require::kRequired), 16); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, requireField(0, require::kForbidden), 16); }),
            LATTICE_LOAD_BAD_LAYOUT);
  EXPECT_EQ(patched([&](auto &b) { patchU32(b, requireField(0, require::kStatement), 9); }),
            LATTICE_LOAD_BAD_LAYOUT); // statements out of order
  EXPECT_EQ(patched([&](auto &b) { patchU64(b, requireField(2, require::kKindMask), 3); }),
            LATTICE_LOAD_BAD_LAYOUT); // one statement, two kind masks
}

TEST(LoadFile, RoundTripAndErrors) {
  const std::vector<uint8_t> bytes = emit(sampleTables());
  const std::string path = ::testing::TempDir() + "lattice_load_file_test.ltab";
  {
    std::FILE *f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  }
  lattice_load_status status = LATTICE_LOAD_IO_ERROR;
  std::optional<Table> table = Table::loadFile(path.c_str(), &status);
  ASSERT_TRUE(table.has_value()) << lattice_load_status_message(status);
  EXPECT_EQ(table->roleId("driver").value(), 3u);
  EXPECT_EQ(Table::loadFile("/nonexistent/dir/x.ltab", &status), std::nullopt);
  EXPECT_EQ(status, LATTICE_LOAD_IO_ERROR);
  EXPECT_EQ(Table::loadFile(::testing::TempDir().c_str(), &status), std::nullopt); // a directory
  EXPECT_NE(status, LATTICE_LOAD_OK);
  { // an empty file is just too small
    std::FILE *f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fclose(f);
  }
  EXPECT_EQ(Table::loadFile(path.c_str(), &status), std::nullopt);
  EXPECT_EQ(status, LATTICE_LOAD_TOO_SMALL);
  lattice_table *raw = nullptr;
  EXPECT_EQ(lattice_table_load_file(nullptr, &raw), LATTICE_LOAD_IO_ERROR);
  EXPECT_EQ(raw, nullptr);
  std::remove(path.c_str());
}

// Only regular files are read, and at most a maximum the host can raise (issue 10, defect 6):
// /dev/zero used to grow the buffer until memory ran out, a FIFO blocked in fopen.
TEST(LoadFile, RefusesWhatIsNotARegularFileOrTooLarge) {
  lattice_load_status status = LATTICE_LOAD_OK;
  EXPECT_EQ(Table::loadFile("/dev/zero", &status), std::nullopt);
  EXPECT_EQ(status, LATTICE_LOAD_NOT_A_FILE);
  EXPECT_EQ(Table::loadFile(::testing::TempDir().c_str(), &status), std::nullopt);
  EXPECT_EQ(status, LATTICE_LOAD_NOT_A_FILE);
  const std::string fifo = ::testing::TempDir() + "lattice_load_file_fifo.ltab";
  std::remove(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_EQ(Table::loadFile(fifo.c_str(), &status), std::nullopt); // returns, does not block
  EXPECT_EQ(status, LATTICE_LOAD_NOT_A_FILE);
  std::remove(fifo.c_str());

  const std::vector<uint8_t> bytes = emit(sampleTables());
  const std::string path = ::testing::TempDir() + "lattice_load_file_max.ltab";
  {
    std::FILE *f = std::fopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(std::fwrite(bytes.data(), 1, bytes.size(), f), bytes.size());
    std::fclose(f);
  }
  lattice_table *raw = nullptr;
  EXPECT_EQ(lattice_table_load_file_max(path.c_str(), bytes.size() - 1, &raw),
            LATTICE_LOAD_TOO_LARGE);
  EXPECT_EQ(raw, nullptr);
  EXPECT_EQ(lattice_table_load_file_max(path.c_str(), bytes.size(), &raw), LATTICE_LOAD_OK);
  lattice_table_free(raw);
  EXPECT_TRUE(Table::loadFile(path.c_str(), &status, bytes.size()).has_value());

  // A file over the default maximum, without writing it: a hole of 256 MiB + 8 bytes.
  ASSERT_EQ(::truncate(path.c_str(), off_t(LATTICE_DEFAULT_MAX_TABLE_BYTES) + 8), 0);
  EXPECT_EQ(Table::loadFile(path.c_str(), &status), std::nullopt);
  EXPECT_EQ(status, LATTICE_LOAD_TOO_LARGE);
  std::remove(path.c_str());
}

TEST(LoadStatus, EveryStatusHasAMessage) {
  for (unsigned s = LATTICE_LOAD_OK; s <= LATTICE_LOAD_BAD_FINGERPRINT; ++s) {
    std::string message = lattice_load_status_message(lattice_load_status(s));
    EXPECT_FALSE(message.empty());
    EXPECT_NE(message, "unknown load status") << s;
  }
  EXPECT_STREQ(lattice_load_status_message(lattice_load_status(99)), "unknown load status");
}

/// True iff E has a fixed underlying type: only then is `E{0u}` well-formed.
template <typename E, typename = void> struct HasFixedUnderlyingType : std::false_type {};
template <typename E>
struct HasFixedUnderlyingType<E, std::void_t<decltype(E{0u})>> : std::true_type {};

// C callers may pass any int where the API takes an enum; in C++ a value outside an enum's range
// is undefined behaviour unless the enum has a fixed underlying type (UBSan reported the load in
// lattice_load_status_message for the 99 above; issue 10, defect 9). The type matches C's.
TEST(LoadStatus, PublicEnumsAcceptEveryValue) {
  EXPECT_TRUE(HasFixedUnderlyingType<lattice_load_status>::value);
  EXPECT_TRUE(HasFixedUnderlyingType<lattice_relation>::value);
  EXPECT_TRUE(HasFixedUnderlyingType<lattice_reason>::value);
  EXPECT_TRUE(HasFixedUnderlyingType<lattice_label_status>::value);
  static_assert(std::is_same_v<std::underlying_type_t<lattice_load_status>, unsigned int>);
  EXPECT_STREQ(lattice_load_status_message(lattice_load_status{0xFFFFFFFFu}),
               "unknown load status");
}

} // namespace
} // namespace lattice::testing
