// policy_generator.cpp - builds a random policy's shape first (trees, kinds, actions, flags,
// roles), then prints it as .lat text; every choice respects the checks of compiler/sema.
// Recursive scopes and resources that are scopes are drawn from a second stream, and the rules
// of issue 12 (per-user-type rules, policy-wide denies, conditional assigns) from a third, so
// that adding them left the rest of each seed's policy as it was where they are not drawn.
#include "policy_generator.h"

#include <algorithm>
#include <numeric>
#include <vector>

namespace lattice::difftest {
namespace {

using Mask = uint64_t;

struct Action {
  std::string name;
  Mask kinds = 0; // user types it applies to
  bool restricted = false;
  int group = -1;
};

struct Resource {
  std::vector<Action> actions;
  uint32_t groups = 0;
  std::vector<uint32_t> owners; // scope kinds; empty: any
  int kind = -1;                // `as scope`: its own scope kind
};

struct FlagShape {
  std::vector<uint32_t> scopes;
  Mask kinds = 0;
};

/// A fact (issue 12): of the request (`flag x0 on request;`) or of some resources.
struct FactShape {
  bool request = false;
  std::vector<uint32_t> resources; // sorted, when not of the request
};

struct RoleShape {
  Mask kinds = 0;
  uint32_t rank = 0; // extends only roles of lower rank: no cycles, any declaration order
};

class Generator {
public:
  explicit Generator(uint64_t seed)
      : rng(seed), extra(seed ^ 0x5DEECE66Dull), rules12(seed ^ 0xC0FFEE1234567ull),
        facts12(seed ^ 0xFAC75FAC75ull) {}

  std::string run() {
    makeScopes();
    makeUserTypes();
    makeResources();
    makeResourceScopes();
    makeFlags();
    makeFacts();
    makeRoles();
    out += "policy gen;\n";
    printScopes();
    printUserTypes();
    printResources();
    printFlags();
    printFacts();
    printRoles();
    printExclusives();
    printRequirements();
    printPolicyDenies();
    return out;
  }

private:
  /// `count` distinct indexes from [0, n), in random order (from the main stream).
  std::vector<uint32_t> pick(uint32_t n, uint32_t count) { return pickFrom(rng, n, count); }
  Mask maskOf(const std::vector<uint32_t> &ids) {
    Mask mask = 0;
    for (uint32_t id : ids)
      mask |= Mask{1} << id;
    return mask;
  }
  template <typename F> std::string list(const std::vector<uint32_t> &ids, F name) {
    std::string text;
    for (uint32_t id : ids)
      text += (text.empty() ? "" : ", ") + name(id);
    return text;
  }
  /// Scope kinds: the declared ones (`s0`...), then the resources that are scopes (`r1`...).
  std::string scopeName(uint32_t id) const {
    return id < scopeCount ? "s" + std::to_string(id)
                           : "r" + std::to_string(scopeResource[id - scopeCount]);
  }
  static std::string userName(uint32_t id) { return "u" + std::to_string(id); }
  static std::string roleName(uint32_t id) { return "ro" + std::to_string(id); }
  static std::string flagName(uint32_t id) { return "f" + std::to_string(id); }
  std::vector<uint32_t> bits(Mask mask) {
    std::vector<uint32_t> ids;
    for (uint32_t i = 0; i < 64; ++i)
      if (mask >> i & 1)
        ids.push_back(i);
    return ids;
  }

  void makeScopes() {
    scopeCount = rng.between(2, 4);
    parents.assign(scopeCount, {});
    uint32_t roots = 1;
    for (uint32_t s = 1; s < scopeCount; ++s) {
      if (roots < 2 && rng.chance(25)) {
        ++roots;
        continue;
      }
      uint32_t count = (s >= 2 && rng.chance(25)) ? 2 : 1;
      parents[s] = pick(s, count); // earlier kinds only: no cycles
      if (extra.chance(20))
        parents[s].push_back(s); // recursive: also under itself
    }
  }

