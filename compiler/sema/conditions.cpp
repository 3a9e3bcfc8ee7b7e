// conditions.cpp - `when` and `require` conditions to disjunctive normal form (Guard).
// DNF is what the table stores (one guarded entry per clause), so the blow-up is capped here.
#include "sema/context.h"

#include <algorithm>

namespace lattice::sema {
namespace {

constexpr size_t kMaxClauses = 64;

struct TooComplex {
  SourceRange at;
};

/// Drops contradictory and subsumed clauses and sorts the rest: equal conditions compare equal.
std::vector<Clause> simplify(std::vector<Clause> clauses) {
  std::erase_if(clauses, [](const Clause &c) { return (c.required & c.forbidden) != 0; });
  std::sort(clauses.begin(), clauses.end());
  clauses.erase(std::unique(clauses.begin(), clauses.end()), clauses.end());
  std::vector<Clause> kept;
  for (const Clause &candidate : clauses) {
    bool subsumed = std::any_of(clauses.begin(), clauses.end(), [&](const Clause &other) {
      return !(other == candidate) && (other.required & ~candidate.required) == 0 &&
             (other.forbidden & ~candidate.forbidden) == 0;
    });
    if (!subsumed)
      kept.push_back(candidate);
  }
  return kept;
}

class Converter {
public:
  Converter(Context &context, const std::function<bool(FlagId, const ast::Ident &)> &usable)
      : context(context), usable(usable) {}

  bool failed = false;

  std::vector<Clause> dnf(const ast::Condition &node, bool negated) {
    using Op = ast::Condition::Op;
    switch (node.op) {
    case Op::Flag: {
      std::optional<FlagId> id = context.flag(node.flag);
      if (!id || !usable(*id, node.flag)) {
        failed = true;
        return {Clause{}};
      }
      if (*id < context.flagsRead.size())
        context.flagsRead[*id] = true;
      FlagMask bit = FlagMask{1} << *id;
      return {negated ? Clause{0, bit} : Clause{bit, 0}};
    }
    case Op::Not:
      return dnf(*node.lhs, !negated);
    case Op::And:
    case Op::Or: {
      // De Morgan: a negated AND is an OR of negations, and the other way round.
      bool conjunction = (node.op == Op::And) != negated;
      std::vector<Clause> lhs = dnf(*node.lhs, negated);
      std::vector<Clause> rhs = dnf(*node.rhs, negated);
      std::vector<Clause> result;
      if (!conjunction) {
        result = lhs;
        result.insert(result.end(), rhs.begin(), rhs.end());
      } else {
        for (const Clause &a : lhs)
          for (const Clause &b : rhs)
            result.push_back({a.required | b.required, a.forbidden | b.forbidden});
      }
      result = simplify(std::move(result));
      if (result.size() > kMaxClauses)
        throw TooComplex{node.range};
      return result;
    }
    }
    return {};
  }

private:
  Context &context;
  const std::function<bool(FlagId, const ast::Ident &)> &usable;
};

} // namespace

Guard conjoin(const Guard &a, const Guard &b) {
  std::vector<Clause> product;
  for (const Clause &x : a.clauses)
    for (const Clause &y : b.clauses)
      product.push_back({x.required | y.required, x.forbidden | y.forbidden});
  return Guard{simplify(std::move(product))};
}

Guard disjoin(const Guard &a, const Guard &b) {
  std::vector<Clause> clauses = a.clauses;
  clauses.insert(clauses.end(), b.clauses.begin(), b.clauses.end());
  return Guard{simplify(std::move(clauses))};
}

std::optional<Guard> toGuard(const ast::Condition &condition, Context &context,
                             const std::function<bool(FlagId, const ast::Ident &)> &flagUsable) {
  Converter converter(context, flagUsable);
  try {
    Guard guard{simplify(converter.dnf(condition, false))};
    if (converter.failed)
      return std::nullopt;
    if (guard.isNever())
      context.diags.report(DiagKind::ConditionAlwaysFalse, condition.range,
                           "this condition can never hold");
    return guard;
  } catch (const TooComplex &e) {
    context.diags.report(DiagKind::ConditionTooComplex, e.at,
                         fmt::format("condition expands to more than {} cases", kMaxClauses));
    return std::nullopt;
  }
}

} // namespace lattice::sema
