// test_support.cpp - the helpers of test_support.h.
// referenceDecide mirrors the spec sentence by sentence; clarity over speed.
#include "test_support.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <set>

namespace lattice::testing {

std::vector<uint8_t> emit(const lower::Tables &tables) {
  auto problem = emit::verifyTables(tables);
  EXPECT_FALSE(problem.has_value()) << *problem;
  std::vector<uint8_t> bytes = emit::writeTable(tables);
  EXPECT_FALSE(bytes.empty());
  return bytes;
}

Table mustLoad(const std::vector<uint8_t> &bytes) {
  lattice_load_status status = LATTICE_LOAD_IO_ERROR;
  std::optional<Table> table = Table::load(bytes.data(), bytes.size(), &status);
  if (!table) {
    ADD_FAILURE() << "load failed: " << lattice_load_status_message(status);
    std::abort(); // every caller needs the table; nothing sensible can follow
  }
  return std::move(*table);
}

lattice_load_status loadStatus(const std::vector<uint8_t> &bytes) {
  lattice_table *table = nullptr;
  lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &table);
  EXPECT_EQ(status == LATTICE_LOAD_OK, table != nullptr);
  lattice_table_free(table);
  return status;
}

Decision decideRaw(const Table &table, const lattice_request &request) {
  return Decision(lattice_decide(table.get(), &request));
}

Decision decideRaw(const Table &table, uint32_t kind, std::initializer_list<uint32_t> roles,
                   uint32_t permission, lattice_relation relation, uint64_t flags) {
  const lattice_request request{kind,       roles.begin(),      uint32_t(roles.size()),
                                permission, uint32_t(relation), flags};
  return decideRaw(table, request);
}

lattice_decision decideChecked(const Table &table, const lower::Tables &tables,
                               const lattice_request &request) {
  const lattice_decision got = lattice_decide(table.get(), &request);
  const lattice_decision want = referenceDecide(tables, request);
  EXPECT_EQ(got.allowed, want.allowed);
  EXPECT_EQ(got.reason, want.reason);
  EXPECT_EQ(got.deciding_role, want.deciding_role);
  return got;
}

lattice_node_ref path(const uint64_t *ids, uint32_t depth) {
  lattice_node_ref ref{};
  ref.path = {ids, depth};
  return ref;
}

lattice_node_ref label(uint64_t tree, uint32_t pre, uint32_t last) {
  lattice_node_ref ref{};
  ref.label = {tree, pre, last};
  return ref;
}

std::vector<lattice_membership> memberships(const std::vector<Member> &members) {
  std::vector<lattice_membership> ms;
  for (const Member &m : members)
    ms.push_back({m.node, m.roles.data(), uint32_t(m.roles.size()), m.nodeFlags});
  return ms;
}

lattice_access_request accessRequest(uint32_t kind, uint64_t flags,
                                     const std::vector<lattice_membership> &ms, uint32_t permission,
                                     lattice_node_ref target, uint64_t facts) {
  lattice_access_request request{};
  request.kind = kind;
  request.flags = flags;
  request.memberships = ms.data();
  request.membership_count = uint32_t(ms.size());
  request.permission = permission;
  request.target = target;
  request.facts = facts;
  return request;
}

void reseal(std::vector<uint8_t> &bytes) {
  using namespace format;
  storeU64(bytes.data() + hdr::kChecksum,
           checksum(bytes.data() + hdr::kChecksumStart, bytes.size() - hdr::kChecksumStart));
}

size_t sectionOffset(const std::vector<uint8_t> &bytes, format::SectionId id) {
  using namespace format;
  return size_t(loadU64(bytes.data() + hdr::kDirectory + hdr::kDirectoryEntrySize * id));
}

void patchU32(std::vector<uint8_t> &bytes, size_t at, uint32_t value) {
  format::storeU32(&bytes.at(at + 3) - 3, value);
}

void patchU64(std::vector<uint8_t> &bytes, size_t at, uint64_t value) {
  format::storeU64(&bytes.at(at + 7) - 7, value);
}

namespace {
lattice_decision decision(bool allowed, lattice_reason reason, uint32_t role = LATTICE_NO_ID) {
  return {allowed ? 1 : 0, uint32_t(reason), role};
}
bool flagsHold(uint64_t flags, uint64_t required, uint64_t forbidden) {
  return (flags & required) == required && (flags & forbidden) == 0;
}
} // namespace

