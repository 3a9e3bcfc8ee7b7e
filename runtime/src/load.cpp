// load.cpp - loading and validating a compiled table: nothing in the bytes is trusted.
// After validate() succeeds every offset, count and id the queries use is known to be in range.
#include "internal.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

// The file loader checks what it opened by descriptor where POSIX is there (libc only).
#if defined(__unix__) || defined(__APPLE__)
#define LATTICE_POSIX_FILES 1
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#else
#define LATTICE_POSIX_FILES 0
#endif

using namespace lattice::format;
using lattice::detail::Category;

namespace {

constexpr size_t kMinHeaderSize = hdr::kDirectory + hdr::kDirectoryEntrySize * kSectionCount;

/// a * b, or UINT64_MAX on overflow (which then fails every size comparison).
uint64_t mulSat(uint64_t a, uint64_t b) noexcept {
  return a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b;
}

uint32_t minU32(uint32_t a, uint32_t b) noexcept { return a < b ? a : b; }

uint64_t lowBits(uint32_t n) noexcept { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; }

/// Reads the header and directory into t; checks sizes and bounds but not contents.
lattice_load_status readHeader(const uint8_t *d, size_t n, lattice_table &t) noexcept {
  // The magic and version come first, so that a table of another major (whose header may be
  // smaller) is BAD_VERSION, not TOO_SMALL.
  if (n < hdr::kVersionEnd)
    return LATTICE_LOAD_TOO_SMALL;
  if (std::memcmp(d, kMagic, sizeof kMagic) != 0)
    return LATTICE_LOAD_BAD_MAGIC;
  if (loadU16(d + hdr::kVersionMajor) != kVersionMajor)
    return LATTICE_LOAD_BAD_VERSION;
  if (n < kMinHeaderSize)
    return LATTICE_LOAD_TOO_SMALL;
  if (loadU64(d + hdr::kFileSize) != n)
    return LATTICE_LOAD_BAD_SIZE;
  if (loadU64(d + hdr::kChecksum) != checksum(d + hdr::kChecksumStart, n - hdr::kChecksumStart))
    return LATTICE_LOAD_BAD_CHECKSUM;

  uint64_t sections = loadU32(d + hdr::kSectionCount);
  uint64_t headerEnd = hdr::kDirectory + hdr::kDirectoryEntrySize * sections;
  if (n % kAlignment != 0 || sections < kSectionCount || headerEnd > n ||
      loadU32(d + hdr::kRelationCount) != kRelationCount)
    return LATTICE_LOAD_BAD_LAYOUT;
  t.kindCount = loadU32(d + hdr::kKindCount);
  t.roleCount = loadU32(d + hdr::kRoleCount);
  t.permissionCount = loadU32(d + hdr::kPermissionCount);
  t.flagCount = loadU32(d + hdr::kFlagCount);
  t.words = loadU32(d + hdr::kWordsPerBitset);
  t.sparseCount = loadU32(d + hdr::kSparseRuleCount);
  t.exclusiveCount = loadU32(d + hdr::kExclusiveCount);
  t.requireCount = loadU32(d + hdr::kRequireCount);
  t.stringCount = loadU32(d + hdr::kStringCount);
  t.assignCount = loadU32(d + hdr::kAssignCount);
  t.policyName = loadU32(d + hdr::kPolicyName);
  t.revision = loadU32(d + hdr::kRevision);
  t.assignConditionCount = loadU32(d + hdr::kAssignConditionCount);
  t.fingerprint = loadU64(d + hdr::kFingerprint);
  t.flagMask = lowBits(t.flagCount);
  if (t.kindCount > kMaxKinds || t.flagCount > kMaxFlags ||
      t.words != (uint64_t(t.roleCount) + 63) / 64 || t.policyName >= t.stringCount ||
      t.revision >= t.stringCount)
    return LATTICE_LOAD_BAD_LAYOUT;

  // Every directory entry, known or not, must be aligned and inside the file after the header.
  for (uint64_t i = 0; i < sections; ++i) {
    const uint8_t *entry = d + hdr::kDirectory + hdr::kDirectoryEntrySize * i;
    uint64_t offset = loadU64(entry), size = loadU64(entry + 8);
    if (offset % kAlignment != 0 || offset < headerEnd || offset > n || size > n - offset)
      return LATTICE_LOAD_BAD_LAYOUT;
    if (i < kSectionCount) {
      t.section[i] = d + offset;
      t.sectionSize[i] = size;
    }
  }
  const uint64_t rows = mulSat(uint64_t(t.permissionCount) * kRelationCount, t.words);
  const uint64_t expected[kSectionCount] = {
      t.sectionSize[kStringData], // free-form, checked below
      4 * uint64_t(t.stringCount),
      names::kEntrySize * t.kindCount,
      names::kEntrySize * t.roleCount,
      names::kEntrySize * t.permissionCount,
      names::kEntrySize * t.flagCount,
      role::kSize * t.roleCount,
      4 * uint64_t(t.assignCount),
      perm::kSize * t.permissionCount,
      mulSat(rows, 8),
      sparse::kSize * t.sparseCount,
      mulSat(uint64_t(t.exclusiveCount) * 8, t.words),
      require::kSize * t.requireCount,
      flaginfo::kSize * t.flagCount,
      assigncond::kSize * uint64_t(t.assignConditionCount),
      t.sectionSize[kCeilings], // sized by its own head, checked in validCeilings
  };
  for (uint32_t i = 0; i < kSectionCount; ++i)
    if (t.sectionSize[i] != expected[i])
      return LATTICE_LOAD_BAD_LAYOUT;
  return LATTICE_LOAD_OK;
}

bool validStrings(const lattice_table &t) noexcept {
  const uint64_t size = t.sectionSize[kStringData];
  const uint8_t *data = t.section[kStringData];
  // A NUL last byte means every in-bounds offset starts a terminated string.
  if (size == 0 ? t.stringCount != 0 : data[size - 1] != 0)
    return false;
  // Every string starts at 0 or just after a NUL: strings are whole, never the tail of another.
  // So the distinct names of one category occupy disjoint bytes, and checking their order
  // (validNames) compares at most about twice the string data: validation stays linear in the
  // table size. (Names sharing the bytes of one long string made it quadratic.)
  for (uint32_t i = 0; i < t.stringCount; ++i) {
    const uint32_t offset = loadU32(t.section[kStringOffsets] + 4 * size_t(i));
    if (offset >= size || (offset > 0 && data[offset - 1] != 0))
      return false;
  }
  return true;
}

bool validNames(const lattice_table &t, uint32_t category) noexcept {
  const uint32_t count = lattice::detail::categoryCount(t, category);
  const uint8_t *sorted = t.section[kKindNames + category] + 4 * size_t(count);
  for (uint32_t i = 0; i < count; ++i)
    if (lattice::detail::nameStringId(t, category, i) >= t.stringCount)
      return false;
  // Strictly increasing names imply distinct ids, so the index is a permutation of [0, count).
  const char *previous = nullptr;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t id = loadU32(sorted + 4 * size_t(i));
    if (id >= count)
      return false;
    const char *name = lattice::detail::stringAt(t, lattice::detail::nameStringId(t, category, id));
    if (previous && std::strcmp(previous, name) >= 0)
      return false;
    previous = name;
  }
  return true;
}