  /// Some resources with owners become scopes (their instances are nodes under the owners,
  /// sometimes under each other as well); some user types then sit at them too, and a later
  /// resource may be owned by one of them.
  void makeResourceScopes() {
    for (uint32_t r = 0; r < resources.size(); ++r) {
      Resource &res = resources[r];
      if (res.owners.empty() || !extra.chance(25))
        continue;
      for (uint32_t earlier = 0; earlier < r; ++earlier)
        if (resources[earlier].kind >= 0 && extra.chance(30)) {
          res.owners = {uint32_t(resources[earlier].kind)};
          break;
        }
      res.kind = int(scopeCount + scopeResource.size());
      scopeResource.push_back(r);
      parents.push_back(res.owners);
      if (extra.chance(15))
        parents.back().push_back(uint32_t(res.kind)); // documents in documents
    }
    for (Resource &res : resources)
      if (res.kind < 0 && !res.owners.empty() && !scopeResource.empty() && extra.chance(30))
        res.owners = {scopeCount + extra.between(0, uint32_t(scopeResource.size()) - 1)};
    for (auto &scopes : users)
      if (!scopeResource.empty() && extra.chance(40))
        scopes.push_back(scopeCount + extra.between(0, uint32_t(scopeResource.size()) - 1));
  }

  uint32_t allScopes() const { return scopeCount + uint32_t(scopeResource.size()); }

  void makeUserTypes() {
    users.resize(rng.between(1, 3));
    for (auto &scopes : users)
      scopes = pick(scopeCount, rng.chance(30) ? 2 : 1);
  }

  void makeResources() {
    resources.resize(rng.between(1, 3));
    for (Resource &res : resources) {
      res.groups = rng.chance(35) ? rng.between(1, 2) : 0;
      uint32_t actions = rng.between(1, 4);
      for (uint32_t a = 0; a < actions; ++a) {
        Action action{"a" + std::to_string(a), allUsers(), false, -1};
        if (rng.chance(20)) {
          action.kinds = maskOf(pick(users.size(), rng.between(1, users.size())));
          action.restricted = true;
        }
        if (res.groups && rng.chance(50))
          action.group = int(rng.between(0, res.groups - 1));
        res.actions.push_back(action);
      }
      if (!rng.chance(35))
        res.owners = pick(scopeCount, rng.chance(30) ? 2 : 1);
    }
  }

  Mask allUsers() const { return (Mask{1} << users.size()) - 1; }

  /// Facts, from their own stream (policies without them keep their text): of the request, or
  /// of some resources.
  void makeFacts() {
    // Each fact doubles the flag sets the requests enumerate: facts in a third of the policies,
    // a second one rarely, keep the run within CI's time (and its sanitizer build's).
    if (!facts12.chance(33) || flags.size() >= 3)
      return;
    facts.resize(facts12.chance(25) ? 2 : 1);
    for (FactShape &fact : facts) {
      fact.request = facts12.chance(40);
      if (!fact.request) {
        fact.resources = pickFrom(facts12, uint32_t(resources.size()),
                                  facts12.between(1, uint32_t(resources.size())));
        std::sort(fact.resources.begin(), fact.resources.end());
      }
    }
  }

  void printFacts() {
    for (uint32_t x = 0; x < facts.size(); ++x)
      out += "flag x" + std::to_string(x) + " on " +
             (facts[x].request
                  ? std::string("request")
                  : "resource " + list(facts[x].resources,
                                       [](uint32_t r) { return "r" + std::to_string(r); })) +
             ";\n";
  }

  /// The facts a rule about resource `r` may read: request facts, facts of `r`, and `target.f`
  /// for a node flag f some target node of `r` can carry.
  std::vector<std::string> factNames(uint32_t r) {
    std::vector<std::string> names;
    for (uint32_t x = 0; x < facts.size(); ++x)
      if (facts[x].request)
        names.push_back("request.x" + std::to_string(x));
      else if (std::binary_search(facts[x].resources.begin(), facts[x].resources.end(), r))
        names.push_back("resource.x" + std::to_string(x));
    const Resource &res = resources[r];
    std::vector<uint32_t> about =
        res.kind >= 0 ? std::vector<uint32_t>{uint32_t(res.kind)} : res.owners;
    // One node flag read at the target per resource (each is a flag of its own).
    for (uint32_t f = 0; f < flags.size(); ++f) {
      bool carried = about.empty() && !flags[f].scopes.empty();
      for (uint32_t s : about)
        carried |=
            std::find(flags[f].scopes.begin(), flags[f].scopes.end(), s) != flags[f].scopes.end();
      if (carried) {
        names.push_back("target." + flagName(f));
        break;
      }
    }
    return names;
  }

