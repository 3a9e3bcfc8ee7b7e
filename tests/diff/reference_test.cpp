// reference_test.cpp - hand-checked answers for the reference interpreter (every outcome,
// extends, stacking, deny-overrides, conditions, an excluded rule) and for the request space.
#include "analysis/request_space.h"
#include "compile_helper.h"
#include "concrete_tree.h"
#include "policy_generator.h"
#include "reference/interpreter.h"
#include "request_enum.h"

#include <gtest/gtest.h>

namespace lattice::difftest {
namespace {

using reference::Decision;
using reference::Outcome;
using reference::Request;
using sema::Relation;

const char *const kPolicy = R"(
policy ref;
scope tenant;
scope account under tenant;
scope subaccount under account;
resource station owned_by account, subaccount { view; reset; use for tenant_user; }
resource card { view; block; }
flag business on account;
flag active on tenant_user, account_user;
usertype tenant_user at tenant;
usertype account_user at account, subaccount;
role viewer for account_user, tenant_user { allow station.view in subtree; }
role operator for account_user extends viewer {
  allow station.reset when business;
  deny card.block in descendants;
  allow card.* in subtree;
}
role auditor for account_user { deny station.view in descendants when not active; }
role boss for tenant_user { allow * in tenant; }
exclusive operator, auditor;
require active for tenant_user;
)";

class Reference : public ::testing::Test {
protected:
  virtual const char *policyText() const { return kPolicy; }
  void SetUp() override {
    compiled = testing::compile(policyText());
    ASSERT_TRUE(compiled->model) << compiled->describe();
  }
  const sema::Model &model() const { return *compiled->model; }
  uint32_t id(const std::vector<std::string> &names, const std::string &name) const {
    for (uint32_t i = 0; i < names.size(); ++i)
      if (names[i] == name)
        return i;
    ADD_FAILURE() << "no " << name;
    return 0;
  }
  uint32_t role(const std::string &name) const {
    std::vector<std::string> names;
    for (const auto &r : model().roles)
      names.push_back(r.name);
    return id(names, name);
  }
  uint32_t permission(const std::string &name) const {
    std::vector<std::string> names;
    for (const auto &p : model().permissions)
      names.push_back(p.name);
    return id(names, name);
  }
  uint32_t kind(const std::string &name) const {
    std::vector<std::string> names;
    for (const auto &k : model().kinds)
      names.push_back(k.name);
    return id(names, name);
  }
  sema::FlagMask flags(const std::vector<std::string> &set) const {
    sema::FlagMask mask = 0;
    for (const std::string &name : set)
      for (uint32_t f = 0; f < model().flags.size(); ++f)
        if (model().flags[f].name == name)
          mask |= sema::FlagMask{1} << f;
    return mask;
  }
  /// The index of the `n`th rule declared by `roleName`.
  uint32_t rule(const std::string &roleName, size_t n) const {
    return model().roles[role(roleName)].rules.at(n);
  }
  Decision decide(const std::string &kindName, const std::vector<std::string> &roles,
                  const std::string &perm, Relation relation,
                  const std::vector<std::string> &flagNames = {},
                  uint32_t excluded = UINT32_MAX) const {
    Request request{kind(kindName), {}, permission(perm), relation, flags(flagNames)};
    for (const std::string &name : roles)
      request.roles.push_back(role(name));
    return reference::decide(model(), request, excluded);
  }

  /// A principal of `kindName` with memberships given as (roles, relation of the target node to
  /// that membership's node, nullopt for another tree, node flags).
  struct Held {
    std::vector<std::string> roles;
    std::optional<Relation> relation;
    std::vector<std::string> nodeFlags = {};
  };
  Decision decideMemberships(const std::string &kindName, const std::vector<Held> &held,
                             const std::string &perm,
                             const std::vector<std::string> &principalFlags = {}) const {
    reference::PrincipalRequest request;
    request.kind = kind(kindName);
    request.flags = flags(principalFlags);
    request.permission = permission(perm);
    for (const Held &h : held) {
      reference::Membership membership{{}, h.relation, flags(h.nodeFlags)};
      for (const std::string &name : h.roles)
        membership.roles.push_back(role(name));
      request.memberships.push_back(std::move(membership));
    }
    return reference::decide(model(), request);
  }