bool validRoles(const lattice_table &t) noexcept {
  const uint64_t kinds = lowBits(t.kindCount);
  uint32_t expectedBegin = 0;
  for (uint32_t r = 0; r < t.roleCount; ++r) {
    const uint8_t *rec = t.section[kRoleInfo] + role::kSize * size_t(r);
    uint32_t begin = loadU32(rec + role::kAssignsBegin), end = loadU32(rec + role::kAssignsEnd);
    if ((loadU64(rec + role::kKindMask) & ~kinds) != 0 ||
        (loadU32(rec + role::kAttributes) & ~kKnownRoleAttributes) != 0 ||
        loadU32(rec + role::kReserved) != 0 || begin != expectedBegin || end < begin ||
        end > t.assignCount)
      return false;
    for (uint32_t i = begin; i < end; ++i) {
      uint32_t target = loadU32(t.section[kAssigns] + 4 * size_t(i));
      if (target >= t.roleCount ||
          (i > begin && target <= loadU32(t.section[kAssigns] + 4 * size_t(i) - 4)))
        return false;
    }
    expectedBegin = end;
  }
  return expectedBegin == t.assignCount;
}

/// Each permission's range holds its own entries, sorted by role: decide relies on that to
/// stop at the first matching deny, which then names the lowest denying role.
bool validSparseRules(const lattice_table &t) noexcept {
  const uint64_t kinds = lowBits(t.kindCount);
  uint32_t expectedBegin = 0;
  for (uint32_t p = 0; p < t.permissionCount; ++p) {
    const uint8_t *rec = t.section[kPermissionInfo] + perm::kSize * size_t(p);
    uint32_t begin = loadU32(rec + perm::kSparseBegin), end = loadU32(rec + perm::kSparseEnd);
    if ((loadU64(rec + perm::kKindMask) & ~kinds) != 0 || begin != expectedBegin || end < begin ||
        end > t.sparseCount)
      return false;
    for (uint32_t i = begin; i < end; ++i) {
      const uint8_t *g = t.section[kSparseRules] + sparse::kSize * size_t(i);
      const uint32_t role = loadU32(g + sparse::kRole);
      const uint64_t kindMask = loadU64(g + sparse::kKindMask);
      // A role id, or kEveryRole for a policy-wide deny (only denies hold for every role); it
      // sorts after every role id, so the first matching deny is still the lowest role's.
      const bool everyRole = role == kEveryRole;
      if (loadU32(g + sparse::kPermission) != p || (role >= t.roleCount && !everyRole) ||
          (everyRole && g[sparse::kDeny] != 1) || kindMask == 0 || (kindMask & ~kinds) != 0 ||
          (i > begin && role < loadU32(g - sparse::kSize + sparse::kRole)) ||
          g[sparse::kRelationMask] > 0xF || g[sparse::kDeny] > 1 ||
          ((loadU64(g + sparse::kRequired) | loadU64(g + sparse::kForbidden)) & ~t.flagMask) ||
          loadU32(g + sparse::kReserved) != 0 || loadU16(g + sparse::kReserved + 4) != 0)
        return false;
    }
    expectedBegin = end;
  }
  return expectedBegin == t.sparseCount;
}

