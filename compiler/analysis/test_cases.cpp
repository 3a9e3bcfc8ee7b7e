// test_cases.cpp - L1701: a test case that checks requests the request space says never occur:
// flags that can never be set for its user type, or a relation its user type never has to the
// owners of its permissions' resources. Such a case passes or fails on a request no host makes.
#include "analysis/passes.h"

#include <fmt/format.h>

namespace lattice::analysis {
namespace {

std::string scopeList(const sema::Model &m, const std::vector<Seat> &seats) {
  std::string out;
  for (const Seat &seat : seats)
    out += fmt::format("{}`{}`", out.empty() ? "" : " or ", m.scopeKinds[seat.scope].name);
  return out;
}

/// Where a flag can be set: "`account`" or "`staff`, `agent`" (its scope kinds or user types).
std::string flagPlaces(const sema::Model &m, const sema::Flag &flag) {
  std::string out;
  if (flag.onScope)
    for (sema::ScopeKindId s : flag.scopes)
      out += fmt::format("{}`{}`", out.empty() ? "" : ", ", m.scopeKinds[s].name);
  else
    for (sema::KindId k = 0; k < m.kinds.size(); ++k)
      if (flag.kinds >> k & 1)
        out += fmt::format("{}`{}`", out.empty() ? "" : ", ", m.kinds[k].name);
  return out;
}

/// A delegation case with flags: they are the assigner's, its own and its node's, so they must
/// all be settable at one seat of a user type that may hold every role of the case.
void checkAssignCase(const Context &ctx, const sema::TestCase &c, std::vector<Finding> &out) {
  if (c.flags == 0)
    return;
  for (const Seat &seat : ctx.space.seats()) {
    bool holds = true;
    for (sema::RoleId role : c.roles)
      holds = holds && ctx.roleHoldable(role, seat.kind);
    if (holds && (c.flags & ~ctx.space.flags(seat)) == 0)
      return;
  }
  Finding f;
  f.kind = DiagKind::ImpossibleTestCase;
  f.range = c.flagSites.empty() ? c.range : c.flagSites.front().range;
  f.message = "no principal holding these roles can have all of these flags (its own and its "
              "node's), so this case checks an assignment that never occurs";
  f.help = "give the flags of one user type that may hold the roles and of a scope kind it sits at";
  out.push_back(std::move(f));
}

void checkCase(const Context &ctx, const sema::TestCase &c, std::vector<Finding> &out) {
  const sema::Model &m = ctx.model;
  if (c.assigns) {
    checkAssignCase(ctx, c, out);
    return;
  }
  // A case about a principal of the test names its target nodes, whose placement sema checks
  // (L0236).
  if (c.principal)
    return;
  if (c.permissions.empty())
    return; // already L0210
  const std::string &kind = m.kinds[c.kind].name;
  std::vector<Seat> seats, withFlags; // the kind's seats; those where its flags can all be set
  for (const Seat &seat : ctx.space.seats())
    if (seat.kind == c.kind) {
      seats.push_back(seat);
      if ((c.flags & ~ctx.space.flags(seat)) == 0)
        withFlags.push_back(seat);
    }
  if (seats.empty())
    return;
  if (withFlags.empty()) {
    Finding f;
    f.kind = DiagKind::ImpossibleTestCase;
    f.range = c.range;
    for (const sema::TestCase::FlagSite &site : c.flagSites) {
      bool settable = false;
      for (const Seat &seat : seats)
        settable |= (ctx.space.flags(seat) >> site.flag & 1) != 0;
      if (settable)
        continue;
      const sema::Flag &flag = m.flags[site.flag];
      f.range = site.range;
      f.message = fmt::format("flag `{}` can never be set for `{}`, so this case checks requests "
                              "that never occur",
                              flag.name, kind);
      f.help = fmt::format("`{}` is a flag of {}; `{}` sits at {}", flag.name, flagPlaces(m, flag),
                           kind, scopeList(m, seats));
      break;
    }
    if (f.message.empty()) {
      std::string flags;
      for (size_t i = 0; i < c.flagSites.size(); ++i)
        flags += fmt::format("{}`{}`",
                             i == 0                        ? ""
                             : i + 1 == c.flagSites.size() ? " and "
                                                           : ", ",
                             m.flags[c.flagSites[i].flag].name);
      f.message = fmt::format("{} are never set together for `{}` (no scope kind where it sits "
                              "has them all), so this case checks requests that never occur",
                              flags, kind);
      f.help = "split the case, one per scope kind where its flags can be set";
    }
    out.push_back(std::move(f));
    return;
  }
  // Which relations can occur for some of the case's permissions, from a seat with its flags.
  sema::RelationMask possible = 0;
  for (sema::PermissionId p : c.permissions)
    for (const Seat &seat : withFlags)
      possible |= ctx.space.relations(seat.scope, ctx.resourceOf[p]);
  std::string what = c.permissions.size() == 1
                         ? fmt::format("`{}`", m.permissions[c.permissions[0]].name)
                         : std::string("these permissions");
  auto finding = [&](SourceRange at, std::string message) {
    Finding f;
    f.kind = DiagKind::ImpossibleTestCase;
    f.range = at;
    f.message = std::move(message);
    f.help = fmt::format("`{}` sits at {}; the relations that occur come from where it sits and "
                         "the resources' `owned_by`",
                         kind, scopeList(m, seats));
    out.push_back(std::move(f));
  };
  if (c.relationSites.empty()) { // `*`
    if ((possible & c.relations) == 0)
      finding(c.range, fmt::format("no relation occurs for `{}` asking for {}, so this case "
                                   "checks requests that never occur",
                                   kind, what));
    return;
  }
  for (const sema::TestCase::RelationSite &site : c.relationSites)
    if ((site.relations & possible) == 0)
      finding(site.range, fmt::format("`{}` never occurs for `{}` asking for {}, so this part of "
                                      "the case checks requests that never occur",
                                      site.word, kind, what));
}

} // namespace

void findImpossibleTestCases(const Context &ctx, std::vector<Finding> &out) {
  for (const sema::Test &test : ctx.model.tests)
    for (const sema::TestCase &c : test.cases)
      checkCase(ctx, c, out);
}

} // namespace lattice::analysis
