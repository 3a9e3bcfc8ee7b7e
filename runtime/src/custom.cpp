// custom.cpp - custom role ceilings (lookups, `created_by`) and the sets of roles that tenants
// build within them: validated against the ceiling and the permissions' `for`, 4 bits a cell.
#include "custom.h"

#include <cstdlib>
#include <cstring>
#include <new>

using namespace lattice::format;

namespace {

const uint8_t *record(const lattice_table &t, uint32_t ceiling) noexcept {
  return t.ceilingRecords + ceiling::kSize * size_t(ceiling);
}

const char *nameOf(const lattice_table &t, uint32_t c) noexcept {
  return lattice::detail::stringAt(t, loadU32(record(t, c) + ceiling::kName));
}

/// Grows `*p` (n elements of `size` bytes) to at least `need`; false without memory.
bool grow(void **p, size_t size, size_t &capacity, size_t need) noexcept {
  if (need <= capacity)
    return true;
  size_t next = capacity ? capacity : 16;
  while (next < need) {
    if (next > SIZE_MAX / 2 / size)
      return false;
    next *= 2;
  }
  void *bigger = std::realloc(*p, next * size);
  if (!bigger)
    return false;
  *p = bigger;
  capacity = next;
  return true;
}

/// Validates the entries and adds the role; the first offending entry refuses it.
lattice_custom_status addRole(lattice_custom_roles &s, uint32_t c, const uint32_t *permissions,
                              const uint32_t *reaches, uint32_t count, uint32_t *roleOut,
                              uint32_t *badIndex) noexcept {
  const lattice_table &t = *s.table;
  const uint8_t *rec = record(t, c);
  const uint64_t kinds = loadU64(rec + ceiling::kKindMask);
  const uint32_t cells = loadU32(rec + ceiling::kCellsEnd) - loadU32(rec + ceiling::kCellsBegin);
  const uint32_t *slotOf = s.slotOf + size_t(c) * t.permissionCount;
  const uint8_t *cellBase =
      t.ceilingCells + ceiling::kCellSize * size_t(loadU32(rec + ceiling::kCellsBegin));
  for (uint32_t i = 0; i < count; ++i) {
    auto refuse = [&](lattice_custom_status status) {
      if (badIndex)
        *badIndex = i;
      return status;
    };
    const uint32_t p = permissions[i], reach = reaches[i];
    if (p >= t.permissionCount)
      return refuse(LATTICE_CUSTOM_UNKNOWN_PERMISSION);
    if (reach == 0 || reach > LATTICE_REACH_TENANT)
      return refuse(LATTICE_CUSTOM_BAD_REACH);
    const uint64_t applies = loadU64(t.section[kPermissionInfo] + perm::kSize * size_t(p));
    if (!(applies & kinds))
      return refuse(LATTICE_CUSTOM_NOT_FOR_KINDS);
    const uint32_t slot = slotOf[p];
    if (slot == LATTICE_NO_ID)
      return refuse(LATTICE_CUSTOM_OUTSIDE_CEILING);
    if (reach & ~uint32_t(cellBase[ceiling::kCellSize * size_t(slot) + ceiling::kCellRelations]))
      return refuse(LATTICE_CUSTOM_REACH_BEYOND_CEILING);
  }
  const size_t bytes = (size_t(cells) + 1) / 2;
  if (s.count >= LATTICE_CUSTOM_ROLE - 1 || s.poolSize > UINT32_MAX - bytes)
    return LATTICE_CUSTOM_TOO_MANY;
  if (s.count == s.capacity) {
    const size_t next = s.capacity ? 2 * size_t(s.capacity) : 16;
    void *ceilings = std::realloc(s.roleCeiling, 4 * next);
    if (!ceilings)
      return LATTICE_CUSTOM_OUT_OF_MEMORY;
    s.roleCeiling = static_cast<uint32_t *>(ceilings);
    void *offsets = std::realloc(s.roleOffset, 4 * next);
    if (!offsets)
      return LATTICE_CUSTOM_OUT_OF_MEMORY;
    s.roleOffset = static_cast<uint32_t *>(offsets);
    s.capacity = uint32_t(next);
  }
  size_t poolCapacity = s.poolCapacity;
  if (!grow(reinterpret_cast<void **>(&s.pool), 1, poolCapacity, s.poolSize + bytes))
    return LATTICE_CUSTOM_OUT_OF_MEMORY;
  s.poolCapacity = poolCapacity;
  uint8_t *nibbles = s.pool + s.poolSize;
  std::memset(nibbles, 0, bytes);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t slot = slotOf[permissions[i]];
    nibbles[slot / 2] |= uint8_t(reaches[i] << ((slot & 1) * 4));
  }
  s.roleCeiling[s.count] = c;
  s.roleOffset[s.count] = uint32_t(s.poolSize);
  s.poolSize += bytes;
  *roleOut = LATTICE_CUSTOM_ROLE | s.count++;
  return LATTICE_CUSTOM_OK;
}

} // namespace