  /// The request facts alone (for `require` and `assigns`).
  std::vector<std::string> requestFacts() {
    std::vector<std::string> names;
    for (uint32_t x = 0; x < facts.size(); ++x)
      if (facts[x].request)
        names.push_back("request.x" + std::to_string(x));
    return names;
  }

  /// A condition over `names` (facts) and, when `usable` is not empty, flags too.
  std::string factCondition(const std::vector<std::string> &names,
                            const std::vector<uint32_t> &usable) {
    std::string fact = names[facts12.between(0, uint32_t(names.size()) - 1)];
    if (facts12.chance(30))
      fact = "not " + fact;
    if (usable.empty() || facts12.chance(50))
      return fact;
    std::string flag = flagName(usable[facts12.between(0, uint32_t(usable.size()) - 1)]);
    return facts12.chance(60) ? fact + " and " + flag : "(" + fact + " or " + flag + ")";
  }

  /// A rule reading facts, on the permissions of one resource (so that every fact it reads is
  /// one its permissions have): `allow|deny rN.* [in R] when FACT ...`.
  std::string factRuleBody(Mask kinds) {
    uint32_t r = facts12.between(0, uint32_t(resources.size()) - 1);
    std::vector<std::string> names = factNames(r);
    if (names.empty())
      return {};
    static const char *const reaches[] = {"self",      "descendants", "subtree",
                                          "ancestors", "tenant",      "elsewhere"};
    std::string text = "r" + std::to_string(r) + ".*";
    if (facts12.chance(75))
      text += std::string(" in ") + reaches[facts12.between(0, 5)];
    return text + " when " + factCondition(names, usableFlags(kinds));
  }

  void makeFlags() {
    std::vector<uint32_t> seated;
    for (uint32_t s = 0; s < allScopes(); ++s)
      for (const auto &scopes : users)
        if (std::find(scopes.begin(), scopes.end(), s) != scopes.end()) {
          seated.push_back(s);
          break;
        }
    flags.resize(rng.between(0, 3));
    for (FlagShape &flag : flags) {
      // A flag is on scope kinds or on user types, never both (L0121): it has one side.
      uint32_t form = rng.between(0, 9);
      if (form < 6) { // on scope kinds, mostly ones where someone sits
        if (rng.chance(85)) {
          for (uint32_t i : pick(seated.size(), rng.chance(30) ? 2 : 1))
            flag.scopes.push_back(seated[i]);
        } else {
          flag.scopes = pick(allScopes(), 1);
        }
      } else { // on user types
        flag.kinds = maskOf(pick(users.size(), rng.chance(30) ? 2 : 1));
      }
    }
  }

  /// User types of `mask` that can carry `flag` (as sema's kindsCarrying).
  Mask carrying(uint32_t flag, Mask mask) {
    Mask result = 0;
    for (uint32_t k = 0; k < users.size(); ++k) {
      if (!(mask >> k & 1))
        continue;
      bool on = flags[flag].kinds >> k & 1;
      for (uint32_t s : users[k])
        on |= std::find(flags[flag].scopes.begin(), flags[flag].scopes.end(), s) !=
              flags[flag].scopes.end();
      if (on)
        result |= Mask{1} << k;
    }
    return result;
  }
  std::vector<uint32_t> usableFlags(Mask kinds) {
    std::vector<uint32_t> usable;
    for (uint32_t f = 0; f < flags.size(); ++f)
      if (carrying(f, kinds))
        usable.push_back(f);
    return usable;
  }

