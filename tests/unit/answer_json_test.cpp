// answer_json_test.cpp - the one writer of answers (query/answer_json.h: `lattice query
// --requests` lines and the decision server's bodies) writes JSON text directly; these tests hold
// it byte for byte to llvm::json's rendering of the documented object (docs/cli.md, server.md),
// for every shape of answer, awkward strings, ids and line numbers.
#include "query/answer_json.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace lattice::query {
namespace {

/// A JSON string value as llvm::json makes one from bytes that may not be UTF-8: in a release
/// build it replaces them (fixUTF8); with assertions on (the sanitizer build) it refuses them, so
/// the replacement is made here first.
llvm::json::Value text(llvm::StringRef bytes) {
  return llvm::json::isUTF8(bytes) ? llvm::json::Value(bytes.str())
                                   : llvm::json::Value(llvm::json::fixUTF8(bytes));
}

/// The documented answer as an llvm::json object, rendered: what `query --requests` printed
/// before answers were written directly (with `line`), and the server (with `decision_id`; a
/// refused what-can answer as a list without a decision).
std::string viaLlvm(RequestAnswer answer, const AnswerFields &fields) {
  llvm::json::Object object;
  if (answer.id)
    object["id"] = std::move(*answer.id);
  if (answer.whatCan) {
    llvm::json::Array names;
    for (const char *name : answer.allowedPermissions)
      names.push_back(text(name));
    object["allowed"] = std::move(names);
    if (answer.failed)
      object["error"] = text(answer.error);
  } else {
    object["decision"] = answer.allowed && !answer.failed ? "allow" : "deny";
    if (answer.failed) {
      object["error"] = text(answer.error);
    } else {
      object["reason"] = text(answer.reason);
      if (answer.role)
        object["role"] = text(answer.role);
      if (answer.membership)
        object["membership"] = *answer.membership;
      if (answer.customRole)
        object["custom_role"] = text(answer.customRole);
    }
  }
  if (fields.line)
    object["line"] = *fields.line;
  if (fields.decisionId)
    object["decision_id"] = text(*fields.decisionId);
  if (fields.asWhatCan && answer.failed) {
    object.erase("decision");
    if (!object.get("allowed"))
      object["allowed"] = llvm::json::Array{};
  }
  std::string out;
  llvm::raw_string_ostream os(out);
  os << llvm::json::Value(std::move(object));
  os.flush();
  return out;
}

std::string direct(const RequestAnswer &answer, const AnswerFields &fields) {
  std::string out = "prefix,"; // appended, never replaced
  appendAnswer(out, answer, fields);
  EXPECT_EQ(out.rfind("prefix,", 0), 0u);
  return out.substr(7);
}

std::vector<RequestAnswer> answers() {
  std::vector<RequestAnswer> out;
  RequestAnswer allow;
  allow.allowed = true;
  allow.reason = "allowed";
  allow.role = "technical_support";
  out.push_back(allow);
  RequestAnswer membership = allow;
  membership.membership = 2;
  membership.customRole = "fleet \"manager\"";
  out.push_back(membership);
  RequestAnswer deny;
  deny.reason = "no_allow";
  out.push_back(deny);
  RequestAnswer refused;
  refused.failed = true;
  refused.error = "unknown role `a\"b\\c`; tab\there, newline\n, cr\r, \x01\x1f, caf\xc3\xa9";
  out.push_back(refused);
  RequestAnswer invalidUtf8 = refused;
  invalidUtf8.error = "bad \xff\xfe bytes";
  out.push_back(invalidUtf8);
  RequestAnswer whatCan;
  whatCan.whatCan = true;
  whatCan.allowedPermissions = {"card.view", "station.reset"};
  out.push_back(whatCan);
  RequestAnswer whatCanNone;
  whatCanNone.whatCan = true;
  out.push_back(whatCanNone);
  RequestAnswer whatCanRefused = whatCanNone;
  whatCanRefused.failed = true;
  whatCanRefused.error = "unknown user type `robot`";
  out.push_back(whatCanRefused);
  return out;
}

std::vector<std::optional<llvm::json::Value>> ids() {
  std::vector<std::optional<llvm::json::Value>> out;
  out.emplace_back(std::nullopt);
  out.emplace_back(llvm::json::Value(7));
  out.emplace_back(llvm::json::Value(-9007199254740993LL));
  out.emplace_back(llvm::json::Value(1.5));
  out.emplace_back(llvm::json::Value(1e300));
  out.emplace_back(llvm::json::Value("a \"quoted\"\nid"));
  out.emplace_back(llvm::json::Value(nullptr));
  out.emplace_back(llvm::json::Value(llvm::json::Object{
      {"z", 1}, {"a", llvm::json::Array{true, nullptr, "x"}}, {"m", llvm::json::Object{}}}));
  return out;
}

TEST(AnswerJson, EqualsLlvmRenderingOfEveryShape) {
  const std::string decisionId = "00000000deadbeef-1f";
  const std::optional<int64_t> lines[] = {std::nullopt, 1, 9007199254740993LL};
  size_t compared = 0;
  for (const RequestAnswer &base : answers())
    for (const std::optional<llvm::json::Value> &id : ids())
      for (const std::string *withId : {static_cast<const std::string *>(nullptr), &decisionId})
        for (const std::optional<int64_t> &line : lines)
          for (bool asWhatCan : {false, true}) {
            RequestAnswer answer = base;
            answer.id = id;
            AnswerFields fields;
            fields.decisionId = withId;
            fields.line = line;
            fields.asWhatCan = asWhatCan;
            EXPECT_EQ(direct(answer, fields), viaLlvm(answer, fields)) << "answer " << compared;
            ++compared;
          }
  EXPECT_EQ(compared, 8u * 8u * 2u * 3u * 2u);
}

TEST(AnswerJson, StringsEscapeAsLlvmJson) {
  for (unsigned c = 0; c < 256; ++c) {
    const std::string bytes = "<" + std::string(1, char(c)) + ">";
    std::string want;
    llvm::raw_string_ostream os(want);
    os << text(bytes);
    os.flush();
    std::string got;
    appendJsonString(got, bytes);
    EXPECT_EQ(got, want) << "byte " << c;
  }
}

} // namespace
} // namespace lattice::query
