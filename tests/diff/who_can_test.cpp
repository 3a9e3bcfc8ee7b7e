// who_can_test.cpp - `lattice who-can`'s answers (access/who_can) against the reference
// interpreter on random policies (policy_generator): for every permission and relation word, a
// role is listed, for a user type and relation, exactly when some request of a principal of that
// type holding that role alone, at that relation, is allowed by reference::decide for some flags;
// with --flags, exactly when it is allowed with those flags. Denies listed are exactly the deny
// rules of the permission. Usage: lattice_who_can_diff [--seed N] [--count N]; exit 1 on a
// mismatch.
#include "access/who_can.h"
#include "compile_helper.h"
#include "policy_generator.h"
#include "reference/interpreter.h"
#include "seed_args.h"

#include <cstdio>
#include <cstdlib>
#include <fmt/format.h>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace lattice::difftest {
namespace {

struct Counts {
  uint64_t policies = 0, questions = 0, listed = 0, requests = 0;
  std::vector<std::string> mismatches;
};

using Key = std::tuple<sema::RoleId, sema::KindId, uint32_t>; // role, kind, relation

void checkSeed(uint64_t seed, Counts &counts) {
  auto compiled = testing::compile(generatePolicy(seed));
  if (!compiled->model || compiled->diags.errors() != 0) {
    counts.mismatches.push_back(fmt::format("seed {}: the policy does not compile", seed));
    return;
  }
  const sema::Model &model = *compiled->model;
  ++counts.policies;
  const uint32_t flagCount = uint32_t(model.flags.size());
  if (flagCount > 10)
    return; // enumeration below is 2^flags per request
  Rng rng(seed * 31 + 7);
  auto fail = [&](const std::string &what) {
    if (counts.mismatches.size() < 40)
      counts.mismatches.push_back(fmt::format("seed {}: {}", seed, what));
  };
  const std::vector<std::string> words = {"self",      "descendants", "ancestors",
                                          "elsewhere", "subtree",     "tenant"};
  for (sema::PermissionId p = 0; p < model.permissions.size(); ++p) {
    const std::string &word = words[rng.between(0, uint32_t(words.size()) - 1)];
    for (const bool withFlags : {false, true}) {
      const sema::FlagMask fixed = rng.next() & ((sema::FlagMask{1} << flagCount) - 1);
      std::optional<std::vector<std::string>> flagNames;
      if (withFlags) {
        flagNames.emplace();
        for (uint32_t f = 0; f < flagCount; ++f)
          if ((fixed >> f) & 1)
            flagNames->push_back(model.flags[f].name);
      }
      access::WhoCanQuery query;
      access::WhoCan answer;
      std::string error;
      const std::optional<std::string> relation =
          rng.chance(50) ? std::optional(word) : std::nullopt;
      if (!access::resolveWhoCan(model, model.permissions[p].name, relation, flagNames, query,
                                 error) ||
          !access::whoCan(model, query, answer, error)) {
        fail("who-can refused: " + error);
        continue;
      }
      ++counts.questions;
      std::set<Key> got, want;
      for (const access::RoleAnswer &role : answer.roles)
        for (const access::Allowed &a : role.allowed)
          got.insert({role.role, a.kind, uint32_t(a.relation)});
      counts.listed += got.size();
      for (sema::RoleId r = 0; r < model.roles.size(); ++r)
        for (sema::KindId k = 0; k < model.kinds.size(); ++k) {
          if (!((model.roles[r].kinds >> k) & 1))
            continue;
          for (uint32_t rel = 0; rel < sema::kRelationCount; ++rel) {
            if (!((query.relations >> rel) & 1))
              continue;
            bool allowed = false;
            const sema::FlagMask first = withFlags ? fixed : 0;
            const sema::FlagMask last = withFlags ? fixed : (sema::FlagMask{1} << flagCount) - 1;
            for (sema::FlagMask f = first; !allowed; ++f) {
              reference::Request request{k, {r}, p, sema::Relation(rel), f};
              allowed = reference::decide(model, request).allowed;
              ++counts.requests;
              if (f == last)
                break;
            }
            if (allowed)
              want.insert({r, k, rel});
          }
        }
      if (got != want)
        for (const auto &set : {std::pair{&got, &want}, std::pair{&want, &got}})
          for (const Key &key : *set.first)
            if (!set.second->count(key))
              fail(fmt::format("`{}`{}{}: role `{}` for `{}` at {}: who-can {}, reference {}",
                               model.permissions[p].name, relation ? " at " : "",
                               relation.value_or(""), model.roles[std::get<0>(key)].name,
                               model.kinds[std::get<1>(key)].name,
                               sema::relationName(sema::Relation(std::get<2>(key))),
                               set.first == &got ? "lists it" : "does not",
                               set.first == &got ? "allows nothing" : "allows it"));
      // The denies: every deny rule of the permission at an asked relation, in rule order.
      std::vector<uint32_t> denies, wantDenies;
      for (const access::RuleSite &site : answer.denies)
        denies.push_back(site.rule);
      for (uint32_t i = 0; i < model.rules.size(); ++i) {
        const sema::Rule &rule = model.rules[i];
        if (rule.effect == sema::Effect::Deny && !rule.guard.isNever() &&
            (sema::reachRelations(rule.reach) & query.relations) &&
            std::binary_search(rule.permissions.begin(), rule.permissions.end(), p))
          wantDenies.push_back(i);
      }
      if (denies != wantDenies)
        fail(fmt::format("`{}`: {} denies listed, {} deny rules", model.permissions[p].name,
                         denies.size(), wantDenies.size()));
    }
  }
}

} // namespace
} // namespace lattice::difftest

int main(int argc, char **argv) {
  using namespace lattice::difftest;
  uint64_t seed = 1, count = 200;
  if (!parseSeedCount(argc, argv, "lattice_who_can_diff", seed, count))
    return 2;
  Counts counts;
  for (uint64_t n = 0; n < count; ++n)
    checkSeed(seed + n, counts);
  for (const std::string &m : counts.mismatches)
    std::printf("MISMATCH %s\n", m.c_str());
  std::printf("who-can: %llu policies, %llu questions, %llu (role, user type, relation) listed, "
              "%llu reference requests, %zu mismatches\n",
              (unsigned long long)counts.policies, (unsigned long long)counts.questions,
              (unsigned long long)counts.listed, (unsigned long long)counts.requests,
              counts.mismatches.size());
  return counts.mismatches.empty() && counts.policies > 0 ? 0 : 1;
}
