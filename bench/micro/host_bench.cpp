// host_bench.cpp - what a host pays per request on its own records, small and large: lattice_decide
// (with the relation from node labels), a principal handle, and issue 16's hand-written C++
// floor (a role bitmask, an action mask, an interval test) on the same records and requests.
#include "decide_table.h"
#include "lattice/format.h"
#include "lattice/lattice.hpp"
#include "time_without_allocations.h"

#include <benchmark/benchmark.h>
#include <memory>
#include <random>

namespace lattice::bench {
namespace {

constexpr size_t kRequests = 1 << 16; // cycled through: every size reads records all over

/// A user as a host keeps it: what lattice_decide needs (kind, role ids, flags, node), the same
/// roles as a bitmask for the floor, and the principal handle built once for the user.
struct User {
  uint32_t kind, roleCount;
  uint32_t roles[3];
  uint32_t node;
  uint64_t flags, roleMask;
  lattice_principal *principal;
};

struct Request {
  uint32_t user, permission, resource;
};

/// The scenario shape: tenants of 10 accounts, 5 sub-accounts per account, about 10
/// users per account (one or three roles a kind may hold together, random flags) and 46
/// resources per account owned by its nodes. small: 100 accounts (1,020 users, 4,600
/// resources); large: 10,000 accounts (101,000 users, 460,000 resources).
struct World {
  std::vector<lattice_node_label> label; // per node
  std::vector<User> users;
  std::vector<uint32_t> owner; // per resource: its owner node
  std::vector<Request> requests;
  std::string problem;

  explicit World(uint32_t accounts) {
    const uint32_t tenants = accounts / 10;
    // Node ids: tenants, then per account the account and its 5 sub-accounts.
    std::vector<int64_t> parent(tenants, -1);
    for (uint32_t a = 0; a < accounts; ++a) {
      const int64_t account = int64_t(parent.size());
      parent.push_back(int64_t(a % tenants));
      for (int s = 0; s < 5; ++s)
        parent.push_back(account);
    }
    label = labelTree(parent).labels;
    const uint32_t userCount = accounts * 10 + tenants * 2;
    const Workload one = makeWorkload(1, PermissionSet::All, userCount);
    const Workload three = makeWorkload(3, PermissionSet::All, userCount);
    if (one.requests.size() != userCount || three.requests.size() != userCount) {
      problem = "the table offers no such principal";
      return;
    }
    std::mt19937_64 rng(16);
    // Tenant-kind users sit at tenants, the others at accounts or sub-accounts (kind 0 is the
    // first kind, as tenant_user in the EV tables).
    for (uint32_t u = 0; u < userCount; ++u) {
      const lattice_request &q = (u % 2 ? three : one).requests[u];
      User user{};
      user.kind = q.kind;
      user.roleCount = q.role_count;
      for (uint32_t i = 0; i < q.role_count; ++i) {
        user.roles[i] = q.roles[i];
        if (q.roles[i] >= 64) {
          problem = "the floor's role bitmask holds at most 64 roles";
          return;
        }
        user.roleMask |= uint64_t(1) << q.roles[i];
      }
      user.flags = q.flags;
      const uint32_t account = uint32_t(rng() % accounts);
      user.node = q.kind == 0 ? account % tenants : tenants + 6 * account + uint32_t(rng() % 6);
      // Account a belongs to tenant a % tenants: its tree id is that tenant's (labelTree numbers
      // roots by increasing node index, and tenants are nodes 0 .. tenants - 1).
      users.push_back(user);
    }
    for (uint32_t r = 0; r < accounts * 46; ++r)
      owner.push_back(tenants + 6 * (r / 46) + uint32_t(rng() % 6));
    // 40 % of the requests about a resource of the user's own account (a tenant user: of an
    // account of its tenant), 40 % of another account of its tenant, 20 % anywhere.
    const uint32_t permissions = lattice_permission_count(decideTable());
    for (size_t i = 0; i < kRequests; ++i) {
      Request q{uint32_t(rng() % users.size()), uint32_t(rng() % permissions), 0};
      const User &u = users[q.user];
      const uint32_t tenant = uint32_t(label[u.node].tree);
      const uint32_t own =
          u.node < tenants ? tenant + tenants * uint32_t(rng() % 10) : (u.node - tenants) / 6;
      const uint32_t dice = uint32_t(rng() % 10);
      const uint32_t account = dice < 4   ? own
                               : dice < 8 ? tenant + tenants * uint32_t(rng() % 10)
                                          : uint32_t(rng() % accounts);
      q.resource = 46 * account + uint32_t(rng() % 46);
      requests.push_back(q);
    }
  }
  World(const World &) = delete;
  ~World() {
    for (User &u : users)
      lattice_principal_free(u.principal);
  }

