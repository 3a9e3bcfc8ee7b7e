// format.h - the byte layout of a compiled Lattice decision table, shared by writer and reader.
// C++17, standard library only. docs/table-format.md is the normative spec; keep them in step.
#pragma once

#include <cstddef>
#include <cstdint>

namespace lattice::format {

// Every multi-byte integer is little-endian and read/written byte by byte through these
// helpers, so neither side depends on host endianness, alignment or struct padding.
inline uint16_t loadU16(const uint8_t *p) noexcept { return uint16_t(p[0] | (p[1] << 8)); }
inline uint32_t loadU32(const uint8_t *p) noexcept {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}
inline uint64_t loadU64(const uint8_t *p) noexcept {
  return uint64_t(loadU32(p)) | uint64_t(loadU32(p + 4)) << 32;
}
inline void storeU16(uint8_t *p, uint16_t v) noexcept {
  p[0] = uint8_t(v);
  p[1] = uint8_t(v >> 8);
}
inline void storeU32(uint8_t *p, uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i)
    p[i] = uint8_t(v >> (8 * i));
}
inline void storeU64(uint8_t *p, uint64_t v) noexcept {
  for (int i = 0; i < 8; ++i)
    p[i] = uint8_t(v >> (8 * i));
}

/// "LTAB" + CR LF + ^Z + LF: detects text-mode transfers and truncation at ^Z, like PNG.
inline constexpr uint8_t kMagic[8] = {'L', 'T', 'A', 'B', '\r', '\n', 0x1a, '\n'};
/// A reader accepts exactly kVersionMajor and any minor: minor versions only add sections or
/// information that cannot change a decision, so ignoring them is safe (see versioning policy).
/// 2.0 dropped 1.x's dense deny bitsets: denies became sparse rules, so a 1.x file is refused.
/// 3.0 added the vocabulary fingerprint, the revision and the flag sides (FlagInfo): a request's
/// flags are checked against their side, which 2.x tables do not record; and the rules of issue
/// 12: a kind mask per sparse rule (per-user-type rules), policy-wide denies (the role
/// kEveryRole) and conditional assigns (AssignConditions).
/// 4.0 (issue 12) gave the facts their sides (resource, target, request): a 3.x reader would
/// refuse them, and a fact bit is given in the request's `facts` word, which 3.x kept 0.
/// 4.0 also added custom role ceilings (Ceilings): what roles tenants build at run time may hold
/// and who creates them; a 3.x reader ignoring them would let any role create any custom role.
inline constexpr uint16_t kVersionMajor = 4;
inline constexpr uint16_t kVersionMinor = 0;
inline constexpr uint32_t kAlignment = 8; // of every section and of the file size
inline constexpr uint32_t kRelationCount = 4;
inline constexpr uint32_t kMaxKinds = 64; // kind and flag sets are 64-bit masks
inline constexpr uint32_t kMaxFlags = 64;
inline constexpr uint32_t kRoleDeprecated = 1u << 0; // RoleInfo attribute bits
inline constexpr uint32_t kRoleLocked = 1u << 1;     // nobody may be given the role
inline constexpr uint32_t kKnownRoleAttributes = kRoleDeprecated | kRoleLocked;
/// The role of a SparseRule that is a policy-wide deny (a `deny` at the top level): it holds
/// through every membership, whatever roles it holds. Sorts after every role id.
inline constexpr uint32_t kEveryRole = 0xFFFFFFFFu;

/// Where a flag's value comes from: the FlagInfo side, exactly one bit. Requests give principal
/// flags, node flags (per membership) and facts in separate masks; the runtime refuses a bit of
/// the wrong side. The three fact sides (4.0) are all given in the request's `facts` word.
inline constexpr uint32_t kSidePrincipal = 1u << 0; // declared on user types
inline constexpr uint32_t kSideNode = 1u << 1;      // declared on scope kinds
inline constexpr uint32_t kSideResource = 1u << 2;  // `flag x on resource R`: resource.x
inline constexpr uint32_t kSideTarget = 1u << 3;    // a node flag read at the target: target.x
inline constexpr uint32_t kSideRequest = 1u << 4;   // `flag x on request`: request.x
inline constexpr uint32_t kFactSides = kSideResource | kSideTarget | kSideRequest;
inline constexpr uint32_t kKnownSides = kSidePrincipal | kSideNode | kFactSides;