/// Conditional assigns: role ids in range, flags within flagCount, sorted by (assigner, target)
/// (can_assign_with binary-searches the assigner's entries).
bool validAssignConditions(const lattice_table &t) noexcept {
  for (uint32_t i = 0; i < t.assignConditionCount; ++i) {
    const uint8_t *c = t.section[kAssignConditions] + assigncond::kSize * size_t(i);
    const uint32_t assigner = loadU32(c + assigncond::kAssigner);
    const uint32_t target = loadU32(c + assigncond::kTarget);
    if (assigner >= t.roleCount || target >= t.roleCount ||
        ((loadU64(c + assigncond::kRequired) | loadU64(c + assigncond::kForbidden)) & ~t.flagMask))
      return false;
    if (i == 0)
      continue;
    const uint8_t *prev = c - assigncond::kSize;
    const uint32_t prevAssigner = loadU32(prev + assigncond::kAssigner);
    if (assigner < prevAssigner ||
        (assigner == prevAssigner && target < loadU32(prev + assigncond::kTarget)))
      return false;
  }
  return true;
}

/// Custom role ceilings: the head's counts give the section's exact size; kind masks non-zero
/// and within kindCount, cell and creator ranges tiling their lists, permissions and creators
/// strictly ascending per ceiling, relation masks 1..15, reserved zero, names strictly sorted.
bool validCeilings(lattice_table &t) noexcept {
  const uint8_t *s = t.section[kCeilings];
  const uint64_t size = t.sectionSize[kCeilings];
  if (size < ceiling::kHeadSize)
    return false;
  t.ceilingCount = loadU32(s + ceiling::kCeilingCount);
  t.ceilingCellCount = loadU32(s + ceiling::kCellCount);
  t.ceilingCreatorCount = loadU32(s + ceiling::kCreatorCount);
  const uint64_t expected = ceiling::kHeadSize + (ceiling::kSize + 4) * uint64_t(t.ceilingCount) +
                            ceiling::kCellSize * uint64_t(t.ceilingCellCount) +
                            4 * uint64_t(t.ceilingCreatorCount);
  if (loadU32(s + ceiling::kHeadReserved) != 0 || size != expected)
    return false;
  t.ceilingRecords = s + ceiling::kHeadSize;
  t.ceilingCells = t.ceilingRecords + ceiling::kSize * size_t(t.ceilingCount);
  t.ceilingCreators = t.ceilingCells + ceiling::kCellSize * size_t(t.ceilingCellCount);
  t.ceilingSorted = t.ceilingCreators + 4 * size_t(t.ceilingCreatorCount);
  const uint64_t kinds = lowBits(t.kindCount);
  uint32_t cellsAt = 0, creatorsAt = 0;
  for (uint32_t c = 0; c < t.ceilingCount; ++c) {
    const uint8_t *rec = t.ceilingRecords + ceiling::kSize * size_t(c);
    const uint64_t kindMask = loadU64(rec + ceiling::kKindMask);
    const uint32_t cb = loadU32(rec + ceiling::kCellsBegin), ce = loadU32(rec + ceiling::kCellsEnd);
    const uint32_t rb = loadU32(rec + ceiling::kCreatorsBegin);
    const uint32_t re = loadU32(rec + ceiling::kCreatorsEnd);
    if (loadU32(rec + ceiling::kName) >= t.stringCount || loadU32(rec + ceiling::kReserved) != 0 ||
        kindMask == 0 || (kindMask & ~kinds) != 0 || cb != cellsAt || ce < cb ||
        ce > t.ceilingCellCount || rb != creatorsAt || re < rb || re > t.ceilingCreatorCount)
      return false;
    for (uint32_t i = cb; i < ce; ++i) {
      const uint8_t *cell = t.ceilingCells + ceiling::kCellSize * size_t(i);
      const uint32_t permission = loadU32(cell + ceiling::kCellPermission);
      const uint8_t relations = cell[ceiling::kCellRelations];
      if (permission >= t.permissionCount || relations == 0 || relations > 0xF || cell[5] != 0 ||
          cell[6] != 0 || cell[7] != 0 ||
          (i > cb && permission <= loadU32(cell - ceiling::kCellSize)))
        return false;
    }
    for (uint32_t i = rb; i < re; ++i) {
      const uint32_t role = loadU32(t.ceilingCreators + 4 * size_t(i));
      if (role >= t.roleCount || (i > rb && role <= loadU32(t.ceilingCreators + 4 * size_t(i) - 4)))
        return false;
    }
    cellsAt = ce;
    creatorsAt = re;
  }
  if (cellsAt != t.ceilingCellCount || creatorsAt != t.ceilingCreatorCount)
    return false;
  const char *previous = nullptr;
  for (uint32_t i = 0; i < t.ceilingCount; ++i) {
    const uint32_t id = loadU32(t.ceilingSorted + 4 * size_t(i));
    if (id >= t.ceilingCount)
      return false;
    const char *name = lattice::detail::stringAt(
        t, loadU32(t.ceilingRecords + ceiling::kSize * size_t(id) + ceiling::kName));
    if (previous && std::strcmp(previous, name) >= 0)
      return false;
    previous = name;
  }
  return true;
}

