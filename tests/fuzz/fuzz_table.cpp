// fuzz_table.cpp - libFuzzer target: the runtime's loader on any bytes, and every query on a
// table it accepts. Built twice: `fuzz_table` takes the bytes as they are (most die at the
// checksum); `fuzz_table_resealed` (LATTICE_FUZZ_RESEAL) first writes the input's size and
// checksum into the header, so mutations reach structural validation and decide.
#include "filter_exercise.h"
#include "lattice/format.h"
#include "lattice/lattice.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace lattice::format;

void whatCan(const lattice_table *t);
void whoCan(const lattice_table *t);

/// Asks the loaded table everything the API offers, with ids in and out of range.
void exercise(const lattice_table *t) {
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t permissions = lattice_permission_count(t), flags = lattice_flag_count(t);
  volatile size_t sink = 0;
  for (uint32_t id = 0; id <= kinds; ++id)
    if (const char *name = lattice_kind_name(t, id))
      sink = sink + (lattice_kind_id(t, name) == id) + std::strlen(name);
  for (uint32_t id = 0; id <= roles && id < 64; ++id)
    if (const char *name = lattice_role_name(t, id))
      sink = sink + (lattice_role_id(t, name) == id);
  for (uint32_t id = 0; id <= permissions && id < 64; ++id)
    if (const char *name = lattice_permission_name(t, id))
      sink = sink + (lattice_permission_id(t, name) == id);
  for (uint32_t id = 0; id <= flags; ++id)
    if (const char *name = lattice_flag_name(t, id))
      sink = sink + (lattice_flag_id(t, name) == id);
  sink = sink + (lattice_policy_name(t) != nullptr);
  const uint32_t held[3] = {0, roles > 1 ? 1u : 0u, roles + 1};
  for (uint32_t kind = 0; kind <= kinds && kind < 8; ++kind)
    for (uint32_t p = 0; p <= permissions && p < 16; ++p)
      for (uint32_t rel = 0; rel <= LATTICE_REL_NONE + 1; ++rel)
        for (uint32_t n = 0; n <= 3; ++n) {
          lattice_request q{kind, held, n, p, rel, n == 2 ? ~uint64_t(0) : uint64_t(n)};
          lattice_decision d = lattice_decide(t, &q);
          sink = sink + unsigned(d.allowed) + d.reason;
        }
  for (uint32_t target = 0; target <= roles && target < 16; ++target)
    sink = sink + unsigned(lattice_can_assign(t, held, 2, target));
  whatCan(t);
  whoCan(t);
  lattice::fuzz::exerciseListFilters(t);
}

/// What-can on the table: the request form and a handle's bitsets must equal the per-permission
/// decisions (a difference traps), and pages of every resource range must stay in bounds.
void whatCan(const lattice_table *t) {
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t permissions = lattice_permission_count(t);
  const uint32_t words = LATTICE_PERMISSION_WORDS(t);
  const uint64_t root[] = {1}, mid[] = {1, 2}, leaf[] = {1, 2, 3}, other[] = {9};
  const uint32_t held[3] = {0, roles > 1 ? 1u : 0u, roles > 2 ? 2u : 0u};
  lattice_membership ms[2] = {};
  ms[0].node.path = {mid, 2};
  ms[0].roles = held;
  ms[0].role_count = roles > 0 ? 2 : 0;
  ms[1].node.path = {root, 1};
  ms[1].roles = held + 1;
  ms[1].role_count = roles > 0 ? 2 : 0;
  ms[1].node_flags = lattice_flag_mask(t, LATTICE_FLAG_NODE);
  const lattice_node_ref targets[3] = {{{leaf, 3}, {}}, {{mid, 2}, {}}, {{other, 1}, {}}};
  std::vector<uint64_t> bits(words + 1), perm(words + 1);
  for (uint32_t kind = 0; kind <= kinds && kind < 4; ++kind) {
    const uint64_t flags = lattice_flag_mask(t, LATTICE_FLAG_PRINCIPAL) & (kind * 0x5555u);
    const uint64_t facts = lattice_flag_mask(t, LATTICE_FLAG_FACTS) & (kind * 0x3333u);
    lattice_principal *principal = nullptr;
    lattice_principal_new(t, kind, flags, ms, 2, &principal);
    for (const lattice_node_ref &target : targets) {
      lattice_access_request q{kind, flags, ms, 2, 0, target, facts};
      lattice_what_can(t, &q, bits.data(), words);
      if (principal)
        lattice_what_can_as(principal, target, facts, perm.data(), words);
      for (uint32_t p = 0; p < permissions && p < 512; ++p) {
        q.permission = p;
        const bool want = lattice_decide_access(t, &q).allowed != 0;
        if (((bits[p / 64] >> (p % 64)) & 1) != want ||
            (principal && ((perm[p / 64] >> (p % 64)) & 1) != want))
          __builtin_trap(); // what-can disagrees with the decision
      }
    }
    if (principal) {
      for (uint32_t id = 0; id < permissions && id < 32; ++id) {
        const char *name = lattice_permission_name(t, id);
        const char *dot = name ? std::strchr(name, '.') : nullptr;
        if (!dot)
          continue;
        const std::string resource(name, size_t(dot - name));
        uint32_t first = 0, count = 0;
        if (!lattice_resource_permissions(t, resource.c_str(), &first, &count))
          continue;
        if (uint64_t(first) + count > permissions)
          __builtin_trap(); // a range outside the table
        std::vector<uint64_t> page(3 * ((count + 63) / 64));
        lattice_what_can_page(principal, first, count, targets, nullptr, 3, page.data(),
                              (count + 63) / 64);
      }
      lattice_principal_free(principal);
    }
  }
}