  std::unique_ptr<testing::Compiled> compiled;
};

TEST_F(Reference, AllowedByARuleOfAHeldRole) {
  Decision d = decide("account_user", {"viewer"}, "station.view", Relation::Same);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.outcome, Outcome::Allowed);
  EXPECT_EQ(d.matchingAllows, std::vector<uint32_t>{rule("viewer", 0)});
  EXPECT_TRUE(d.matchingDenies.empty());
  EXPECT_TRUE(decide("account_user", {"viewer"}, "station.view", Relation::Descendant).allowed);
}

TEST_F(Reference, NoAllowForAPermissionOrRelationNoRuleCovers) {
  EXPECT_EQ(decide("account_user", {"viewer"}, "station.reset", Relation::Same).outcome,
            Outcome::NoAllow);
  EXPECT_EQ(decide("account_user", {"viewer"}, "station.view", Relation::Ancestor).outcome,
            Outcome::NoAllow);
  EXPECT_EQ(decide("account_user", {"viewer"}, "station.view", Relation::Tenant).outcome,
            Outcome::NoAllow);
  Decision none = decide("account_user", {}, "station.view", Relation::Same);
  EXPECT_FALSE(none.allowed);
  EXPECT_EQ(none.outcome, Outcome::NoAllow);
}

TEST_F(Reference, GatesComeBeforeRules) {
  EXPECT_EQ(decide("account_user", {"boss"}, "card.view", Relation::Tenant, {"active"}).outcome,
            Outcome::RoleNotForKind);
  Decision exclusive = decide("account_user", {"operator", "auditor"}, "card.view", Relation::Same);
  EXPECT_EQ(exclusive.outcome, Outcome::Exclusive);
  EXPECT_TRUE(exclusive.matchingAllows.empty()); // rules are not looked at past a gate
  EXPECT_EQ(decide("account_user", {"operator"}, "station.use", Relation::Same).outcome,
            Outcome::NotApplicable);
  EXPECT_EQ(decide("tenant_user", {"boss"}, "card.view", Relation::Tenant).outcome,
            Outcome::Requirement);
  EXPECT_TRUE(decide("tenant_user", {"boss"}, "card.view", Relation::Tenant, {"active"}).allowed);
  EXPECT_TRUE(decide("tenant_user", {"boss"}, "station.use", Relation::Tenant, {"active"}).allowed);
  // The requirement is for tenant_user only.
  EXPECT_TRUE(decide("account_user", {"viewer"}, "station.view", Relation::Same).allowed);
}

TEST_F(Reference, ExtendsCarriesTheParentsRules) {
  Decision d = decide("account_user", {"operator"}, "station.view", Relation::Descendant);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.matchingAllows, std::vector<uint32_t>{rule("viewer", 0)});
}

TEST_F(Reference, DenyOverridesAllow) {
  Decision d = decide("account_user", {"operator"}, "card.block", Relation::Descendant);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.outcome, Outcome::DeniedByRule);
  EXPECT_EQ(d.matchingDenies, std::vector<uint32_t>{rule("operator", 1)});
  EXPECT_EQ(d.matchingAllows, std::vector<uint32_t>{rule("operator", 2)});
  EXPECT_TRUE(decide("account_user", {"operator"}, "card.block", Relation::Same).allowed);
}

TEST_F(Reference, StackedRolesUniteAllowsAndKeepEveryDeny) {
  EXPECT_EQ(
      decide("account_user", {"auditor"}, "station.view", Relation::Descendant, {"active"}).outcome,
      Outcome::NoAllow);
  // auditor's deny (when not active) applies to the stack, whoever allows.
  Decision denied =
      decide("account_user", {"viewer", "auditor"}, "station.view", Relation::Descendant);
  EXPECT_EQ(denied.outcome, Outcome::DeniedByRule);
  EXPECT_EQ(denied.matchingDenies, std::vector<uint32_t>{rule("auditor", 0)});
  EXPECT_TRUE(decide("account_user", {"viewer", "auditor"}, "station.view", Relation::Descendant,
                     {"active"})
                  .allowed);
  // The deny reaches `descendants` only.
  EXPECT_TRUE(
      decide("account_user", {"viewer", "auditor"}, "station.view", Relation::Same).allowed);
}

