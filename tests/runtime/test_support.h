// test_support.h - helpers shared by the runtime tests: loading emitted tables, patching fields
// with a recomputed checksum, requests with memberships, and a naive reference implementation
// of the decision.
#pragma once

#include "emit/table_writer.h"
#include "lattice/format.h"
#include "lattice/lattice.hpp"
#include "lower/tables.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

namespace lattice::testing {

/// Emits `tables`, failing the test if the writer refuses them.
std::vector<uint8_t> emit(const lower::Tables &tables);

/// Loads bytes that must be valid; the bytes must outlive the table.
Table mustLoad(const std::vector<uint8_t> &bytes);

lattice_load_status loadStatus(const std::vector<uint8_t> &bytes);

/// lattice_decide with raw ids, through the C API on the table's handle (the C++ wrapper takes
/// only ids resolved in a table).
Decision decideRaw(const Table &table, const lattice_request &request);
Decision decideRaw(const Table &table, uint32_t kind, std::initializer_list<uint32_t> roles,
                   uint32_t permission, lattice_relation relation, uint64_t flags = 0);

/// lattice_decide on `table`, expected to agree with referenceDecide on the `tables` it was
/// written from (allowed, reason, deciding role); returns the runtime's decision.
lattice_decision decideChecked(const Table &table, const lower::Tables &tables,
                               const lattice_request &request);

/// A node by its ancestor path (`ids` must outlive the reference), or by its label.
lattice_node_ref path(const uint64_t *ids, uint32_t depth);
lattice_node_ref label(uint64_t tree, uint32_t pre, uint32_t last);

/// A membership as the tests write it: roles held at a node, with that node's flags.
struct Member {
  lattice_node_ref node;
  std::vector<uint32_t> roles;
  uint64_t nodeFlags = 0;
};
/// The runtime's records of `members` (pointing into them: they must outlive the records).
std::vector<lattice_membership> memberships(const std::vector<Member> &members);
/// A request with the memberships `ms` (which must outlive it).
lattice_access_request accessRequest(uint32_t kind, uint64_t flags,
                                     const std::vector<lattice_membership> &ms, uint32_t permission,
                                     lattice_node_ref target, uint64_t facts = 0);

/// Every field of a lattice_access_decision.
#define EXPECT_ACCESS(d, isAllowed, why, role, membership)                                         \
  do {                                                                                             \
    lattice_access_decision d_ = (d);                                                              \
    EXPECT_EQ(d_.allowed, isAllowed);                                                              \
    EXPECT_EQ(d_.reason, uint32_t(why));                                                           \
    EXPECT_EQ(d_.deciding_role, uint32_t(role));                                                   \
    EXPECT_EQ(d_.deciding_membership, uint32_t(membership));                                       \
  } while (0)

/// Recomputes the checksum after a deliberate edit, so later checks are reached.
void reseal(std::vector<uint8_t> &bytes);

/// The file offset of section `id` according to the directory.
size_t sectionOffset(const std::vector<uint8_t> &bytes, format::SectionId id);

inline void patchU8(std::vector<uint8_t> &b, size_t at, uint8_t v) { b.at(at) = v; }
void patchU32(std::vector<uint8_t> &bytes, size_t at, uint32_t value);
void patchU64(std::vector<uint8_t> &bytes, size_t at, uint64_t value);

/// The decision computed straight from the definition in docs/runtime.md over lower::Tables,
/// with none of the runtime's data structures: the oracle for randomized comparisons.
lattice_decision referenceDecide(const lower::Tables &tables, const lattice_request &request);

/// Same for delegation; with the assigner's `flags` a conditional assigns counts when they
/// satisfy one of its clauses (lattice_can_assign_with), without them never.
bool referenceCanAssign(const lower::Tables &tables, const std::vector<uint32_t> &roles,
                        uint32_t target, std::optional<uint64_t> flags = std::nullopt);

} // namespace lattice::testing
