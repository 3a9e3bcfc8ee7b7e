// reference_answers.cpp - the truth of the side-by-side harness: decides every request of a
// scenario with the reference interpreter on the checked model (no table, no runtime, no labels).
#include "driver/compile.h"
#include "reference/interpreter.h"
#include "scenario.h"

#include <cstdio>
#include <map>
#include <optional>
#include <string>

using namespace lattice;

namespace {

/// Name -> id over any list of named declarations.
template <typename T> std::map<std::string, uint32_t> idsByName(const std::vector<T> &items) {
  std::map<std::string, uint32_t> ids;
  for (uint32_t i = 0; i < items.size(); ++i)
    ids.emplace(items[i].name, i);
  return ids;
}

uint32_t tenantOf(const bench::Entities &e, uint32_t node) {
  while (e.nodes[node].parent >= 0)
    node = uint32_t(e.nodes[node].parent);
  return node;
}

/// True if `node` is `ancestor` or lies below it.
bool inSubtree(const bench::Entities &e, uint32_t node, uint32_t ancestor) {
  for (int64_t n = node; n >= 0; n = e.nodes[n].parent)
    if (uint32_t(n) == ancestor)
      return true;
  return false;
}

/// The relation of the owner node to the principal's node by walking parents, independent of the
/// runtime's interval labels; nullopt for another tree.
std::optional<sema::Relation> relation(const bench::Entities &e, uint32_t principal,
                                       uint32_t owner) {
  if (tenantOf(e, principal) != tenantOf(e, owner))
    return std::nullopt;
  if (principal == owner)
    return sema::Relation::Same;
  if (inSubtree(e, owner, principal))
    return sema::Relation::Descendant;
  if (inSubtree(e, principal, owner))
    return sema::Relation::Ancestor;
  return sema::Relation::Tenant;
}

int fail(const std::string &message) {
  std::fprintf(stderr, "reference_answers: %s\n", message.c_str());
  return 1;
}

} // namespace

int main(int argc, char **argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: reference_answers POLICY.lat SCENARIO_DIR ANSWERS_OUT\n");
    return 2;
  }
  driver::FrontendOptions options;
  options.files = {argv[1]};
  driver::FrontendResult front = driver::runFrontend(options);
  if (!front.model)
    return fail("the policy does not check");
  const sema::Model &model = *front.model;

  std::string error;
  std::optional<bench::Entities> entities = bench::readEntities(argv[2], error);
  if (!entities)
    return fail(error);
  std::optional<std::vector<bench::Request>> requests =
      bench::readRequests(argv[2], entities->users.size(), entities->resources.size(), error);
  if (!requests)
    return fail(error);

  auto kinds = idsByName(model.kinds), roles = idsByName(model.roles),
       permissions = idsByName(model.permissions), flags = idsByName(model.flags);
  auto find = [&](const std::map<std::string, uint32_t> &ids, const std::string &name,
                  const char *what) -> std::optional<uint32_t> {
    auto it = ids.find(name);
    if (it == ids.end()) {
      error = std::string("the policy has no ") + what + " `" + name + "`";
      return std::nullopt;
    }
    return it->second;
  };
  // The scenario's flags; a policy without one (the plain workload's) is given only the others.
  auto flagMask = [&](const char *name) {
    auto it = flags.find(name);
    return it == flags.end() ? sema::FlagMask{0} : sema::FlagMask{1} << it->second;
  };
  const sema::FlagMask blocked = flagMask("blocked"), business = flagMask("business");

  std::vector<uint8_t> answers;
  answers.reserve(requests->size());
  for (const bench::Request &q : *requests) {
    const bench::User &user = entities->users[q.user];
    uint32_t owner = entities->resources[q.resource].owner;
    reference::Request request;
    std::optional<uint32_t> kind = find(kinds, user.kind, "user type"),
                            permission = find(permissions, q.permission, "permission");
    if (!kind || !permission)
      return fail(error);
    request.kind = *kind;
    request.permission = *permission;
    for (const std::string &name : user.roles) {
      std::optional<uint32_t> role = find(roles, name, "role");
      if (!role)
        return fail(error);
      request.roles.push_back(*role);
    }
    request.flags =
        (user.blocked ? blocked : 0) | (entities->nodes[user.node].business ? business : 0);
    std::optional<sema::Relation> rel = relation(*entities, user.node, owner);
    // Nothing reaches into another tree (docs/language.md): such a request is denied.
    bool allowed = false;
    if (rel) {
      request.relation = *rel;
      allowed = reference::decide(model, request).allowed;
    }
    answers.push_back(allowed);
  }
  if (!bench::writeAnswers(argv[3], answers))
    return fail(std::string("cannot write ") + argv[3]);
  return 0;
}
