// who_can_table_test.cpp - who-can from a compiled table (lattice_who_can, issue 13) on random
// policies with random ceilings: for random permissions, relations and flags, the roles, ceilings
// and user types it lists equal the reference interpreter's single-membership decisions (a role
// alone, a ceiling's widest custom role alone, for each user type that may hold it), and the
// roles equal those `lattice who-can --flags` (access/who_can) lists for that relation.
// Usage: lattice_who_can_table_diff [--seed N] [--count N] [--mutate]; exit 1 on a mismatch.
// --mutate flips one bit of each runtime answer: the self-test that the checks catch a wrong
// answer (exit 0 only if every flip was caught).
#include "access/who_can.h"
#include "lattice/lattice.h"
#include "policy_generator.h"
#include "reference/interpreter.h"
#include "seed_args.h"
#include "seed_table.h"

#include <cstdio>
#include <fmt/format.h>
#include <string>
#include <tuple>
#include <vector>

namespace lattice::difftest {
namespace {

struct Counts {
  uint64_t policies = 0, questions = 0, roles = 0, ceilings = 0, decisions = 0, flips = 0,
           caught = 0;
  std::vector<std::string> mismatches;
};

using Bits = std::vector<uint64_t>;

Bits bitsOf(uint32_t n) { return Bits((size_t(n) + 63) / 64, 0); }
void set(Bits &bits, uint32_t i) { bits[i / 64] |= uint64_t(1) << (i % 64); }
bool has(const Bits &bits, uint32_t i) { return (bits[i / 64] >> (i % 64)) & 1; }

void checkSeed(uint64_t seed, bool mutate, Counts &counts) {
  Rng rng(seed * 0x2545F4914F6CDD1Dull + 3);
  SeedTable loaded;
  std::string error;
  if (!loadSeedTable(seed, rng.chance(60), loaded, error)) {
    counts.mismatches.push_back(fmt::format("seed {}: {}", seed, error));
    return;
  }
  const sema::Model &model = loaded.model();
  const lattice_table *table = loaded.table;
  ++counts.policies;
  auto fail = [&](const std::string &what) {
    if (counts.mismatches.size() < 40)
      counts.mismatches.push_back(fmt::format("seed {}: {}", seed, what));
  };
  // The table numbers everything in declaration order, as the model does.
  const uint32_t kinds = uint32_t(model.kinds.size()), roles = uint32_t(model.roles.size());
  const uint32_t ceilings = uint32_t(model.customRoles.size());
  const uint32_t flagCount = uint32_t(model.flags.size());
  if (lattice_kind_count(table) != kinds || lattice_role_count(table) != roles ||
      lattice_ceiling_count(table) != ceilings || lattice_flag_count(table) != flagCount) {
    fail("the table's counts differ from the model's");
    return;
  }
  for (uint32_t f = 0; f < flagCount; ++f)
    if (model.flags[f].name != lattice_flag_name(table, f))
      fail(fmt::format("flag {} is `{}` in the table", f, lattice_flag_name(table, f)));
  const uint64_t principalSide = lattice_flag_mask(table, LATTICE_FLAG_PRINCIPAL);
  const uint64_t nodeSide = lattice_flag_mask(table, LATTICE_FLAG_NODE);
  const uint64_t factSide = lattice_flag_mask(table, LATTICE_FLAG_FACTS);
  const uint64_t allFlags = flagCount >= 64 ? ~uint64_t(0) : (uint64_t(1) << flagCount) - 1;

  for (sema::PermissionId p = 0; p < model.permissions.size(); ++p)
    for (int round = 0; round < 3; ++round) {
      // Relation NONE now and then: a valid question nobody is allowed.
      const uint32_t relation = rng.chance(8) ? uint32_t(LATTICE_REL_NONE) : rng.between(0, 3);
      const uint64_t flags = rng.next() & allFlags;
      Bits gotRoles = bitsOf(roles), gotCeilings = bitsOf(ceilings), gotKinds = bitsOf(kinds);
      const lattice_who_can_status status = lattice_who_can(
          table, p, relation, flags, gotRoles.data(), uint32_t(gotRoles.size()), gotCeilings.data(),
          uint32_t(gotCeilings.size()), gotKinds.data(), uint32_t(gotKinds.size()));
      ++counts.questions;
      if (status != LATTICE_WHO_CAN_OK) {
        fail(fmt::format("`{}`: status {}", model.permissions[p].name, int(status)));
        continue;
      }
      if (mutate) { // one wrong bit, in the roles, the ceilings or the user types
        Bits *target[3] = {&gotRoles, &gotCeilings, &gotKinds};
        const uint32_t sizes[3] = {roles, ceilings, kinds};
        const uint32_t which = rng.between(0, 2);
        if (sizes[which] != 0) {
          const uint32_t i = rng.between(0, sizes[which] - 1);
          (*target[which])[i / 64] ^= uint64_t(1) << (i % 64);
          ++counts.flips;
        }
      }

      // The reference: each role alone, each ceiling's widest custom role alone, one membership
      // at `relation` (none: another tree), the mask split by side.
      Bits wantRoles = bitsOf(roles), wantCeilings = bitsOf(ceilings), wantKinds = bitsOf(kinds);
      auto allowed = [&](sema::KindId k, std::vector<sema::RoleId> held,
                         std::vector<reference::CustomRole> custom) {
        reference::PrincipalRequest q;
        q.kind = k;
        q.flags = flags & principalSide;
        reference::Membership m;
        m.roles = std::move(held);
        if (relation != LATTICE_REL_NONE)
          m.relation = sema::Relation(relation);
        m.nodeFlags = flags & nodeSide;
        q.memberships.push_back(std::move(m));
        q.permission = p;
        q.facts = flags & factSide;
        q.custom.push_back(std::move(custom));
        ++counts.decisions;
        return reference::decide(model, q).allowed;
      };
      for (sema::RoleId r = 0; r < roles; ++r)
        for (sema::KindId k = 0; k < kinds; ++k)
          if (((model.roles[r].kinds >> k) & 1) && allowed(k, {r}, {})) {
            set(wantRoles, r);
            set(wantKinds, k);
          }
      for (uint32_t c = 0; c < ceilings; ++c)
        for (sema::KindId k = 0; k < kinds; ++k)
          if (((model.customRoles[c].kinds >> k) & 1) &&
              allowed(k, {}, {reference::CustomRole{c, model.customRoles[c].cells}})) {
            set(wantCeilings, c);
            set(wantKinds, k);
          }
      const std::string question = fmt::format("`{}` at relation {} with flags {:#x}",
                                               model.permissions[p].name, relation, flags);
      bool wrong = false;
      for (const auto &[got, want, what] : {std::tuple{&gotRoles, &wantRoles, "roles"},
                                            std::tuple{&gotCeilings, &wantCeilings, "ceilings"},
                                            std::tuple{&gotKinds, &wantKinds, "user types"}})
        if (*got != *want) {
          wrong = true;
          if (!mutate)
            fail(fmt::format("{}: {} {}, reference {}", question, what, hex(*got), hex(*want)));
        }

      // The compiler side for the same flags and relation: the same roles; every ceiling the
      // table lists is one it lists (it shows ceilings by what they hold, before `require`,
      // policy-wide denies and flags, which the table answers for).
      if (relation != LATTICE_REL_NONE) {
        std::vector<std::string> names;
        for (uint32_t f = 0; f < flagCount; ++f)
          if ((flags >> f) & 1)
            names.push_back(model.flags[f].name);
        access::WhoCanQuery query;
        access::WhoCan answer;
        std::string error;
        if (!access::resolveWhoCan(model, model.permissions[p].name,
                                   std::string(sema::relationName(sema::Relation(relation))), names,
                                   query, error) ||
            !access::whoCan(model, query, answer, error)) {
          fail(question + ": who-can refused: " + error);
          continue;
        }
        Bits sourceRoles = bitsOf(roles), sourceCeilings = bitsOf(ceilings);
        for (const access::RoleAnswer &role : answer.roles)
          for (const access::Allowed &a : role.allowed)
            if (uint32_t(a.relation) == relation)
              set(sourceRoles, role.role);
        for (const access::CeilingAnswer &c : answer.ceilings)
          set(sourceCeilings, c.ceiling);
        bool ceilingOutside = false;
        for (uint32_t c = 0; c < ceilings; ++c)
          ceilingOutside = ceilingOutside || (has(gotCeilings, c) && !has(sourceCeilings, c));
        if (gotRoles != sourceRoles || ceilingOutside) {
          wrong = true;
          if (!mutate)
            fail(fmt::format("{}: roles {} ceilings {}; `lattice who-can` roles {} ceilings {}",
                             question, hex(gotRoles), hex(gotCeilings), hex(sourceRoles),
                             hex(sourceCeilings)));
        }
      }
      for (uint64_t w : gotRoles)
        counts.roles += uint64_t(__builtin_popcountll(w));
      for (uint64_t w : gotCeilings)
        counts.ceilings += uint64_t(__builtin_popcountll(w));
      counts.caught += mutate && wrong;
    }
}

} // namespace
} // namespace lattice::difftest

