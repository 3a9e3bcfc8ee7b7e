// table_writer.cpp - serialises lower::Tables into the table format and dumps them as text.
// Every byte written is explicit (fields stored one by one, padding zeroed) so output is stable.
#include "emit/table_writer.h"

#include "lattice/format.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

namespace lattice::emit {
namespace {

using lower::AssignCondition;
using lower::Ceiling;
using lower::RequireClause;
using lower::SparseRule;
using lower::Tables;

static_assert(lower::kEveryRole == format::kEveryRole);

static_assert(lower::kRelationCount == format::kRelationCount);
static_assert(uint32_t(lower::RoleDeprecated) == format::kRoleDeprecated);
static_assert(uint32_t(lower::RoleLocked) == format::kRoleLocked);
static_assert(uint32_t(lower::FlagOfPrincipal) == format::kSidePrincipal);
static_assert(uint32_t(lower::FlagOfNode) == format::kSideNode);
static_assert(uint32_t(lower::FactOfResource) == format::kSideResource);
static_assert(uint32_t(lower::FactOfTarget) == format::kSideTarget);
static_assert(uint32_t(lower::FactOfRequest) == format::kSideRequest);

uint64_t lowBits(size_t n) { return n >= 64 ? ~uint64_t(0) : (uint64_t(1) << n) - 1; }

/// A growable little-endian byte buffer.
class Bytes {
public:
  void u8(uint8_t v) { data.push_back(v); }
  void u32(uint32_t v) { format::storeU32(grow(4), v); }
  void u64(uint64_t v) { format::storeU64(grow(8), v); }
  /// Many words at once: the dense bitsets are most of a large table (12 MB at 10,000 roles),
  /// and a push_back per byte was most of writing them.
  void u64s(const std::vector<uint64_t> &words) {
    uint8_t *at = grow(8 * words.size());
    for (uint64_t w : words) {
      format::storeU64(at, w);
      at += 8;
    }
  }
  void zeros(size_t n) { data.insert(data.end(), n, 0); }
  void append(const std::vector<uint8_t> &other) {
    data.insert(data.end(), other.begin(), other.end());
  }
  std::vector<uint8_t> data;

private:
  uint8_t *grow(size_t n) {
    data.resize(data.size() + n);
    return data.data() + data.size() - n;
  }
};

std::optional<std::string> verifyNames(const std::vector<std::string> &names, const char *what) {
  std::set<std::string_view> seen;
  for (const std::string &name : names) {
    if (name.find('\0') != std::string::npos)
      return std::string(what) + " name contains a NUL byte";
    if (!seen.insert(name).second)
      return "duplicate " + std::string(what) + " name `" + name + "`";
  }
  return std::nullopt;
}

auto requireKey(const RequireClause &c) {
  return std::tie(c.statement, c.kindMask, c.requiredFlags, c.forbiddenFlags);
}

template <class T, class Key> std::vector<T> sortedUnique(std::vector<T> items, Key key) {
  // Lowering hands some lists over sorted already: one pass proves it and saves the sort. (Not
  // the sparse rules: lowering merges them in another key order than this canonical one.)
  const auto less = [&](const T &a, const T &b) { return key(a) < key(b); };
  if (!std::is_sorted(items.begin(), items.end(), less))
    std::sort(items.begin(), items.end(), less);
  items.erase(std::unique(items.begin(), items.end()), items.end());
  return items;
}

std::vector<uint32_t> sortedUnique(std::vector<uint32_t> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

/// Interns strings in first-use order; identical strings share one id.
class StringTable {
public:
  uint32_t intern(const std::string &s) {
    auto [it, inserted] = ids.emplace(s, uint32_t(offsets.size()));
    if (inserted) {
      offsets.push_back(uint32_t(data.data.size()));
      for (char c : s)
        data.u8(uint8_t(c));
      data.u8(0);
    }
    return it->second;
  }
  Bytes data;
  std::vector<uint32_t> offsets;

private:
  std::map<std::string, uint32_t> ids; // lookup only; never iterated into output
};

Bytes nameTable(StringTable &strings, const std::vector<std::string> &names) {
  Bytes out;
  for (const std::string &name : names)
    out.u32(strings.intern(name));
  std::vector<uint32_t> sorted(names.size());
  for (uint32_t i = 0; i < sorted.size(); ++i)
    sorted[i] = i;
  // std::string compares as unsigned bytes, the order readers binary-search in (strcmp).
  std::sort(sorted.begin(), sorted.end(),
            [&](uint32_t a, uint32_t b) { return names[a] < names[b]; });
  for (uint32_t id : sorted)
    out.u32(id);
  return out;
}

Bytes bitsets(const std::vector<uint64_t> &words) {
  Bytes out;
  out.u64s(words);
  return out;
}

/// Exclusive sets as sorted, deduplicated id lists, in lexicographic order without repeats.
std::vector<std::vector<uint32_t>> canonicalSets(const std::vector<std::vector<uint32_t>> &sets) {
  std::vector<std::vector<uint32_t>> out;
  for (const auto &set : sets)
    out.push_back(sortedUnique(set));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// The sparse rules with their kind masks cut to the declared kinds (`~0`, every kind, becomes
/// exactly the declared ones), sorted and deduplicated.
std::vector<SparseRule> canonicalSparseRules(const Tables &t) {
  std::vector<SparseRule> rules = t.sparseRules;
  for (SparseRule &g : rules)
    g.kindMask &= lowBits(t.kindNames.size());
  return sortedUnique(std::move(rules), lower::sparseRuleKey);
}

std::string join(const std::vector<std::string> &items, const char *separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += (i ? separator : "") + items[i];
  return out;
}

} // namespace

uint64_t vocabularyFingerprint(const Tables &t) {
  format::Fingerprint fp;
  const std::vector<std::string> *categories[] = {&t.kindNames, &t.roleNames, &t.permissionNames,
                                                  &t.flagNames};
  for (const std::vector<std::string> *names : categories) {
    fp.u32(uint32_t(names->size()));
    for (uint32_t id = 0; id < names->size(); ++id) {
      fp.name(id, (*names)[id].data(), (*names)[id].size());
      if (names == &t.flagNames)
        fp.u32(id < t.flagSides.size() ? t.flagSides[id] : 0);
    }
  }
  // Custom role ceilings, a fifth category only when there are some: a table without them keeps
  // the fingerprint of the same vocabulary in 3.x.
  if (!t.ceilings.empty()) {
    fp.u32(uint32_t(t.ceilings.size()));
    for (uint32_t id = 0; id < t.ceilings.size(); ++id)
      fp.name(id, t.ceilings[id].name.data(), t.ceilings[id].name.size());
  }
  return fp.value();
}

std::optional<std::string> verifyTables(const Tables &t) {
  const size_t kinds = t.kindNames.size(), roles = t.roleNames.size();
  const size_t perms = t.permissionNames.size(), flags = t.flagNames.size();
  if (kinds > format::kMaxKinds)
    return "more than 64 principal kinds";
  if (flags > format::kMaxFlags)
    return "more than 64 flags";
  if (roles > UINT32_MAX / 2 || perms > UINT32_MAX / 2)
    return "too many roles or permissions";
  if (t.policyName.find('\0') != std::string::npos)
    return "policy name contains a NUL byte";
  if (t.revision.find('\0') != std::string::npos)
    return "revision contains a NUL byte";
  const std::pair<const std::vector<std::string> *, const char *> categories[] = {
      {&t.kindNames, "kind"},
      {&t.roleNames, "role"},
      {&t.permissionNames, "permission"},
      {&t.flagNames, "flag"}};
  for (auto [names, what] : categories)
    if (auto error = verifyNames(*names, what))
      return error;
  if (t.roleKindMask.size() != roles || t.roleAttributes.size() != roles ||
      t.roleAssigns.size() != roles)
    return "per-role vectors do not match the number of roles";
  if (t.permissionKindMask.size() != perms)
    return "per-permission kind masks do not match the number of permissions";
  if (t.flagSides.size() != flags)
    return "flag sides do not match the number of flags";
  for (size_t f = 0; f < flags; ++f)
    if ((t.flagSides[f] & ~format::kKnownSides) != 0 || t.flagSides[f] == 0 ||
        (t.flagSides[f] & (t.flagSides[f] - 1)) != 0)
      return "flag `" + t.flagNames[f] + "` has no single side";
  const uint64_t kindMask = lowBits(kinds), flagMask = lowBits(flags);
  for (size_t r = 0; r < roles; ++r) {
    if (t.roleKindMask[r] & ~kindMask)
      return "role `" + t.roleNames[r] + "` has a kind bit out of range";
    if (t.roleAttributes[r] & ~format::kKnownRoleAttributes)
      return "role `" + t.roleNames[r] + "` has an unknown attribute";
    for (uint32_t target : t.roleAssigns[r])
      if (target >= roles)
        return "role `" + t.roleNames[r] + "` assigns an unknown role id";
  }
  for (size_t p = 0; p < perms; ++p)
    if (t.permissionKindMask[p] & ~kindMask)
      return "permission `" + t.permissionNames[p] + "` has a kind bit out of range";
  if (t.wordsPerBitset != (roles + 63) / 64)
    return "wordsPerBitset is not ceil(roles / 64)";
  const size_t words = size_t(perms) * format::kRelationCount * t.wordsPerBitset;
  if (t.allowBits.size() != words)
    return "allow bitsets do not have permissions * 4 * wordsPerBitset words";
  if (roles % 64 != 0) {
    const uint64_t stray = ~lowBits(roles % 64);
    for (size_t w = t.wordsPerBitset - 1; w < words; w += t.wordsPerBitset)
      if (t.allowBits[w] & stray)
        return "a bitset has a bit for a role id out of range";
  }
  for (const SparseRule &g : t.sparseRules)
    if (g.permission >= perms || (g.role >= roles && g.role != lower::kEveryRole) ||
        g.relationMask > 0xF || ((g.requiredFlags | g.forbiddenFlags) & ~flagMask) ||
        (g.kindMask & kindMask) == 0)
      return "a sparse rule has an id, relation or flag out of range, or applies to no kind";
    else if (g.role == lower::kEveryRole && !g.deny)
      return "a sparse rule of every role is an allow (only policy-wide denies are)";
  for (const AssignCondition &c : t.assignConditions)
    if (c.assigner >= roles || c.target >= roles ||
        ((c.requiredFlags | c.forbiddenFlags) & ~flagMask))
      return "a conditional assigns has a role or flag out of range";
  for (const auto &set : t.exclusiveSets)
    for (uint32_t role : set)
      if (role >= roles)
        return "an exclusive set has an unknown role id";
  std::map<uint32_t, uint64_t> statementKinds;
  for (const RequireClause &c : t.requireClauses) {
    if ((c.kindMask & ~kindMask) || ((c.requiredFlags | c.forbiddenFlags) & ~flagMask))
      return "a require clause has a kind or flag bit out of range";
    if (!statementKinds.emplace(c.statement, c.kindMask).second &&
        statementKinds[c.statement] != c.kindMask)
      return "clauses of one require statement have different kind masks";
  }
  std::vector<std::string> ceilingNames;
  for (const Ceiling &c : t.ceilings) {
    ceilingNames.push_back(c.name);
    if (c.kindMask == 0 || (c.kindMask & ~kindMask))
      return "custom role `" + c.name + "` has no kind or a kind bit out of range";
    for (size_t i = 0; i < c.cells.size(); ++i)
      if (c.cells[i].first >= perms || c.cells[i].second == 0 || c.cells[i].second > 0xF ||
          (i > 0 && c.cells[i].first <= c.cells[i - 1].first))
        return "custom role `" + c.name + "` has a bad or unsorted cell";
    for (size_t i = 0; i < c.creators.size(); ++i)
      if (c.creators[i] >= roles || (i > 0 && c.creators[i] <= c.creators[i - 1]))
        return "custom role `" + c.name + "` has a bad or unsorted creator";
  }
  if (auto error = verifyNames(ceilingNames, "custom role"))
    return error;
  if (t.sparseRules.size() > UINT32_MAX || t.exclusiveSets.size() > UINT32_MAX ||
      t.requireClauses.size() > UINT32_MAX || t.assignConditions.size() > UINT32_MAX)
    return "too many entries";
  return std::nullopt;
}

std::vector<uint8_t> writeTable(const Tables &t) {
  if (verifyTables(t))
    return {};
  const uint32_t roles = uint32_t(t.roleNames.size()), perms = uint32_t(t.permissionNames.size());
  const uint32_t words = t.wordsPerBitset;
  const auto sparseRules = canonicalSparseRules(t);
  const auto requireClauses = sortedUnique(t.requireClauses, requireKey);
  const auto exclusiveSets = canonicalSets(t.exclusiveSets);
  const auto assignConditions = sortedUnique(t.assignConditions, lower::assignConditionKey);

  std::array<Bytes, format::kSectionCount> sections;
  StringTable strings;
  const uint32_t policyName = strings.intern(t.policyName);
  const uint32_t revision = strings.intern(t.revision);
  sections[format::kKindNames] = nameTable(strings, t.kindNames);
  sections[format::kRoleNames] = nameTable(strings, t.roleNames);
  sections[format::kPermissionNames] = nameTable(strings, t.permissionNames);
  sections[format::kFlagNames] = nameTable(strings, t.flagNames);
  for (const Ceiling &c : t.ceilings) // the ceilings' names come after the flags'
    strings.intern(c.name);
  for (uint32_t offset : strings.offsets)
    sections[format::kStringOffsets].u32(offset);
  sections[format::kStringData] = strings.data;

  uint32_t assignCount = 0;
  for (uint32_t r = 0; r < roles; ++r) {
    const auto assigns = sortedUnique(t.roleAssigns[r]);
    Bytes &info = sections[format::kRoleInfo];
    info.u64(t.roleKindMask[r]);
    info.u32(t.roleAttributes[r]);
    info.u32(assignCount);
    assignCount += uint32_t(assigns.size());
    info.u32(assignCount);
    info.u32(0); // reserved
    for (uint32_t target : assigns)
      sections[format::kAssigns].u32(target);
  }

  size_t next = 0;
  for (uint32_t p = 0; p < perms; ++p) {
    const size_t begin = next;
    while (next < sparseRules.size() && sparseRules[next].permission == p)
      ++next;
    Bytes &info = sections[format::kPermissionInfo];
    info.u64(t.permissionKindMask[p]);
    info.u32(uint32_t(begin));
    info.u32(uint32_t(next));
  }
  for (const SparseRule &g : sparseRules) {
    Bytes &out = sections[format::kSparseRules];
    out.u32(g.permission);
    out.u32(g.role);
    out.u64(g.requiredFlags);
    out.u64(g.forbiddenFlags);
    out.u64(g.kindMask);
    out.u8(g.relationMask);
    out.u8(g.deny ? 1 : 0);
    out.zeros(6); // reserved
  }
  for (const AssignCondition &c : assignConditions) {
    Bytes &out = sections[format::kAssignConditions];
    out.u32(c.assigner);
    out.u32(c.target);
    out.u64(c.requiredFlags);
    out.u64(c.forbiddenFlags);
  }

  sections[format::kAllowBits] = bitsets(t.allowBits);
  for (const auto &set : exclusiveSets) {
    std::vector<uint64_t> bits(words, 0);
    for (uint32_t role : set)
      bits[role / 64] |= uint64_t(1) << (role % 64);
    sections[format::kExclusive].append(bitsets(bits).data);
  }
  for (const RequireClause &c : requireClauses) {
    Bytes &out = sections[format::kRequire];
    out.u32(c.statement);
    out.u32(0); // reserved
    out.u64(c.kindMask);
    out.u64(c.requiredFlags);
    out.u64(c.forbiddenFlags);
  }
  for (uint32_t side : t.flagSides) {
    sections[format::kFlagInfo].u32(side);
    sections[format::kFlagInfo].u32(0); // reserved
  }

  {
    // Ceilings: head, records, cells, creators, then the ids sorted by name.
    Bytes &out = sections[format::kCeilings];
    uint32_t cells = 0, creators = 0;
    for (const Ceiling &c : t.ceilings) {
      cells += uint32_t(c.cells.size());
      creators += uint32_t(c.creators.size());
    }
    out.u32(uint32_t(t.ceilings.size()));
    out.u32(cells);
    out.u32(creators);
    out.u32(0); // reserved
    uint32_t cellAt = 0, creatorAt = 0;
    for (const Ceiling &c : t.ceilings) {
      out.u32(strings.intern(c.name));
      out.u32(0); // reserved
      out.u64(c.kindMask);
      out.u32(cellAt);
      out.u32(cellAt += uint32_t(c.cells.size()));
      out.u32(creatorAt);
      out.u32(creatorAt += uint32_t(c.creators.size()));
    }
    for (const Ceiling &c : t.ceilings)
      for (auto [permission, relations] : c.cells) {
        out.u32(permission);
        out.u32(relations); // the u8 relation mask, then three reserved zero bytes
      }
    for (const Ceiling &c : t.ceilings)
      for (uint32_t role : c.creators)
        out.u32(role);
    std::vector<uint32_t> sorted(t.ceilings.size());
    for (uint32_t i = 0; i < sorted.size(); ++i)
      sorted[i] = i;
    std::sort(sorted.begin(), sorted.end(),
              [&](uint32_t a, uint32_t b) { return t.ceilings[a].name < t.ceilings[b].name; });
    for (uint32_t id : sorted)
      out.u32(id);
  }
  // Header, directory, then the sections in id order, each at the next 8-byte boundary.
  const size_t headerSize =
      format::hdr::kDirectory + format::hdr::kDirectoryEntrySize * format::kSectionCount;
  std::vector<uint8_t> file(headerSize, 0);
  std::array<uint64_t, format::kSectionCount> offsets{};
  for (uint32_t i = 0; i < format::kSectionCount; ++i) {
    file.resize(format::alignUp(file.size()), 0);
    offsets[i] = file.size();
    file.insert(file.end(), sections[i].data.begin(), sections[i].data.end());
  }
  file.resize(format::alignUp(file.size()), 0);

  uint8_t *h = file.data();
  std::copy(std::begin(format::kMagic), std::end(format::kMagic), h + format::hdr::kMagic);
  format::storeU16(h + format::hdr::kVersionMajor, format::kVersionMajor);
  format::storeU16(h + format::hdr::kVersionMinor, format::kVersionMinor);
  format::storeU32(h + format::hdr::kSectionCount, format::kSectionCount);
  format::storeU64(h + format::hdr::kFileSize, file.size());
  const std::pair<size_t, uint32_t> counts[] = {
      {format::hdr::kKindCount, uint32_t(t.kindNames.size())},
      {format::hdr::kRoleCount, roles},
      {format::hdr::kPermissionCount, perms},
      {format::hdr::kFlagCount, uint32_t(t.flagNames.size())},
      {format::hdr::kRelationCount, format::kRelationCount},
      {format::hdr::kWordsPerBitset, words},
      {format::hdr::kSparseRuleCount, uint32_t(sparseRules.size())},
      {format::hdr::kExclusiveCount, uint32_t(exclusiveSets.size())},
      {format::hdr::kRequireCount, uint32_t(requireClauses.size())},
      {format::hdr::kStringCount, uint32_t(strings.offsets.size())},
      {format::hdr::kAssignCount, assignCount},
      {format::hdr::kPolicyName, policyName},
      {format::hdr::kRevision, revision},
      {format::hdr::kAssignConditionCount, uint32_t(assignConditions.size())},
  };
  for (auto [offset, value] : counts)
    format::storeU32(h + offset, value);
  format::storeU64(h + format::hdr::kFingerprint, vocabularyFingerprint(t));
  for (uint32_t i = 0; i < format::kSectionCount; ++i) {
    uint8_t *entry = h + format::hdr::kDirectory + format::hdr::kDirectoryEntrySize * i;
    format::storeU64(entry, offsets[i]);
    format::storeU64(entry + 8, sections[i].data.size());
  }
  format::storeU64(
      h + format::hdr::kChecksum,
      format::checksum(h + format::hdr::kChecksumStart, file.size() - format::hdr::kChecksumStart));
  return file;
}

std::string dumpTables(const Tables &t) {
  auto name = [](const std::vector<std::string> &names, uint64_t id) {
    return id < names.size() ? names[id] : "#" + std::to_string(id);
  };
  auto maskNames = [&](const std::vector<std::string> &names, uint64_t mask) {
    std::vector<std::string> out;
    for (uint32_t bit = 0; bit < 64; ++bit)
      if ((mask >> bit) & 1)
        out.push_back(name(names, bit));
    return out.empty() ? std::string("(none)") : join(out, ", ");
  };
  auto idNames = [&](const std::vector<std::string> &names, const std::vector<uint32_t> &ids) {
    std::vector<std::string> out;
    for (uint32_t id : ids)
      out.push_back(name(names, id));
    return join(out, ", ");
  };
  auto condition = [&](uint64_t required, uint64_t forbidden) {
    std::vector<std::string> terms;
    for (uint32_t bit = 0; bit < 64; ++bit) {
      if ((required >> bit) & 1)
        terms.push_back(name(t.flagNames, bit));
      if ((forbidden >> bit) & 1)
        terms.push_back("not " + name(t.flagNames, bit));
    }
    return terms.empty() ? std::string("true") : join(terms, " and ");
  };
  static const char *const kRelations[] = {"self", "descendants", "ancestors", "elsewhere"};
  auto relations = [&](uint32_t mask) {
    std::vector<std::string> out;
    for (uint32_t r = 0; r < 8; ++r)
      if ((mask >> r) & 1)
        out.push_back(r < 4 ? kRelations[r] : "#" + std::to_string(r));
    return out.empty() ? std::string("(none)") : join(out, ", ");
  };

  std::string out = "policy " + t.policyName + "\n";
  if (!t.revision.empty())
    out += "revision " + t.revision + "\n";
  for (size_t k = 0; k < t.kindNames.size(); ++k)
    out += "kind " + std::to_string(k) + " " + t.kindNames[k] + "\n";
  for (size_t f = 0; f < t.flagNames.size(); ++f) {
    const uint32_t side = f < t.flagSides.size() ? t.flagSides[f] : 0;
    out += "flag " + std::to_string(f) + " " + t.flagNames[f] +
           (side == lower::FlagOfPrincipal  ? " of principals"
            : side == lower::FlagOfNode     ? " of nodes"
            : side == lower::FactOfResource ? " of the resource"
            : side == lower::FactOfTarget   ? " of the target's node"
            : side == lower::FactOfRequest  ? " of the request"
                                            : " of side #" + std::to_string(side)) +
           "\n";
  }
  for (size_t r = 0; r < t.roleNames.size(); ++r) {
    out += "role " + std::to_string(r) + " " + t.roleNames[r];
    if (r < t.roleKindMask.size())
      out += " for " + maskNames(t.kindNames, t.roleKindMask[r]);
    const uint32_t attributes = r < t.roleAttributes.size() ? t.roleAttributes[r] : 0;
    if (attributes & lower::RoleDeprecated)
      out += " deprecated";
    if (attributes & lower::RoleLocked)
      out += " locked";
    if (r < t.roleAssigns.size() && !t.roleAssigns[r].empty())
      out += " assigns " + idNames(t.roleNames, sortedUnique(t.roleAssigns[r]));
    out += "\n";
  }
  for (size_t p = 0; p < t.permissionNames.size(); ++p) {
    out += "permission " + std::to_string(p) + " " + t.permissionNames[p];
    if (p < t.permissionKindMask.size())
      out += " for " + maskNames(t.kindNames, t.permissionKindMask[p]);
    out += "\n";
  }
  // Allow rows, by permission then relation; only rows with a bit set.
  const size_t words = t.wordsPerBitset;
  for (size_t p = 0; words && p < t.permissionNames.size(); ++p) {
    for (uint32_t rel = 0; rel < format::kRelationCount; ++rel) {
      const size_t row = (p * format::kRelationCount + rel) * words;
      std::vector<uint32_t> allow;
      for (size_t w = 0; w < words && row + w < t.allowBits.size(); ++w)
        for (uint32_t b = 0; b < 64; ++b)
          if ((t.allowBits[row + w] >> b) & 1)
            allow.push_back(uint32_t(w * 64 + b));
      if (!allow.empty())
        out += "allow " + t.permissionNames[p] + " " + kRelations[rel] + ": " +
               idNames(t.roleNames, allow) + "\n";
    }
  }
  const uint64_t allKinds = lowBits(t.kindNames.size());
  for (const SparseRule &g : canonicalSparseRules(t)) {
    out += "sparse " + name(t.permissionNames, g.permission) + (g.deny ? " deny " : " allow ") +
           (g.role == lower::kEveryRole ? std::string("(every role)") : name(t.roleNames, g.role)) +
           " on " + relations(g.relationMask);
    if (g.requiredFlags | g.forbiddenFlags)
      out += " when " + condition(g.requiredFlags, g.forbiddenFlags);
    if ((g.kindMask & allKinds) != allKinds)
      out += " for " + maskNames(t.kindNames, g.kindMask);
    out += "\n";
  }
  for (const AssignCondition &c : sortedUnique(t.assignConditions, lower::assignConditionKey))
    out += "assigns " + name(t.roleNames, c.assigner) + " gives " + name(t.roleNames, c.target) +
           " when " + condition(c.requiredFlags, c.forbiddenFlags) + "\n";
  for (const auto &set : canonicalSets(t.exclusiveSets))
    out += "exclusive " + idNames(t.roleNames, sortedUnique(set)) + "\n";
  for (const RequireClause &c : sortedUnique(t.requireClauses, requireKey))
    out += "require " + std::to_string(c.statement) + " for " + maskNames(t.kindNames, c.kindMask) +
           ": " + condition(c.requiredFlags, c.forbiddenFlags) + "\n";
  for (size_t i = 0; i < t.ceilings.size(); ++i) {
    const Ceiling &c = t.ceilings[i];
    out += "custom role " + std::to_string(i) + " " + c.name + " for " +
           maskNames(t.kindNames, c.kindMask);
    if (!c.creators.empty())
      out += " created_by " + idNames(t.roleNames, c.creators);
    out += "\n";
    for (auto [permission, mask] : c.cells)
      out += "  ceiling " + name(t.permissionNames, permission) + " on " + relations(mask) + "\n";
  }
  return out;
}

} // namespace lattice::emit