/// Header fields: byte offsets from the start of the file. All counts are u32.
namespace hdr {
inline constexpr size_t kMagic = 0;            // u8[8]
inline constexpr size_t kChecksum = 8;         // u64: checksum(bytes [16, fileSize))
inline constexpr size_t kChecksumStart = 16;   // first byte the checksum covers
inline constexpr size_t kVersionMajor = 16;    // u16
inline constexpr size_t kVersionMinor = 18;    // u16
inline constexpr size_t kVersionEnd = 20;      // magic, checksum and version: same in every major
inline constexpr size_t kSectionCount = 20;    // u32: directory entries (>= kSectionCount)
inline constexpr size_t kFileSize = 24;        // u64: total size in bytes
inline constexpr size_t kKindCount = 32;       // principal kinds (<= 64)
inline constexpr size_t kRoleCount = 36;       //
inline constexpr size_t kPermissionCount = 40; //
inline constexpr size_t kFlagCount = 44;       // (<= 64)
inline constexpr size_t kRelationCount = 48;   // always 4
inline constexpr size_t kWordsPerBitset = 52;  // == ceil(roleCount / 64)
inline constexpr size_t kSparseRuleCount = 56; // entries of the SparseRules section
inline constexpr size_t kExclusiveCount = 60;  // exclusive sets
inline constexpr size_t kRequireCount = 64;    // require clauses
inline constexpr size_t kStringCount = 68;     //
inline constexpr size_t kAssignCount = 72;     // total length of the assigns list
inline constexpr size_t kPolicyName = 76;      // u32 string id
inline constexpr size_t kRevision = 80;        // u32 string id (the empty string: none given)
inline constexpr size_t kAssignConditionCount = 84; // u32: records of AssignConditions
inline constexpr size_t kFingerprint = 88;          // u64: vocabularyFingerprint(names, sides)
inline constexpr size_t kDirectory = 96;            // sectionCount x {u64 offset, u64 size}
inline constexpr size_t kDirectoryEntrySize = 16;
} // namespace hdr

/// Section ids = index into the directory. Readers of 4.x require ids < kSectionCount and
/// bounds-check but ignore any further entries a later minor version adds.
enum SectionId : uint32_t {
  kStringData = 0,        // concatenated NUL-terminated UTF-8 strings; last byte is NUL
  kStringOffsets = 1,     // u32 per string: offset into kStringData
  kKindNames = 2,         // name table (see NameTable below), one per category
  kRoleNames = 3,         //
  kPermissionNames = 4,   //
  kFlagNames = 5,         //
  kRoleInfo = 6,          // RoleInfo record per role
  kAssigns = 7,           // u32 role ids; each role's [begin, end) slice is strictly ascending
  kPermissionInfo = 8,    // PermissionInfo record per permission
  kAllowBits = 9,         // u64 words [(permission * 4 + relation) * wordsPerBitset + role / 64]
  kSparseRules = 10,      // SparseRule record per entry, grouped by permission, then by role
  kExclusive = 11,        // one role bitset (wordsPerBitset u64 words) per exclusive set
  kRequire = 12,          // Require record per clause, sorted by statement
  kFlagInfo = 13,         // FlagInfo record per flag
  kAssignConditions = 14, // AssignCondition record per clause of a conditional `assigns`
  kCeilings = 15,         // custom role ceilings: counts, records, cells, creators, name index
  kSectionCount = 16,
};

