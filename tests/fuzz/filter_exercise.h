// filter_exercise.h - the list filter part of fuzz_table: filters of hostile principals on every
// table the loader accepts (ids in and out of range, UINT64_MAX ids, repeated and nested paths),
// from requests and from handles, read back whole and rendered as SQL into small buffers.
#pragma once

#include "lattice/list_filter.h"

#include <cstdint>

namespace lattice::fuzz {

inline void readFilter(const lattice_list_filter *f, volatile size_t &sink) {
  for (uint32_t i = 0; i <= lattice_list_filter_term_count(f); ++i) {
    const lattice_filter_term t = lattice_list_filter_term(f, i);
    sink = sink + t.kind + t.node.depth + t.exclusion_count;
    for (uint32_t e = 0; e < t.exclusion_count; ++e)
      sink = sink + t.exclusions[e].depth + (t.exclusions[e].depth ? t.exclusions[e].ids[0] : 0);
  }
  for (uint32_t i = 0; i <= lattice_list_filter_range_count(f); ++i) {
    const lattice_key_range r = lattice_list_filter_range(f, i);
    sink = sink + r.low_size + r.high_size + r.exact + (r.low_size ? r.low[r.low_size - 1] : 0);
  }
  for (uint32_t i = 0; i <= lattice_list_filter_param_count(f); ++i) {
    uint32_t size = 0;
    const uint8_t *p = lattice_list_filter_param(f, i, &size);
    sink = sink + size + (p && size ? p[0] : 0);
  }
  char small[16], large[512];
  for (uint32_t dialect = 0; dialect <= 3; ++dialect) {
    sink = sink + lattice_list_filter_sql(f, dialect, "node_key", 1, small, sizeof small);
    sink = sink + lattice_list_filter_sql(f, dialect, "t.k", 0xFFFFFFF0u, large, sizeof large);
  }
}

inline void exerciseListFilters(const lattice_table *t) {
  volatile size_t sink = 0;
  const uint32_t kinds = lattice_kind_count(t), roles = lattice_role_count(t);
  const uint32_t permissions = lattice_permission_count(t);
  const uint64_t a[3] = {1, 2, 3}, b[3] = {1, 2, UINT64_MAX}, c[2] = {UINT64_MAX, UINT64_MAX};
  const uint32_t held[3] = {0, roles > 1 ? 1u : 0u, roles + 1};
  lattice_membership ms[4] = {};
  ms[0].node.path = {a, 3};
  ms[1].node.path = {a, 2};
  ms[2].node.path = {b, 3};
  ms[3].node.path = {c, 2};
  for (uint32_t kind = 0; kind <= kinds && kind < 4; ++kind)
    for (uint32_t n = 0; n <= 3; ++n) {
      for (uint32_t m = 0; m < 4; ++m) {
        ms[m].roles = held;
        ms[m].role_count = (n + m) % 3;
        ms[m].node_flags = n == 3 ? lattice_flag_mask(t, LATTICE_FLAG_NODE) : 0;
      }
      lattice_principal *p = nullptr;
      lattice_principal_new(t, kind, 0, ms, 4, &p);
      for (uint32_t perm = 0; perm <= permissions && perm < 8; ++perm) {
        lattice_access_request q{};
        q.kind = kind;
        q.memberships = ms;
        q.membership_count = 4;
        q.permission = perm;
        q.facts = n == 2 ? lattice_flag_mask(t, LATTICE_FLAG_REQUEST) : 0;
        lattice_list_filter *f = nullptr;
        sink = sink + lattice_list_filter_new(t, nullptr, &q, &f);
        readFilter(f, sink);
        lattice_list_filter_free(f);
        f = nullptr;
        sink = sink + lattice_list_filter_as(p, perm, q.facts, &f);
        readFilter(f, sink);
        lattice_list_filter_free(f);
      }
      lattice_principal_free(p);
    }
}

} // namespace lattice::fuzz