/// Bits for role ids >= roleCount must be clear in every bitset of a section.
bool validBitsets(const lattice_table &t, SectionId id) noexcept {
  if (t.roleCount % 64 == 0)
    return true;
  const uint64_t stray = ~lowBits(t.roleCount % 64);
  for (uint64_t w = t.words - 1; w < t.sectionSize[id] / 8; w += t.words)
    if (loadU64(t.section[id] + 8 * w) & stray)
      return false;
  return true;
}

bool validRequires(const lattice_table &t) noexcept {
  const uint64_t kinds = lowBits(t.kindCount);
  for (uint32_t i = 0; i < t.requireCount; ++i) {
    const uint8_t *c = t.section[kRequire] + require::kSize * size_t(i);
    uint64_t kindMask = loadU64(c + require::kKindMask);
    if (loadU32(c + require::kReserved) != 0 || (kindMask & ~kinds) != 0 ||
        ((loadU64(c + require::kRequired) | loadU64(c + require::kForbidden)) & ~t.flagMask))
      return false;
    if (i == 0)
      continue;
    const uint8_t *prev = c - require::kSize;
    uint32_t statement = loadU32(c), prevStatement = loadU32(prev);
    if (statement < prevStatement ||
        (statement == prevStatement && kindMask != loadU64(prev + require::kKindMask)))
      return false;
  }
  return true;
}