TEST_F(Reference, ConditionsFollowTheFlags) {
  EXPECT_TRUE(
      decide("account_user", {"operator"}, "station.reset", Relation::Same, {"business"}).allowed);
  EXPECT_EQ(
      decide("account_user", {"operator"}, "station.reset", Relation::Same, {"active"}).outcome,
      Outcome::NoAllow);
}

TEST_F(Reference, AnExcludedRuleIsAbsent) {
  uint32_t deny = rule("operator", 1), allow = rule("operator", 2);
  EXPECT_TRUE(
      decide("account_user", {"operator"}, "card.block", Relation::Descendant, {}, deny).allowed);
  Decision without = decide("account_user", {"operator"}, "card.block", Relation::Same, {}, allow);
  EXPECT_EQ(without.outcome, Outcome::NoAllow);
  EXPECT_TRUE(without.matchingAllows.empty());
  // Excluding an inherited rule removes it for the extending role too.
  EXPECT_EQ(
      decide("account_user", {"operator"}, "station.view", Relation::Same, {}, rule("viewer", 0))
          .outcome,
      Outcome::NoAllow);
}

TEST_F(Reference, EachReachCoversTheRelationsOfTheLanguageTable) {
  // docs/language.md: self = own node; descendants = strictly below; subtree = own node or
  // below; ancestors = strictly above; tenant = anywhere in the tree; elsewhere = in the tree
  // but neither the own node, below nor above.
  auto c = testing::compile("scope t;\nresource doc { read; }\nusertype u at t;\n"
                            "role self_r for u { allow doc.read in self; }\n"
                            "role desc_r for u { allow doc.read in descendants; }\n"
                            "role sub_r for u { allow doc.read in subtree; }\n"
                            "role anc_r for u { allow doc.read in ancestors; }\n"
                            "role ten_r for u { allow doc.read in tenant; }\n"
                            "role default_r for u { allow doc.read; }\n"
                            "role else_r for u { allow doc.read in elsewhere; }\n");
  ASSERT_TRUE(c->model) << c->describe();
  const char *expected[] = {"S...", ".D..", "SD..", "..A.", "SDAT", "S...", "...T"};
  for (sema::RoleId r = 0; r < 7; ++r)
    for (unsigned rel = 0; rel < sema::kRelationCount; ++rel) {
      Request q{0, {r}, 0, Relation(rel), 0};
      EXPECT_EQ(reference::decide(*c->model, q).allowed, expected[r][rel] != '.')
          << c->model->roles[r].name << " at " << sema::relationName(Relation(rel));
    }
}

TEST_F(Reference, ConditionsFollowTheirBooleanMeaningAndPrecedence) {
  // Evaluated on every flag set against the same expression written in C++; `not` binds
  // tighter than `and`, `and` tighter than `or`.
  struct Case {
    const char *condition;
    bool (*meaning)(bool b, bool a);
  } cases[] = {
      {"(business or not active) and not (business and active)",
       [](bool b, bool a) { return (b || !a) && !(b && a); }},
      {"not business or active", [](bool b, bool a) { return !b || a; }},
      {"business or business and active", [](bool b, bool a) { return b || (b && a); }},
      {"not active and business or not business and active",
       [](bool b, bool a) { return (!a && b) || (!b && a); }},
      {"not (not business)", [](bool b, bool) { return b; }},
  };
  for (const Case &test : cases) {
    auto c = testing::compile(
        "scope t;\nscope acc under t;\nresource doc { read; }\nflag business on acc;\n"
        "usertype u at acc;\nflag active on u;\nrole r for u { allow doc.read when " +
        std::string(test.condition) + "; }\n");
    ASSERT_TRUE(c->model) << test.condition << "\n" << c->describe();
    for (sema::FlagMask flags = 0; flags < 4; ++flags) {
      bool business = flags & 1, active = flags & 2; // flags in declaration order
      Request q{0, {0}, 0, Relation::Same, flags};
      EXPECT_EQ(reference::decide(*c->model, q).allowed, test.meaning(business, active))
          << test.condition << " with business=" << business << " active=" << active;
    }
  }
}

// --- request space ----------------------------------------------------------------------------

sema::RelationMask rels(std::initializer_list<Relation> list) {
  sema::RelationMask mask = 0;
  for (Relation r : list)
    mask |= 1u << unsigned(r);
  return mask;
}