/// Who-can on the table, for permissions, relations and flags in and out of range: each role it
/// lists (and only those) must be allowed by lattice_decide for some kind holding it alone, with
/// the same flags (a difference traps); the bitsets are exactly as large as the table says.
void whoCan(const lattice_table *t) {
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t permissions = lattice_permission_count(t);
  std::vector<uint64_t> roleBits(LATTICE_ROLE_WORDS(t)), ceilingBits(LATTICE_CEILING_WORDS(t)),
      kindBits(LATTICE_KIND_WORDS(t));
  const uint64_t masks[3] = {0, lattice_flag_mask(t, LATTICE_FLAG_PRINCIPAL | LATTICE_FLAG_FACTS),
                             ~uint64_t(0)};
  for (uint32_t p = 0; p <= permissions && p < 16; ++p)
    for (uint32_t rel = 0; rel <= LATTICE_REL_NONE + 1; ++rel)
      for (const uint64_t flags : masks) {
        const lattice_who_can_status s = lattice_who_can(
            t, p, rel, flags, roleBits.data(), uint32_t(roleBits.size()), ceilingBits.data(),
            uint32_t(ceilingBits.size()), kindBits.data(), uint32_t(kindBits.size()));
        const bool bad =
            p >= permissions || rel > LATTICE_REL_NONE || (flags & ~lattice_flag_mask(t, ~0u)) != 0;
        if ((s != LATTICE_WHO_CAN_OK) != bad)
          __builtin_trap(); // refused a good question or answered a bad one
        for (uint32_t r = 0; r < roles && r < 256; ++r) {
          bool want = false;
          for (uint32_t k = 0; k < kinds && !want; ++k) {
            const lattice_request q{k, &r, 1, p, rel, flags};
            want = !bad && lattice_decide(t, &q).allowed != 0;
          }
          if (((roleBits[r / 64] >> (r % 64)) & 1) != want)
            __builtin_trap(); // who-can disagrees with the decision
        }
      }
  // Too few words: refused, nothing written past them.
  if (!roleBits.empty() &&
      lattice_who_can(t, 0, 0, 0, roleBits.data(), uint32_t(roleBits.size() - 1),
                      ceilingBits.data(), uint32_t(ceilingBits.size()), kindBits.data(),
                      uint32_t(kindBits.size())) != LATTICE_WHO_CAN_BAD_ARGUMENT)
    __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // A copy: the loader must not depend on the caller's alignment, and resealing writes to it.
  std::vector<uint8_t> bytes(data, data + size);
#ifdef LATTICE_FUZZ_RESEAL
  if (bytes.size() >= hdr::kChecksumStart + 16) {
    storeU64(&bytes[hdr::kFileSize], bytes.size());
    storeU64(&bytes[hdr::kChecksum],
             checksum(&bytes[hdr::kChecksumStart], bytes.size() - hdr::kChecksumStart));
  }
#endif
  lattice_table *table = nullptr;
  if (lattice_table_load(bytes.data(), bytes.size(), &table) == LATTICE_LOAD_OK) {
    exercise(table);
    lattice_table_free(table);
  }
  return 0;
}
