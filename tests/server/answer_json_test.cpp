// answer_json_test.cpp - the decision server writes answers as JSON text directly
// (server/http/answer_json.h); these tests hold it byte for byte to llvm::json's rendering of
// query::answerJson's object, which `lattice query --requests` prints, for every shape of answer
// and awkward strings and ids.
#include "server/http/answer_json.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace lattice::server::http {
namespace {

/// What the server answered before it wrote answers itself: the object, with `decision_id`, and
/// a refused what-can answer as a list without a decision.
std::string viaLlvm(query::RequestAnswer answer, const std::string *decisionId, bool asWhatCan) {
  const bool failed = answer.failed;
  llvm::json::Object object = query::answerJson(std::move(answer));
  if (decisionId)
    object["decision_id"] = *decisionId;
  if (asWhatCan && failed) {
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

std::string direct(const query::RequestAnswer &answer, const std::string *decisionId,
                   bool asWhatCan) {
  std::string out = "prefix,"; // appended, never replaced
  appendAnswer(out, answer, decisionId, asWhatCan);
  EXPECT_EQ(out.rfind("prefix,", 0), 0u);
  return out.substr(7);
}

std::vector<query::RequestAnswer> answers() {
  std::vector<query::RequestAnswer> out;
  query::RequestAnswer allow;
  allow.allowed = true;
  allow.reason = "allowed";
  allow.role = "technical_support";
  out.push_back(allow);
  query::RequestAnswer membership = allow;
  membership.membership = 2;
  membership.customRole = "fleet \"manager\"";
  out.push_back(membership);
  query::RequestAnswer deny;
  deny.reason = "no_allow";
  out.push_back(deny);
  query::RequestAnswer refused;
  refused.failed = true;
  refused.error = "unknown role `a\"b\\c`; tab\there, newline\n, cr\r, \x01\x1f, caf\xc3\xa9";
  out.push_back(refused);
  query::RequestAnswer invalidUtf8 = refused;
  invalidUtf8.error = "bad \xff\xfe bytes";
  out.push_back(invalidUtf8);
  query::RequestAnswer whatCan;
  whatCan.whatCan = true;
  whatCan.allowedPermissions = {"card.view", "station.reset"};
  out.push_back(whatCan);
  query::RequestAnswer whatCanNone;
  whatCanNone.whatCan = true;
  out.push_back(whatCanNone);
  query::RequestAnswer whatCanRefused = whatCanNone;
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
  size_t compared = 0;
  for (const query::RequestAnswer &base : answers())
    for (const std::optional<llvm::json::Value> &id : ids())
      for (const std::string *withId : {static_cast<const std::string *>(nullptr), &decisionId})
        for (bool asWhatCan : {false, true}) {
          query::RequestAnswer answer = base;
          answer.id = id;
          EXPECT_EQ(direct(answer, withId, asWhatCan), viaLlvm(answer, withId, asWhatCan))
              << "answer " << compared;
          ++compared;
        }
  EXPECT_EQ(compared, 8u * 8u * 2u * 2u);
}

TEST(AnswerJson, StringsEscapeAsLlvmJson) {
  for (unsigned c = 0; c < 256; ++c) {
    const std::string text = "<" + std::string(1, char(c)) + ">";
    std::string want;
    llvm::raw_string_ostream os(want);
    os << llvm::json::Value(text);
    os.flush();
    std::string got;
    appendJsonString(got, text);
    EXPECT_EQ(got, want) << "byte " << c;
  }
}

} // namespace
} // namespace lattice::server::http
