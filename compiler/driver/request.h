// request.h - the command-line options that spell one request (`query`, `explain`), turned into
// a query::NamedRequest. Resolving and wording requests lives in query/request.h.
#pragma once

#include "driver/args.h"
#include "query/request.h"

#include <optional>
#include <string>
#include <vector>

namespace lattice::driver {

using query::describeDecision;
using query::NamedRequest;
using query::reasonKey;
using query::resolveRequest;
using query::TablePtr;

/// The options that spell one request (--kind, --roles, --permission, --relation, --flags),
/// followed by a command's own `extra` options.
std::vector<OptionSpec> requestOptions(std::vector<OptionSpec> extra);
/// "missing `--kind`" for the first required request option absent from `args`, else nothing.
std::optional<std::string> missingRequestOption(const Args &args);
/// The request the options spell; call after missingRequestOption found nothing. A relation in
/// an old spelling is replaced by its word, with a warning on stderr.
NamedRequest namedRequest(const Args &args);

} // namespace lattice::driver