extern "C" {

uint32_t lattice_ceiling_count(const lattice_table *table) {
  return table ? table->ceilingCount : 0;
}

uint32_t lattice_ceiling_id(const lattice_table *table, const char *name) {
  if (!table || !name)
    return LATTICE_NO_ID;
  return lattice::detail::searchSortedNames(table->ceilingSorted, table->ceilingCount, name,
                                            std::strlen(name),
                                            [table](uint32_t id) { return nameOf(*table, id); });
}

const char *lattice_ceiling_name(const lattice_table *table, uint32_t ceiling) {
  return table && ceiling < table->ceilingCount ? nameOf(*table, ceiling) : nullptr;
}

uint64_t lattice_ceiling_kinds(const lattice_table *table, uint32_t ceiling) {
  return table && ceiling < table->ceilingCount
             ? loadU64(record(*table, ceiling) + ceiling::kKindMask)
             : 0;
}

uint32_t lattice_ceiling_reach(const lattice_table *table, uint32_t ceiling, uint32_t permission) {
  if (!table || ceiling >= table->ceilingCount)
    return 0;
  const uint8_t *rec = record(*table, ceiling);
  for (uint32_t i = loadU32(rec + ceiling::kCellsBegin); i < loadU32(rec + ceiling::kCellsEnd);
       ++i) {
    const uint8_t *cell = table->ceilingCells + ceiling::kCellSize * size_t(i);
    if (loadU32(cell + ceiling::kCellPermission) == permission)
      return cell[ceiling::kCellRelations];
  }
  return 0;
}

int lattice_can_create(const lattice_table *table, const uint32_t *roles, uint32_t role_count,
                       uint32_t ceiling) {
  if (!table || ceiling >= table->ceilingCount || (!roles && role_count > 0))
    return 0;
  const uint8_t *rec = record(*table, ceiling);
  const uint32_t begin = loadU32(rec + ceiling::kCreatorsBegin);
  const uint32_t end = loadU32(rec + ceiling::kCreatorsEnd);
  for (uint32_t i = 0; i < role_count; ++i)
    for (uint32_t k = begin; k < end; ++k)
      if (loadU32(table->ceilingCreators + 4 * size_t(k)) == roles[i])
        return 1;
  return 0;
}

lattice_custom_roles *lattice_custom_roles_new(const lattice_table *table) {
  if (!table)
    return nullptr;
  const size_t slots = size_t(table->ceilingCount) * table->permissionCount;
  if (table->permissionCount != 0 && slots / table->permissionCount != table->ceilingCount)
    return nullptr;
  auto *s = static_cast<lattice_custom_roles *>(std::calloc(1, sizeof(lattice_custom_roles)));
  if (!s)
    return nullptr;
  s->table = table;
  s->slotOf = static_cast<uint32_t *>(std::malloc(slots ? slots * 4 : 4));
  if (!s->slotOf) {
    std::free(s);
    return nullptr;
  }
  for (size_t i = 0; i < slots; ++i)
    s->slotOf[i] = LATTICE_NO_ID;
  for (uint32_t c = 0; c < table->ceilingCount; ++c) {
    const uint8_t *rec = record(*table, c);
    const uint32_t begin = loadU32(rec + ceiling::kCellsBegin);
    for (uint32_t i = begin; i < loadU32(rec + ceiling::kCellsEnd); ++i) {
      const uint32_t p = loadU32(table->ceilingCells + ceiling::kCellSize * size_t(i));
      s->slotOf[size_t(c) * table->permissionCount + p] = i - begin;
    }
  }
  return s;
}

void lattice_custom_roles_free(lattice_custom_roles *set) {
  if (!set)
    return;
  std::free(set->slotOf);
  std::free(set->roleCeiling);
  std::free(set->roleOffset);
  std::free(set->pool);
  std::free(set);
}

uint32_t lattice_custom_roles_count(const lattice_custom_roles *set) {
  return set ? set->count : 0;
}

size_t lattice_custom_roles_bytes(const lattice_custom_roles *set) {
  return set ? 8 * size_t(set->count) + set->poolSize : 0;
}

lattice_custom_status lattice_custom_role_add(lattice_custom_roles *set, uint32_t ceiling,
                                              const uint32_t *permissions, const uint32_t *reaches,
                                              uint32_t count, uint32_t *role_out,
                                              uint32_t *bad_index) {
  if (!set || !role_out || (count > 0 && (!permissions || !reaches)))
    return LATTICE_CUSTOM_BAD_ARGUMENT;
  if (ceiling >= set->table->ceilingCount)
    return LATTICE_CUSTOM_UNKNOWN_CEILING;
  return addRole(*set, ceiling, permissions, reaches, count, role_out, bad_index);
}

lattice_custom_status lattice_custom_role_add_names(lattice_custom_roles *set, const char *ceiling,
                                                    const char *const *permissions,
                                                    const uint32_t *reaches, uint32_t count,
                                                    uint32_t *role_out, uint32_t *bad_index) {
  if (!set || !role_out || !ceiling || (count > 0 && (!permissions || !reaches)))
    return LATTICE_CUSTOM_BAD_ARGUMENT;
  const uint32_t id = lattice_ceiling_id(set->table, ceiling);
  if (id == LATTICE_NO_ID)
    return LATTICE_CUSTOM_UNKNOWN_CEILING;
  // Ids on the stack for the usual sizes; larger roles take one scratch allocation.
  uint32_t local[128];
  uint32_t *ids = count <= 128 ? local : static_cast<uint32_t *>(std::malloc(4 * size_t(count)));
  if (!ids)
    return LATTICE_CUSTOM_OUT_OF_MEMORY;
  lattice_custom_status status = LATTICE_CUSTOM_OK;
  for (uint32_t i = 0; i < count && status == LATTICE_CUSTOM_OK; ++i) {
    ids[i] = lattice_permission_id(set->table, permissions[i]);
    if (ids[i] == LATTICE_NO_ID) {
      status = LATTICE_CUSTOM_UNKNOWN_PERMISSION;
      if (bad_index)
        *bad_index = i;
    }
  }
  if (status == LATTICE_CUSTOM_OK)
    status = addRole(*set, id, ids, reaches, count, role_out, bad_index);
  if (ids != local)
    std::free(ids);
  return status;
}

const char *lattice_custom_status_message(lattice_custom_status status) {
  static const char *const messages[] = {
      "ok",
      "a bad argument (NULL set, output or arrays)",
      "no such custom role ceiling",
      "unknown permission",
      "a reach must be a non-empty set of the four relations",
      "the permission does not apply to any user type of the ceiling",
      "the ceiling does not hold the permission",
      "the reach goes beyond what the ceiling allows for the permission",
      "the set holds too many custom roles",
      "out of memory"};
  const auto index = static_cast<unsigned>(status);
  return index < sizeof messages / sizeof *messages ? messages[index] : "unknown custom status";
}

uint32_t lattice_custom_role_ceiling(const lattice_custom_roles *set, uint32_t role) {
  return lattice::detail::knownCustomRole(set, role) ? set->roleCeiling[role & ~LATTICE_CUSTOM_ROLE]
                                                     : LATTICE_NO_ID;
}

uint32_t lattice_custom_role_reach(const lattice_custom_roles *set, uint32_t role,
                                   uint32_t permission) {
  if (!lattice::detail::knownCustomRole(set, role) || permission >= set->table->permissionCount)
    return 0;
  return lattice::detail::customCell(*set, role, permission);
}

} // extern "C"