/// Every flag has exactly one known side; sets the side masks (principal, node, the facts), which
/// then partition flagMask.
bool validFlagInfo(lattice_table &t) noexcept {
  for (uint32_t f = 0; f < t.flagCount; ++f) {
    const uint8_t *rec = t.section[kFlagInfo] + flaginfo::kSize * size_t(f);
    const uint32_t side = loadU32(rec + flaginfo::kSide);
    if (loadU32(rec + flaginfo::kReserved) != 0)
      return false;
    if (side == kSidePrincipal)
      t.principalFlags |= uint64_t(1) << f;
    else if (side == kSideNode)
      t.nodeFlags |= uint64_t(1) << f;
    else if (side == kSideResource || side == kSideTarget || side == kSideRequest)
      t.factFlags |= uint64_t(1) << f;
    else // zero, several bits, or a side this reader does not know (reserved for later majors)
      return false;
  }
  return true;
}

/// The vocabulary fingerprint of the validated names and sides (docs/table-format.md): one pass
/// over the name bytes, so linear in the table size.
uint64_t vocabularyFingerprint(const lattice_table &t) noexcept {
  Fingerprint fp;
  for (uint32_t c = Category::kKinds; c <= Category::kFlags; ++c) {
    const uint32_t count = lattice::detail::categoryCount(t, c);
    fp.u32(count);
    for (uint32_t id = 0; id < count; ++id) {
      const char *name = lattice::detail::stringAt(t, lattice::detail::nameStringId(t, c, id));
      fp.name(id, name, std::strlen(name));
      if (c == Category::kFlags)
        fp.u32(loadU32(t.section[kFlagInfo] + flaginfo::kSize * size_t(id) + flaginfo::kSide));
    }
  }
  // Custom role ceilings: a fifth category, only when the table has some.
  if (t.ceilingCount > 0) {
    fp.u32(t.ceilingCount);
    for (uint32_t id = 0; id < t.ceilingCount; ++id) {
      const char *name = lattice::detail::stringAt(
          t, loadU32(t.ceilingRecords + ceiling::kSize * size_t(id) + ceiling::kName));
      fp.name(id, name, std::strlen(name));
    }
  }
  return fp.value();
}

lattice_load_status validate(const uint8_t *d, size_t n, lattice_table &t) noexcept {
  if (lattice_load_status s = readHeader(d, n, t); s != LATTICE_LOAD_OK)
    return s;
  bool ok = validStrings(t);
  for (uint32_t c = Category::kKinds; ok && c <= Category::kFlags; ++c)
    ok = validNames(t, c);
  ok = ok && validRoles(t) && validSparseRules(t) && validBitsets(t, kAllowBits) &&
       validBitsets(t, kExclusive) && validRequires(t) && validFlagInfo(t) &&
       validAssignConditions(t) && validCeilings(t);
  if (!ok)
    return LATTICE_LOAD_BAD_LAYOUT;
  return vocabularyFingerprint(t) == t.fingerprint ? LATTICE_LOAD_OK : LATTICE_LOAD_BAD_FINGERPRINT;
}

