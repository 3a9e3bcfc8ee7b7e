// differential_test.cpp - random policies, every request of their space: the table path
// (lower -> emit -> runtime) against the reference interpreter, and the analyzer's findings
// against what the reference shows. See docs/testing.md, "Differential test".
#include "ceiling_findings.h"
#include "compile_helper.h"
#include "concrete_tree.h"
#include "custom_roles_check.h"
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "lower/lower.h"
#include "membership_pairs.h"
#include "padded_tables.h"
#include "policy_generator.h"
#include "request_enum.h"
#include "to_runtime.h"

#ifdef LATTICE_DIFF_WITH_ANALYZER
#include "analysis/analyzer.h"
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace lattice::difftest {
namespace {

using reference::Decision;
using reference::Outcome;

/// Mismatch categories. Table-vs-reference and false alarms are bugs in the compiler or the
/// analyzer; misses are findings the analyzer could have made and did not; `space` is the
/// request space (what can occur) disagreeing with real trees of the policy's kinds.
enum Category { TableVsReference, FalseAlarm, Miss, Space, Setup, CategoryCount };
const char *const kCategoryNames[] = {"table-vs-reference", "false-alarm", "miss", "space",
                                      "setup"};

/// Self-test: make the checks face a known bug and count whether they catch it. `Table` checks
/// the tables against a reference that ignores every `when`; the others add one false finding
/// per policy (where the policy allows building one) to the analyzer's output.
/// `ConflictMemberships` claims a conflict whose two memberships stand where no tree puts them;
/// `RedundantMemberships` claims redundant a deny that decides only beside another membership.
/// `EscalationCondition` claims an escalation through an `assigns` whose condition never holds.
/// `CustomEscalation` claims a creator lacks a right of its ceiling that it holds alone;
/// `CeilingConflict` claims a policy-wide deny overrides a ceiling's cell it does not name.
enum class Mutation {
  None,
  Table,
  Unreachable,
  Redundant,
  Dead,
  Conflict,
  Escalation,
  ConflictMemberships,
  RedundantMemberships,
  EscalationCondition,
  CustomEscalation,
  CeilingConflict
};
const char *const kMutationNames[] = {"none",
                                      "table",
                                      "unreachable",
                                      "redundant",
                                      "dead",
                                      "conflict",
                                      "escalation",
                                      "conflict-memberships",
                                      "redundant-memberships",
                                      "escalation-condition",
                                      "custom-escalation",
                                      "ceiling-conflict"};

struct Options {
  Mutation mutation = Mutation::None;
  uint64_t seed = 1;
  uint64_t count = 10000;
  bool repro = false;
  bool checkMisses = true;
  bool verbose = false;
  std::string outDir = ".";
};

struct Mismatch {
  Category category;
  std::string text;
};

class PolicyCheck {
public:
  PolicyCheck(const sema::Model &model, const testing::Compiled &compiled, Mutation mutation,
              uint64_t seed)
      : model(model), compiled(compiled), space(model), mutation(mutation), seed(seed),
        tree(ConcreteTree::universal(model, kTreeNodes)),
        placements(tree, model.scopeKinds.size()) {
    closure.assign(model.roles.size(), std::vector<bool>(model.roles.size(), false));
    for (sema::RoleId r = 0; r < model.roles.size(); ++r) {
      closure[r][r] = true;
      for (sema::RoleId up : model.roles[r].inherited)
        closure[r][up] = true;
    }
  }

  std::vector<Mismatch> run() {
    requests = enumerateRequests(model, space, /*withForeignRoles=*/true);
    decisions.reserve(requests.size());
    sema::Model blind;
    if (mutation == Mutation::Table) {
      blind = model;
      for (sema::Rule &rule : blind.rules)
        rule.guard = sema::Guard::always();
    }
    for (const SpaceRequest &r : requests)
      decisions.push_back(
          reference::decide(mutation == Mutation::Table ? blind : model, r.request));
    checkSpace();
    checkTables();
#ifdef LATTICE_DIFF_WITH_ANALYZER
    if (mutation != Mutation::Table)
      checkFindings();
#endif
    return std::move(mismatches);
  }

#ifdef LATTICE_DIFF_WITH_ANALYZER
  /// The analyzer's findings about the ceilings of `withCeilings` (this policy with ceilings
  /// appended: the same vocabulary, roles and rules) checked over this policy's request space,
  /// after run(). The other findings of `withCeilings` are not checked: dead permissions,
  /// unreachable and redundant rules then depend on what tenants may build.
  CeilingFindingsResult checkCeilings(const sema::Model &withCeilings) const {
    std::vector<bool> inSpace(requests.size());
    for (size_t i = 0; i < requests.size(); ++i)
      inSpace[i] = isInSpace(i);
    const size_t perms = model.permissions.size();
    const auto holdsAlone = [&](sema::RoleId role, sema::PermissionId p) {
      for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
        if (allowedAloneAtSomeRelation[(role * perms + p) * sema::kRelationCount + rel])
          return true;
      return bool(pairFacts.allowedAlone[role * perms + p]);
    };
    std::vector<analysis::Finding> findings = analysis::analyze(withCeilings);
    injectCeilingFinding(withCeilings, holdsAlone, findings);
    return checkCeilingFindings(withCeilings, requests, inSpace, holdsAlone, findings);
  }

  /// --mutate custom-escalation / ceiling-conflict: one false finding about a ceiling.
  void injectCeilingFinding(const sema::Model &m,
                            const std::function<bool(sema::RoleId, sema::PermissionId)> &holdsAlone,
                            std::vector<analysis::Finding> &findings) const {
    analysis::Finding f;
    for (const sema::CustomRole &ceiling : m.customRoles) {
      if (mutation == Mutation::CustomEscalation)
        for (const auto &[creator, site] : ceiling.creatorSites)
          for (const auto &[p, relations] : ceiling.cells)
            if (!f.permission && holdsAlone(creator, p)) { // it holds it: no escalation
              f.kind = DiagKind::CustomRoleEscalation;
              f.range = site;
              f.roles = {creator};
              f.permission = p;
            }
      if (mutation == Mutation::CeilingConflict)
        for (uint32_t rule : m.policyRules)
          for (const auto &[p, relations] : ceiling.cells) {
            const std::vector<sema::PermissionId> &named = m.rules[rule].permissions;
            if (!f.permission && std::find(named.begin(), named.end(), p) == named.end()) {
              f.kind = DiagKind::Conflict; // the deny does not even name the permission
              f.rules = {rule};
              f.notes = {{ceiling.decl, "injected"}};
              f.permission = p;
            }
          }
    }
    if (!f.permission)
      return;
    f.message = "injected by --mutate";
    findings.push_back(std::move(f));
    injected = true;
  }
#endif

  size_t requestCount() const { return requests.size(); }
  /// Requests with two memberships that passed the gates (each counted once per enumeration).
  size_t pairCount() const { return pairFacts.count; }
  /// Decisions of principal handles checked against lattice_decide_access (checkPrincipal).
  size_t principalCount() const { return principalChecks; }
  /// Whether --mutate added a false finding to this policy's analysis.
  mutable bool injected = false;

private:
  void add(Category category, std::string text) {
    mismatches.push_back({category, std::move(text)});
  }

  /// The request space against the universal tree: each relation of one membership, and each
  /// placement of two memberships at distinct nodes, that a tree shows must be in the space;
  /// and, when the tree is whole, each the space has must be shown by the tree.
  void checkSpace() {
    const size_t kinds = model.scopeKinds.size();
    auto name = [&](sema::ScopeKindId s) { return model.scopeKinds[s].name; };
    auto report = [&](bool inTree, const std::string &what) {
      add(Space, what + (inTree ? ": a tree shows it, the request space says it never occurs"
                                : ": the request space has it, no tree shows it"));
    };
    for (sema::ScopeKindId o = 0; o < kinds; ++o)
      for (sema::ScopeKindId a = 0; a < kinds; ++a)
        for (unsigned ra = 0; ra < sema::kRelationCount; ++ra) {
          const auto relA = sema::Relation(ra);
          const bool inSpace = space.relationsTo(a, o) >> ra & 1;
          const bool inTree = placements.single(o, a, relA);
          if (inSpace != inTree && (inTree || tree.complete))
            report(inTree,
                   "target " + name(o) + ", a node " + name(a) + " at " + sema::relationName(relA));
          for (sema::ScopeKindId b = 0; b < kinds; ++b)
            for (unsigned rb = 0; rb < sema::kRelationCount; ++rb) {
              const auto relB = sema::Relation(rb);
              const bool pairInSpace = space.apartAt(o, a, relA, b, relB);
              const bool pairInTree = placements.pair(o, a, relA, b, relB);
              if (pairInSpace != pairInTree && (pairInTree || tree.complete))
                report(pairInTree, "target " + name(o) + ", distinct nodes " + name(a) + " at " +
                                       sema::relationName(relA) + " and " + name(b) + " at " +
                                       sema::relationName(relB));
            }
        }
  }

  std::string rule(uint32_t index) const {
    const sema::Rule &r = model.rules[index];
    LineColumn lc = compiled.sources.lineColumn(r.range.file, r.range.begin);
    return "rule #" + std::to_string(index) + " (" +
           (r.policyWide() ? std::string("policy-wide") : "role " + model.roles[r.role].name) +
           ", line " + std::to_string(lc.line) + ")";
  }

  /// The role the runtime names for an allow/deny: the lowest held role whose flattened rules
  /// include one of `matching` (policy-wide denies belong to no role).
  uint32_t decidingRole(const reference::Request &request,
                        const std::vector<uint32_t> &matching) const {
    uint32_t best = LATTICE_NO_ID;
    for (sema::RoleId held : request.roles)
      for (uint32_t index : matching)
        if (!model.rules[index].policyWide() && closure[held][model.rules[index].role])
          best = std::min(best, held);
    return best;
  }

  void checkTables() {
    lower::Tables tables = lower::lowerModel(model);
    if (auto problem = emit::verifyTables(tables)) {
      add(Setup, "tables fail verification: " + *problem);
      return;
    }
    std::vector<uint8_t> bytes = emit::writeTable(tables);
    lattice_table *table = nullptr;
    lattice_load_status status = lattice_table_load(bytes.data(), bytes.size(), &table);
    if (status != LATTICE_LOAD_OK) {
      add(Setup, std::string("table does not load: ") + lattice_load_status_message(status));
      return;
    }
    checkDecide(table, "table");
    // The runtime decides tables of at most 64 roles on a one-word path: the same tables padded
    // with unused roles past 64 take its general path and must decide every request alike.
    const lower::Tables padded = padPastOneWord(tables);
    std::vector<uint8_t> paddedBytes = emit::writeTable(padded);
    lattice_table *paddedTable = nullptr;
    if (auto problem = emit::verifyTables(padded))
      add(Setup, "padded tables fail verification: " + *problem);
    else if (lattice_load_status s =
                 lattice_table_load(paddedBytes.data(), paddedBytes.size(), &paddedTable);
             s != LATTICE_LOAD_OK)
      add(Setup, std::string("padded table does not load: ") + lattice_load_status_message(s));
    else
      checkDecide(paddedTable,
                  "table padded to " + std::to_string(padded.roleNames.size()) + " roles");
    lattice_table_free(paddedTable);
    checkDelegation(table);
    checkMemberships(table);
    lattice_table_free(table);
  }

  /// lattice_decide on every request of the space against the reference: outcome, reason and
  /// deciding role. `path` names the table in a mismatch.
  void checkDecide(const lattice_table *table, const std::string &path) {
    for (size_t i = 0; i < requests.size(); ++i) {
      const reference::Request &q = requests[i].request;
      const Decision &expected = decisions[i];
      lattice_request request{q.kind,       q.roles.data(),       uint32_t(q.roles.size()),
                              q.permission, uint32_t(q.relation), q.flags};
      lattice_decision got = lattice_decide(table, &request);
      uint32_t role = LATTICE_NO_ID;
      bool compareRole = true;
      switch (expected.outcome) {
      case Outcome::Allowed:
        role = decidingRole(q, expected.matchingAllows);
        break;
      case Outcome::DeniedByRule:
        role = decidingRole(q, expected.matchingDenies);
        break;
      case Outcome::RoleNotForKind:
        for (sema::RoleId held : q.roles)
          if (!(model.roles[held].kinds >> q.kind & 1))
            role = std::min(role, held);
        break;
      case Outcome::Exclusive: // the runtime names a role of the first conflicting set
        compareRole = false;
        break;
      default:
        break;
      }
      bool same = (got.allowed != 0) == expected.allowed &&
                  got.reason == runtimeReason(expected.outcome) &&
                  (!compareRole || got.deciding_role == role);
      if (same)
        continue;
      add(TableVsReference, describe(model, requests[i].seat, q) + ": reference " +
                                describe(expected) + " deciding role " + roleName(role) + "; " +
                                path + " " + (got.allowed ? "allow" : "deny") + " (reason " +
                                std::to_string(got.reason) + ", deciding role " +
                                roleName(got.deciding_role) + ")");
    }
  }

  /// Principals with memberships (docs/request-model.md): random forests of nodes given by
  /// ancestor paths and the universal tree of the policy's kinds, random memberships (roles the
  /// kind may or may not hold, node flags), random targets; lattice_decide_access against the
  /// reference, including the deciding role and membership. Relations are computed here by
  /// walking parents, apart from both.
  void checkMemberships(const lattice_table *table) {
    Rng rng(seed * 0x9E3779B97F4A7C15ull + 17);
    const uint32_t roles = uint32_t(model.roles.size());
    // Flags by side, as the table records them: principal flags in the request, node flags in
    // the memberships. Every fifth round one mask also gets a flag of the other side, which the
    // runtime must refuse (BAD_REQUEST) before anything else.
    // Facts (resource, target, request) go in the request's `facts` word, drawn from their own
    // stream so that the requests of policies without facts stay as they were.
    sema::FlagMask principalFlags = 0, nodeFlags = 0, factFlags = model.factMask();
    for (uint32_t f = 0; f < model.flags.size(); ++f)
      if (!model.flags[f].isFact())
        (model.flags[f].onScope ? nodeFlags : principalFlags) |= sema::FlagMask{1} << f;
    Rng factRng(seed * 0x2545F4914F6CDD1Dull + 29);
    for (int round = 0; round < 40; ++round) {
      // Odd rounds on the universal tree of the policy's kinds (resource nodes, recursive
      // kinds, deeper paths), the others on a forest of up to 8 nodes, node i's parent an
      // earlier node or none (a root).
      const bool kinded = round % 2 == 1 && tree.size() > 0;
      ConcreteTree forest; // the kinds of its nodes matter on the universal tree only
      if (kinded) {
        forest = tree;
      } else {
        forest.parent.resize(rng.between(1, 8));
        for (uint32_t i = 0; i < forest.parent.size(); ++i)
          forest.parent[i] = i == 0 || rng.chance(20) ? -1 : int(rng.between(0, i - 1));
        forest.kind.assign(forest.parent.size(), 0);
      }
      const uint32_t nodes = uint32_t(forest.size());
      // On the universal tree, mostly nodes of a kind that fits: a target kind of the
      // permission's resource, a scope kind of the principal's user type.
      auto pickNode = [&](auto fits) {
        uint32_t node = rng.between(0, nodes - 1);
        for (int tries = 0; kinded && tries < 8 && !fits(tree.kind[node]); ++tries)
          node = rng.between(0, nodes - 1);
        return node;
      };
      reference::PrincipalRequest expected;
      expected.kind = rng.between(0, uint32_t(model.kinds.size()) - 1);
      expected.flags = rng.next() & principalFlags;
      expected.permission = rng.between(0, uint32_t(model.permissions.size()) - 1);
      expected.facts = factRng.next() & factFlags;
      const auto &targetKinds = space.targetKinds(model.permissions[expected.permission].resource);
      const auto &seatKinds = model.kinds[expected.kind].scopes;
      const uint32_t target = pickNode([&](sema::ScopeKindId k) {
        return std::find(targetKinds.begin(), targetKinds.end(), k) != targetKinds.end();
      });
      std::vector<uint32_t> at;
      std::vector<std::vector<uint32_t>> held;
      const uint32_t count = rng.between(0, 3);
      for (uint32_t m = 0; m < count; ++m) {
        reference::Membership membership;
        at.push_back(pickNode([&](sema::ScopeKindId k) {
          return std::find(seatKinds.begin(), seatKinds.end(), k) != seatKinds.end();
        }));
        membership.relation = forest.relation(at.back(), target);
        membership.nodeFlags = rng.next() & nodeFlags;
        const uint32_t n = rng.between(0, 3);
        for (uint32_t i = 0; i < n && roles > 0; ++i) {
          uint32_t role = rng.between(0, roles - 1);
          // Mostly roles the kind may hold, so that the rules are reached.
          for (int tries = 0; tries < 4 && !(model.roles[role].kinds >> expected.kind & 1); ++tries)
            role = rng.between(0, roles - 1);
          membership.roles.push_back(role);
        }
        expected.memberships.push_back(std::move(membership));
      }
      // A flag given on the wrong side: the principal's mask gets a node flag, or a
      // membership's a principal flag.
      bool wrongSide = false;
      auto randomBit = [&](sema::FlagMask mask) {
        std::vector<uint32_t> set;
        for (uint32_t f = 0; f < 64; ++f)
          if (mask >> f & 1)
            set.push_back(f);
        return sema::FlagMask{1} << set[rng.between(0, uint32_t(set.size()) - 1)];
      };
      const bool intoPrincipal = nodeFlags != 0, intoMembership = count > 0 && principalFlags != 0;
      if (round % 5 == 4 && (intoPrincipal || intoMembership)) {
        if (intoPrincipal && (!intoMembership || rng.chance(50)))
          expected.flags |= randomBit(nodeFlags);
        else
          expected.memberships[rng.between(0, count - 1)].nodeFlags |= randomBit(principalFlags);
        wrongSide = true;
      }
      // A fact given as a flag, or a flag given as a fact: refused as well.
      if (round % 7 == 6 && factFlags != 0) {
        if (factRng.chance(50) || (principalFlags | nodeFlags) == 0)
          expected.flags |= randomBit(factFlags);
        else
          expected.facts |= randomBit(principalFlags | nodeFlags);
        wrongSide = true;
      }
      std::vector<std::vector<uint64_t>> paths;
      for (uint32_t m = 0; m < count; ++m)
        paths.push_back(forest.path(at[m]));
      const std::vector<uint64_t> targetPath = forest.path(target);
      std::vector<lattice_membership> ms(count);
      for (uint32_t m = 0; m < count; ++m) {
        ms[m].node.path = {paths[m].data(), uint32_t(paths[m].size())};
        ms[m].roles = expected.memberships[m].roles.data();
        ms[m].role_count = uint32_t(expected.memberships[m].roles.size());
        ms[m].node_flags = expected.memberships[m].nodeFlags;
      }
      lattice_node_ref targetRef{};
      targetRef.path = {targetPath.data(), uint32_t(targetPath.size())};
      lattice_access_request request = runtimeRequest(expected, ms, targetRef);
      const lattice_access_decision got = lattice_decide_access(table, &request);
      checkPrincipal(table, request, forest, rng);

      bool anyInTree = false;
      for (const reference::Membership &m : expected.memberships)
        anyInTree = anyInTree || m.relation.has_value();
      uint32_t wantReason = LATTICE_REASON_OTHER_TREE, wantRole = LATTICE_NO_ID,
               wantMembership = LATTICE_NO_ID;
      bool compareRole = true;
      if (wrongSide) {
        wantReason = LATTICE_REASON_BAD_REQUEST;
      } else if (anyInTree) {
        const Decision d = reference::decide(model, expected);
        wantReason = runtimeReason(d.outcome);
        if (d.outcome == Outcome::RoleNotForKind) {
          for (const reference::Membership &m : expected.memberships)
            for (sema::RoleId r : m.roles)
              if (!(model.roles[r].kinds >> expected.kind & 1))
                wantRole = std::min(wantRole, r);
        } else if (d.outcome == Outcome::Exclusive) {
          compareRole = false; // a role of the first conflicting set, as for one node
        } else if (d.outcome == Outcome::DeniedByPolicy) {
          // No role; the first membership a policy-wide deny matches through.
          for (uint32_t m = 0; m < count && wantMembership == LATTICE_NO_ID; ++m) {
            const reference::Membership &membership = expected.memberships[m];
            if (!membership.relation)
              continue;
            for (uint32_t index : model.policyRules) {
              const sema::Rule &rule = model.rules[index];
              if (rule.appliesTo(expected.kind) &&
                  std::binary_search(rule.permissions.begin(), rule.permissions.end(),
                                     expected.permission) &&
                  (sema::reachRelations(rule.reach) >> unsigned(*membership.relation) & 1) &&
                  rule.guard.holds(expected.flags | expected.facts | membership.nodeFlags))
                wantMembership = m;
            }
          }
        } else if (d.outcome == Outcome::Allowed || d.outcome == Outcome::DeniedByRule) {
          // The lowest held role through which a rule of the deciding effect matches, and the
          // first membership it matches through.
          const sema::Effect effect =
              d.outcome == Outcome::Allowed ? sema::Effect::Allow : sema::Effect::Deny;
          for (uint32_t m = 0; m < count; ++m) {
            const reference::Membership &membership = expected.memberships[m];
            if (!membership.relation)
              continue;
            for (sema::RoleId h : membership.roles)
              for (uint32_t index = 0; index < model.rules.size(); ++index) {
                const sema::Rule &rule = model.rules[index];
                if (rule.effect != effect || rule.policyWide() || !closure[h][rule.role] ||
                    !rule.appliesTo(expected.kind) ||
                    !std::binary_search(rule.permissions.begin(), rule.permissions.end(),
                                        expected.permission) ||
                    !(sema::reachRelations(rule.reach) >> unsigned(*membership.relation) & 1) ||
                    !rule.guard.holds(expected.flags | expected.facts | membership.nodeFlags))
                  continue;
                if (h < wantRole || (h == wantRole && m < wantMembership)) {
                  wantRole = h;
                  wantMembership = m;
                }
              }
          }
        }
      }
      const bool same = (got.allowed != 0) == (wantReason == LATTICE_REASON_ALLOWED) &&
                        got.reason == wantReason &&
                        (!compareRole || (got.deciding_role == wantRole &&
                                          got.deciding_membership == wantMembership));
      if (same)
        continue;
      std::string text = "memberships of kind " + model.kinds[expected.kind].name + " for " +
                         model.permissions[expected.permission].name + ":";
      for (const reference::Membership &m : expected.memberships) {
        text += " {";
        for (sema::RoleId r : m.roles)
          text += " " + model.roles[r].name;
        text += std::string(" } ") + (m.relation ? sema::relationName(*m.relation) : "none");
      }
      add(TableVsReference,
          text + ": want reason " + std::to_string(wantReason) + " role " + roleName(wantRole) +
              " membership " + std::to_string(int(wantMembership)) + "; table reason " +
              std::to_string(got.reason) + " role " + roleName(got.deciding_role) + " membership " +
              std::to_string(int(got.deciding_membership)));
    }
  }

  /// The request of checkMemberships through principal handles (lattice_decide_as): every field
  /// equal to lattice_decide_access's, for its target and for 3 more random targets and
  /// permissions of the same principal, with nodes by path and again by label (the labels of the
  /// same forest, from lattice_label_tree).
  void checkPrincipal(const lattice_table *table, const lattice_access_request &request,
                      const ConcreteTree &forest, Rng &rng) {
    const uint32_t nodes = uint32_t(forest.size());
    std::vector<int64_t> parents(forest.parent.begin(), forest.parent.end());
    std::vector<lattice_node_label> labels(nodes);
    if (lattice_label_tree(parents.data(), nodes, labels.data(), nullptr) != LATTICE_LABEL_OK) {
      add(Setup, "the forest of a membership request does not label");
      return;
    }
    // The node of a path: the one its last id names (ConcreteTree::path).
    auto labelOf = [&](const uint64_t *ids, uint32_t depth) {
      lattice_node_ref ref{};
      ref.label = labels[ConcreteTree::nodeOfId(ids[depth - 1])];
      return ref;
    };
    std::vector<lattice_access_request> asked{request};
    std::vector<std::vector<uint64_t>> otherTargets;
    for (int extra = 0; extra < 3; ++extra)
      otherTargets.push_back(forest.path(rng.between(0, nodes - 1)));
    for (const std::vector<uint64_t> &path : otherTargets) {
      lattice_access_request other = request;
      other.permission = rng.between(0, uint32_t(model.permissions.size()) - 1);
      other.target.path = {path.data(), uint32_t(path.size())};
      // Other facts for the same principal: the handle keeps nothing of a request's facts.
      if (const sema::FlagMask facts = model.factMask(); facts != 0)
        other.facts = (request.facts & ~facts) | (rng.next() & facts);
      asked.push_back(other);
    }
    for (const bool byLabel : {false, true}) {
      std::vector<lattice_membership> ms(request.memberships,
                                         request.memberships + request.membership_count);
      if (byLabel)
        for (lattice_membership &m : ms)
          m.node = labelOf(m.node.path.ids, m.node.path.depth);
      lattice_principal *principal = nullptr;
      const lattice_principal_status status = lattice_principal_new(
          table, request.kind, request.flags, ms.data(), uint32_t(ms.size()), &principal);
      // A flag of the wrong side (the request generator sends some) refuses the principal, as
      // lattice_decide_access refuses each of its requests.
      const bool sides =
          status == LATTICE_PRINCIPAL_BAD_FLAGS || status == LATTICE_PRINCIPAL_BAD_NODE_FLAGS;
      if (sides && lattice_decide_access(table, &request).reason == LATTICE_REASON_BAD_REQUEST)
        continue;
      if (status != LATTICE_PRINCIPAL_OK) {
        add(TableVsReference, std::string("a principal handle is refused: ") +
                                  lattice_principal_status_message(status));
        continue;
      }
      for (lattice_access_request q : asked) {
        q.memberships = ms.data();
        if (byLabel)
          q.target = labelOf(q.target.path.ids, q.target.path.depth);
        const lattice_access_decision want = lattice_decide_access(table, &q);
        const lattice_access_decision got =
            lattice_decide_as(principal, q.permission, q.target, q.facts);
        ++principalChecks;
        if (got.allowed == want.allowed && got.reason == want.reason &&
            got.deciding_role == want.deciding_role &&
            got.deciding_membership == want.deciding_membership)
          continue;
        add(TableVsReference, std::string("principal handle (") + (byLabel ? "labels" : "paths") +
                                  ") for " + model.permissions[q.permission].name +
                                  ": lattice_decide_as reason " + std::to_string(got.reason) +
                                  " role " + roleName(got.deciding_role) + " membership " +
                                  std::to_string(int(got.deciding_membership)) +
                                  "; lattice_decide_access reason " + std::to_string(want.reason) +
                                  " role " + roleName(want.deciding_role) + " membership " +
                                  std::to_string(int(want.deciding_membership)));
      }
      lattice_principal_free(principal);
    }
  }

  /// lattice_can_assign and lattice_can_assign_with against the reference (reference::canAssign):
  /// `target` is not locked and a held role (not the roles it extends) lists it in `assigns`,
  /// unconditionally, or (with the assigner's flags) under a condition they satisfy. Every set
  /// of 0-3 roles, every target, every flag set (up to 2^6 of them, else a sample).
  void checkDelegation(const lattice_table *table) {
    const uint32_t n = model.roles.size();
    std::vector<std::vector<uint32_t>> sets{{}};
    for (uint32_t a = 0; a < n; ++a) {
      sets.push_back({a});
      for (uint32_t b = a + 1; b < n; ++b) {
        sets.push_back({a, b});
        for (uint32_t c = b + 1; c < n; ++c)
          sets.push_back({a, b, c});
      }
    }
    const size_t flagCount = model.flags.size();
    std::vector<sema::FlagMask> flagSets;
    if (flagCount <= 6) {
      for (sema::FlagMask m = 0; m < (sema::FlagMask{1} << flagCount); ++m)
        flagSets.push_back(m);
    } else {
      Rng rng(seed ^ 0xA551);
      const sema::FlagMask all = flagCount >= 64 ? ~0ull : (1ull << flagCount) - 1;
      for (int i = 0; i < 64; ++i)
        flagSets.push_back(rng.next() & all);
    }
    auto report = [&](const std::vector<uint32_t> &held, uint32_t target, const std::string &how,
                      bool expected, int got) {
      std::string names;
      for (uint32_t role : held)
        names += (names.empty() ? "" : ", ") + model.roles[role].name;
      add(TableVsReference, how + "({" + names + "}, " + model.roles[target].name + "): model " +
                                (expected ? "yes" : "no") + ", table " + (got ? "yes" : "no"));
    };
    for (const auto &held : sets)
      for (uint32_t target = 0; target < n; ++target) {
        const bool expected = reference::canAssign(model, held, target, std::nullopt);
        const int got = lattice_can_assign(table, held.data(), uint32_t(held.size()), target);
        if ((got != 0) != expected)
          report(held, target, "can_assign", expected, got);
        for (sema::FlagMask flags : flagSets) {
          const bool want = reference::canAssign(model, held, target, flags);
          const int with =
              lattice_can_assign_with(table, held.data(), uint32_t(held.size()), target, flags);
          if ((with != 0) != want)
            report(held, target, "can_assign_with flags " + std::to_string(flags), want, with);
        }
      }
  }

  std::string roleName(uint32_t role) const {
    return role == LATTICE_NO_ID ? "none" : model.roles[role].name;
  }

#ifdef LATTICE_DIFF_WITH_ANALYZER
  bool isInSpace(size_t i) const {
    return inSpace(model, space, requests[i].seat, requests[i].request);
  }

  void checkFindings() {
    const size_t rules = model.rules.size();
    const size_t perms = model.permissions.size();
    const size_t roles = model.roles.size();
    // What the reference shows over the whole space.
    std::vector<bool> decides(rules, false), pivotal(rules, false), allowedSomewhere(perms, false);
    // allowedAlone[(role * perms + perm) * 4 + rel]: {role} alone is allowed somewhere.
    std::vector<bool> allowedAlone(roles * perms * sema::kRelationCount, false);
    std::set<std::pair<uint32_t, uint32_t>> coMatching; // (allow rule, deny rule)
    for (size_t i = 0; i < requests.size(); ++i) {
      if (!isInSpace(i))
        continue;
      const Decision &d = decisions[i];
      const reference::Request &q = requests[i].request;
      for (uint32_t r : d.matchingDenies)
        decides[r] = true;
      if (d.allowed) {
        for (uint32_t r : d.matchingAllows)
          decides[r] = true;
        allowedSomewhere[q.permission] = true;
        if (q.roles.size() == 1)
          allowedAlone[(q.roles[0] * perms + q.permission) * sema::kRelationCount +
                       unsigned(q.relation)] = true;
      }
      if (d.matchingDenies.size() == 1 && !d.matchingAllows.empty())
        pivotal[d.matchingDenies[0]] = true;
      if (d.matchingDenies.empty() && d.matchingAllows.size() == 1)
        pivotal[d.matchingAllows[0]] = true;
      for (uint32_t a : d.matchingAllows)
        for (uint32_t n : d.matchingDenies)
          coMatching.insert({a, n});
    }

    // The same over requests with two memberships at distinct nodes.
    collectPairs();
    for (uint32_t r = 0; r < rules; ++r)
      decides[r] = decides[r] || (pairFacts.decides >> r & 1);
    for (uint32_t p = 0; p < perms; ++p)
      allowedSomewhere[p] = allowedSomewhere[p] || pairFacts.allowed[p];
    for (const auto &[pair, example] : pairFacts.coMatching)
      coMatching.insert(pair);

    std::vector<analysis::Finding> findings = analysis::analyze(model);
    inject(findings, decides, pivotal, allowedSomewhere);
    std::vector<bool> unreachable(rules, false), redundant(rules, false), dead(perms, false);
    std::set<uint32_t> conflictedDenies;
    std::set<std::pair<uint32_t, uint32_t>> escalations;
    std::set<std::tuple<uint32_t, uint32_t, uint32_t>> forced;
    std::set<std::pair<uint32_t, uint32_t>> lockedAssigned, deprecatedAssigned;
    for (const analysis::Finding &f : findings) {
      switch (f.kind) {
      case DiagKind::UnreachableRule:
        for (uint32_t r : f.rules)
          unreachable.at(r) = true;
        for (uint32_t r : f.rules)
          if (decides[r])
            add(FalseAlarm, "unreachable " + rule(r) + " decides " + decidedExample(r));
        break;
      case DiagKind::RedundantRule:
        for (uint32_t r : f.rules)
          redundant.at(r) = true; // checked below, in rule order (the claim is cumulative)
        break;
      case DiagKind::DeadPermission:
        if (!f.permission) {
          add(FalseAlarm, "dead-permission finding without a permission: " + f.message);
          break;
        }
        dead.at(*f.permission) = true;
        if (allowedSomewhere[*f.permission])
          add(FalseAlarm, "dead permission " + model.permissions[*f.permission].name +
                              " is allowed: " + allowedExample(*f.permission));
        break;
      case DiagKind::Conflict:
        checkConflict(f);
        for (uint32_t r : f.rules)
          if (r < rules && model.rules[r].effect == sema::Effect::Deny)
            conflictedDenies.insert(r);
        break;
      case DiagKind::PrivilegeEscalation:
        checkEscalation(f, allowedAlone);
        if (f.roles.size() == 2)
          escalations.insert({f.roles[0], f.roles[1]});
        break;
      case DiagKind::ExclusiveRolesForced:
        checkForced(f);
        if (f.roles.size() == 3)
          forced.insert(
              {f.roles[0], std::min(f.roles[1], f.roles[2]), std::max(f.roles[1], f.roles[2])});
        break;
      case DiagKind::LockedRoleAssigned:
      case DiagKind::DeprecatedRoleAssigned:
        checkLifecycle(f);
        if (f.roles.size() == 2)
          (f.kind == DiagKind::LockedRoleAssigned ? lockedAssigned : deprecatedAssigned)
              .insert({f.roles[0], f.roles[1]});
        break;
      default:
        break;
      }
    }

    // Redundancy is claimed cumulatively (analyzer.h): removing a rule together with every rule
    // reported unreachable or redundant before it (in rule order) changes no decision; and a
    // rule not reported changes some decision when removed after those.
    std::vector<bool> removed(rules, false);
    for (uint32_t r = 0; r < rules; ++r) {
      if (redundant[r])
        checkRedundant(r, removed);
      else if (!unreachable[r] && !model.rules[r].permissions.empty() &&
               !model.rules[r].guard.isNever() && !removalMatters(r, removed))
        add(Miss, "unreported redundant: removing " + rule(r) +
                      " (after the rules reported before it) changes no decision");
      if (redundant[r] || unreachable[r])
        removed[r] = true;
    }

    // (f) the other way: what the reference shows and no finding says.
    for (uint32_t r = 0; r < rules; ++r) {
      // A rule that names no permission (sema's L0210) or whose condition never holds (L0214)
      // is already reported by sema; the analyzer need not repeat it.
      if (model.rules[r].permissions.empty() || model.rules[r].guard.isNever())
        continue;
      if (!unreachable[r] && !decides[r])
        add(Miss, "unreported unreachable: " + rule(r) + " decides no request");
    }
    for (uint32_t p = 0; p < perms; ++p)
      if (!dead[p] && !allowedSomewhere[p])
        add(Miss, "unreported dead permission " + model.permissions[p].name);
    // Conflicts are reported once per deny (with one allow as the claim, more as notes): every
    // deny that meets some allow on a request needs a finding.
    std::set<uint32_t> conflictingDenies;
    for (auto [a, d] : coMatching) {
      if (conflictedDenies.count(d) || !conflictingDenies.insert(d).second)
        continue;
      add(Miss,
          "unreported conflict: " + rule(a) + " and " + rule(d) + " match " + coMatchExample(a, d));
    }
    for (sema::RoleId a = 0; a < roles; ++a)
      for (sema::RoleId b : model.roles[a].assigns) {
        if (model.roles[b].locked && !lockedAssigned.count({a, b}))
          add(Miss,
              "unreported: " + model.roles[a].name + " assigns locked " + model.roles[b].name);
        // A role both locked and deprecated is reported as locked (the stronger problem).
        if (model.roles[b].deprecated && !model.roles[b].locked &&
            !deprecatedAssigned.count({a, b}))
          add(Miss,
              "unreported: " + model.roles[a].name + " assigns deprecated " + model.roles[b].name);
        if (escalations.count({a, b}) || !assignPossible(a, b))
          continue;
        // A right is a permission held at some relation; it counts only where the permission
        // applies to a user type of the assigner (see analyzer.h).
        auto holds = [&](sema::RoleId role, size_t p) {
          for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
            if (allowedAlone[(role * perms + p) * sema::kRelationCount + rel])
              return true;
          return bool(pairFacts.allowedAlone[role * perms + p]);
        };
        for (size_t p = 0; p < perms; ++p)
          if ((model.permissions[p].applicableKinds & model.roles[a].kinds) && holds(b, p) &&
              !holds(a, p)) {
            add(Miss, "unreported escalation: " + model.roles[a].name + " assigns " +
                          model.roles[b].name + ", which alone holds " + model.permissions[p].name);
            break;
          }
      }
    allowedAloneAtSomeRelation = std::move(allowedAlone);
    // One finding per role that carries two roles of an exclusive set (the first pair).
    for (sema::RoleId r = 0; r < roles; ++r) {
      bool reported = false;
      for (auto [role, a, b] : forced)
        reported |= role == r;
      for (const sema::ExclusiveSet &set : model.exclusives)
        for (size_t i = 0; i < set.roles.size() && !reported; ++i)
          for (size_t k = i + 1; k < set.roles.size() && !reported; ++k)
            if (closure[r][set.roles[i]] && closure[r][set.roles[k]]) {
              add(Miss, "unreported: " + model.roles[r].name + " carries exclusive " +
                            model.roles[set.roles[i]].name + " and " +
                            model.roles[set.roles[k]].name);
              reported = true;
            }
    }
  }

  /// The first rule, in rule order, not reported unreachable or redundant by `findings` for
  /// which `chosen(rule, removed)` holds, `removed` marking the rules reported before it (the
  /// cumulative definition of redundancy).
  template <typename Chosen>
  std::optional<uint32_t> firstUnreported(const std::vector<analysis::Finding> &findings,
                                          Chosen chosen) {
    std::vector<bool> removed(model.rules.size(), false);
    for (uint32_t r = 0; r < model.rules.size(); ++r) {
      bool reported = std::any_of(findings.begin(), findings.end(), [&](const auto &g) {
        return (g.kind == DiagKind::RedundantRule || g.kind == DiagKind::UnreachableRule) &&
               !g.rules.empty() && g.rules[0] == r;
      });
      if (reported)
        removed[r] = true;
      else if (chosen(r, removed))
        return r;
    }
    return std::nullopt;
  }

  /// Adds one false finding of the kind `mutation` names, if this policy has material for it.
  void inject(std::vector<analysis::Finding> &findings, const std::vector<bool> &decides,
              const std::vector<bool> &pivotal, const std::vector<bool> &allowedSomewhere) {
    analysis::Finding f;
    switch (mutation) {
    case Mutation::Unreachable: {
      auto it = std::find(decides.begin(), decides.end(), true);
      if (it == decides.end())
        return;
      f.kind = DiagKind::UnreachableRule;
      f.rules = {uint32_t(it - decides.begin())};
      break;
    }
    case Mutation::Redundant: {
      // A false claim under the cumulative definition: a rule whose removal, after the rules
      // really reported before it, changes a decision.
      std::optional<uint32_t> pick =
          firstUnreported(findings, [&](uint32_t r, const std::vector<bool> &removed) {
            return pivotal[r] && removalMatters(r, removed);
          });
      if (!pick)
        return;
      f.kind = DiagKind::RedundantRule;
      f.rules = {*pick};
      break;
    }
    case Mutation::Dead: {
      auto it = std::find(allowedSomewhere.begin(), allowedSomewhere.end(), true);
      if (it == allowedSomewhere.end())
        return;
      f.kind = DiagKind::DeadPermission;
      f.permission = sema::PermissionId(it - allowedSomewhere.begin());
      break;
    }
    case Mutation::Conflict:
    case Mutation::Escalation:
      // An allowed single-role request: claim a deny meets its allow (conflict), or that the
      // role gains the right by assigning itself (escalation: it holds what it "gains").
      for (size_t i = 0; i < requests.size(); ++i) {
        const Decision &d = decisions[i];
        const reference::Request &q = requests[i].request;
        if (!isInSpace(i) || !d.allowed || q.roles.size() != 1)
          continue;
        f.witness = analysis::Witness::single(space, requests[i].seat, q.roles, q.permission,
                                              q.relation, q.flags);
        if (mutation == Mutation::Escalation) {
          f.kind = DiagKind::PrivilegeEscalation;
          f.roles = {q.roles[0], q.roles[0]};
          break;
        }
        for (uint32_t r = 0; r < model.rules.size() && f.rules.empty(); ++r)
          if (model.rules[r].effect == sema::Effect::Deny)
            f.rules = {d.matchingAllows[0], r};
        if (f.rules.empty())
          return;
        f.kind = DiagKind::Conflict;
        break;
      }
      if (!f.witness)
        return;
      break;
    case Mutation::EscalationCondition:
      // A role that is allowed something alone, assigned by a role under a condition that never
      // holds for its holders: a delegation that cannot happen, claimed as an escalation.
      for (size_t i = 0; i < requests.size() && !f.witness; ++i) {
        const reference::Request &q = requests[i].request;
        if (!isInSpace(i) || !decisions[i].allowed || q.roles.size() != 1)
          continue;
        for (sema::RoleId a = 0; a < model.roles.size() && !f.witness; ++a)
          if (model.roles[a].assignGuard(q.roles[0]) && !assignPossible(a, q.roles[0])) {
            f.witness = analysis::Witness::single(space, requests[i].seat, q.roles, q.permission,
                                                  q.relation, q.flags);
            f.kind = DiagKind::PrivilegeEscalation;
            f.roles = {a, q.roles[0]};
          }
      }
      if (!f.witness)
        return;
      break;
    case Mutation::ConflictMemberships: {
      // A real meeting through two memberships, its witness moved where no tree puts two
      // distinct nodes: both memberships at the target itself.
      if (pairFacts.coMatching.empty())
        return;
      const auto &[rules, q] = *pairFacts.coMatching.begin();
      f.kind = DiagKind::Conflict;
      f.rules = {rules.first, rules.second};
      f.witness = analysis::Witness{q.kind,
                                    q.principalFlags,
                                    {{q.a.scope, {q.a.role}, sema::Relation::Same, q.a.nodeFlags},
                                     {q.b.scope, {q.b.role}, sema::Relation::Same, q.b.nodeFlags}},
                                    q.permission,
                                    q.target};
      break;
    }
    case Mutation::RedundantMemberships: {
      // A deny that changes a decision only beside another membership, claimed redundant.
      std::optional<uint32_t> pick =
          firstUnreported(findings, [&](uint32_t r, const std::vector<bool> &removed) {
            return model.rules[r].effect == sema::Effect::Deny && pairRemovalMatters(r, removed) &&
                   !singleRemovalMatters(r, removed);
          });
      if (!pick)
        return;
      f.kind = DiagKind::RedundantRule;
      f.rules = {*pick};
      break;
    }
    default:
      return;
    }
    f.message = "injected by --mutate";
    findings.push_back(std::move(f));
    injected = true;
  }

  std::string decidedExample(uint32_t r) const {
    for (size_t i = 0; i < requests.size(); ++i) {
      if (!isInSpace(i))
        continue;
      const Decision &d = decisions[i];
      bool denies = std::count(d.matchingDenies.begin(), d.matchingDenies.end(), r) != 0;
      bool allows =
          d.allowed && std::count(d.matchingAllows.begin(), d.matchingAllows.end(), r) != 0;
      if (denies || allows)
        return describe(model, requests[i].seat, requests[i].request) + " -> " + describe(d);
    }
    for (const auto &[outcome, q] : pairFacts.outcomes) {
      const auto [allows, denies] = outcome;
      if ((denies >> r & 1) || (denies == 0 && (allows >> r & 1)))
        return q.describe(model) + " -> " + describe(reference::decide(model, q.toReference()));
    }
    return "?";
  }

  std::string allowedExample(sema::PermissionId p) const {
    for (size_t i = 0; i < requests.size(); ++i)
      if (isInSpace(i) && decisions[i].allowed && requests[i].request.permission == p)
        return describe(model, requests[i].seat, requests[i].request);
    for (const auto &[outcome, q] : pairFacts.outcomes)
      if (q.permission == p && outcome.second == 0 && outcome.first != 0)
        return q.describe(model);
    return "?";
  }

  std::string coMatchExample(uint32_t a, uint32_t n) const {
    for (size_t i = 0; i < requests.size(); ++i) {
      const Decision &d = decisions[i];
      if (isInSpace(i) && std::count(d.matchingAllows.begin(), d.matchingAllows.end(), a) &&
          std::count(d.matchingDenies.begin(), d.matchingDenies.end(), n))
        return describe(model, requests[i].seat, requests[i].request);
    }
    auto pair = pairFacts.coMatching.find({a, n});
    if (pair != pairFacts.coMatching.end())
      return pair->second.describe(model) + " (two memberships)";
    return "?";
  }

  /// Whether removing `r` as well as the `removed` rules changes some decision.
  bool removalMatters(uint32_t r, const std::vector<bool> &removed) const {
    return singleRemovalMatters(r, removed) || pairRemovalMatters(r, removed) != nullptr;
  }

  /// removalMatters() over the requests with one node.
  bool singleRemovalMatters(uint32_t r, const std::vector<bool> &removed) const {
    std::vector<bool> withR = removed;
    withR[r] = true;
    for (size_t i = 0; i < requests.size(); ++i)
      if (isInSpace(i) && reference::decide(model, requests[i].request, removed).allowed !=
                              reference::decide(model, requests[i].request, withR).allowed)
        return true;
    return false;
  }

  static uint64_t maskOf(const std::vector<bool> &rules) {
    uint64_t mask = 0;
    for (size_t r = 0; r < rules.size() && r < 64; ++r)
      mask |= uint64_t(rules[r]) << r;
    return mask;
  }

  /// A two-membership request whose decision removing `r` as well as the `removed` rules
  /// changes (from the distinct outcomes the enumeration saw), if any.
  const PairRequest *pairRemovalMatters(uint32_t r, const std::vector<bool> &removed) const {
    const uint64_t before = ~maskOf(removed), after = before & ~(uint64_t{1} << r);
    auto allowed = [](uint64_t allows, uint64_t denies, uint64_t kept) {
      return (denies & kept) == 0 && (allows & kept) != 0;
    };
    for (const auto &[outcome, q] : pairFacts.outcomes)
      if (allowed(outcome.first, outcome.second, before) !=
          allowed(outcome.first, outcome.second, after))
        return &q;
    return nullptr;
  }

  void checkRedundant(uint32_t r, std::vector<bool> removed) {
    if (const PairRequest *q = pairRemovalMatters(r, removed)) {
      // Confirmed with the reference on that very request.
      std::vector<bool> withR = removed;
      withR[r] = true;
      const reference::PrincipalRequest request = q->toReference();
      const Decision with = reference::decide(model, request, removed);
      const Decision without = reference::decide(model, request, withR);
      add(with.allowed != without.allowed ? FalseAlarm : Setup,
          "redundant " + rule(r) + " changes " + q->describe(model) + ": with " + describe(with) +
              ", without " + describe(without));
      return;
    }
    removed[r] = true;
    for (size_t i = 0; i < requests.size(); ++i) {
      if (!isInSpace(i))
        continue;
      Decision without = reference::decide(model, requests[i].request, removed);
      if (without.allowed != decisions[i].allowed) {
        add(FalseAlarm, "redundant " + rule(r) + " changes " +
                            describe(model, requests[i].seat, requests[i].request) + ": with " +
                            describe(decisions[i]) + ", without " + describe(without));
        return;
      }
    }
  }

  /// Enumerates the two-membership requests (membership_pairs.h) and keeps what the checks
  /// need; every 61st request is re-decided with reference::decide, which must agree with the
  /// composed decision.
  void collectPairs() {
    const size_t perms = model.permissions.size();
    pairFacts = PairFacts{};
    pairFacts.allowed.assign(perms, false);
    pairFacts.allowedAlone.assign(model.roles.size() * perms, false);
    PairRequests pairs(model, space);
    if (!pairs.usable()) {
      add(Setup, "more than 64 rules: requests with two memberships not checked");
      return;
    }
    size_t seen = 0;
    pairs.forEach([&](const PairRequest &q, const PairDecision &d) {
      if (seen++ % 61 == 0)
        verifyPair(q, d);
      if (!d.gatesPass)
        return;
      ++pairFacts.count;
      pairFacts.decides |= d.denies | (d.allowed() ? d.allows : 0);
      for (uint64_t denies = d.denies; denies != 0; denies &= denies - 1)
        for (uint64_t allows = d.allows; allows != 0; allows &= allows - 1)
          pairFacts.coMatching.try_emplace(
              {uint32_t(__builtin_ctzll(allows)), uint32_t(__builtin_ctzll(denies))}, q);
      pairFacts.outcomes.try_emplace({d.allows, d.denies}, q);
      if (d.allowed()) {
        pairFacts.allowed[q.permission] = true;
        if (q.a.role == q.b.role && q.a.role != PairRequest::kNoRole)
          pairFacts.allowedAlone[q.a.role * perms + q.permission] = true;
      }
    });
  }

  void verifyPair(const PairRequest &q, const PairDecision &composed) {
    const Decision d = reference::decide(model, q.toReference());
    const bool gates = d.outcome == Outcome::Allowed || d.outcome == Outcome::DeniedByRule ||
                       d.outcome == Outcome::DeniedByPolicy || d.outcome == Outcome::NoAllow;
    uint64_t allows = 0, denies = 0;
    for (uint32_t r : d.matchingAllows)
      allows |= uint64_t{1} << r;
    for (uint32_t r : d.matchingDenies)
      denies |= uint64_t{1} << r;
    if (gates != composed.gatesPass || d.allowed != composed.allowed() ||
        (gates && (allows != composed.allows || denies != composed.denies)))
      add(Setup, "the composed decision of " + q.describe(model) + " is not the reference's " +
                     describe(d));
  }

  std::string witnessText(const analysis::Witness &w) const {
    auto flags = [&](sema::FlagMask mask) {
      std::string text = "{";
      for (sema::FlagId f = 0; f < model.flags.size(); ++f)
        if (mask >> f & 1)
          text += (text.size() > 1 ? ", " : "") + model.flags[f].name;
      return text + "}";
    };
    auto name = [](const auto &list, size_t i) { return i < list.size() ? list[i].name : "?"; };
    std::string text = name(model.kinds, w.kind) + " " + flags(w.principalFlags) + " " +
                       name(model.permissions, w.permission) + " on " +
                       name(model.scopeKinds, w.target) + ":";
    for (const analysis::WitnessMembership &m : w.memberships) {
      text += " {";
      for (sema::RoleId r : m.roles)
        text += " " + name(model.roles, r);
      text += " }@" + name(model.scopeKinds, m.scope) + " " + sema::relationName(m.relation) + " " +
              flags(m.nodeFlags);
    }
    return text;
  }

  /// Why `w` is not a request of the space (empty if it is): its user type, roles its kind may
  /// hold, flags where they can be set, one or two memberships placed as real trees place them
  /// (the universal tree; the request space where that tree was cut short).
  std::string outsideSpace(const analysis::Witness &w) const {
    const size_t kinds = model.scopeKinds.size();
    if (w.kind >= model.kinds.size() || w.permission >= model.permissions.size() ||
        w.target >= kinds || w.memberships.empty() || w.memberships.size() > 2)
      return "malformed";
    const auto &targets = space.targetKinds(model.permissions[w.permission].resource);
    if (std::find(targets.begin(), targets.end(), w.target) == targets.end())
      return "the target is of a kind the permission's resource never is";
    if (w.principalFlags & ~space.principalFlags(w.kind))
      return "principal flags the user type does not have";
    const auto &seats = space.seats();
    for (const analysis::WitnessMembership &m : w.memberships) {
      if (m.scope >= kinds ||
          std::find(seats.begin(), seats.end(), analysis::Seat{w.kind, m.scope}) == seats.end())
        return "a membership at a kind the user type does not sit at";
      std::vector<sema::RoleId> sorted = m.roles;
      std::sort(sorted.begin(), sorted.end());
      if (sorted.empty() || std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        return "a membership without distinct roles";
      for (sema::RoleId r : m.roles)
        if (r >= model.roles.size() || !(model.roles[r].kinds >> w.kind & 1))
          return "a role the user type cannot hold";
      if (m.nodeFlags & ~space.nodeFlags(m.scope))
        return "node flags its node's kind does not have";
    }
    const analysis::WitnessMembership &a = w.memberships[0];
    if (w.memberships.size() == 1) {
      const bool placed = tree.complete
                              ? placements.single(w.target, a.scope, a.relation)
                              : space.relationsTo(a.scope, w.target) >> unsigned(a.relation) & 1;
      return placed ? "" : "no tree puts the membership there";
    }
    const analysis::WitnessMembership &b = w.memberships[1];
    const bool placed =
        placements.pair(w.target, a.scope, a.relation, b.scope, b.relation) ||
        (!tree.complete && space.apartAt(w.target, a.scope, a.relation, b.scope, b.relation));
    return placed ? "" : "no tree puts two distinct nodes there";
  }

  static reference::PrincipalRequest toReference(const analysis::Witness &w) {
    reference::PrincipalRequest request;
    request.kind = w.kind;
    request.flags = w.principalFlags;
    request.permission = w.permission;
    for (const analysis::WitnessMembership &m : w.memberships)
      request.memberships.push_back({m.roles, m.relation, m.nodeFlags});
    return request;
  }

  void checkConflict(const analysis::Finding &f) {
    if (f.rules.size() != 2 || !f.witness) {
      add(FalseAlarm, "conflict without two rules and a witness: " + f.message);
      return;
    }
    const analysis::Witness &w = *f.witness;
    if (std::string why = outsideSpace(w); !why.empty()) {
      add(FalseAlarm, "conflict witness outside the space (" + why + "): " + witnessText(w));
      return;
    }
    Decision d = reference::decide(model, toReference(w));
    for (uint32_t r : f.rules) {
      const auto &list =
          model.rules.at(r).effect == sema::Effect::Allow ? d.matchingAllows : d.matchingDenies;
      if (!std::count(list.begin(), list.end(), r))
        add(FalseAlarm, "conflict: " + rule(r) + " does not match witness " + witnessText(w) +
                            " -> " + describe(d));
    }
    if (model.rules[f.rules[0]].effect == model.rules[f.rules[1]].effect)
      add(FalseAlarm, "conflict between two rules of the same effect: " + rule(f.rules[0]) + ", " +
                          rule(f.rules[1]));
  }

  /// Whether a holder of `assigner` can have flags (its own and its node's, at a seat of a user
  /// type that may hold it) under which its `assigns` gives `assigned`, by brute force.
  bool assignPossible(sema::RoleId assigner, sema::RoleId assigned) const {
    const sema::Guard *guard = model.roles[assigner].assignGuard(assigned);
    if (!guard)
      return false;
    for (const analysis::Seat &seat : space.seats()) {
      if (!(model.roles[assigner].kinds >> seat.kind & 1))
        continue;
      const sema::FlagMask settable = space.flags(seat);
      sema::FlagMask sub = 0;
      do {
        if (guard->holds(sub))
          return true;
        sub = (sub - settable) & settable;
      } while (sub != 0);
    }
    return false;
  }

  void checkEscalation(const analysis::Finding &f, const std::vector<bool> &allowedAlone) {
    if (f.roles.size() != 2 || !f.witness) {
      add(FalseAlarm, "escalation without two roles and a witness: " + f.message);
      return;
    }
    sema::RoleId assigner = f.roles[0], assigned = f.roles[1];
    const auto &assigns = model.roles.at(assigner).assigns;
    if (!std::count(assigns.begin(), assigns.end(), assigned))
      add(FalseAlarm, "escalation: " + model.roles[assigner].name + " does not assign " +
                          model.roles.at(assigned).name);
    else if (!assignPossible(assigner, assigned))
      add(FalseAlarm, "escalation: the condition under which " + model.roles[assigner].name +
                          " assigns " + model.roles[assigned].name + " never holds");
    const analysis::Witness &w = *f.witness;
    if (std::string why = outsideSpace(w); !why.empty()) {
      add(FalseAlarm, "escalation witness outside the space (" + why + "): " + witnessText(w));
      return;
    }
    if (w.memberships.size() != 1 || w.memberships[0].roles != std::vector<sema::RoleId>{assigned})
      add(FalseAlarm,
          "escalation witness does not hold the assigned role alone: " + witnessText(w));
    Decision d = reference::decide(model, toReference(w));
    if (!d.allowed)
      add(FalseAlarm, "escalation: assigned role " + model.roles[assigned].name +
                          " alone is not allowed at the witness " + witnessText(w) + " -> " +
                          describe(d));
    for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
      if (allowedAlone[(assigner * model.permissions.size() + w.permission) * sema::kRelationCount +
                       rel])
        add(FalseAlarm, "escalation: assigner " + model.roles[assigner].name +
                            " alone is allowed " + model.permissions[w.permission].name + " at " +
                            sema::relationName(sema::Relation(rel)) + " somewhere");
    if (pairFacts.allowedAlone[assigner * model.permissions.size() + w.permission])
      add(FalseAlarm, "escalation: assigner " + model.roles[assigner].name +
                          " held at two nodes is allowed " + model.permissions[w.permission].name);
    if (!(model.permissions[w.permission].applicableKinds & model.roles[assigner].kinds))
      add(FalseAlarm, "escalation: " + model.permissions[w.permission].name +
                          " applies to no user type of the assigner " + model.roles[assigner].name);
  }

  void checkForced(const analysis::Finding &f) {
    if (f.roles.size() != 3) {
      add(FalseAlarm, "exclusive-forced finding without three roles: " + f.message);
      return;
    }
    sema::RoleId r = f.roles[0], a = f.roles[1], b = f.roles[2];
    bool together = false;
    for (const sema::ExclusiveSet &set : model.exclusives)
      together |= a != b && std::count(set.roles.begin(), set.roles.end(), a) &&
                  std::count(set.roles.begin(), set.roles.end(), b);
    if (!together || !closure.at(r).at(a) || !closure[r].at(b)) {
      add(FalseAlarm, "exclusive-forced: " + model.roles[r].name + " does not carry exclusive " +
                          model.roles[a].name + " and " + model.roles[b].name);
      return;
    }
    // In requests: `r` held at one node passes the exclusive gate, while `a` and `b` held at
    // two nodes of one tree do not (exclusive is per principal within a tree).
    for (sema::KindId k = 0; k < model.kinds.size(); ++k) {
      if (!(model.roles[r].kinds >> k & 1) || model.permissions.empty())
        continue;
      reference::PrincipalRequest one{k, 0, {{{r}, sema::Relation::Same, 0}}, 0};
      reference::PrincipalRequest two{
          k, 0, {{{a}, sema::Relation::Same, 0}, {{b}, sema::Relation::Descendant, 0}}, 0};
      if (reference::decide(model, one).outcome == Outcome::Exclusive ||
          reference::decide(model, two).outcome != Outcome::Exclusive)
        add(FalseAlarm, "exclusive-forced: the exclusive gate does not tell " +
                            model.roles[r].name + " from " + model.roles[a].name + " and " +
                            model.roles[b].name + " at two nodes");
      break;
    }
  }

  void checkLifecycle(const analysis::Finding &f) {
    if (f.roles.size() != 2) {
      add(FalseAlarm, "lifecycle finding without two roles: " + f.message);
      return;
    }
    const sema::Role &assigner = model.roles.at(f.roles[0]);
    const sema::Role &assigned = model.roles.at(f.roles[1]);
    bool assigns = std::count(assigner.assigns.begin(), assigner.assigns.end(), f.roles[1]);
    bool state = f.kind == DiagKind::LockedRoleAssigned ? assigned.locked : assigned.deprecated;
    if (!assigns || !state)
      add(FalseAlarm, std::string("lifecycle: ") + assigner.name + " assigns " + assigned.name +
                          (assigns ? "" : " (it does not)") +
                          (state ? "" : " (not in that state)"));
  }
#endif

  const sema::Model &model;
  const testing::Compiled &compiled;
  analysis::RequestSpace space;
  Mutation mutation;
  uint64_t seed;
  std::vector<std::vector<bool>> closure; // closure[r][s]: role r carries the rules of s
  static constexpr size_t kTreeNodes = 1500;
  ConcreteTree tree; // every placement of a target and two memberships, by real nodes
  Placements placements;
  std::vector<SpaceRequest> requests;
  std::vector<Decision> decisions;
  /// What the two-membership requests show (collectPairs).
  std::vector<bool> allowedAloneAtSomeRelation; // checkFindings' allowedAlone, for checkCeilings
  struct PairFacts {
    size_t count = 0;
    uint64_t decides = 0;           // rules that decide one of them
    std::vector<bool> allowed;      // per permission
    std::vector<bool> allowedAlone; // [role * permissions + p]: both memberships hold `role`
    /// (allow rule, deny rule) that both match one of them, with the first such request.
    std::map<std::pair<uint32_t, uint32_t>, PairRequest> coMatching;
    /// Each distinct (allows, denies) of the requests that pass the gates, with one request:
    /// what removing rules would change depends on nothing else.
    std::map<std::pair<uint64_t, uint64_t>, PairRequest> outcomes;
  } pairFacts;
  std::vector<Mismatch> mismatches;
  size_t principalChecks = 0;
};

struct SeedResult {
  std::vector<Mismatch> mismatches;
  size_t requests = 0;
  size_t pairs = 0;
  size_t principals = 0;
  size_t customBuilds = 0, customDecisions = 0;
  size_t ceilingFindings[3] = {}; // the analyzer's findings about ceilings checked, by kind
  bool injected = false;
};

SeedResult checkSeed(uint64_t seed, const Options &options, std::string &text) {
  SeedResult result;
  text = generatePolicy(seed);
  auto compiled = testing::compile(text);
  if (!compiled->model || compiled->diags.errors() != 0) {
    result.mismatches.push_back(
        {Setup, "generated policy does not compile:\n" + compiled->describe()});
    return result;
  }
  PolicyCheck check(*compiled->model, *compiled, options.mutation, seed);
  result.mismatches = check.run();
  result.requests = check.requestCount();
  result.pairs = check.pairCount();
  result.principals = check.principalCount();
  result.injected = check.injected;
  // Ceilings added to the policy (own generator): the analyzer's findings about them, and custom
  // roles built within them decided by runtime and reference.
  const bool ceilingMutation = options.mutation == Mutation::CustomEscalation ||
                               options.mutation == Mutation::CeilingConflict;
  if (options.mutation == Mutation::None || ceilingMutation) {
    text += ceilingsFor(seed, *compiled->model);
    auto withCeilings = testing::compile(text);
    if (!withCeilings->model || withCeilings->diags.errors() != 0) {
      result.mismatches.push_back(
          {Setup, "policy with ceilings does not compile:\n" + withCeilings->describe()});
      return result;
    }
#ifdef LATTICE_DIFF_WITH_ANALYZER
    const CeilingFindingsResult findings = check.checkCeilings(*withCeilings->model);
    for (const std::string &m : findings.falseAlarms)
      result.mismatches.push_back({FalseAlarm, m});
    for (const std::string &m : findings.misses)
      result.mismatches.push_back({Miss, m});
    result.ceilingFindings[0] = findings.escalations;
    result.ceilingFindings[1] = findings.spans;
    result.ceilingFindings[2] = findings.conflicts;
    result.injected = check.injected;
    if (ceilingMutation)
      return result;
#endif
    const CustomRolesResult custom = checkCustomRoles(seed, *withCeilings->model);
    result.customBuilds = custom.builds;
    result.customDecisions = custom.decisions;
    for (const std::string &m : custom.mismatches)
      result.mismatches.push_back({TableVsReference, m});
  }
  if (!options.checkMisses)
    std::erase_if(result.mismatches, [](const Mismatch &m) { return m.category == Miss; });
  return result;
}

bool parseNumber(const char *text, uint64_t &value) {
  char *end = nullptr;
  errno = 0;
  value = std::strtoull(text, &end, 0);
  return errno == 0 && end != text && *end == '\0';
}

int usage() {
  std::fprintf(stderr,
               "usage: lattice_diff_test [--seed N] [--count N] [--long] [--repro SEED]\n"
               "                         [--out DIR] [--no-miss-checks] [--verbose]\n"
               "  --seed N        first seed (default 1)\n"
               "  --count N       number of policies (default 10000)\n"
               "  --long          200000 policies\n"
               "  --repro SEED    one policy: print it, write DIR/diff_SEED.lat, list mismatches\n"
               "  --no-miss-checks  do not count analyzer misses as failures\n"
               "  --mutate KIND   self-test: inject a known bug (table, unreachable, redundant,\n"
               "                  dead, conflict, escalation, conflict-memberships,\n"
               "                  redundant-memberships, escalation-condition,\n"
               "                  custom-escalation, ceiling-conflict); succeeds iff\n"
               "                  the checks catch it\n");
  return 2;
}

} // namespace
} // namespace lattice::difftest

int main(int argc, char **argv) {
  using namespace lattice::difftest;
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto number = [&](uint64_t &value) { return i + 1 < argc && parseNumber(argv[++i], value); };
    if (arg == "--seed" && number(options.seed))
      continue;
    if (arg == "--count" && number(options.count))
      continue;
    if (arg == "--repro" && number(options.seed)) {
      options.repro = true;
      options.count = 1;
      continue;
    }
    if (arg == "--long") {
      options.count = 200000;
      continue;
    }
    if (arg == "--out" && i + 1 < argc) {
      options.outDir = argv[++i];
      continue;
    }
    if (arg == "--no-miss-checks") {
      options.checkMisses = false;
      continue;
    }
    if (arg == "--mutate" && i + 1 < argc) {
      std::string name = argv[++i];
      auto it = std::find(std::begin(kMutationNames), std::end(kMutationNames), name);
      if (it == std::end(kMutationNames))
        return usage();
      options.mutation = Mutation(it - std::begin(kMutationNames));
      continue;
    }
    if (arg == "--verbose") {
      options.verbose = true;
      continue;
    }
    return usage();
  }
#ifdef LATTICE_DIFF_WITH_ANALYZER
  const bool withAnalyzer = true;
#else
  const bool withAnalyzer = false;
#endif
  auto start = std::chrono::steady_clock::now();
  uint64_t passed = 0, failed = 0, requests = 0, pairRequests = 0, principalDecisions = 0;
  uint64_t customBuilds = 0, customDecisions = 0, ceilingFindings[3] = {};
  uint64_t byCategory[CategoryCount] = {};
  uint64_t injected = 0, caught = 0; // --mutate
  const Category expected = options.mutation == Mutation::Table ? TableVsReference : FalseAlarm;
  for (uint64_t n = 0; n < options.count; ++n) {
    uint64_t seed = options.seed + n;
    std::string text;
    SeedResult result = checkSeed(seed, options, text);
    requests += result.requests;
    pairRequests += result.pairs;
    principalDecisions += result.principals;
    customBuilds += result.customBuilds;
    customDecisions += result.customDecisions;
    for (int k = 0; k < 3; ++k)
      ceilingFindings[k] += result.ceilingFindings[k];
    if (options.mutation != Mutation::None) {
      injected += result.injected;
      caught += std::any_of(result.mismatches.begin(), result.mismatches.end(),
                            [&](const Mismatch &m) { return m.category == expected; });
      continue;
    }
    if (options.repro) {
      std::printf("// seed %llu\n%s\n", (unsigned long long)seed, text.c_str());
      std::string path = options.outDir + "/diff_" + std::to_string(seed) + ".lat";
      std::ofstream(path) << "// lattice_diff_test --repro " << seed << "\n" << text;
      std::printf("written to %s; %zu requests checked, %zu with two memberships\n", path.c_str(),
                  result.requests, result.pairs);
    }
    if (result.mismatches.empty()) {
      ++passed;
      continue;
    }
    ++failed;
    size_t counts[CategoryCount] = {};
    for (const Mismatch &m : result.mismatches)
      ++counts[m.category];
    for (int c = 0; c < CategoryCount; ++c)
      byCategory[c] += counts[c];
    std::printf("seed %llu FAILED:", (unsigned long long)seed);
    for (int c = 0; c < CategoryCount; ++c)
      if (counts[c])
        std::printf(" %zu %s", counts[c], kCategoryNames[c]);
    std::printf(" (reproduce: lattice_diff_test --repro %llu)\n", (unsigned long long)seed);
    size_t shown = 0;
    for (const Mismatch &m : result.mismatches) {
      if (!options.repro && !options.verbose && ++shown > 3) {
        std::printf("  ... %zu more\n", result.mismatches.size() - 3);
        break;
      }
      std::printf("  [%s] %s\n", kCategoryNames[m.category], m.text.c_str());
    }
    std::fflush(stdout);
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("seeds %llu..%llu, %llu requests (and %llu with two memberships, %llu through "
              "principal handles), analyzer checks %s, %.1f s\n",
              (unsigned long long)options.seed,
              (unsigned long long)(options.seed + options.count - 1), (unsigned long long)requests,
              (unsigned long long)pairRequests, (unsigned long long)principalDecisions,
              withAnalyzer ? "on" : "off (analyze() not linked)", seconds);
  std::printf("custom roles: %llu built or refused, %llu decisions with them; analyzer findings "
              "about ceilings checked: %llu L1410, %llu L1510, %llu L1001\n",
              (unsigned long long)customBuilds, (unsigned long long)customDecisions,
              (unsigned long long)ceilingFindings[0], (unsigned long long)ceilingFindings[1],
              (unsigned long long)ceilingFindings[2]);
  if (options.mutation != Mutation::None) {
    // Every injected false finding must be caught; a table bug at least somewhere.
    bool ok = options.mutation == Mutation::Table ? caught > 0 : injected > 0 && caught == injected;
    if (options.mutation == Mutation::Table)
      std::printf(
          "mutation table (reference ignores `when`): caught in %llu of %llu policies: %s\n",
          (unsigned long long)caught, (unsigned long long)options.count,
          ok ? "the checks work" : "NOT CAUGHT");
    else
      std::printf("mutation %s: injected into %llu policies, caught in %llu: %s\n",
                  kMutationNames[int(options.mutation)], (unsigned long long)injected,
                  (unsigned long long)caught, ok ? "the checks work" : "NOT CAUGHT");
    return ok ? 0 : 1;
  }
  if (failed) {
    std::printf("mismatches:");
    for (int c = 0; c < CategoryCount; ++c)
      std::printf(" %llu %s", (unsigned long long)byCategory[c], kCategoryNames[c]);
    std::printf("\n");
  }
  std::printf("%llu passed, %llu failed\n", (unsigned long long)passed, (unsigned long long)failed);
  return failed ? 1 : 0;
}