/// A name table for n names: u32 stringId[n] (by id), then u32 sortedIds[n], the ids ordered
/// by their names' bytes (unsigned, as strcmp), strictly increasing, for binary search.
namespace names {
inline constexpr size_t kEntrySize = 8; // per name: one string id + one sorted-index slot
}

namespace role {                            // RoleInfo, 24 bytes
inline constexpr size_t kKindMask = 0;      // u64
inline constexpr size_t kAttributes = 8;    // u32 (RoleAttribute bits)
inline constexpr size_t kAssignsBegin = 12; // u32
inline constexpr size_t kAssignsEnd = 16;   // u32
inline constexpr size_t kReserved = 20;     // u32, must be 0
inline constexpr size_t kSize = 24;
} // namespace role

namespace perm {                          // PermissionInfo, 16 bytes
inline constexpr size_t kKindMask = 0;    // u64
inline constexpr size_t kSparseBegin = 8; // u32: its SparseRules are [begin, end)
inline constexpr size_t kSparseEnd = 12;  // u32
inline constexpr size_t kSize = 16;
} // namespace perm

/// A rule that is not an allow bit: a conditional rule (one per DNF clause), a rule that holds
/// for some of its role's user types only (`for`), any deny (unconditional ones have required =
/// forbidden = 0), and the policy-wide denies (role kEveryRole). Denies are rare, so keeping them
/// sparse halves the dense part of the table.
namespace sparse {                          // SparseRule, 40 bytes
inline constexpr size_t kPermission = 0;    // u32
inline constexpr size_t kRole = 4;          // u32: a role id, or kEveryRole (a deny)
inline constexpr size_t kRequired = 8;      // u64 flags that must be set
inline constexpr size_t kForbidden = 16;    // u64 flags that must be clear
inline constexpr size_t kKindMask = 24;     // u64 principal kinds it applies to, never 0
inline constexpr size_t kRelationMask = 32; // u8, bits 0..3
inline constexpr size_t kDeny = 33;         // u8, 0 = allow, 1 = deny
inline constexpr size_t kReserved = 34;     // u8[6], must be 0
inline constexpr size_t kSize = 40;
} // namespace sparse

namespace require {                      // Require, 32 bytes
inline constexpr size_t kStatement = 0;  // u32
inline constexpr size_t kReserved = 4;   // u32, must be 0
inline constexpr size_t kKindMask = 8;   // u64, equal for all clauses of one statement
inline constexpr size_t kRequired = 16;  // u64
inline constexpr size_t kForbidden = 24; // u64
inline constexpr size_t kSize = 32;
} // namespace require

/// One clause of a conditional `assigns`: a holder of `assigner` whose flags (its own and its
/// node's) satisfy it may give `target`. Sorted by (assigner, target, required, forbidden).
/// Unconditional assigns are in Assigns only, so lattice_can_assign, which takes no flags,
/// never honours these (fail closed).
namespace assigncond {                   // AssignCondition, 24 bytes
inline constexpr size_t kAssigner = 0;   // u32 role id
inline constexpr size_t kTarget = 4;     // u32 role id
inline constexpr size_t kRequired = 8;   // u64
inline constexpr size_t kForbidden = 16; // u64
inline constexpr size_t kSize = 24;
} // namespace assigncond

/// The Ceilings section: a 16-byte head {u32 ceilingCount, u32 cellCount, u32 creatorCount, u32
/// reserved}, then ceilingCount records, cellCount cells (permissions strictly ascending within a
/// ceiling's range), creatorCount u32 role ids (strictly ascending within a range) and
/// ceilingCount u32 sorted ids (the ceilings ordered by name, strictly increasing).
namespace ceiling {
inline constexpr size_t kCeilingCount = 0;  // u32, in the section's head
inline constexpr size_t kCellCount = 4;     // u32
inline constexpr size_t kCreatorCount = 8;  // u32
inline constexpr size_t kHeadReserved = 12; // u32, must be 0
inline constexpr size_t kHeadSize = 16;
inline constexpr size_t kName = 0;           // u32 string id
inline constexpr size_t kReserved = 4;       // u32, must be 0
inline constexpr size_t kKindMask = 8;       // u64: the user types that may hold its roles, never 0
inline constexpr size_t kCellsBegin = 16;    // u32: its cells are [begin, end)
inline constexpr size_t kCellsEnd = 20;      // u32
inline constexpr size_t kCreatorsBegin = 24; // u32: roles that may create and assign its roles
inline constexpr size_t kCreatorsEnd = 28;   // u32
inline constexpr size_t kSize = 32;
inline constexpr size_t kCellPermission = 0; // u32
inline constexpr size_t kCellRelations = 4;  // u8: relations its roles may reach, 1..15
inline constexpr size_t kCellReserved = 5;   // u8[3], must be 0
inline constexpr size_t kCellSize = 8;
} // namespace ceiling

