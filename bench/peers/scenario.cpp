// scenario.cpp - the text reader of scenario.h: one record per line, fields separated by spaces.
// Ids are dense and in line order, so a record's position is its id; the reader checks both.
#include "scenario.h"

#include <fstream>
#include <sstream>

namespace bench {
namespace {

/// Calls `parse(line, fields)` for every line of `dir/name`, with the line's id as its first field
/// checked to be its position. Returns false with `error` set on the first bad line.
template <typename Parse>
bool forEachLine(const std::string &dir, const char *name, std::string &error, Parse parse) {
  std::string path = dir + "/" + name;
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::string line;
  for (uint64_t number = 0; std::getline(in, line); ++number) {
    std::istringstream fields(line);
    uint64_t id = 0;
    if (!(fields >> id) || id != number || !parse(fields)) {
      error = path + ":" + std::to_string(number + 1) + ": malformed line `" + line + "`";
      return false;
    }
  }
  return true;
}

std::vector<std::string> splitCommas(const std::string &text) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, ',');)
    parts.push_back(part);
  return parts;
}

} // namespace

std::optional<Entities> readEntities(const std::string &dir, std::string &error) {
  Entities e;
  bool ok = forEachLine(dir, "nodes.txt", error, [&](std::istringstream &f) {
    Node node;
    int business = 0;
    // Parents come first, so a tree is readable in one pass.
    if (!(f >> node.parent >> node.kind >> business) || node.parent < -1 ||
        node.parent >= int64_t(e.nodes.size()))
      return false;
    node.business = business != 0;
    e.nodes.push_back(std::move(node));
    return true;
  });
  ok = ok && forEachLine(dir, "users.txt", error, [&](std::istringstream &f) {
         User user;
         int blocked = 0;
         std::string roles;
         if (!(f >> user.kind >> user.node >> blocked >> roles) || user.node >= e.nodes.size())
           return false;
         user.blocked = blocked != 0;
         user.roles = splitCommas(roles);
         e.users.push_back(std::move(user));
         return true;
       });
  ok = ok && forEachLine(dir, "resources.txt", error, [&](std::istringstream &f) {
         Resource resource;
         if (!(f >> resource.type >> resource.owner) || resource.owner >= e.nodes.size())
           return false;
         e.resources.push_back(std::move(resource));
         return true;
       });
  if (!ok)
    return std::nullopt;
  return e;
}

std::optional<std::vector<Request>> readRequests(const std::string &dir, size_t users,
                                                 size_t resources, std::string &error) {
  std::vector<Request> requests;
  // Requests carry no id: the reader numbers lines itself.
  std::string path = dir + "/requests.txt";
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path;
    return std::nullopt;
  }
  std::string line;
  for (uint64_t number = 1; std::getline(in, line); ++number) {
    std::istringstream f(line);
    Request request;
    if (!(f >> request.user >> request.permission >> request.resource) || request.user >= users ||
        request.resource >= resources) {
      error = path + ":" + std::to_string(number) + ": malformed line `" + line + "`";
      return std::nullopt;
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

bool writeAnswers(const std::string &path, const std::vector<uint8_t> &answers) {
  std::ofstream out(path);
  for (uint8_t answer : answers)
    out << (answer ? "1\n" : "0\n");
  return bool(out.flush());
}

} // namespace bench
