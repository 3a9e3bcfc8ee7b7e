// answer_json.h - a decided request written straight into a response body as JSON, byte for byte
// what query::answerJson's object renders to (the decision server's hot path: no JSON tree).
#pragma once

#include "query/request_line.h"

#include <cstdint>
#include <string>

namespace lattice::server::http {

/// Appends `text` as a JSON string, escaped as llvm::json writes strings.
void appendJsonString(std::string &out, llvm::StringRef text);

/// Appends `answer` as the object query::answerJson(answer) renders to (keys sorted, no spaces),
/// with `decision_id` when given (non-null). `asWhatCan` writes a refused answer as a what-can
/// answer
/// (`allowed` empty, no decision), as /v1/what-can answers whichever step refused it.
void appendAnswer(std::string &out, const query::RequestAnswer &answer,
                  const std::string *decisionId, bool asWhatCan = false);

} // namespace lattice::server::http