class Space : public ::testing::Test {
protected:
  void load(const std::string &text) {
    compiled = testing::compile(text);
    ASSERT_TRUE(compiled->model) << compiled->describe();
    space.emplace(*compiled->model);
  }
  uint32_t scope(const std::string &name) const {
    for (uint32_t s = 0; s < compiled->model->scopeKinds.size(); ++s)
      if (compiled->model->scopeKinds[s].name == name)
        return s;
    ADD_FAILURE() << "no scope " << name;
    return 0;
  }
  uint32_t resource(const std::string &name) const {
    for (uint32_t r = 0; r < compiled->model->resources.size(); ++r)
      if (compiled->model->resources[r].name == name)
        return r;
    ADD_FAILURE() << "no resource " << name;
    return 0;
  }
  sema::RelationMask relations(const std::string &from, const std::string &res) const {
    return space->relations(scope(from), resource(res));
  }
  std::unique_ptr<testing::Compiled> compiled;
  std::optional<analysis::RequestSpace> space;
};

TEST_F(Space, TenancyTreeRootHasNoTenantLeafHasNoDescendant) {
  load(std::string(kPolicy) + "resource doc { read; }\nresource bill owned_by account { pay; }\n");
  using R = Relation;
  // `doc` has no owners: any node of the tree.
  EXPECT_EQ(relations("tenant", "doc"), rels({R::Same, R::Descendant}));
  EXPECT_EQ(relations("account", "doc"), rels({R::Same, R::Descendant, R::Ancestor, R::Tenant}));
  EXPECT_EQ(relations("subaccount", "doc"), rels({R::Same, R::Ancestor, R::Tenant}));
  // `bill` only at accounts.
  EXPECT_EQ(relations("tenant", "bill"), rels({R::Descendant}));
  EXPECT_EQ(relations("account", "bill"), rels({R::Same, R::Tenant}));
  EXPECT_EQ(relations("subaccount", "bill"), rels({R::Ancestor, R::Tenant}));
  // `station` at accounts and subaccounts.
  EXPECT_EQ(relations("tenant", "station"), rels({R::Descendant}));
  EXPECT_EQ(relations("account", "station"), rels({R::Same, R::Descendant, R::Tenant}));
  EXPECT_EQ(relations("subaccount", "station"), rels({R::Same, R::Ancestor, R::Tenant}));
}

TEST_F(Space, AKindWithTwoParentsInTwoTrees) {
  load("scope a;\nscope b;\nscope c under a, b;\nresource thing { use; }\n"
       "resource at_a owned_by a { use; }\nresource at_b owned_by b { use; }\n"
       "usertype u at a, b, c;\nrole r for u { allow * in tenant; }\n");
  using R = Relation;
  EXPECT_EQ(relations("a", "thing"), rels({R::Same, R::Descendant}));
  EXPECT_EQ(relations("b", "thing"), rels({R::Same, R::Descendant}));
  EXPECT_EQ(relations("c", "thing"), rels({R::Same, R::Ancestor, R::Tenant}));
  EXPECT_EQ(relations("c", "at_a"), rels({R::Ancestor}));
  EXPECT_EQ(relations("c", "at_b"), rels({R::Ancestor}));
  // Two roots never see each other: nothing reaches into another tree.
  EXPECT_EQ(relations("a", "at_b"), 0);
  EXPECT_EQ(relations("b", "at_a"), 0);
  EXPECT_EQ(space->seats().size(), 3u);
}

TEST_F(Space, SeatsAndSettableFlags) {
  load(kPolicy);
  const sema::Model &m = *compiled->model;
  ASSERT_EQ(space->seats().size(), 3u);
  auto seat = [&](size_t i) { return space->seats()[i]; };
  auto flag = [&](const std::string &name) {
    for (uint32_t f = 0; f < m.flags.size(); ++f)
      if (m.flags[f].name == name)
        return sema::FlagMask{1} << f;
    return sema::FlagMask{0};
  };
  EXPECT_EQ(m.kinds[seat(0).kind].name, "tenant_user");
  EXPECT_EQ(seat(0).scope, scope("tenant"));
  EXPECT_EQ(space->flags(seat(0)), flag("active"));
  EXPECT_EQ(seat(1).scope, scope("account"));
  EXPECT_EQ(space->flags(seat(1)), flag("active") | flag("business"));
  EXPECT_EQ(seat(2).scope, scope("subaccount"));
  EXPECT_EQ(space->flags(seat(2)), flag("active"));
  EXPECT_TRUE(space->kindHasSeats(0));
}