namespace flaginfo {                   // FlagInfo, 8 bytes
inline constexpr size_t kSide = 0;     // u32: exactly one bit of kKnownSides
inline constexpr size_t kReserved = 4; // u32, must be 0
inline constexpr size_t kSize = 8;
} // namespace flaginfo

inline constexpr uint64_t alignUp(uint64_t n) noexcept {
  return (n + (kAlignment - 1)) & ~uint64_t(kAlignment - 1);
}

/// The table checksum. Each 8-byte little-endian word w (the last one zero-padded) goes through
///   h = rotl64((h ^ w) * K1, 31) * K2
/// For a fixed h this is injective in w, and for a fixed w a bijection of h (xor, multiplication
/// by an odd constant and rotation are all invertible), so any change confined to one aligned
/// 8-byte word (in particular any single-byte change) always changes the result. The final
/// mix is a bijection too; it only spreads the bits.
inline constexpr uint64_t kChecksumK1 = 0x9E3779B97F4A7C15ull;
inline constexpr uint64_t kChecksumK2 = 0xC2B2AE3D27D4EB4Full;
inline constexpr uint64_t kChecksumSeed = 0x4C41545449434531ull; // "LATTICE1" read big-endian
inline uint64_t checksum(const uint8_t *data, size_t size) noexcept {
  uint64_t h = kChecksumSeed ^ (uint64_t(size) * kChecksumK1);
  auto step = [&h](uint64_t w) {
    uint64_t x = (h ^ w) * kChecksumK1;
    h = ((x << 31) | (x >> 33)) * kChecksumK2;
  };
  size_t i = 0;
  for (; i + 8 <= size; i += 8)
    step(loadU64(data + i));
  if (i < size) {
    uint64_t w = 0;
    for (size_t j = 0; i + j < size; ++j)
      w |= uint64_t(data[i + j]) << (8 * j);
    step(w);
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  return h;
}

/// The vocabulary fingerprint: 64-bit FNV-1a over the names of every category with their ids
/// (docs/table-format.md gives the byte sequence), so that a host can tell whether ids it
/// resolved in one table mean the same in another. Writer and reader feed it the same way:
/// for each category in the order kinds, roles, permissions, flags, u32 count, then per id
/// u32 id, u32 name length and the name's bytes; a flag adds its u32 side.
inline constexpr uint64_t kFnvOffsetBasis = 0xCBF29CE484222325ull;
inline constexpr uint64_t kFnvPrime = 0x100000001B3ull;
class Fingerprint {
public:
  void bytes(const uint8_t *p, size_t n) noexcept {
    for (size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= kFnvPrime;
    }
  }
  void u32(uint32_t v) noexcept {
    uint8_t b[4];
    storeU32(b, v);
    bytes(b, 4);
  }
  /// One entry of a category: its id, then its name as a length-prefixed byte string.
  void name(uint32_t id, const char *text, size_t length) noexcept {
    u32(id);
    u32(uint32_t(length));
    bytes(reinterpret_cast<const uint8_t *>(text), length);
  }
  uint64_t value() const noexcept { return h; }

private:
  uint64_t h = kFnvOffsetBasis;
};

} // namespace lattice::format
