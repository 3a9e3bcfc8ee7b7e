// matrix.h - the role x permission matrix of a checked policy, as `lattice doc` publishes it.
// Every cell is computed with the reference interpreter (one held role), so it is what a decision
// gives.
#pragma once

#include "sema/model.h"

#include <array>
#include <string>
#include <vector>

namespace lattice::doc {

/// Where and when one role may use one permission, for a set of the role's user types that all
/// decide alike.
struct KindAccess {
  sema::KindMask kinds = 0; // the user types (of the role) this variant is for
  bool applicable = true;   // false: the permission does not apply to these user types
  /// Per request relation: the condition on flags under which the request is allowed, given that
  /// every `require` of the user type holds (requirements are listed apart). Never: denied.
  std::array<sema::Guard, sema::kRelationCount> when;
};

enum class Access : uint8_t { NotApplicable, Denied, Allowed, Conditional };
const char *accessName(Access access); // "n/a", "deny", "allow", "conditional"

/// Relations that share one condition, for display: "own node and below when business".
struct Reach {
  sema::RelationMask relations = 0;
  sema::Guard when;
};

struct Cell {
  Access access = Access::Denied;
  std::vector<KindAccess> variants; // one per group of the role's user types that decide alike
};

struct Row {
  sema::PermissionId permission = 0;
  int group = -1;          // index into the resource's groups (the first one listing it), or -1
  std::vector<Cell> cells; // one per column (Matrix::columns)
};

struct Section {
  sema::ResourceId resource = 0;
  std::vector<Row> rows;
};

/// A column: one role, or a stacked combination of roles (`--stack a+b`) held together.
struct Column {
  std::vector<sema::RoleId> roles;
  sema::KindMask kinds = 0; // the user types that may hold every one of them
  bool stacked() const { return roles.size() > 1; }
};

/// Columns held by the same user types (stacked combinations come last, in their own groups).
struct ColumnGroup {
  sema::KindMask kinds = 0;
  bool stacked = false;
  std::vector<size_t> columns; // indexes into Matrix::columns
};

struct Matrix {
  const sema::Model *model = nullptr;
  std::vector<ColumnGroup> columnGroups;
  std::vector<Column> columns; // the roles, then the stacks, grouped as in columnGroups
  std::vector<Section> sections;
};

/// Builds the matrix: a column per role, then one per stacked combination in `stacks` (each at
/// least two roles, held by some user type together). Fails (returns false, sets `error`) when a
/// cell depends on more than 12 flags, which would make the condition search too slow.
bool buildMatrix(const sema::Model &model, const std::vector<std::vector<sema::RoleId>> &stacks,
                 Matrix &matrix, std::string &error);

/// Resolves `--stack a+b+c` against the model: at least two distinct roles that some user type
/// may hold together. Returns false with `error` set otherwise.
bool resolveStack(const sema::Model &model, const std::string &text,
                  std::vector<sema::RoleId> &roles, std::string &error);

/// "support", or "support+billing" for a stacked column.
std::string columnName(const sema::Model &model, const Column &column);
/// "Support", or "Support + Billing" (labels, else names).
std::string columnLabel(const sema::Model &model, const Column &column);
/// The scope kinds in words for the legend: "tenant, account or subaccount", and the roots.
std::string scopeKindsText(const sema::Model &model, bool rootsOnly);

/// "own node", "own node and below", "whole tenant", ...
std::string relationsText(sema::RelationMask relations);
/// A condition in words, in the language's syntax: "business and not trial or admin".
std::string conditionText(const sema::Model &model, const sema::Guard &guard);
/// The variant's relations grouped by condition, in relation order.
std::vector<Reach> reaches(const KindAccess &variant);
/// "Tenant user", or the name when there is no label; several joined with " / ".
std::string kindsText(const sema::Model &model, sema::KindMask kinds);
/// A cell in words: "✔ own node and below when business", "✖", "n/a".
std::string cellText(const sema::Model &model, const Cell &cell, sema::KindMask roleKinds);

std::string renderMarkdown(const Matrix &matrix);
std::string renderCsv(const Matrix &matrix);
std::string renderJson(const Matrix &matrix);
std::string renderHtml(const Matrix &matrix);

} // namespace lattice::doc