  std::string condition(const std::vector<uint32_t> &usable, int depth) {
    return condition(usable, depth, rng);
  }
  std::string condition(const std::vector<uint32_t> &usable, int depth, Rng &random) {
    if (depth == 0 || random.chance(40)) {
      std::string name = flagName(usable[random.between(0, usable.size() - 1)]);
      return random.chance(25) ? "not " + name : name;
    }
    auto sub = [&] {
      std::string text = condition(usable, depth - 1, random);
      return text.find(' ') == std::string::npos ? text : "(" + text + ")";
    };
    switch (random.between(0, 2)) {
    case 0:
      return "not " + sub();
    case 1:
      return sub() + " and " + sub();
    default:
      return sub() + " or " + sub();
    }
  }

  void makeRoles() {
    uint32_t count = rng.between(1, 5);
    std::vector<uint32_t> order = pick(count, count);
    roles.resize(count);
    for (uint32_t r = 0; r < count; ++r) {
      roles[r].kinds = maskOf(pick(users.size(), rng.chance(30) ? rng.between(2, 3) : 1));
      roles[r].rank = order[r];
    }
  }

  void printScopes() {
    for (uint32_t s = 0; s < scopeCount; ++s) {
      out += "scope " + scopeName(s);
      if (!parents[s].empty())
        out += " under " + list(parents[s], [&](uint32_t id) { return scopeName(id); });
      out += ";\n";
    }
  }

  void printUserTypes() {
    for (uint32_t k = 0; k < users.size(); ++k)
      out += "usertype " + userName(k) + " at " +
             list(users[k], [&](uint32_t id) { return scopeName(id); }) + ";\n";
  }

  /// The actions of `group` (-1: ungrouped) as declarations; neighbours with the same `for`
  /// sometimes share one (`a0, a1 for u0;`).
  std::string actionDecls(const Resource &res, int group, const char *separator) {
    std::string text;
    const Action *previous = nullptr;
    for (const Action &action : res.actions) {
      if (action.group != group)
        continue;
      bool join = previous && previous->restricted == action.restricted &&
                  previous->kinds == action.kinds && rng.chance(40);
      if (previous)
        text += join ? ", " : forClause(*previous) + ";" + separator;
      text += action.name;
      previous = &action;
    }
    if (previous)
      text += forClause(*previous) + ";";
    return text;
  }
  std::string forClause(const Action &action) {
    return action.restricted ? " for " + list(bits(action.kinds), userName) : "";
  }

  void printResources() {
    for (uint32_t r = 0; r < resources.size(); ++r) {
      const Resource &res = resources[r];
      out += "resource r" + std::to_string(r);
      if (res.kind >= 0) // owned by its owners and, when recursive, by its own kind
        out += " owned_by " +
               list(parents[uint32_t(res.kind)], [&](uint32_t id) { return scopeName(id); }) +
               " as scope";
      else if (!res.owners.empty())
        out += " owned_by " + list(res.owners, [&](uint32_t id) { return scopeName(id); });
      out += " {\n";
      std::string ungrouped = actionDecls(res, -1, "\n  ");
      if (!ungrouped.empty())
        out += "  " + ungrouped + "\n";
      for (uint32_t g = 0; g < res.groups; ++g) {
        bool empty = std::none_of(res.actions.begin(), res.actions.end(),
                                  [&](const Action &a) { return a.group == int(g); });
        if (empty && !rng.chance(10))
          continue; // an empty group now and then; never named by a rule
        out += "  group g" + std::to_string(g) + " { " + actionDecls(res, int(g), " ") + " }\n";
      }
      out += "}\n";
    }
  }

  void printFlags() {
    for (uint32_t f = 0; f < flags.size(); ++f) {
      std::string targets = list(flags[f].scopes, [&](uint32_t id) { return scopeName(id); });
      for (uint32_t k : bits(flags[f].kinds))
        targets += (targets.empty() ? "" : ", ") + userName(k);
      out += "flag " + flagName(f) + " on " + targets + ";\n";
    }
  }