  lattice_request request(const Request &q, uint32_t relation) const {
    const User &u = users[q.user];
    return {u.kind, u.roles, u.roleCount, q.permission, relation, u.flags};
  }
};

/// The hand-written check of issue 16, built once from the table: per permission the kinds it
/// applies to and, per relation, a mask of the roles that allow and of those that deny without
/// a condition; conditional rules as a short list; `require` as one clause per kind.
class Floor {
public:
  std::string problem;

  Floor() {
    using namespace format;
    const std::vector<uint8_t> &bytes = decideTableBytes();
    const uint8_t *d = bytes.data();
    auto section = [&](SectionId id) {
      return d + loadU64(d + hdr::kDirectory + hdr::kDirectoryEntrySize * id);
    };
    const uint32_t permissions = loadU32(d + hdr::kPermissionCount);
    const uint32_t words = loadU32(d + hdr::kWordsPerBitset);
    if (words != 1) {
      problem = "the floor's role bitmask holds at most 64 roles";
      return;
    }
    for (uint32_t p = 0; p < permissions; ++p) {
      const uint8_t *info = section(kPermissionInfo) + perm::kSize * p;
      Permission fp{};
      fp.kinds = loadU64(info + perm::kKindMask);
      for (uint32_t r = 0; r < 4; ++r)
        fp.allow[r] = loadU64(section(kAllowBits) + 8 * (size_t(p) * 4 + r));
      fp.firstRule = uint32_t(rules.size());
      for (uint32_t e = loadU32(info + perm::kSparseBegin); e < loadU32(info + perm::kSparseEnd);
           ++e) {
        const uint8_t *g = section(kSparseRules) + sparse::kSize * e;
        const uint64_t role = uint64_t(1) << loadU32(g + sparse::kRole);
        const uint64_t required = loadU64(g + sparse::kRequired);
        const uint64_t forbidden = loadU64(g + sparse::kForbidden);
        if (g[sparse::kDeny] && required == 0 && forbidden == 0) {
          for (uint32_t r = 0; r < 4; ++r)
            if ((g[sparse::kRelationMask] >> r) & 1)
              fp.deny[r] |= role;
          continue;
        }
        rules.push_back(
            {role, required, forbidden, g[sparse::kRelationMask], g[sparse::kDeny] != 0});
      }
      fp.endRule = uint32_t(rules.size());
      perms.push_back(fp);
    }
    uint32_t previous = UINT32_MAX;
    for (uint32_t i = 0; i < loadU32(d + hdr::kRequireCount); ++i) {
      const uint8_t *c = section(kRequire) + require::kSize * i;
      if (loadU32(c + require::kStatement) == previous) {
        problem = "the floor takes `require` statements of one clause";
        return;
      }
      previous = loadU32(c + require::kStatement);
      for (uint32_t k = 0; k < 64; ++k)
        if ((loadU64(c + require::kKindMask) >> k) & 1) {
          required[k] |= loadU64(c + require::kRequired);
          forbidden[k] |= loadU64(c + require::kForbidden);
        }
    }
  }

  /// The interval test of two labels (docs/runtime.md), written out by hand.
  static uint32_t relation(const lattice_node_label &a, const lattice_node_label &o) {
    if (a.tree != o.tree)
      return LATTICE_REL_NONE;
    if (a.pre == o.pre)
      return LATTICE_REL_SAME;
    if (a.pre < o.pre && o.pre <= a.last)
      return LATTICE_REL_DESCENDANT;
    if (o.pre < a.pre && a.pre <= o.last)
      return LATTICE_REL_ANCESTOR;
    return LATTICE_REL_TENANT;
  }