TEST_F(Space, EnumerationCoversTheSpaceOnly) {
  load(kPolicy);
  const sema::Model &m = *compiled->model;
  std::vector<SpaceRequest> all = enumerateRequests(m, *space);
  ASSERT_FALSE(all.empty());
  size_t withOperatorAndAuditor = 0;
  for (const SpaceRequest &r : all) {
    EXPECT_TRUE(inSpace(m, *space, r.seat, r.request)) << describe(m, r.seat, r.request);
    EXPECT_LE(r.request.roles.size(), 3u);
    withOperatorAndAuditor +=
        r.request.roles.size() == 2 && r.request.roles[0] == 1 && r.request.roles[1] == 2;
  }
  EXPECT_GT(withOperatorAndAuditor, 0u); // exclusive-breaking sets are included
  // tenant_user@tenant: roles {viewer, boss} -> 4 sets; 5 permissions at their relations
  // (station: descendant; card: same, descendant) = 3 + 2*2... counted per permission:
  // station.* 3 perms x 1 relation + card.* 2 perms x 2 relations = 7; flags {active}: 2.
  size_t tenant = 0;
  for (const SpaceRequest &r : all)
    tenant += m.kinds[r.seat.kind].name == "tenant_user";
  EXPECT_EQ(tenant, 4u * 7u * 2u);
}

TEST_F(Space, ResourceNodesAndRecursiveScopes) {
  load("scope organization;\nscope folder under organization, folder;\n"
       "resource doc owned_by folder as scope { read; }\n"
       "resource note owned_by doc { read; }\nusertype u at organization, folder, doc;\n"
       "role r for u { allow * in tenant; }\n");
  using R = Relation;
  // A request for `doc` is about the document's own node, under a folder.
  EXPECT_EQ(space->targetKinds(resource("doc")), std::vector<uint32_t>{scope("doc")});
  EXPECT_EQ(relations("doc", "doc"), rels({R::Same, R::Tenant}));
  EXPECT_EQ(relations("organization", "doc"), rels({R::Descendant}));
  EXPECT_EQ(relations("doc", "note"), rels({R::Same, R::Tenant}));
  // Folders in folders: every relation between two folders occurs.
  EXPECT_EQ(space->relationsTo(scope("folder"), scope("folder")),
            rels({R::Same, R::Descendant, R::Ancestor, R::Tenant}));
  EXPECT_EQ(relations("folder", "doc"), rels({R::Descendant, R::Tenant}));
}

TEST_F(Space, TwoMembershipsStandApartAsTreesAllow) {
  load("scope region;\nscope brand;\nscope store under region, brand;\n"
       "scope tenant;\nscope account under tenant;\n"
       "scope organization;\nscope folder under organization, folder;\n"
       "resource thing { use; }\nusertype u at region, brand, store, tenant, account, "
       "organization, folder;\nrole r for u { allow * in tenant; }\n");
  using R = Relation;
  auto apart = [&](const char *target, const char *a, R ra, const char *b, R rb) {
    return space->apartAt(scope(target), scope(a), ra, scope(b), rb);
  };
  // A store has one parent: a region or a brand, never both above it.
  EXPECT_TRUE(space->relationsTo(scope("region"), scope("store")) >> unsigned(R::Descendant) & 1);
  EXPECT_FALSE(apart("store", "region", R::Descendant, "brand", R::Descendant));
  EXPECT_FALSE(apart("store", "region", R::Descendant, "brand", R::Tenant));
  // Two distinct nodes are never both the target.
  EXPECT_FALSE(apart("account", "account", R::Same, "account", R::Same));
  // One account above the target account? Accounts do not nest; folders do.
  EXPECT_FALSE(apart("account", "account", R::Descendant, "account", R::Descendant));
  EXPECT_TRUE(apart("folder", "folder", R::Descendant, "folder", R::Descendant));
  EXPECT_TRUE(apart("folder", "organization", R::Descendant, "folder", R::Descendant));
  // The tenant above an account, and another account of it.
  EXPECT_TRUE(apart("account", "tenant", R::Descendant, "account", R::Tenant));
  EXPECT_TRUE(apart("account", "account", R::Tenant, "account", R::Tenant));
  EXPECT_TRUE(apart("account", "account", R::Same, "tenant", R::Descendant));
  // A root target: nothing is elsewhere from it.
  EXPECT_FALSE(apart("tenant", "tenant", R::Same, "account", R::Tenant));
  EXPECT_TRUE(apart("tenant", "tenant", R::Same, "account", R::Ancestor));
}

