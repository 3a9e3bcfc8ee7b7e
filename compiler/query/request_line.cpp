// request_line.cpp - JSON request lines: bounded parsing (base/json_input.h), the fields by
// name, then the runtime's decision. Unknown names and bad fields deny, with the reason.
#include "query/request_line.h"

#include "base/json_input.h"
#include "query/answer_json.h"
#include "query/what_can.h"

#include <cmath>
#include <fmt/format.h>

namespace lattice::query {

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

namespace {

/// A node path: `"acme/eu"` or `["acme", "eu"]`. Errors name the field: "`target`: empty node
/// path".
bool readNode(const llvm::json::Object &object, llvm::StringRef key, NodeName &out,
              std::string &error) {
  const llvm::json::Value *value = object.get(key);
  if (value == nullptr) {
    error = fmt::format("missing field `{}` (a node path: \"a/b\" or [\"a\", \"b\"])", key.str());
    return false;
  }
  std::vector<std::string> names;
  bool ok = false;
  if (auto text = value->getAsString()) {
    std::optional<NodeName> path = parseNodePath(*text, error);
    ok = path.has_value();
    if (ok)
      out = std::move(*path);
  } else if (value->getAsArray() != nullptr && readStringArray(object, key, names, error)) {
    out = std::move(names);
    ok = checkNodeName(out, error);
  } else {
    error = "must be a node path: a string \"a/b\" or an array of strings";
  }
  if (!ok)
    error = fmt::format("`{}`: {}", key.str(), error);
  return ok;
}

bool readMemberships(const llvm::json::Object &object, std::vector<NamedMembership> &out,
                     std::string &error) {
  const llvm::json::Array *array = object.getArray("memberships");
  if (array == nullptr) {
    error = object.get("memberships") ? "`memberships` must be an array of objects"
                                      : "missing field `memberships` (an array of objects)";
    return false;
  }
  if (array->size() > kMaxMemberships) {
    error = fmt::format("{} memberships; at most {}", array->size(), kMaxMemberships);
    return false;
  }
  for (const llvm::json::Value &item : *array) {
    const size_t number = out.size() + 1;
    const llvm::json::Object *membership = item.getAsObject();
    NamedMembership named;
    if (membership == nullptr) {
      error = fmt::format("membership {} must be an object `{{\"node\": ..., \"roles\": [...], "
                          "\"flags\": [...]}}`",
                          number);
      return false;
    }
    if (!readNode(*membership, "node", named.node, error) ||
        !readStringArray(*membership, "roles", named.roles, error) ||
        !readStringArray(*membership, "flags", named.flags, error)) {
      error = fmt::format("membership {}: {}", number, error);
      return false;
    }
    out.push_back(std::move(named));
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
  return parseRequestValue(*parsed, out, error);
}

bool echoableId(const llvm::json::Value &id) {
  // Iterative: an id nested as deep as the parser allows must not overflow the stack here.
  std::vector<const llvm::json::Value *> pending{&id};
  while (!pending.empty()) {
    const llvm::json::Value *value = pending.back();
    pending.pop_back();
    if (llvm::Optional<double> number = value->getAsNumber(); number && !std::isfinite(*number))
      return false;
    if (const llvm::json::Array *array = value->getAsArray())
      for (const llvm::json::Value &element : *array)
        pending.push_back(&element);
    if (const llvm::json::Object *object = value->getAsObject())
      for (const auto &member : *object)
        pending.push_back(&member.second);
  }
  return true;
}

bool parseRequestValue(const llvm::json::Value &value, RequestLine &out, std::string &error,
                       RequestUse use) {
  const llvm::json::Object *object = value.getAsObject();
  if (object == nullptr) {
    error = "a request must be a JSON object";
    return false;
  }
  if (const llvm::json::Value *id = object->get("id")) {
    if (!echoableId(*id)) {
      error = kUnechoableId;
      return false;
    }
    out.id = *id;
  }
  auto text = [&](llvm::StringRef key, std::string &field) {
    auto value = object->getString(key);
    if (!value) {
      error = fmt::format("missing string field `{}`", key.str());
      return false;
    }
    field = value->str();
    return true;
  };
  if (const llvm::json::Value *whatCan = object->get("what_can")) {
    if (!whatCan->getAsBoolean()) {
      error = "`what_can` must be true or false";
      return false;
    }
    out.whatCan = *whatCan->getAsBoolean();
    if (out.whatCan && object->get("permission")) {
      error = "a `what_can` request asks about every permission: drop `permission`";
      return false;
    }
  }
  // A what-can line names no permission: the field reads as empty, and is not resolved.
  auto permission = [&](std::string &field) { return out.whatCan || text("permission", field); };
  const bool oneNode = object->get("roles") || object->get("relation");
  const bool listFilter = use == RequestUse::ListFilter;
  if (listFilter &&
      (oneNode || !object->get("memberships") || object->get("target") || out.whatCan)) {
    error = "a list filter is of a principal with `memberships`, about every target: it takes "
            "no `roles`, `relation`, `target` or `what_can`";
    return false;
  }
  if (listFilter || object->get("memberships") || object->get("target")) {
    if (oneNode) {
      error = "a request has either `roles` and `relation` (a principal at one node) or "
              "`memberships` and `target`, not both";
      return false;
    }
    // A list filter is about every target: it has none to read.
    NamedAccessRequest &access = out.access.emplace();
    return text("kind", access.kind) && permission(access.permission) &&
           readStringArray(*object, "flags", access.flags, error) &&
           readStringArray(*object, "facts", access.facts, error) &&
           readMemberships(*object, access.memberships, error) &&
           (listFilter || readNode(*object, "target", access.target, error));
  }
  NamedRequest &request = out.request;
  return text("kind", request.kind) && permission(request.permission) &&
         text("relation", request.relation) &&
         readStringArray(*object, "roles", request.roles, error) &&
         readStringArray(*object, "flags", request.flags, error) &&
         readStringArray(*object, "facts", request.facts, error);
}

void answerRequestLine(const lattice_table *table, llvm::StringRef line, size_t lineNumber,
                       bool &failed, std::string &out) {
  RequestLine parsed;
  std::string error;
  const bool parsedOk = parseRequestLine(line, parsed, error);
  const RequestAnswer answer = decideRequest(table, parsed, parsedOk ? nullptr : &error);
  if (answer.failed)
    failed = true;
  AnswerFields fields;
  fields.line = static_cast<int64_t>(lineNumber);
  appendAnswer(out, answer, fields);
}

RequestAnswer decideRequest(const lattice_table *table, RequestLine &parsed,
                            const std::string *parseError) {
  RequestAnswer out;
  out.id = std::move(parsed.id);
  if (parseError) {
    out.failed = true;
    out.error = *parseError;
    return out;
  }
  if (parsed.whatCan) {
    // `allowed` lists every permission the principal is allowed; on an error it is empty.
    out.whatCan = true;
    WhatCanAnswer answer;
    const bool ok = parsed.access ? whatCanAccess(table, *parsed.access, answer, out.error)
                                  : whatCanAtNode(table, parsed.request, answer, out.error);
    if (!ok)
      out.failed = true;
    else
      for (uint32_t p : answer.allowed)
        out.allowedPermissions.push_back(lattice_permission_name(table, p));
    return out;
  }
  std::vector<uint32_t> roles;
  lattice_request request;
  ResolvedAccessRequest access;
  if (!(parsed.access ? resolveAccessRequest(table, *parsed.access, access, out.error)
                      : resolveRequest(table, parsed.request, roles, request, out.error))) {
    out.failed = true;
    return out;
  }
  lattice_decision decision;
  if (parsed.access) {
    const lattice_access_decision d = access.decide(table);
    decision = lattice_decision{d.allowed, d.reason, d.deciding_role};
    if (auto m = decidingMembership(d, parsed.access->memberships.size()))
      out.membership = static_cast<int64_t>(*m);
  } else {
    decision = lattice_decide(table, &request);
  }
  out.allowed = decision.allowed;
  out.reason = reasonKey(decision.reason);
  out.role = lattice_role_name(table, decision.deciding_role);
  const uint32_t ceiling =
      lattice_custom_role_ceiling(access.customRoles(), decision.deciding_role);
  if (ceiling != LATTICE_NO_ID)
    out.customRole = lattice_ceiling_name(table, ceiling);
  return out;
}

} // namespace lattice::query
