// context.cpp - precomputation for the analyses and the flag-satisfiability search.
// Satisfiability enumerates assignments of the flags that matter (at most 16): exact, and fast
// for real policies; beyond that it answers Unknown and the analyses report nothing.
#include "analysis/context.h"

#include <algorithm>
#include <utility>

namespace lattice::analysis {

const PermSet::Word *PermSet::find(const PermSet &o, uint32_t index, const Word *&from) {
  const Word *end = o.words.data() + o.words.size();
  from = std::lower_bound(from, end, index, [](const Word &w, uint32_t i) { return w.index < i; });
  return from != end && from->index == index ? from : nullptr;
}

void PermSet::set(size_t p) {
  const auto index = static_cast<uint32_t>(p / 64);
  const uint64_t bit = uint64_t{1} << (p % 64);
  if (words.empty() || words.back().index < index) { // sets are mostly built in order
    words.push_back({index, bit});
    return;
  }
  auto at = std::lower_bound(words.begin(), words.end(), index,
                             [](const Word &w, uint32_t i) { return w.index < i; });
  if (at != words.end() && at->index == index)
    at->bits |= bit;
  else
    words.insert(at, {index, bit});
}

bool PermSet::test(size_t p) const {
  const Word *from = words.data();
  const Word *w = find(*this, static_cast<uint32_t>(p / 64), from);
  return w && ((w->bits >> (p % 64)) & 1);
}

PermSet &PermSet::operator|=(const PermSet &o) {
  if (o.words.empty())
    return *this;
  if (words.empty()) {
    words = o.words;
    return *this;
  }
  std::vector<Word> merged;
  merged.reserve(words.size() + o.words.size());
  auto a = words.cbegin();
  auto b = o.words.cbegin();
  while (a != words.cend() || b != o.words.cend()) {
    if (b == o.words.cend() || (a != words.cend() && a->index < b->index))
      merged.push_back(*a++);
    else if (a == words.cend() || b->index < a->index)
      merged.push_back(*b++);
    else
      merged.push_back({a->index, (a++)->bits | (b++)->bits});
  }
  words = std::move(merged);
  return *this;
}

template <typename Combine> void PermSet::combineInPlace(const PermSet &o, Combine combine) {
  const Word *from = o.words.data();
  size_t kept = 0;
  for (Word w : words) {
    const Word *other = find(o, w.index, from);
    w.bits = combine(w.bits, other ? other->bits : 0);
    if (w.bits != 0)
      words[kept++] = w;
  }
  words.resize(kept);
}

PermSet &PermSet::operator&=(const PermSet &o) {
  combineInPlace(o, [](uint64_t a, uint64_t b) { return a & b; });
  return *this;
}

PermSet &PermSet::subtract(const PermSet &o) {
  combineInPlace(o, [](uint64_t a, uint64_t b) { return a & ~b; });
  return *this;
}

std::optional<size_t> PermSet::firstCommon(const PermSet &o) const {
  // A linear merge: asked for millions of pairs of rules, each a word or two.
  auto a = words.cbegin();
  auto b = o.words.cbegin();
  while (a != words.cend() && b != o.words.cend()) {
    if (a->index < b->index) {
      ++a;
    } else if (b->index < a->index) {
      ++b;
    } else if (uint64_t common = a->bits & b->bits) {
      return size_t{a->index} * 64 + static_cast<size_t>(__builtin_ctzll(common));
    } else {
      ++a;
      ++b;
    }
  }
  return std::nullopt;
}

Context::Context(const sema::Model &m)
    : model(m), space(m), permissionCount(m.permissions.size()),
      policyRole(sema::RoleId(m.roles.size())), roleCount(m.roles.size() + 1) {
  const size_t P = permissionCount;
  for (const sema::Rule &rule : m.rules) {
    PermSet perms;
    for (sema::PermissionId p : rule.permissions)
      perms.set(p);
    rulePerms.push_back(std::move(perms));
  }
  inheritors.resize(m.rules.size());
  for (sema::RoleId r = 0; r < roleCount; ++r) {
    // The policy role holds the policy-wide denies, and every role holds them too.
    std::vector<uint32_t> rules = m.policyRules;
    if (r != policyRole) {
      rules.insert(rules.end(), m.roles[r].rules.begin(), m.roles[r].rules.end());
      for (sema::RoleId parent : m.roles[r].inherited)
        rules.insert(rules.end(), m.roles[parent].rules.begin(), m.roles[parent].rules.end());
    }
    std::sort(rules.begin(), rules.end());
    rules.erase(std::unique(rules.begin(), rules.end()), rules.end());
    for (uint32_t rule : rules)
      inheritors[rule].push_back(r);
    effectiveRules.push_back(std::move(rules));
  }
  for (sema::KindId k = 0; k < m.kinds.size(); ++k) {
    PermSet set;
    for (sema::PermissionId p = 0; p < P; ++p)
      if ((m.permissions[p].applicableKinds >> k) & 1)
        set.set(p);
    applicable.push_back(std::move(set));
  }
  for (sema::PermissionId p = 0; p < P; ++p)
    resourceOf.push_back(m.permissions[p].resource);
  for (sema::ScopeKindId s = 0; s < m.scopeKinds.size(); ++s)
    for (unsigned r = 0; r < sema::kRelationCount; ++r) {
      PermSet set;
      for (sema::PermissionId p = 0; p < P; ++p)
        if ((space.relations(s, resourceOf[p]) >> r) & 1)
          set.set(p);
      feasible.push_back(std::move(set));
    }
  const size_t slots = roleCount * sema::kRelationCount;
  for (auto *set : {&uncondDeny, &uncondDenyTwice, &uncondAllow, &uncondAllowTwice, &anyAllow})
    set->resize(slots);
  for (sema::RoleId role = 0; role < roleCount; ++role)
    summarizeRole(role);
  requirementsOf.resize(m.kinds.size());
  for (const sema::Requirement &requirement : m.requirements)
    for (sema::KindId k = 0; k < m.kinds.size(); ++k)
      if ((requirement.kinds >> k) & 1)
        requirementsOf[k].push_back(&requirement.guard);
  seatFlags.assign(m.kinds.size() * m.scopeKinds.size(), 0);
  for (const Seat &seat : space.seats())
    seatFlags[seat.kind * m.scopeKinds.size() + seat.scope] = space.flags(seat);
  exclusiveSetsOf.resize(roleCount); // the policy role is in none
  for (uint32_t set = 0; set < m.exclusives.size(); ++set)
    for (sema::RoleId role : m.exclusives[set].roles)
      exclusiveSetsOf[role].push_back(set);
}

void Context::summarizeRole(sema::RoleId role) {
  for (unsigned r = 0; r < sema::kRelationCount; ++r) {
    size_t at = slot(role, r);
    for (auto *set : {&uncondDeny, &uncondDenyTwice, &uncondAllow, &uncondAllowTwice, &anyAllow})
      (*set)[at] = PermSet();
  }
  const sema::KindMask kinds = kindsOf(role);
  for (uint32_t rule : effectiveRules[role])
    for (unsigned r = 0; r < sema::kRelationCount; ++r) {
      const sema::Rule &rl = model.rules[rule];
      if (!reaches(rule, r) || (rl.kinds & kinds) == 0)
        continue; // a rule whose `for` leaves out every user type of the role never applies
      size_t at = slot(role, r);
      bool deny = rl.effect == sema::Effect::Deny;
      if (!deny)
        anyAllow[at] |= rulePerms[rule];
      if (!unconditional(rule, role))
        continue;
      PermSet &once = deny ? uncondDeny[at] : uncondAllow[at];
      PermSet twice = once;
      twice &= rulePerms[rule];
      (deny ? uncondDenyTwice[at] : uncondAllowTwice[at]) |= twice;
      once |= rulePerms[rule];
    }
}

void Context::removeRule(uint32_t rule) {
  for (sema::RoleId role : inheritors[rule]) {
    std::erase(effectiveRules[role], rule);
    summarizeRole(role);
  }
  inheritors[rule].clear();
}

std::string Context::holdersOf(uint32_t rule) const {
  const sema::Rule &r = model.rules[rule];
  const sema::KindMask kinds = r.kinds & model.allKinds();
  if (kinds != model.allKinds() && (r.policyWide() || (model.roles[r.role].kinds & ~kinds) != 0)) {
    std::string names;
    for (sema::KindId k = 0; k < model.kinds.size(); ++k)
      if (kinds >> k & 1)
        names += (names.empty() ? "`" : ", `") + model.kinds[k].name + "`";
    return names + ((kinds & (kinds - 1)) == 0 ? ", the user type it is for"
                                               : ", the user types it is for");
  }
  if (r.policyWide())
    return "any user type";
  return "the user types of `" + model.roles[r.role].name + "`";
}

bool Context::coHoldable(sema::RoleId a, sema::RoleId b) const {
  if (a == b)
    return true;
  // Asked for every pair of roles that meet: look only at the sets of `a`, not at every set.
  const std::vector<uint32_t> &setsOfB = exclusiveSetsOf[b];
  for (uint32_t set : exclusiveSetsOf[a])
    if (std::binary_search(setsOfB.begin(), setsOfB.end(), set))
      return false;
  return true;
}

SatResult Context::satisfiable(const Seat &seat, std::initializer_list<const sema::Guard *> all,
                               const std::vector<const sema::Guard *> &none) const {
  // Called for nearly every (rule, place) the passes look at: no allocation in here.
  const std::vector<const sema::Guard *> &required = requirementsOf[seat.kind];
  auto isNever = [](const sema::Guard *guard) { return guard->isNever(); };
  if (std::any_of(all.begin(), all.end(), isNever) ||
      std::any_of(required.begin(), required.end(), isNever))
    return {Sat::No, 0};
  sema::FlagMask relevant = 0;
  auto addFlags = [&](const sema::Guard *guard) { relevant |= guard->flagsRead(); };
  std::for_each(all.begin(), all.end(), addFlags);
  std::for_each(required.begin(), required.end(), addFlags);
  std::for_each(none.begin(), none.end(), addFlags);
  relevant &= seatFlags[seat.kind * model.scopeKinds.size() + seat.scope]; // others stay clear
  constexpr unsigned kMaxFlags = 16;
  if (static_cast<unsigned>(__builtin_popcountll(relevant)) > kMaxFlags)
    return {Sat::Unknown, 0};
  unsigned bits[kMaxFlags];
  unsigned count = 0;
  for (sema::FlagMask rest = relevant; rest != 0; rest &= rest - 1)
    bits[count++] = static_cast<unsigned>(__builtin_ctzll(rest));
  auto holds = [](sema::FlagMask flags) {
    return [flags](const sema::Guard *guard) { return guard->holds(flags); };
  };
  for (uint64_t assignment = 0; assignment < (uint64_t{1} << count); ++assignment) {
    sema::FlagMask flags = 0;
    for (unsigned i = 0; i < count; ++i)
      if ((assignment >> i) & 1)
        flags |= sema::FlagMask{1} << bits[i];
    if (std::all_of(all.begin(), all.end(), holds(flags)) &&
        std::all_of(required.begin(), required.end(), holds(flags)) &&
        std::none_of(none.begin(), none.end(), holds(flags)))
      return {Sat::Yes, flags};
  }
  return {Sat::No, 0};
}

SatResult Context::satisfiableUnrequired(const Seat &seat, const sema::Guard &guard) const {
  // A clause holds with exactly its required flags set when those can be set at the seat (the
  // others stay clear, so its forbidden ones are clear too).
  const sema::FlagMask settable = seatFlags[seat.kind * model.scopeKinds.size() + seat.scope];
  for (const sema::Clause &clause : guard.clauses)
    if ((clause.required & ~settable) == 0 && (clause.required & clause.forbidden) == 0)
      return {Sat::Yes, clause.required};
  return {Sat::No, 0};
}

PairSatResult Context::satisfiablePair(sema::KindId kind, sema::ScopeKindId a,
                                       const GuardSide &sideA, sema::ScopeKindId b,
                                       const GuardSide &sideB) const {
  const std::vector<const sema::Guard *> &required = requirementsOf[kind];
  auto isNever = [](const sema::Guard *guard) { return guard->isNever(); };
  if (std::any_of(sideA.all.begin(), sideA.all.end(), isNever) ||
      std::any_of(sideB.all.begin(), sideB.all.end(), isNever) ||
      std::any_of(required.begin(), required.end(), isNever))
    return {Sat::No};
  auto flagsOf = [](const std::vector<const sema::Guard *> &guards) {
    sema::FlagMask mask = 0;
    for (const sema::Guard *guard : guards)
      mask |= guard->flagsRead();
    return mask;
  };
  const sema::FlagMask requiredFlags = flagsOf(required);
  const sema::FlagMask principal = space.principalFlags(kind);
  // The flags each side reads, among those that can be set there (others stay clear).
  const sema::FlagMask readA =
      (flagsOf(sideA.all) | flagsOf(sideA.none) | requiredFlags) & (principal | space.nodeFlags(a));
  const sema::FlagMask readB =
      (flagsOf(sideB.all) | flagsOf(sideB.none) | requiredFlags) & (principal | space.nodeFlags(b));
  // One variable per node flag a side reads, and one per principal flag unless every side that
  // reads it has its own node variable for it (then the principal's adds no combination).
  const sema::FlagMask varsA = readA & space.nodeFlags(a);
  const sema::FlagMask varsB = readB & space.nodeFlags(b);
  const sema::FlagMask varsP = principal & ((readA & ~varsA) | (readB & ~varsB));
  constexpr unsigned kMaxVariables = 16;
  if (unsigned(__builtin_popcountll(varsA) + __builtin_popcountll(varsB) +
               __builtin_popcountll(varsP)) > kMaxVariables)
    return {Sat::Unknown};
  struct Variable {
    sema::FlagMask bit;
    uint8_t side; // 0 principal, 1 node A, 2 node B
  };
  Variable vars[kMaxVariables];
  unsigned count = 0;
  const sema::FlagMask sides[3] = {varsP, varsA, varsB};
  for (uint8_t side = 0; side < 3; ++side)
    for (sema::FlagMask rest = sides[side]; rest != 0; rest &= rest - 1)
      vars[count++] = {rest & (~rest + 1), side};
  auto holdsAll = [](sema::FlagMask flags, auto begin, auto end) {
    return std::all_of(begin, end, [&](const sema::Guard *g) { return g->holds(flags); });
  };
  auto holdsNone = [](sema::FlagMask flags, const std::vector<const sema::Guard *> &guards) {
    return std::none_of(guards.begin(), guards.end(),
                        [&](const sema::Guard *g) { return g->holds(flags); });
  };
  for (uint64_t assignment = 0; assignment < (uint64_t{1} << count); ++assignment) {
    sema::FlagMask set[3] = {0, 0, 0};
    for (unsigned i = 0; i < count; ++i)
      if ((assignment >> i) & 1)
        set[vars[i].side] |= vars[i].bit;
    const sema::FlagMask atA = set[0] | set[1], atB = set[0] | set[2];
    if (holdsAll(atA, sideA.all.begin(), sideA.all.end()) && holdsNone(atA, sideA.none) &&
        holdsAll(atB, sideB.all.begin(), sideB.all.end()) && holdsNone(atB, sideB.none) &&
        holdsAll(atA, required.begin(), required.end()) &&
        holdsAll(atB, required.begin(), required.end()))
      return {Sat::Yes, set[0], set[1], set[2]};
  }
  return {Sat::No};
}

} // namespace lattice::analysis