  /// Names of resource `r` a role of `kinds` may name explicitly: actions that apply to one of
  /// its kinds, groups with such a member (sema's L0203 otherwise).
  std::vector<std::string> explicitNames(uint32_t r, Mask kinds, bool anyName) {
    const Resource &res = resources[r];
    std::vector<std::string> names;
    for (const Action &action : res.actions)
      if (anyName || (action.kinds & kinds))
        names.push_back(action.name);
    for (uint32_t g = 0; g < res.groups; ++g) {
      bool nonEmpty = false, applicable = false;
      for (const Action &action : res.actions)
        if (action.group == int(g)) {
          nonEmpty = true;
          applicable |= (action.kinds & kinds) != 0;
        }
      if (nonEmpty && (anyName || applicable))
        names.push_back("g" + std::to_string(g));
    }
    return names;
  }

  std::string pattern(Mask kinds, bool anyName, Rng &random) {
    if (random.chance(anyName ? 5 : 12))
      return "*";
    uint32_t r = random.between(0, resources.size() - 1);
    std::string res = "r" + std::to_string(r);
    std::vector<std::string> names = explicitNames(r, kinds, anyName);
    if (names.empty() || random.chance(25))
      return res + ".*";
    std::vector<uint32_t> chosen =
        pickFrom(random, names.size(), random.chance(35) ? random.between(2, 3) : 1);
    if (chosen.size() == 1 && random.chance(80))
      return res + "." + names[chosen[0]];
    return res + ".{" + list(chosen, [&](uint32_t i) { return names[i]; }) + "}";
  }

  /// A rule of a role for `role.kinds`; some rules of a role of several user types hold for a
  /// part of them only (`for`), names and flags then those of that part.
  std::string rule(const RoleShape &role) {
    Mask kinds = role.kinds;
    if ((kinds & (kinds - 1)) != 0 && rules12.chance(25)) {
      std::vector<uint32_t> ids = bits(kinds);
      std::vector<uint32_t> chosen;
      for (uint32_t i :
           pickFrom(rules12, uint32_t(ids.size()), rules12.between(1, uint32_t(ids.size()) - 1)))
        chosen.push_back(ids[i]);
      std::sort(chosen.begin(), chosen.end());
      kinds = maskOf(chosen);
    }
    std::string text = rng.chance(65) ? "allow " : "deny ";
    text += ruleBody(kinds, rng);
    if (kinds != role.kinds)
      text += " for " + list(bits(kinds), userName);
    return text + ";";
  }

  /// PATTERNS [except PATTERNS] [in R] [when C] of a rule applying to user types `kinds`.
  std::string ruleBody(Mask kinds, Rng &random) {
    std::string text;
    uint32_t patterns = random.chance(25) ? 2 : 1;
    for (uint32_t p = 0; p < patterns; ++p)
      text += (p ? ", " : "") + pattern(kinds, false, random);
    if (random.chance(20))
      text += " except " + pattern(kinds, true, random);
    static const char *const reaches[] = {"self",      "descendants", "subtree",
                                          "ancestors", "tenant",      "elsewhere"};
    if (random.chance(75))
      text += std::string(" in ") + reaches[random.between(0, 5)];
    std::vector<uint32_t> usable = usableFlags(kinds);
    if (!usable.empty() && random.chance(35))
      text += " when " + condition(usable, 2, random);
    return text;
  }

  /// `count` distinct indexes from [0, n) drawn from `random`.
  static std::vector<uint32_t> pickFrom(Rng &random, uint32_t n, uint32_t count) {
    std::vector<uint32_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    for (uint32_t i = 0; i + 1 < n; ++i)
      std::swap(all[i], all[random.between(i, n - 1)]);
    all.resize(std::min(count, n));
    return all;
  }

  /// Policy-wide denies (`deny ...` at the top level), some for a part of the user types only.
  void printPolicyDenies() {
    if (!facts.empty() && facts12.chance(30)) {
      std::string body = factRuleBody(allUsers());
      if (!body.empty())
        out += "deny " + body + ";\n";
    }
    if (!rules12.chance(30))
      return;
    uint32_t count = rules12.between(1, 2);
    for (uint32_t i = 0; i < count; ++i) {
      Mask kinds = allUsers();
      bool forSome = users.size() > 1 && rules12.chance(30);
      if (forSome)
        kinds = maskOf(pickFrom(rules12, uint32_t(users.size()),
                                rules12.between(1, uint32_t(users.size()) - 1)));
      out += "deny " + ruleBody(kinds, rules12);
      if (forSome)
        out += " for " + list(bits(kinds), userName);
      out += ";\n";
    }
  }