TEST(ConcreteTree, TheUniversalTreeShowsWhatTheSpaceSays) {
  auto compiled = testing::compile(
      "scope organization;\nscope folder under organization, folder;\nscope team;\n"
      "scope squad under team, organization;\nresource doc owned_by folder as scope { read; }\n");
  ASSERT_TRUE(compiled->model) << compiled->describe();
  const sema::Model &m = *compiled->model;
  analysis::RequestSpace space(m);
  ConcreteTree tree = ConcreteTree::universal(m, 5000);
  ASSERT_TRUE(tree.complete);
  Placements placements(tree, m.scopeKinds.size());
  const uint32_t kinds = uint32_t(m.scopeKinds.size());
  for (uint32_t o = 0; o < kinds; ++o)
    for (uint32_t a = 0; a < kinds; ++a)
      for (unsigned ra = 0; ra < sema::kRelationCount; ++ra) {
        EXPECT_EQ(placements.single(o, a, Relation(ra)), bool(space.relationsTo(a, o) >> ra & 1));
        for (uint32_t b = 0; b < kinds; ++b)
          for (unsigned rb = 0; rb < sema::kRelationCount; ++rb)
            EXPECT_EQ(placements.pair(o, a, Relation(ra), b, Relation(rb)),
                      space.apartAt(o, a, Relation(ra), b, Relation(rb)))
                << m.scopeKinds[o].name << " " << m.scopeKinds[a].name << " " << ra << " "
                << m.scopeKinds[b].name << " " << rb;
      }
  // Paths and relations by walking parents.
  for (uint32_t v = 0; v < tree.size(); ++v) {
    EXPECT_EQ(tree.path(v).back(), 1000 + uint64_t(v));
    EXPECT_EQ(tree.relation(v, v), Relation::Same);
    if (tree.parent[v] >= 0) {
      EXPECT_EQ(tree.relation(uint32_t(tree.parent[v]), v), Relation::Descendant);
      EXPECT_EQ(tree.relation(v, uint32_t(tree.parent[v])), Relation::Ancestor);
    }
  }
}

TEST(Generator, SameSeedSameTextAndItCompiles) {
  size_t recursive = 0, resourceScopes = 0, seatedAtResources = 0;
  for (uint64_t seed = 1; seed <= 200; ++seed) {
    std::string text = generatePolicy(seed);
    EXPECT_EQ(text, generatePolicy(seed));
    auto compiled = testing::compile(text);
    EXPECT_TRUE(compiled->model && compiled->diags.errors() == 0) << "seed " << seed << "\n"
                                                                  << text << compiled->describe();
    if (!compiled->model)
      continue;
    const sema::Model &m = *compiled->model;
    bool seated = false;
    for (sema::ScopeKindId s = 0; s < m.scopeKinds.size(); ++s) {
      const auto &parents = m.scopeKinds[s].parents;
      recursive += std::find(parents.begin(), parents.end(), s) != parents.end();
    }
    for (const sema::Resource &r : m.resources) {
      resourceScopes += r.scope.has_value();
      for (const sema::PrincipalKind &k : m.kinds)
        seated |= r.scope && std::count(k.scopes.begin(), k.scopes.end(), *r.scope);
    }
    seatedAtResources += seated;
  }
  // The generator makes recursive scopes and resources that are scopes, with principals there.
  EXPECT_GT(recursive, 20u);
  EXPECT_GT(resourceScopes, 20u);
  EXPECT_GT(seatedAtResources, 10u);
  EXPECT_NE(generatePolicy(1), generatePolicy(2));
}

