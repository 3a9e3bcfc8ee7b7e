// request_line.cpp - JSON request lines: bounded parsing (base/json_input.h), the fields by
// name, then the runtime's decision. Unknown names and bad fields deny, with the reason.
#include "query/request_line.h"

#include "base/json_input.h"

#include <fmt/format.h>

namespace lattice::query {
namespace {

bool readStringArray(const llvm::json::Object &object, llvm::StringRef key,
                     std::vector<std::string> &out, std::string &error) {
  const llvm::json::Value *value = object.get(key);
  if (value == nullptr)
    return true;
  const llvm::json::Array *array = value->getAsArray();
  if (array == nullptr) {
    error = fmt::format("`{}` must be an array of strings", key.str());
    return false;
  }
  for (const llvm::json::Value &item : *array) {
    auto text = item.getAsString();
    if (!text) {
      error = fmt::format("`{}` must be an array of strings", key.str());
      return false;
    }
    out.push_back(text->str());
  }
  return true;
}

} // namespace

bool parseRequestLine(llvm::StringRef line, RequestLine &out, std::string &error) {
  JsonError where;
  std::optional<llvm::json::Value> parsed =
      parseJson(line, JsonLimits{kMaxRequestLineBytes, kMaxJsonDepth}, where);
  if (!parsed) {
    error = fmt::format("invalid JSON at column {}: {}", where.column, where.message);
    return false;
  }
  const llvm::json::Object *object = parsed->getAsObject();
  if (object == nullptr) {
    error = "a request must be a JSON object";
    return false;
  }
  if (const llvm::json::Value *id = object->get("id"))
    out.id = *id;
  auto text = [&](llvm::StringRef key, std::string &field) {
    auto value = object->getString(key);
    if (!value) {
      error = fmt::format("missing string field `{}`", key.str());
      return false;
    }
    field = value->str();
    return true;
  };
  NamedRequest &request = out.request;
  return text("kind", request.kind) && text("permission", request.permission) &&
         text("relation", request.relation) &&
         readStringArray(*object, "roles", request.roles, error) &&
         readStringArray(*object, "flags", request.flags, error);
}

llvm::json::Object answerRequestLine(const lattice_table *table, llvm::StringRef line,
                                     size_t lineNumber, bool &failed) {
  RequestLine parsed;
  std::string error;
  std::vector<uint32_t> roles;
  lattice_request request;
  llvm::json::Object out{{"line", static_cast<int64_t>(lineNumber)}};
  const bool ok = parseRequestLine(line, parsed, error) &&
                  resolveRequest(table, parsed.request, roles, request, error);
  if (parsed.id)
    out["id"] = std::move(*parsed.id);
  if (!ok) {
    out["decision"] = "deny";
    out["error"] = error;
    failed = true;
    return out;
  }
  lattice_decision decision = lattice_decide(table, &request);
  out["decision"] = decision.allowed ? "allow" : "deny";
  out["reason"] = reasonKey(decision.reason);
  if (const char *role = lattice_role_name(table, decision.deciding_role))
    out["role"] = role;
  return out;
}

} // namespace lattice::query
