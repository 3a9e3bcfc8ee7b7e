// bdd.cpp - the diagram manager: a unique table keeps the diagrams canonical, a computed table
// memoises the binary operations; recursion depth is bounded by the number of variables.
#include "logic/bdd.h"

#include <algorithm>

namespace lattice::logic {

BddManager::BddManager(uint32_t variableCount, size_t maxNodes)
    : variables(variableCount), maxNodes(std::max<size_t>(maxNodes, 2)) {
  nodes.push_back(Node{kTerminal, kFalse, kFalse}); // kFalse
  nodes.push_back(Node{kTerminal, kTrue, kTrue});   // kTrue
}

Bdd BddManager::make(uint32_t variable, Bdd low, Bdd high) {
  if (low == high)
    return low;
  Key key{(uint64_t{variable} << 32) | low, high};
  if (auto it = unique.find(key); it != unique.end())
    return it->second;
  if (nodes.size() >= maxNodes) {
    overflow = true;
    return kFalse;
  }
  Bdd node = static_cast<Bdd>(nodes.size());
  nodes.push_back(Node{variable, low, high});
  unique.emplace(key, node);
  return node;
}

Bdd BddManager::variable(uint32_t index) {
  if (index >= variables) {
    overflow = true; // a caller bug; refusing is the safe answer
    return kFalse;
  }
  return make(index, kFalse, kTrue);
}

Bdd BddManager::cofactor(Bdd f, uint32_t variable, bool value) const {
  if (top(f) != variable)
    return f; // f does not test `variable` at its root, and tests nothing above it
  return value ? nodes[f].high : nodes[f].low;
}

Bdd BddManager::apply(Op op, Bdd f, Bdd g) {
  if (overflow)
    return kFalse;
  switch (op) {
  case Op::And:
    if (f == kFalse || g == kFalse)
      return kFalse;
    if (f == kTrue || f == g)
      return g;
    if (g == kTrue)
      return f;
    if (f > g)
      std::swap(f, g);
    break;
  case Op::Or:
    if (f == kTrue || g == kTrue)
      return kTrue;
    if (f == kFalse || f == g)
      return g;
    if (g == kFalse)
      return f;
    if (f > g)
      std::swap(f, g);
    break;
  case Op::AndNot:
    if (f == kFalse || g == kTrue || f == g)
      return kFalse;
    if (g == kFalse)
      return f;
    if (f == kTrue)
      return apply(Op::Not, g, kFalse);
    break;
  case Op::Not:
    if (f <= kTrue)
      return f ^ 1;
    break;
  }
  Key key{(uint64_t{static_cast<uint8_t>(op)} << 32) | f, g};
  if (auto it = computed.find(key); it != computed.end())
    return it->second;
  const uint32_t v = op == Op::Not ? top(f) : std::min(top(f), top(g));
  Bdd low = apply(op, cofactor(f, v, false), op == Op::Not ? g : cofactor(g, v, false));
  Bdd high = apply(op, cofactor(f, v, true), op == Op::Not ? g : cofactor(g, v, true));
  Bdd result = make(v, low, high);
  if (!overflow)
    computed.emplace(key, result);
  return result;
}

Bdd BddManager::negate(Bdd f) { return apply(Op::Not, f, kFalse); }
Bdd BddManager::conjoin(Bdd f, Bdd g) { return apply(Op::And, f, g); }
Bdd BddManager::disjoin(Bdd f, Bdd g) { return apply(Op::Or, f, g); }
Bdd BddManager::conjoinNot(Bdd f, Bdd g) { return apply(Op::AndNot, f, g); }

Bdd BddManager::cube(const Cube &literals) {
  Bdd result = kTrue;
  for (const Literal &literal : literals) {
    Bdd v = variable(literal.variable);
    result = conjoin(result, literal.positive ? v : negate(v));
  }
  return result;
}

std::optional<Cube> BddManager::satisfyingCube(Bdd f) const {
  if (f == kFalse || overflow)
    return std::nullopt;
  Cube path;
  while (f != kTrue) {
    const Node &node = nodes[f];
    // Prefer the low branch: witnesses then set as few flags as the path allows.
    bool high = node.low == kFalse;
    path.push_back(Literal{node.variable, high});
    f = high ? node.high : node.low;
  }
  return path;
}

std::optional<Bdd> BddManager::irredundantCover(Bdd lower, Bdd upper, std::vector<Cube> &out,
                                                size_t maxCubes) {
  if (overflow)
    return std::nullopt;
  if (lower == kFalse)
    return kFalse;
  if (upper == kTrue) {
    if (out.size() >= maxCubes)
      return std::nullopt;
    out.push_back(Cube{});
    return kTrue;
  }
  const uint32_t v = std::min(top(lower), top(upper));
  const Bdd l0 = cofactor(lower, v, false), l1 = cofactor(lower, v, true);
  const Bdd u0 = cofactor(upper, v, false), u1 = cofactor(upper, v, true);

  auto prefixFrom = [&](size_t start, bool positive) {
    for (size_t i = start; i < out.size(); ++i)
      out[i].insert(out[i].begin(), Literal{v, positive});
  };
  size_t start = out.size();
  std::optional<Bdd> f0 = irredundantCover(conjoinNot(l0, u1), u0, out, maxCubes);
  if (!f0)
    return std::nullopt;
  prefixFrom(start, false);
  start = out.size();
  std::optional<Bdd> f1 = irredundantCover(conjoinNot(l1, u0), u1, out, maxCubes);
  if (!f1)
    return std::nullopt;
  prefixFrom(start, true);
  const Bdd rest = disjoin(conjoinNot(l0, *f0), conjoinNot(l1, *f1));
  std::optional<Bdd> shared = irredundantCover(rest, conjoin(u0, u1), out, maxCubes);
  if (!shared)
    return std::nullopt;
  return make(v, disjoin(*f0, *shared), disjoin(*f1, *shared));
}

std::optional<std::vector<Cube>> BddManager::sumOfProducts(Bdd f, size_t maxCubes) {
  std::vector<Cube> cubes;
  if (!irredundantCover(f, f, cubes, maxCubes) || overflow)
    return std::nullopt;
  return cubes;
}

} // namespace lattice::logic
