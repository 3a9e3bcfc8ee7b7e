// bdd.h - reduced ordered binary decision diagrams over numbered boolean variables (the flags),
// so that whole conditions can be compared exactly, whatever the number of flags.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

namespace lattice::logic {

/// A node of one BddManager. Equal functions are equal nodes (the diagrams are canonical).
using Bdd = uint32_t;
inline constexpr Bdd kFalse = 0;
inline constexpr Bdd kTrue = 1;

struct Literal {
  uint32_t variable = 0;
  bool positive = true;
  friend bool operator==(const Literal &, const Literal &) = default;
};
/// A conjunction of literals over distinct variables, in variable order; empty means "true".
using Cube = std::vector<Literal>;

/// Builds and combines diagrams. Nodes live as long as the manager. Past `maxNodes` nodes the
/// manager is exhausted: every further operation returns kFalse and exhausted() says so, so a
/// caller checks it once at the end and refuses the whole answer instead of trusting it.
class BddManager {
public:
  explicit BddManager(uint32_t variableCount, size_t maxNodes = size_t{1} << 23);

  uint32_t variableCount() const { return variables; }
  bool exhausted() const { return overflow; }
  size_t nodeCount() const { return nodes.size(); }

  Bdd variable(uint32_t index); // the function "variable `index` is true"
  Bdd negate(Bdd f);
  Bdd conjoin(Bdd f, Bdd g);
  Bdd disjoin(Bdd f, Bdd g);
  Bdd conjoinNot(Bdd f, Bdd g); // f and not g
  Bdd cube(const Cube &literals);

  bool implies(Bdd f, Bdd g) { return conjoinNot(f, g) == kFalse; }

  /// A cube whose every assignment satisfies `f` (a path to true), or nullopt when f is false.
  std::optional<Cube> satisfyingCube(Bdd f) const;

  /// An irredundant sum of products equal to `f` (Minato-Morreale), in a deterministic order;
  /// nullopt when it would need more than `maxCubes` cubes (some functions need exponentially
  /// many: the diagram stays exact, only this rendering gives up).
  std::optional<std::vector<Cube>> sumOfProducts(Bdd f, size_t maxCubes);

private:
  struct Node {
    uint32_t variable; // kTerminal for the constants
    Bdd low, high;
  };
  enum class Op : uint8_t { And, Or, AndNot, Not };
  struct Key {
    uint64_t a, b;
    friend bool operator==(const Key &, const Key &) = default;
  };
  struct KeyHash {
    size_t operator()(const Key &key) const {
      return std::hash<uint64_t>()(key.a * 0x9e3779b97f4a7c15ULL ^ key.b);
    }
  };
  static constexpr uint32_t kTerminal = UINT32_MAX;

  Bdd make(uint32_t variable, Bdd low, Bdd high);
  Bdd apply(Op op, Bdd f, Bdd g);
  uint32_t top(Bdd f) const { return nodes[f].variable; }
  Bdd cofactor(Bdd f, uint32_t variable, bool value) const;
  /// Minato-Morreale on the interval [lower, upper]: appends the cubes to `out`, returns the
  /// function they cover, or nullopt past the budget.
  std::optional<Bdd> irredundantCover(Bdd lower, Bdd upper, std::vector<Cube> &out,
                                      size_t maxCubes);

  uint32_t variables;
  size_t maxNodes;
  bool overflow = false;
  std::vector<Node> nodes;
  std::unordered_map<Key, Bdd, KeyHash> unique;
  std::unordered_map<Key, Bdd, KeyHash> computed;
};

} // namespace lattice::logic
