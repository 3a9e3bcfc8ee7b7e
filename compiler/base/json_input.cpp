// json_input.cpp - bounded JSON parsing: a linear depth scan, then llvm::json, whose error
// (message and byte offset) is turned into a line and column.
#include "base/json_input.h"

#include "llvm/Support/Error.h"

#include <cctype>
#include <cstdio>
#include <fmt/format.h>

namespace lattice {
namespace {

void locate(llvm::StringRef text, size_t offset, std::string message, JsonError &error) {
  error.offset = std::min(offset, text.size());
  error.line = 1;
  size_t lineStart = 0;
  for (size_t i = 0; i < error.offset; ++i)
    if (text[i] == '\n') {
      ++error.line;
      lineStart = i + 1;
    }
  error.column = static_cast<unsigned>(error.offset - lineStart + 1);
  if (!message.empty())
    message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
  error.message = std::move(message);
}

/// The offset of the first bracket nested deeper than `maxDepth`, if any. Strings are skipped
/// (with their escapes); anything else is llvm::json's to judge.
std::optional<size_t> tooDeep(llvm::StringRef text, unsigned maxDepth) {
  unsigned depth = 0;
  bool inString = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (inString) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
    } else if (c == '[' || c == '{') {
      if (++depth > maxDepth)
        return i;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return std::nullopt;
}

} // namespace

std::string JsonError::describe() const {
  return fmt::format("line {}, column {}: {}", line, column, message);
}

std::optional<llvm::json::Value> parseJson(llvm::StringRef text, const JsonLimits &limits,
                                           JsonError &error) {
  if (text.size() > limits.maxBytes) {
    locate(text, limits.maxBytes, fmt::format("longer than {} bytes", limits.maxBytes), error);
    return std::nullopt;
  }
  if (std::optional<size_t> at = tooDeep(text, limits.maxDepth)) {
    locate(text, *at, fmt::format("nested deeper than {} levels", limits.maxDepth), error);
    return std::nullopt;
  }
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (parsed)
    return std::move(*parsed);
  // ParseError keeps its fields private; its log text is "[LINE:COLUMN, byte=OFFSET]: MESSAGE".
  std::string logged = llvm::toString(parsed.takeError());
  unsigned line = 0, column = 0, offset = 0;
  int consumed = 0;
  if (std::sscanf(logged.c_str(), "[%u:%u, byte=%u]: %n", &line, &column, &offset, &consumed) ==
          3 &&
      consumed > 0)
    locate(text, offset, logged.substr(static_cast<size_t>(consumed)), error);
  else
    locate(text, 0, logged, error);
  return std::nullopt;
}

} // namespace lattice