// Memberships (docs/request-model.md): operator of account A, viewer of account B. On A's
// stations the target is A itself (self through A, elsewhere through B); on B's, the reverse.
TEST_F(Reference, MembershipsGiveEachNodeItsOwnRights) {
  const std::vector<Held> onA = {{{"operator"}, Relation::Same, {"business"}},
                                 {{"viewer"}, Relation::Tenant}};
  const std::vector<Held> onB = {{{"operator"}, Relation::Tenant, {"business"}},
                                 {{"viewer"}, Relation::Same}};
  Decision resetA = decideMemberships("account_user", onA, "station.reset");
  EXPECT_TRUE(resetA.allowed);
  EXPECT_EQ(resetA.allowMemberships, std::vector<uint32_t>{0});
  EXPECT_EQ(decideMemberships("account_user", onB, "station.reset").outcome, Outcome::NoAllow);
  EXPECT_TRUE(decideMemberships("account_user", onB, "station.view").allowed);
  // A's flag is A's: with B's membership at a node without `business`, B gets no reset.
  EXPECT_FALSE(decideMemberships("account_user",
                                 {{{"operator"}, Relation::Same}, {{"viewer"}, Relation::Tenant}},
                                 "station.reset")
                   .allowed);
}

TEST_F(Reference, ADenyThroughAnyMembershipWins) {
  // operator's `deny card.block in descendants` applies through the membership at the parent
  // node, although another membership (at the card's own node) allows it.
  Decision d = decideMemberships(
      "account_user",
      {{{"viewer", "operator"}, Relation::Descendant}, {{"operator"}, Relation::Same}},
      "card.block");
  EXPECT_EQ(d.outcome, Outcome::DeniedByRule);
  EXPECT_EQ(d.denyMemberships, std::vector<uint32_t>{0});
  // Without the parent membership the card's own node allows it.
  EXPECT_TRUE(
      decideMemberships("account_user", {{{"operator"}, Relation::Same}}, "card.block").allowed);
}

TEST_F(Reference, ExclusiveSetsCountTheRolesOfTheTargetsTree) {
  // operator and auditor are exclusive: held in one tree (any nodes) it is denied; with the
  // auditor membership in another tree it is not a conflict for this request.
  EXPECT_EQ(decideMemberships("account_user",
                              {{{"operator"}, Relation::Same}, {{"auditor"}, Relation::Ancestor}},
                              "card.view")
                .outcome,
            Outcome::Exclusive);
  EXPECT_TRUE(decideMemberships("account_user",
                                {{{"operator"}, Relation::Same}, {{"auditor"}, std::nullopt}},
                                "card.view")
                  .allowed);
  // A role the kind may not hold is refused wherever it is held.
  EXPECT_EQ(decideMemberships("account_user",
                              {{{"operator"}, Relation::Same}, {{"boss"}, std::nullopt}},
                              "card.view")
                .outcome,
            Outcome::RoleNotForKind);
}

TEST_F(Reference, RequirementsReadThePrincipalsFlagsOnce) {
  EXPECT_EQ(decideMemberships("tenant_user", {{{"boss"}, Relation::Same}}, "card.view").outcome,
            Outcome::Requirement);
  EXPECT_TRUE(
      decideMemberships("tenant_user", {{{"boss"}, Relation::Same}}, "card.view", {"active"})
          .allowed);
  // No membership in the target's tree: nothing allows.
  EXPECT_EQ(
      decideMemberships("tenant_user", {{{"boss"}, std::nullopt}}, "card.view", {"active"}).outcome,
      Outcome::NoAllow);
}

TEST_F(Reference, OneMembershipDecidesAsTheSingleNodeRequest) {
  for (const sema::Role &r : model().roles)
    for (const sema::Permission &p : model().permissions)
      for (uint32_t rel = 0; rel < sema::kRelationCount; ++rel)
        for (sema::FlagMask f = 0; f < (sema::FlagMask{1} << model().flags.size()); ++f)
          for (const sema::PrincipalKind &k : model().kinds) {
            Request single{kind(k.name), {role(r.name)}, permission(p.name), Relation(rel), f};
            reference::PrincipalRequest one{
                kind(k.name), f, {{{role(r.name)}, Relation(rel), 0}}, permission(p.name)};
            Decision a = reference::decide(model(), single), b = reference::decide(model(), one);
            ASSERT_EQ(a.outcome, b.outcome) << r.name << " " << p.name << " " << rel;
            ASSERT_EQ(a.matchingAllows, b.matchingAllows);
            ASSERT_EQ(a.matchingDenies, b.matchingDenies);
          }
}