/// Sets bit s of masks[r] for every exclusive set s < 64 that lists role r.
void deriveExclusiveSets(const lattice_table &t, uint64_t *masks) noexcept {
  for (uint32_t r = 0; r < t.roleCount; ++r)
    masks[r] = 0;
  const uint32_t sets = minU32(t.exclusiveCount, lattice::detail::kMaskedExclusiveSets);
  for (uint32_t s = 0; s < sets; ++s)
    for (uint32_t w = 0; w < t.words; ++w) {
      const uint64_t bits = loadU64(t.section[kExclusive] + 8 * (size_t(s) * t.words + w));
      for (uint32_t b = 0; b < 64 && (bits >> b) != 0; ++b)
        masks[64 * size_t(w) + b] |= ((bits >> b) & 1) << s;
    }
}

/// Summarises `require` per kind for decide (lattice_table::requireKinds and the masks after it).
void deriveRequirements(lattice_table &t) noexcept {
  for (uint32_t i = 0; i < t.requireCount;) {
    const uint8_t *first = t.section[kRequire] + require::kSize * size_t(i);
    const uint32_t statement = loadU32(first + require::kStatement);
    const uint64_t kinds = loadU64(first + require::kKindMask); // equal for all its clauses
    uint32_t clauses = 0;
    for (; i < t.requireCount; ++i) {
      const uint8_t *c = t.section[kRequire] + require::kSize * size_t(i);
      if (loadU32(c + require::kStatement) != statement)
        break;
      ++clauses;
      t.requireReadsFacts =
          t.requireReadsFacts ||
          ((loadU64(c + require::kRequired) | loadU64(c + require::kForbidden)) & t.factFlags) != 0;
      for (uint64_t k = kinds; k != 0; k &= k - 1) {
        t.requireAll[__builtin_ctzll(k)] |= loadU64(c + require::kRequired);
        t.forbidAll[__builtin_ctzll(k)] |= loadU64(c + require::kForbidden);
      }
    }
    t.requireKinds |= kinds;
    if (clauses > 1)
      t.requireGeneralKinds |= kinds;
  }
}

/// For a one-word table, the roles each kind may hold (lattice_table::kindRoles): the transpose
/// of the roles' kind masks.
void deriveKindRoles(lattice_table &t) noexcept {
  if (t.words != 1)
    return;
  for (uint32_t r = 0; r < t.roleCount; ++r)
    for (uint64_t k = loadU64(t.section[kRoleInfo] + role::kSize * size_t(r)); k != 0; k &= k - 1)
      t.kindRoles[__builtin_ctzll(k)] |= uint64_t(1) << r;
}

/// Fills each category's name index (lattice_table::nameSlots) at `slots`, the block's words
/// after the exclusive-set masks: every id at the first free slot from its name's hash.
void deriveNameIndex(lattice_table &t, uint32_t *slots) noexcept {
  for (uint32_t c = 0; c < 4; ++c) {
    const uint32_t count = lattice::detail::categoryCount(t, c);
    const uint64_t n = lattice::detail::nameSlotCount(count);
    for (uint64_t s = 0; s < n; ++s)
      slots[s] = 0;
    t.nameSlots[c] = slots;
    t.nameSlotMask[c] = uint32_t(n - 1);
    for (uint32_t id = 0; id < count; ++id) {
      const char *name = lattice::detail::stringAt(t, lattice::detail::nameStringId(t, c, id));
      bool nul = false;
      uint32_t s = lattice::detail::nameHash(name, std::strlen(name), nul) & t.nameSlotMask[c];
      while (slots[s] != 0)
        s = (s + 1) & t.nameSlotMask[c];
      slots[s] = id + 1;
    }
    slots += n;
  }
}

