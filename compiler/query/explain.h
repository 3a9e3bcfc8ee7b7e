// explain.h - why a table decided a request: the gate that stopped it, or the rules of the held
// roles (and the roles they extend) that match it, with their places from the source map; and
// when it is a deny, the rules naming the permission that do not match, each with why.
// A request with memberships is explained per membership: the target's relation to its node, the
// rules of its roles, matching or why not, and which membership decided.
// Rendered as text (`lattice explain`) or JSON (`--format json`, a server, an LSP).
#pragma once

#include "query/access_request.h"
#include "query/request.h"
#include "query/source_map_reader.h"

#include "llvm/Support/JSON.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::query {

/// A declaration an explanation points at: `at` is FILE:LINE:COLUMN; `source` the statement as
/// written, or empty when the message already names the declaration.
struct Place {
  std::string at, source;
};

/// The runtime check that denied before any rule was consulted.
struct Gate {
  std::string kind;    // role_not_for_kind | exclusive | not_applicable | requirement | other_tree
  std::string message; // "exclusive: `a`, `b` may not be held together"
  std::vector<Place> places;
};

/// A membership of the request, with the target's relation to its node.
struct ExplainedMembership {
  size_t number = 0; // 1-based, in the order given
  std::string node;  // `acme/eu`
  std::vector<std::string> roles, flags;
  std::string relation; // self | descendants | ancestors | elsewhere | none (another tree)
  /// Per custom role held (a ceiling named as a role: its widest custom role), what its ceiling
  /// allows for the permission: "custom role `key_role` may hold `station.view` at self,
  /// descendants: matches".
  std::vector<std::string> customRoles;
};

/// A rule reached through a held role, or a policy-wide deny (whose role names are empty).
struct ExplainedRule {
  bool deny = false;
  std::string role;     // the role that declares it; empty for a policy-wide deny
  std::string heldRole; // the held role it comes through (== role when held directly)
  Place place;
  std::string mismatch;    // empty: the rule matches the request; else why it does not
  bool overridden = false; // a matching allow beaten by a matching deny
  size_t membership = 0;   // the membership it is reached through (1-based); 0 at one node
};

struct Explanation {
  NamedRequest request;                     // a request at one node
  std::optional<NamedAccessRequest> access; // a request with memberships (then `request` is unused)
  std::vector<ExplainedMembership> memberships;
  std::optional<size_t> decidingMembership; // 1-based
  lattice_decision decision{};
  std::string decisionText; // "granted by role `x`" (describeDecision)
  std::string decidingRole; // empty when no role decided
  std::optional<Gate> gate;
  std::vector<ExplainedRule> rules; // denies first, then allows, each in map order (and
                                    // membership order)
};

/// Explains `decision`, the table's answer to `request` (resolved against `table`, permission
/// index `permission` of `map`).
Explanation explain(const SourceMap &map, const NamedRequest &request,
                    const lattice_decision &decision, const lattice_table *table,
                    uint32_t permission);

/// Explains `decision`, the table's answer to `request` with memberships (resolved into
/// `resolved`), for permission index `permission` of `map`. The relations are the runtime's
/// (lattice_relation_of_refs on the resolved paths).
Explanation explainAccess(const SourceMap &map, const NamedAccessRequest &request,
                          const ResolvedAccessRequest &resolved,
                          const lattice_access_decision &decision, const lattice_table *table,
                          uint32_t permission);

/// A table loaded with its source map. The runtime reads the table in place, in `bytes`, which
/// therefore outlives `table` (members are destroyed in reverse order) and never moves.
struct ExplainedTable {
  std::string bytes;
  TablePtr table;
  SourceMap map;

  ExplainedTable() = default;
  ExplainedTable(ExplainedTable &&) = delete;
};

/// Loads the table at `tablePath` (at most LATTICE_DEFAULT_MAX_TABLE_BYTES) and the source map at
/// `mapPath`, which must belong to it. On failure returns the error: the file unreadable
/// ("cannot load `t.ltab`: ..."), the table refused (tableLoadError), or the map
/// (loadSourceMap).
std::optional<std::string> loadExplainedTable(const std::string &tablePath,
                                              const std::string &mapPath, ExplainedTable &out);

/// Resolves `request` against `table`, decides it (lattice_decide) and explains the decision.
/// Nothing, with `error` set, when the table or the map does not know a name of the request
/// (the request is then answered "deny").
std::optional<Explanation> explainRequest(const lattice_table *table, const SourceMap &map,
                                          const NamedRequest &request, std::string &error);
/// The same for a request with memberships (lattice_decide_access).
std::optional<Explanation> explainAccessRequest(const lattice_table *table, const SourceMap &map,
                                                const NamedAccessRequest &request,
                                                std::string &error);

/// The text `lattice explain` prints (docs/cli.md), ending with a newline.
std::string explanationText(const Explanation &explanation);
/// The JSON document of `lattice explain --format json` (docs/cli.md).
llvm::json::Value explanationJson(const Explanation &explanation);

} // namespace lattice::query
