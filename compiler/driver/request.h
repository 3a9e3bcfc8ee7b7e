// request.h - the command-line options that spell one request (`query`, `explain`), turned into
// a query::NamedRequest (a principal at one node) or a query::NamedAccessRequest (a principal with
// memberships). Resolving and wording requests lives in query/.
#pragma once

#include "driver/args.h"
#include "query/access_request.h"
#include "query/request.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::driver {

/// The options that spell one request (--kind, --roles, --permission, --relation, --flags, and
/// --membership, --target), followed by a command's own `extra` options.
std::vector<OptionSpec> requestOptions(std::vector<OptionSpec> extra);
/// Whether the options spell a principal with memberships (`--membership` or `--target`).
bool isAccessRequest(const Args &args);
/// A usage error of the request options: the two shapes mixed (`--roles` with `--membership`),
/// or "missing `--kind`" for the first required option absent (`--permission` only when
/// `needsPermission`: `query --what-can` asks about all of them); else nothing.
std::optional<std::string> requestUsageError(const Args &args, bool needsPermission = true);
/// The request the options spell; call after missingRequestOption found nothing. A relation in
/// an old spelling is replaced by its word, with a warning on stderr.
query::NamedRequest namedRequest(const Args &args);
/// The request with memberships the options spell, or nothing with `error` set for a malformed
/// `--membership` or `--target` (the request is then answered "deny"). Call after
/// requestUsageError found nothing.
std::optional<query::NamedAccessRequest> namedAccessRequest(const Args &args, std::string &error);

} // namespace lattice::driver