/// For a one-word table, per permission the roles its sparse rules name, at `masks`
/// (lattice_table::sparseRoles); a policy-wide rule (kEveryRole) names them all.
void deriveSparseRoles(lattice_table &t, uint64_t *masks) noexcept {
  if (t.words != 1)
    return;
  for (uint32_t p = 0; p < t.permissionCount; ++p) {
    const uint8_t *info = t.section[kPermissionInfo] + perm::kSize * size_t(p);
    uint64_t roles = 0;
    for (uint32_t e = loadU32(info + perm::kSparseBegin); e < loadU32(info + perm::kSparseEnd);
         ++e) {
      const uint32_t role =
          loadU32(t.section[kSparseRules] + sparse::kSize * size_t(e) + sparse::kRole);
      roles |= role < 64 ? uint64_t(1) << role : ~uint64_t(0);
    }
    masks[p] = roles;
  }
  t.sparseRoles = masks;
}

/// Validates, then allocates the handle with the per-role exclusive-set masks and the name
/// indexes after it: one block, so loading still allocates once (lattice_table_free releases
/// it).
lattice_load_status loadInto(const void *data, size_t size, uint8_t *owned,
                             lattice_table **out) noexcept {
  lattice_table v;
  v.data = static_cast<const uint8_t *>(data);
  v.size = size;
  v.owned = owned;
  if (lattice_load_status status = validate(v.data, size, v); status != LATTICE_LOAD_OK) {
    std::free(owned);
    return status;
  }
  uint64_t nameSlots = 0;
  for (uint32_t c = 0; c < 4; ++c)
    nameSlots += lattice::detail::nameSlotCount(lattice::detail::categoryCount(v, c));
  // Name slots are u32, in pairs (each count is even), so the words after them stay aligned.
  const size_t sparseRoleWords = v.words == 1 ? v.permissionCount : 0;
  void *block =
      std::malloc(sizeof(lattice_table) + sizeof(uint64_t) * size_t(v.roleCount) +
                  sizeof(uint32_t) * size_t(nameSlots) + sizeof(uint64_t) * sparseRoleWords);
  if (!block) {
    std::free(owned);
    return LATTICE_LOAD_OUT_OF_MEMORY;
  }
  auto *masks = reinterpret_cast<uint64_t *>(static_cast<lattice_table *>(block) + 1);
  deriveExclusiveSets(v, masks);
  v.exclusiveSets = masks;
  deriveNameIndex(v, reinterpret_cast<uint32_t *>(masks + v.roleCount));
  deriveSparseRoles(v, reinterpret_cast<uint64_t *>(
                           reinterpret_cast<uint32_t *>(masks + v.roleCount) + nameSlots));
  deriveRequirements(v);
  deriveKindRoles(v);
  *out = new (block) lattice_table(v);
  return LATTICE_LOAD_OK;
}