// Issue 12: policy-wide denies, per-user-type rules, conditional assigns.
const char *const kRules12 = R"(
policy rules12;
scope partner;
scope customer under partner;
resource station owned_by partner, customer { view; reset; }
flag business on customer;
flag suspended on customer;
usertype partner_user at partner;
usertype customer_user at customer;
role operator for partner_user, customer_user {
  allow station.* in subtree;
  deny station.reset for customer_user;
  assigns viewer when business;
  assigns driver;
}
role viewer for customer_user { allow station.view; deny station.view in ancestors; }
locked role driver for customer_user { allow station.view; }
deny station.reset in descendants when suspended;
deny station.view in ancestors;
)";

class Rules12 : public Reference {
protected:
  const char *policyText() const override { return kRules12; }
  uint32_t policyRule(size_t n) const { return model().policyRules.at(n); }
};

TEST_F(Rules12, ARuleWithForHoldsForThoseUserTypesOnly) {
  EXPECT_TRUE(decide("partner_user", {"operator"}, "station.reset", Relation::Same).allowed);
  Decision d = decide("customer_user", {"operator"}, "station.reset", Relation::Same);
  EXPECT_EQ(d.outcome, Outcome::DeniedByRule);
  EXPECT_EQ(d.matchingDenies, std::vector<uint32_t>{rule("operator", 1)});
}

TEST_F(Rules12, APolicyWideDenyHoldsWhateverRoleAllows) {
  Decision d =
      decide("partner_user", {"operator"}, "station.reset", Relation::Descendant, {"suspended"});
  EXPECT_EQ(d.outcome, Outcome::DeniedByPolicy);
  EXPECT_EQ(d.matchingDenies, std::vector<uint32_t>{policyRule(0)});
  EXPECT_TRUE(decide("partner_user", {"operator"}, "station.reset", Relation::Descendant).allowed);
  // Its reach is taken per membership: `in descendants` does not cover the node itself.
  EXPECT_TRUE(
      decide("partner_user", {"operator"}, "station.reset", Relation::Same, {"suspended"}).allowed);
  // A deny of a held role is named before a policy-wide one (both match here).
  Decision both = decide("customer_user", {"viewer"}, "station.view", Relation::Ancestor);
  EXPECT_EQ(both.outcome, Outcome::DeniedByRule);
  EXPECT_EQ(both.matchingDenies.size(), 2u);
}

TEST_F(Rules12, APolicyWideDenyHoldsThroughAMembershipWithoutRoles) {
  // The operator membership at the station's own node allows; a membership holding nothing,
  // at a node below the station's, meets `deny station.view in ancestors`.
  Decision d = decideMemberships(
      "customer_user", {{{"operator"}, Relation::Same}, {{}, Relation::Ancestor}}, "station.view");
  EXPECT_EQ(d.outcome, Outcome::DeniedByPolicy);
  EXPECT_EQ(d.denyMemberships, std::vector<uint32_t>{1});
  // In another tree a membership reaches nothing, policy-wide denies included.
  EXPECT_TRUE(decideMemberships("customer_user",
                                {{{"operator"}, Relation::Same}, {{}, std::nullopt}},
                                "station.view")
                  .allowed);
}

TEST_F(Rules12, ConditionalAssignsReadTheAssignersFlags) {
  const std::vector<sema::RoleId> op{role("operator")};
  EXPECT_TRUE(reference::canAssign(model(), op, role("viewer"), flags({"business"})));
  EXPECT_FALSE(reference::canAssign(model(), op, role("viewer"), flags({})));
  // Without flags (lattice_can_assign) a condition is never taken to hold: fail closed.
  EXPECT_FALSE(reference::canAssign(model(), op, role("viewer"), std::nullopt));
  // A locked role is never given, whatever `assigns` says.
  EXPECT_FALSE(reference::canAssign(model(), op, role("driver"), flags({"business"})));
  EXPECT_FALSE(reference::canAssign(model(), {role("viewer")}, role("viewer"), flags({})));
}

} // namespace
} // namespace lattice::difftest
