// answer_json.cpp - answers written as JSON text directly. The keys are written in sorted order
// and strings escaped as llvm::json does, so the bytes equal a rendered llvm::json object
// (tests/unit/answer_json_test.cpp compares them).
#include "query/answer_json.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <charconv>

namespace lattice::query {
namespace {

void appendInteger(std::string &out, int64_t value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, value).ptr);
}

/// Writes `"key":` after a comma when the object has a field already.
void key(std::string &out, bool &first, const char *name) {
  if (!first)
    out += ',';
  first = false;
  out += '"';
  out += name;
  out += "\":";
}

} // namespace

void appendJsonString(std::string &out, llvm::StringRef text) {
  if (!llvm::json::isUTF8(text)) // as json::Value does with a string it is given
    return appendJsonString(out, llvm::json::fixUTF8(text));
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  auto plain = [](char c) {
    return static_cast<unsigned char>(c) >= 0x20 && c != '"' && c != '\\';
  };
  // Characters that need no escape are appended a run at a time (names are nothing else).
  for (const char *at = text.begin(), *end = text.end(); at != end;) {
    const char *run = std::find_if_not(at, end, plain);
    out.append(at, run);
    if (run == end)
      break;
    const unsigned char c = static_cast<unsigned char>(*run);
    at = run + 1;
    if (c == '"' || c == '\\') {
      out += '\\';
      out += char(c);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  out += '"';
}

void appendAnswer(std::string &out, const RequestAnswer &answer, const AnswerFields &fields) {
  bool first = true;
  out += '{';
  // In sorted key order: allowed, custom_role, decision, decision_id, error, id, line,
  // membership, reason, role.
  const bool whatCan = answer.whatCan || (fields.asWhatCan && answer.failed);
  const bool decided = !whatCan && !answer.failed;
  if (whatCan) {
    key(out, first, "allowed");
    out += '[';
    for (size_t i = 0; i < answer.allowedPermissions.size(); ++i) {
      if (i)
        out += ',';
      appendJsonString(out, answer.allowedPermissions[i]);
    }
    out += ']';
  }
  if (decided && answer.customRole) {
    key(out, first, "custom_role");
    appendJsonString(out, answer.customRole);
  }
  if (!whatCan) {
    key(out, first, "decision");
    out += decided && answer.allowed ? "\"allow\"" : "\"deny\"";
  }
  if (fields.decisionId) {
    key(out, first, "decision_id");
    appendJsonString(out, *fields.decisionId);
  }
  if (answer.failed) {
    key(out, first, "error");
    appendJsonString(out, answer.error);
  }
  if (answer.id) {
    key(out, first, "id");
    llvm::raw_string_ostream os(out);
    os << *answer.id;
    os.flush();
  }
  if (fields.line) {
    key(out, first, "line");
    appendInteger(out, *fields.line);
  }
  if (decided) {
    if (answer.membership) {
      key(out, first, "membership");
      appendInteger(out, *answer.membership);
    }
    if (answer.reason) {
      key(out, first, "reason");
      appendJsonString(out, answer.reason);
    }
    if (answer.role) {
      key(out, first, "role");
      appendJsonString(out, answer.role);
    }
  }
  out += '}';
}

} // namespace lattice::query
