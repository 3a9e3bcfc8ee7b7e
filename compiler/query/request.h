// request.h - requests by name (as users and hosts write them) resolved against a loaded table,
// and decisions in words. Shared by `query`, `explain` and `test`, and by any server or LSP.
#pragma once

#include "lattice/lattice.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::query {

struct NamedRequest {
  std::string kind;
  std::vector<std::string> roles;
  std::string permission;
  std::string relation; // self | descendants | ancestors | elsewhere (sema/relation_words.h), none
  std::vector<std::string> flags;
  /// The request's facts (`resource.x`, `target.x`, `request.x`): lattice_decide takes them in
  /// its one mask with the flags.
  std::vector<std::string> facts = {};
};

/// A loaded table, freed with lattice_table_free.
struct TableDeleter {
  void operator()(lattice_table *table) const { lattice_table_free(table); }
};
using TablePtr = std::unique_ptr<lattice_table, TableDeleter>;

/// The relation of a resource in another tree: the runtime's LATTICE_REL_NONE, always denied.
/// The other relations are the words of sema/relation_words.h.
inline constexpr const char *kOtherTree = "none";

/// Name lookups: the id, or nothing with `error` set to "unknown role `x`", naming the nearest
/// name of that kind in the table when one is close (a suggestion only: nothing is guessed).
std::optional<uint32_t> lookupKind(const lattice_table *table, const std::string &name,
                                   std::string &error);
std::optional<uint32_t> lookupRole(const lattice_table *table, const std::string &name,
                                   std::string &error);
std::optional<uint32_t> lookupPermission(const lattice_table *table, const std::string &name,
                                         std::string &error);
std::optional<uint32_t> lookupFlag(const lattice_table *table, const std::string &name,
                                   std::string &error);

/// ORs into `mask` the bits of `flags` (any side) and of `facts` (which must be facts); on an
/// unknown name, or a fact that is not one, returns false with `error` set.
bool resolveFlagsAndFacts(const lattice_table *table, const std::vector<std::string> &flags,
                          const std::vector<std::string> &facts, uint64_t &mask,
                          std::string &error);

/// Resolves names to ids; on an unknown name returns false with `error` set (the request is
/// then to be answered "deny").
bool resolveRequest(const lattice_table *table, const NamedRequest &named,
                    std::vector<uint32_t> &roleIds, lattice_request &out, std::string &error);

/// "granted by role `x`", "denied by role `x`", "no held role allows it", ...
std::string describeDecision(const lattice_table *table, const lattice_decision &decision);
/// "allowed", "denied_by_rule", ...: the JSON spelling of a reason.
const char *reasonKey(uint32_t reason);

} // namespace lattice::query