#if LATTICE_POSIX_FILES
/// Reads a regular file of at most `maxBytes` into a malloc'ed buffer. Opened non-blocking (a
/// FIFO with no writer cannot block the open) and checked by descriptor, so the file checked is
/// the file read: a directory, FIFO, socket or device is NOT_A_FILE before a byte is read.
lattice_load_status readTableFile(const char *path, size_t maxBytes, uint8_t *&buffer,
                                  size_t &size) noexcept {
  const int fd = ::open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    return LATTICE_LOAD_IO_ERROR;
  struct stat info;
  lattice_load_status status = LATTICE_LOAD_OK;
  if (::fstat(fd, &info) != 0)
    status = LATTICE_LOAD_IO_ERROR;
  else if (!S_ISREG(info.st_mode))
    status = LATTICE_LOAD_NOT_A_FILE;
  else if (info.st_size < 0 || uint64_t(info.st_size) > maxBytes)
    status = LATTICE_LOAD_TOO_LARGE;
  const size_t expected = status == LATTICE_LOAD_OK ? size_t(info.st_size) : 0;
  // One byte more than the size found tells a file that grew since from one that did not.
  if (status == LATTICE_LOAD_OK && !(buffer = static_cast<uint8_t *>(std::malloc(expected + 1))))
    status = LATTICE_LOAD_OUT_OF_MEMORY;
  size = 0;
  while (status == LATTICE_LOAD_OK && size < expected + 1) {
    const ssize_t n = ::read(fd, buffer + size, expected + 1 - size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      status = LATTICE_LOAD_IO_ERROR;
    if (n <= 0)
      break;
    size += size_t(n);
  }
  ::close(fd);
  if (status == LATTICE_LOAD_OK && size != expected) // the file changed while being read
    status = LATTICE_LOAD_IO_ERROR;
  if (status != LATTICE_LOAD_OK) {
    std::free(buffer);
    buffer = nullptr;
  }
  return status;
}
#else
/// Without POSIX: what fopen opens, read to at most `maxBytes` (one more byte says "larger").
lattice_load_status readTableFile(const char *path, size_t maxBytes, uint8_t *&buffer,
                                  size_t &size) noexcept {
  std::FILE *f = std::fopen(path, "rb");
  if (!f)
    return LATTICE_LOAD_IO_ERROR;
  lattice_load_status status = LATTICE_LOAD_OK;
  size = 0;
  size_t capacity = 0;
  for (;;) {
    if (size == capacity) {
      const size_t grown = capacity ? capacity * 2 : 64 * 1024;
      auto *bigger =
          capacity <= maxBytes ? static_cast<uint8_t *>(std::realloc(buffer, grown)) : nullptr;
      if (!bigger) {
        status = capacity > maxBytes ? LATTICE_LOAD_TOO_LARGE : LATTICE_LOAD_OUT_OF_MEMORY;
        break;
      }
      buffer = bigger;
      capacity = grown;
    }
    size += std::fread(buffer + size, 1, capacity - size, f);
    if (std::ferror(f))
      status = LATTICE_LOAD_IO_ERROR;
    if (size > maxBytes)
      status = LATTICE_LOAD_TOO_LARGE;
    if (status != LATTICE_LOAD_OK || std::feof(f))
      break;
  }
  std::fclose(f);
  if (status != LATTICE_LOAD_OK) {
    std::free(buffer);
    buffer = nullptr;
  }
  return status;
}
#endif

} // namespace

extern "C" {

lattice_load_status lattice_table_load(const void *data, size_t size, lattice_table **out) {
  if (!out)
    return LATTICE_LOAD_IO_ERROR;
  *out = nullptr;
  if (!data)
    return LATTICE_LOAD_TOO_SMALL;
  return loadInto(data, size, nullptr, out);
}

lattice_load_status lattice_table_load_file(const char *path, lattice_table **out) {
  return lattice_table_load_file_max(path, LATTICE_DEFAULT_MAX_TABLE_BYTES, out);
}

lattice_load_status lattice_table_load_file_max(const char *path, size_t max_bytes,
                                                lattice_table **out) {
  if (!out)
    return LATTICE_LOAD_IO_ERROR;
  *out = nullptr;
  if (!path)
    return LATTICE_LOAD_IO_ERROR;
  size_t size = 0;
  uint8_t *buffer = nullptr;
  const lattice_load_status status = readTableFile(path, max_bytes, buffer, size);
  if (status != LATTICE_LOAD_OK)
    return status;
  return loadInto(buffer, size, buffer, out);
}

void lattice_table_free(lattice_table *table) {
  if (!table)
    return;
  std::free(table->owned);
  table->~lattice_table();
  std::free(table);
}

const char *lattice_load_status_message(lattice_load_status status) {
  static const char *const messages[] = {
      "ok",
      "the table file could not be read",
      "the data is shorter than a table header",
      "not a lattice table (bad magic)",
      "unsupported table format version",
      "the size recorded in the header does not match the data",
      "the table is corrupt (checksum mismatch)",
      "the table is malformed (a section, count or id is out of range)",
      "out of memory",
      "the path is not a regular file",
      "the table file is larger than the maximum allowed",
      "the table's vocabulary fingerprint does not match its names"};
  // Any unsigned value is a lattice_load_status (fixed underlying type): C callers may pass one
  // this runtime does not know.
  const auto index = static_cast<unsigned>(status); // enum values are the ABI: 0, 1, ...
  return index < sizeof messages / sizeof *messages ? messages[index] : "unknown load status";
}

} // extern "C"