  void printRoles() {
    for (uint32_t r = 0; r < roles.size(); ++r) {
      const RoleShape &role = roles[r];
      if (rng.chance(8))
        out += "locked ";
      if (rng.chance(8))
        out += rng.chance(50) ? "deprecated " : "deprecated \"use another\" ";
      out += "role " + roleName(r) + " for " + list(bits(role.kinds), userName);
      std::vector<uint32_t> candidates;
      for (uint32_t p = 0; p < roles.size(); ++p)
        if (roles[p].rank < role.rank && (role.kinds & ~roles[p].kinds) == 0)
          candidates.push_back(p);
      if (!candidates.empty() && rng.chance(45)) {
        std::vector<uint32_t> chosen = pick(candidates.size(), rng.chance(30) ? 2 : 1);
        out += " extends " + list(chosen, [&](uint32_t i) { return roleName(candidates[i]); });
      }
      out += " {\n";
      uint32_t rules = rng.between(0, 4);
      for (uint32_t i = 0; i < rules; ++i)
        out += "  " + rule(role) + "\n";
      if (!facts.empty() && facts12.chance(50)) {
        std::string body = factRuleBody(role.kinds);
        if (!body.empty())
          out += std::string("  ") + (facts12.chance(55) ? "allow " : "deny ") + body + ";\n";
      }
      if (rng.chance(30)) {
        out += "  assigns " + list(pick(roles.size(), rng.between(1, 2)), roleName);
        // Conditional delegation: the condition reads the assigner's flags.
        std::vector<uint32_t> usable = usableFlags(role.kinds);
        std::vector<std::string> requestOnly = requestFacts();
        if (!usable.empty() && rules12.chance(40))
          out += " when " + condition(usable, 1, rules12);
        else if (!requestOnly.empty() && facts12.chance(40))
          out += " when " + factCondition(requestOnly, usable);
        out += ";\n";
      }
      out += "}\n";
    }
  }

  void printExclusives() {
    if (roles.size() < 2)
      return;
    uint32_t sets = rng.chance(35) ? rng.between(1, 2) : 0;
    for (uint32_t i = 0; i < sets; ++i)
      out +=
          "exclusive " +
          list(pick(roles.size(), rng.between(2, std::min<uint32_t>(3, roles.size()))), roleName) +
          ";\n";
  }

  void printRequirements() {
    std::vector<std::string> requestOnly = requestFacts();
    if (!requestOnly.empty() && facts12.chance(25))
      out += "require " + factCondition(requestOnly, usableFlags(allUsers())) + ";\n";
    uint32_t count = rng.chance(25) ? rng.between(1, 2) : 0;
    for (uint32_t i = 0; i < count; ++i) {
      bool forSome = rng.chance(50);
      Mask kinds = forSome ? maskOf(pick(users.size(), rng.between(1, users.size()))) : allUsers();
      std::vector<uint32_t> usable = usableFlags(kinds);
      if (usable.empty())
        continue;
      out += "require " + condition(usable, 1);
      if (forSome)
        out += " for " + list(bits(kinds), userName);
      out += ";\n";
    }
  }

  Rng rng;
  Rng extra;   // recursion and resources that are scopes
  Rng rules12; // per-user-type rules, policy-wide denies, conditional assigns
  Rng facts12; // facts of the resource, the target's node and the request
  std::vector<FactShape> facts;
  std::string out;
  uint32_t scopeCount = 0;                    // declared with `scope`
  std::vector<uint32_t> scopeResource;        // per further scope kind: its resource
  std::vector<std::vector<uint32_t>> parents; // per scope kind (both sorts)
  std::vector<std::vector<uint32_t>> users;   // scope kinds per user type
  std::vector<Resource> resources;
  std::vector<FlagShape> flags;
  std::vector<RoleShape> roles;
};

} // namespace

std::string generatePolicy(uint64_t seed) { return Generator(seed).run(); }

} // namespace lattice::difftest
