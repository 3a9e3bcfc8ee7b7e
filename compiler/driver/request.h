// request.h - requests by name (as users type them) resolved against a loaded table, and
// decisions described in words. Shared by `query`, its JSONL mode, `explain` and `test`.
#pragma once

#include "driver/args.h"
#include "lattice/lattice.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lattice::driver {

struct NamedRequest {
  std::string kind;
  std::vector<std::string> roles;
  std::string permission;
  std::string relation; // self | descendants | ancestors | elsewhere (sema/relation_words.h)
  std::vector<std::string> flags;
};

/// A loaded table, freed with lattice_table_free.
struct TableDeleter {
  void operator()(lattice_table *table) const { lattice_table_free(table); }
};
using TablePtr = std::unique_ptr<lattice_table, TableDeleter>;

/// The options that spell one request (--kind, --roles, --permission, --relation, --flags),
/// followed by a command's own `extra` options.
std::vector<OptionSpec> requestOptions(std::vector<OptionSpec> extra);
/// "missing `--kind`" for the first required request option absent from `args`, else nothing.
std::optional<std::string> missingRequestOption(const Args &args);
/// The request the options spell; call after missingRequestOption found nothing. A relation in
/// an old spelling is replaced by its word, with a warning on stderr.
NamedRequest namedRequest(const Args &args);

/// Resolves names to ids; on an unknown name returns false with `error` set (the request is
/// then to be answered "deny").
bool resolveRequest(const lattice_table *table, const NamedRequest &named,
                    std::vector<uint32_t> &roleIds, lattice_request &out, std::string &error);

/// "granted by role `x`", "denied by role `x`", "no held role allows it", ...
std::string describeDecision(const lattice_table *table, const lattice_decision &decision);
/// "allowed", "denied_by_rule", ...: the JSON spelling of a reason.
const char *reasonKey(uint32_t reason);

} // namespace lattice::driver