int main(int argc, char **argv) {
  using namespace lattice::difftest;
  uint64_t seed = 1, count = 300;
  bool mutate = false;
  if (!parseSeedCount(argc, argv, "lattice_who_can_table_diff", seed, count, &mutate))
    return 2;
  Counts counts;
  for (uint64_t n = 0; n < count; ++n)
    checkSeed(seed + n, mutate, counts);
  for (const std::string &m : counts.mismatches)
    std::printf("MISMATCH %s\n", m.c_str());
  std::printf("who-can (table): %llu policies, %llu questions, %llu roles and %llu ceilings "
              "listed, %llu reference decisions, %zu mismatches\n",
              (unsigned long long)counts.policies, (unsigned long long)counts.questions,
              (unsigned long long)counts.roles, (unsigned long long)counts.ceilings,
              (unsigned long long)counts.decisions, counts.mismatches.size());
  if (mutate) { // every injected wrong bit must have been caught
    std::printf("self-test: %llu wrong answers injected, %llu caught\n",
                (unsigned long long)counts.flips, (unsigned long long)counts.caught);
    return counts.flips > 0 && counts.caught == counts.flips && counts.mismatches.empty() ? 0 : 1;
  }
  return counts.mismatches.empty() && counts.policies > 0 ? 0 : 1;
}
