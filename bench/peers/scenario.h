// scenario.h - reads a bench/scenario folder (nodes, users, resources, requests as text lines).
// Shared by the reference answers and the Lattice driver; standard C++ only, names kept as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bench {

struct Node {
  int64_t parent = -1; // -1 for a tenant (a root)
  std::string kind;    // tenant, account, subaccount
  bool business = false;
};

struct User {
  std::string kind; // tenant_user, account_user, subaccount_user
  uint32_t node = 0;
  bool blocked = false;
  std::vector<std::string> roles;
};

struct Resource {
  std::string type; // station, card, account, customer
  uint32_t owner = 0;
};

struct Request {
  uint32_t user = 0;
  std::string permission; // resource.action
  uint32_t resource = 0;
};

struct Entities {
  std::vector<Node> nodes;
  std::vector<User> users;
  std::vector<Resource> resources;
};

/// Reads nodes.txt, users.txt and resources.txt of `dir`. On a malformed line or a reference out
/// of range returns nullopt and sets `error` to a message naming the file and line.
std::optional<Entities> readEntities(const std::string &dir, std::string &error);

/// Reads requests.txt of `dir`; ids are checked against the numbers of users and resources.
std::optional<std::vector<Request>> readRequests(const std::string &dir, size_t users,
                                                 size_t resources, std::string &error);

/// Writes one line per answer, "1" allowed or "0" denied; false on an I/O error.
bool writeAnswers(const std::string &path, const std::vector<uint8_t> &answers);

} // namespace bench