lattice_decision referenceDecide(const lower::Tables &t, const lattice_request &q) {
  const uint64_t flagMask =
      t.flagNames.size() >= 64 ? ~uint64_t(0) : (uint64_t(1) << t.flagNames.size()) - 1;
  if (q.kind >= t.kindNames.size() || q.permission >= t.permissionNames.size() ||
      q.relation > LATTICE_REL_NONE || (!q.roles && q.role_count) || (q.flags & ~flagMask))
    return decision(false, LATTICE_REASON_BAD_REQUEST);
  std::set<uint32_t> held(q.roles, q.roles + q.role_count); // ordered: lowest id first
  if (!held.empty() && *held.rbegin() >= t.roleNames.size())
    return decision(false, LATTICE_REASON_BAD_REQUEST);
  if (q.relation == LATTICE_REL_NONE)
    return decision(false, LATTICE_REASON_OTHER_TREE);
  for (uint32_t r : held)
    if (!((t.roleKindMask[r] >> q.kind) & 1))
      return decision(false, LATTICE_REASON_ROLE_NOT_FOR_KIND, r);
  // Sets in the writer's canonical order: sorted, deduplicated lists in lexicographic order.
  std::set<std::vector<uint32_t>> sets;
  for (auto set : t.exclusiveSets) {
    std::sort(set.begin(), set.end());
    set.erase(std::unique(set.begin(), set.end()), set.end());
    sets.insert(set);
  }
  for (const auto &set : sets) {
    std::vector<uint32_t> both;
    std::set_intersection(set.begin(), set.end(), held.begin(), held.end(),
                          std::back_inserter(both));
    if (both.size() >= 2)
      return decision(false, LATTICE_REASON_EXCLUSIVE, both.front());
  }
  if (!((t.permissionKindMask[q.permission] >> q.kind) & 1))
    return decision(false, LATTICE_REASON_NOT_APPLICABLE);
  std::set<uint32_t> applicable, satisfied;
  for (const auto &c : t.requireClauses) {
    if ((c.kindMask >> q.kind) & 1)
      applicable.insert(c.statement);
    if (flagsHold(q.flags, c.requiredFlags, c.forbiddenFlags))
      satisfied.insert(c.statement);
  }
  for (uint32_t statement : applicable)
    if (!satisfied.count(statement))
      return decision(false, LATTICE_REASON_REQUIREMENT);

  auto ruleHolds = [&](uint32_t role, bool deny) {
    size_t row = (size_t(q.permission) * 4 + q.relation) * t.wordsPerBitset;
    if (role != lower::kEveryRole && !deny && (t.allowBits[row + role / 64] >> (role % 64)) & 1)
      return true;
    for (const auto &g : t.sparseRules)
      if (g.permission == q.permission && g.role == role && g.deny == deny &&
          ((g.relationMask >> q.relation) & 1) && ((g.kindMask >> q.kind) & 1) &&
          flagsHold(q.flags, g.requiredFlags, g.forbiddenFlags))
        return true;
    return false;
  };
  // A deny of a held role is named first; a policy-wide deny (every role's) has no role.
  for (uint32_t r : held)
    if (ruleHolds(r, true))
      return decision(false, LATTICE_REASON_DENIED_BY_RULE, r);
  if (ruleHolds(lower::kEveryRole, true))
    return decision(false, LATTICE_REASON_DENIED_BY_POLICY);
  for (uint32_t r : held)
    if (ruleHolds(r, false))
      return decision(true, LATTICE_REASON_ALLOWED, r);
  return decision(false, LATTICE_REASON_NO_ALLOW);
}

bool referenceCanAssign(const lower::Tables &t, const std::vector<uint32_t> &roles, uint32_t target,
                        std::optional<uint64_t> flags) {
  const uint64_t flagMask =
      t.flagNames.size() >= 64 ? ~uint64_t(0) : (uint64_t(1) << t.flagNames.size()) - 1;
  if (target >= t.roleNames.size() || (t.roleAttributes[target] & lower::RoleLocked) ||
      (flags && (*flags & ~flagMask)))
    return false;
  for (uint32_t r : roles)
    if (r >= t.roleNames.size())
      return false;
  for (uint32_t r : roles) {
    for (uint32_t a : t.roleAssigns[r])
      if (a == target)
        return true;
    for (const lower::AssignCondition &c : t.assignConditions)
      if (flags && c.assigner == r && c.target == target &&
          flagsHold(*flags, c.requiredFlags, c.forbiddenFlags))
        return true;
  }
  return false;
}

} // namespace lattice::testing