  bool allowed(const User &u, uint32_t permission, uint32_t relation) const {
    if (relation == LATTICE_REL_NONE)
      return false;
    const Permission &fp = perms[permission];
    if (!((fp.kinds >> u.kind) & 1) || (u.flags & required[u.kind]) != required[u.kind] ||
        (u.flags & forbidden[u.kind]) != 0 || (u.roleMask & fp.deny[relation]) != 0)
      return false;
    bool allow = (u.roleMask & fp.allow[relation]) != 0;
    for (uint32_t i = fp.firstRule; i < fp.endRule; ++i) {
      const Rule &rule = rules[i];
      if ((rule.role & u.roleMask) && ((rule.relations >> relation) & 1) &&
          (u.flags & rule.required) == rule.required && (u.flags & rule.forbidden) == 0) {
        if (rule.deny)
          return false;
        allow = true;
      }
    }
    return allow;
  }

private:
  struct Permission {
    uint64_t kinds, allow[4], deny[4];
    uint32_t firstRule, endRule;
  };
  struct Rule {
    uint64_t role, required, forbidden;
    uint8_t relations;
    bool deny;
  };
  std::vector<Permission> perms;
  std::vector<Rule> rules;
  uint64_t required[64] = {}, forbidden[64] = {};
};

/// The world of one size, built on first use and checked: the floor and the principal handle
/// answer every request as lattice_decide does (the handle: reason and role too).
World &world(uint32_t accounts, std::string &problem) {
  static std::unique_ptr<World> worlds[2];
  std::unique_ptr<World> &w = worlds[accounts > 100];
  if (!w) {
    w = std::make_unique<World>(accounts);
    static const Floor floor;
    if (w->problem.empty())
      w->problem = floor.problem;
    lattice_table *t = decideTable();
    for (User &u : w->users) {
      if (!w->problem.empty())
        break;
      // u.flags are the user's and its node's together (one word for lattice_decide); a handle
      // takes the principal's in `flags` and the node's in its membership.
      const lattice_membership m{{{nullptr, 0}, w->label[u.node]},
                                 u.roles,
                                 u.roleCount,
                                 u.flags & lattice_flag_mask(t, LATTICE_FLAG_NODE)};
      if (lattice_principal_new(t, u.kind, u.flags & lattice_flag_mask(t, LATTICE_FLAG_PRINCIPAL),
                                &m, 1, &u.principal) != LATTICE_PRINCIPAL_OK)
        w->problem = "a principal was refused";
    }
    for (const Request &q : w->requests) {
      if (!w->problem.empty())
        break;
      const User &u = w->users[q.user];
      const uint32_t relation =
          lattice_relation_of(w->label[u.node], w->label[w->owner[q.resource]]);
      const lattice_request request = w->request(q, relation);
      const lattice_decision d = lattice_decide(t, &request);
      lattice_node_ref target{};
      target.label = w->label[w->owner[q.resource]];
      const lattice_access_decision a = lattice_decide_as(u.principal, q.permission, target, 0);
      if (floor.allowed(u, q.permission,
                        Floor::relation(w->label[u.node], w->label[w->owner[q.resource]])) !=
          (d.allowed != 0))
        w->problem = "the hand-written floor differs from lattice_decide";
      else if (a.allowed != d.allowed || a.reason != d.reason ||
               (d.deciding_role != a.deciding_role && d.reason != LATTICE_REASON_EXCLUSIVE))
        w->problem = "the principal handle differs from lattice_decide";
    }
  }
  problem = w->problem;
  return *w;
}

template <class Body> void timeHost(benchmark::State &state, Body body) {
  std::string problem;
  const uint32_t accounts = uint32_t(state.range(0));
  World &w = world(accounts, problem);
  if (!problem.empty()) {
    state.SkipWithError(problem.c_str());
    return;
  }
  size_t i = 0, allowed = 0;
  timeWithoutAllocations(state, "allocs_per_decision", [&] {
    const bool a = body(w, w.requests[i]);
    benchmark::DoNotOptimize(a);
    allowed += a;
    i = (i + 1) & (kRequests - 1);
  });
  state.counters["allowed%"] = 100.0 * double(allowed) / double(state.iterations());
  state.counters["users"] = double(w.users.size());
}

/// Labels -> lattice_relation_of -> lattice_decide, from the user's and resource's records.
void BM_Host_Decide(benchmark::State &state) {
  lattice_table *t = decideTable();
  timeHost(state, [t](const World &w, const Request &q) {
    const User &u = w.users[q.user];
    const lattice_request request =
        w.request(q, lattice_relation_of(w.label[u.node], w.label[w.owner[q.resource]]));
    return lattice_decide(t, &request).allowed != 0;
  });
}

/// The user's principal handle (built once) and the resource's owner label: lattice_decide_as.
void BM_Host_Principal(benchmark::State &state) {
  timeHost(state, [](const World &w, const Request &q) {
    lattice_node_ref target{};
    target.label = w.label[w.owner[q.resource]];
    return lattice_decide_as(w.users[q.user].principal, q.permission, target, 0).allowed != 0;
  });
}

/// The hand-written floor on the same records.
void BM_Host_Floor(benchmark::State &state) {
  static const Floor floor;
  timeHost(state, [](const World &w, const Request &q) {
    const User &u = w.users[q.user];
    return floor.allowed(u, q.permission,
                         Floor::relation(w.label[u.node], w.label[w.owner[q.resource]]));
  });
}

BENCHMARK(BM_Host_Decide)->ArgName("accounts")->Arg(100)->Arg(10000);
BENCHMARK(BM_Host_Principal)->ArgName("accounts")->Arg(100)->Arg(10000);
BENCHMARK(BM_Host_Floor)->ArgName("accounts")->Arg(100)->Arg(10000);

} // namespace
} // namespace lattice::bench
