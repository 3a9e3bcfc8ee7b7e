// answer_json.h - a decided request written as JSON text, straight into a buffer: the one writer
// of answers, for `lattice query --requests` lines and the decision server's bodies (no JSON tree).
#pragma once

#include "query/request_line.h"

#include <cstdint>
#include <optional>
#include <string>

namespace lattice::query {

/// Appends `text` as a JSON string, escaped as llvm::json writes strings (invalid UTF-8 replaced
/// as llvm::json::fixUTF8 does).
void appendJsonString(std::string &out, llvm::StringRef text);

/// Fields an answer carries besides the decision, by who writes it.
struct AnswerFields {
  const std::string *decisionId = nullptr; // the server's decision log id, if it keeps one
  std::optional<int64_t> line;             // `query --requests`: the request's line number
  bool asWhatCan = false; // a refused answer written as a what-can answer (`allowed` empty, no
                          // decision), as /v1/what-can answers whichever step refused it
};

/// Appends `answer` as one JSON object, keys sorted, no spaces (as llvm::json renders an object):
/// `allowed` (what-can), `custom_role`, `decision`, `decision_id`, `error`, `id`, `line`,
/// `membership`, `reason`, `role`, each where it applies.
void appendAnswer(std::string &out, const RequestAnswer &answer, const AnswerFields &fields = {});

} // namespace lattice::query
