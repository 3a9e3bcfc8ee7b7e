// who_can.h - "who can do this": for a permission (optionally at some relations, under given
// flags), the roles that can be allowed it, with the allowing rules and the exact conditions,
// the custom-role ceilings that hold it, the user types, and every deny that can take it away.
// Decided on the checked model by the review gate's exact symbolic decision (diff/), for audits
// and access reviews (`lattice who-can`); any server or LSP can ask the same.
#pragma once

#include "base/source_manager.h"
#include "sema/model.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::access {

struct WhoCanQuery {
  sema::PermissionId permission = 0;
  sema::RelationMask relations = 0xF; // the request relations asked about (bit r: Relation r)
  /// When set: exactly these flags hold (every other flag does not); else any flags.
  std::optional<sema::FlagMask> flags;
};

/// A rule as an audit shows it: who declares it, what it does, where it is.
struct RuleSite {
  uint32_t rule = 0;                // index into Model::rules
  std::optional<sema::RoleId> role; // the declaring role; none for a policy-wide deny
  sema::Effect effect = sema::Effect::Allow;
  sema::RelationMask relations = 0; // of the asked ones, those it covers
  std::string condition;            // "" when unconditional: `when` as text
  sema::KindMask kinds = 0;         // user types it applies to (its `for`, else all)
  SourceRange range;
};

/// Where a role is allowed the permission: for one user type and one relation, the flag
/// conditions (a sum of products, each product as text; {""} is "always"; none when the query
/// gave the flags: allowed with exactly those).
struct Allowed {
  sema::KindId kind = 0;
  sema::Relation relation = sema::Relation::Same;
  std::vector<std::string> when; // empty when too many products to render (then `exact` false)
  bool exact = true;
};

struct RoleAnswer {
  sema::RoleId role = 0;
  std::vector<Allowed> allowed; // by user type, then relation
  std::vector<RuleSite> allows; // its rules and those of the roles it extends that allow it
  std::vector<RuleSite> denies; // its own (and extended) denies of it
};

struct CeilingAnswer {
  uint32_t ceiling = 0;     // index into Model::customRoles
  sema::KindMask kinds = 0; // its user types the permission applies to
  sema::RelationMask relations = 0;
  std::vector<SourceRange> sites; // its `allow` lines holding the permission
};

struct WhoCan {
  WhoCanQuery query;
  std::vector<RoleAnswer> roles;         // role id order: roles a principal holding it alone can
                                         // be allowed the permission by
  std::vector<CeilingAnswer> ceilings;   // declaration order
  sema::KindMask userTypes = 0;          // of the roles listed and the ceilings
  std::vector<RuleSite> denies;          // every deny of the permission at the asked relations
  std::vector<SourceRange> requirements; // `require` statements on those user types
};

/// Resolves `--permission`, `--relation` and `--flags` words against the model; false with
/// `error` ("unknown permission `doc.veiw`; did you mean `doc.view`?") for an unknown name.
bool resolveWhoCan(const sema::Model &model, const std::string &permission,
                   const std::optional<std::string> &relation,
                   const std::optional<std::vector<std::string>> &flags, WhoCanQuery &out,
                   std::string &error);

/// The answer. False with `error` only if the symbolic decision ran out of its node budget.
bool whoCan(const sema::Model &model, const WhoCanQuery &query, WhoCan &out, std::string &error);

/// Renderings: deterministic, every name in backticks (text, md) or as JSON strings. `sources`
/// gives locations as FILE:LINE:COLUMN and each rule's line.
std::string renderWhoCanText(const sema::Model &model, const SourceManager &sources,
                             const WhoCan &answer);
std::string renderWhoCanMarkdown(const sema::Model &model, const SourceManager &sources,
                                 const WhoCan &answer);
std::string renderWhoCanJson(const sema::Model &model, const SourceManager &sources,
                             const WhoCan &answer);

} // namespace lattice::access
