// server_test.cpp - the language server in process (the real Server, its worker thread and
// the real compiler): protocol states, debounce, latest-version-wins, requests answered while
// a check runs, cancellation.
#include "diagnostics/sarif.h"
#include "generated_policy.h"
#include "lsp/server.h"

#include <deque>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace lattice::lsp {
namespace {

namespace fs = std::filesystem;
namespace json = llvm::json;
using namespace std::chrono_literals;

/// A temporary folder holding one policy file, removed afterwards.
class Folder {
public:
  explicit Folder(const std::string &text) {
    dir = fs::temp_directory_path() /
          ("lattice_lsp_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
    std::ofstream(dir / "policy.lat") << text;
    uri = fileUri(fs::canonical(dir / "policy.lat").string());
  }
  ~Folder() { fs::remove_all(dir); }
  fs::path dir;
  std::string uri;
  static inline int counter = 0;
};

/// Every message the server sent, safe to read while it runs.
struct Messages {
  std::mutex mutex;
  std::deque<json::Value> all; // a deque: adding never copies the (large) earlier messages
  void add(const std::string &text) {
    llvm::Expected<json::Value> message = json::parse(text);
    ASSERT_TRUE(static_cast<bool>(message)) << llvm::toString(message.takeError());
    std::lock_guard lock(mutex);
    all.push_back(std::move(*message));
  }
  /// Calls `visit` on each message so far, in order.
  template <typename Visit> void each(Visit visit) {
    std::lock_guard lock(mutex);
    for (const json::Value &message : all)
      visit(*message.getAsObject());
  }
  /// The (version, diagnostic count) of each publishDiagnostics for `uri`, in order.
  std::vector<std::pair<int64_t, size_t>> published(const std::string &uri) {
    std::vector<std::pair<int64_t, size_t>> out;
    each([&](const json::Object &object) {
      if (object.getString("method") != llvm::StringRef("textDocument/publishDiagnostics"))
        return;
      const json::Object *params = object.getObject("params");
      if (params->getString("uri") != llvm::StringRef(uri))
        return;
      out.push_back(
          {params->getInteger("version").getValueOr(-1), params->getArray("diagnostics")->size()});
    });
    return out;
  }
  /// The error code of the response to request `id`, or 0.
  int64_t errorCode(int64_t id) {
    std::optional<json::Object> answer = response(id);
    const json::Object *error = answer ? answer->getObject("error") : nullptr;
    return error ? error->getInteger("code").getValueOr(0) : 0;
  }
  /// The response to request `id`.
  std::optional<json::Object> response(int64_t id) {
    std::optional<json::Object> found;
    each([&](const json::Object &object) {
      if (object.getInteger("id") == llvm::Optional<int64_t>(id) && !object.get("method"))
        found = object;
    });
    return found;
  }
};

json::Value request(int64_t id, const char *method, json::Object params = {}) {
  return json::Object{
      {"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}
json::Value notification(const char *method, json::Object params) {
  return json::Object{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}};
}
json::Value hover(int64_t id, const std::string &uri, uint32_t line, uint32_t character) {
  return request(
      id, "textDocument/hover",
      json::Object{{"textDocument", json::Object{{"uri", uri}}},
                   {"position", json::Object{{"line", line}, {"character", character}}}});
}
json::Value didOpen(const std::string &uri, const std::string &text, int64_t version = 1) {
  return notification("textDocument/didOpen",
                      json::Object{{"textDocument", json::Object{{"uri", uri},
                                                                 {"languageId", "lattice"},
                                                                 {"version", version},
                                                                 {"text", text}}}});
}
json::Value didChange(const std::string &uri, int64_t version, uint32_t line, uint32_t from,
                      uint32_t to, const std::string &text) {
  json::Object range{{"start", json::Object{{"line", line}, {"character", from}}},
                     {"end", json::Object{{"line", line}, {"character", to}}}};
  return notification(
      "textDocument/didChange",
      json::Object{{"textDocument", json::Object{{"uri", uri}, {"version", version}}},
                   {"contentChanges",
                    json::Array{json::Object{{"range", std::move(range)}, {"text", text}}}}});
}

struct Session {
  explicit Session(std::chrono::milliseconds debounce)
      : server([this](const std::string &m) { messages.add(m); }, ServerOptions{debounce, {}}) {
    EXPECT_TRUE(
        server.handle(request(1, "initialize", json::Object{{"capabilities", json::Object{}}})));
  }
  Messages messages;
  Server server;
};

const std::string kSmall = "policy p;\nscope tenant;\nusertype user at tenant;\n"
                           "resource doc owned_by tenant { view, edit; }\n"
                           "role viewer for user { allow doc.view; }\n"
                           "role editor for user extends viewer { allow doc.edit; }\n";

TEST(Server, ProtocolStates) {
  Messages messages;
  Server server([&](const std::string &m) { messages.add(m); });
  server.handle(request(1, "textDocument/hover"));
  EXPECT_EQ(messages.errorCode(1), -32002);
  server.handle(request(2, "initialize"));
  EXPECT_EQ(messages.response(2)->getObject("capabilities") == nullptr &&
                messages.response(2)->getObject("result") != nullptr,
            true);
  EXPECT_EQ(messages.response(2)
                ->getObject("result")
                ->getObject("capabilities")
                ->getString("positionEncoding"),
            llvm::StringRef("utf-16"));
  server.handle(request(3, "textDocument/nonsense"));
  EXPECT_EQ(messages.errorCode(3), -32601);
  server.handleText("{not json");
  std::optional<int64_t> parseError;
  messages.each([&](const json::Object &object) {
    if (const json::Object *error = object.getObject("error"))
      parseError = error->getInteger("code").getValueOr(0);
  });
  EXPECT_EQ(parseError, -32700);
  server.cancel(json::Value(4));
  server.handle(request(4, "textDocument/hover"));
  EXPECT_EQ(messages.errorCode(4), -32800);
  server.handle(request(5, "shutdown"));
  EXPECT_TRUE(messages.response(5)->get("result"));
  server.handle(request(6, "textDocument/hover"));
  EXPECT_EQ(messages.errorCode(6), -32600);
  EXPECT_FALSE(server.handle(notification("exit", {})));
  EXPECT_EQ(server.exitCode(), 0);

  Server abrupt([](const std::string &) {});
  EXPECT_FALSE(abrupt.handle(notification("exit", {})));
  EXPECT_EQ(abrupt.exitCode(), 1);
}

// An id that is neither an integer nor a string is refused with a null id: echoed, 1e999 was
// written as `inf`, which is not JSON (Messages::add would fail to parse it).
TEST(Server, RefusesAnIdThatIsNotAnIntegerOrAString) {
  Messages messages;
  Server server([&](const std::string &m) { messages.add(m); });
  server.handleText(R"({"jsonrpc": "2.0", "id": 1e999, "method": "initialize", "params": {}})");
  server.handleText(R"({"jsonrpc": "2.0", "id": 1.5, "method": "initialize", "params": {}})");
  std::vector<std::pair<bool, int64_t>> answers; // (id is null, error code)
  messages.each([&](const json::Object &object) {
    const json::Object *error = object.getObject("error");
    answers.push_back({object.get("id") && object.get("id")->getAsNull().hasValue(),
                       error ? error->getInteger("code").getValueOr(0) : 0});
  });
  EXPECT_EQ(answers, (std::vector<std::pair<bool, int64_t>>{{true, -32600}, {true, -32600}}));
  server.handleText(R"({"jsonrpc": "2.0", "id": "a", "method": "initialize", "params": {}})");
  bool initialized = false;
  messages.each([&](const json::Object &object) {
    initialized |= object.getString("id") == llvm::StringRef("a") && object.get("result");
  });
  EXPECT_TRUE(initialized);
}

TEST(Server, OffersUtf8WhenTheClientDoes) {
  Messages messages;
  Server server([&](const std::string &m) { messages.add(m); });
  server.handle(request(
      1, "initialize",
      json::Object{{"capabilities",
                    json::Object{{"general", json::Object{{"positionEncodings",
                                                           json::Array{"utf-16", "utf-8"}}}}}}}));
  EXPECT_EQ(messages.response(1)
                ->getObject("result")
                ->getObject("capabilities")
                ->getString("positionEncoding"),
            llvm::StringRef("utf-8"));
}

TEST(Server, ABurstOfChangesIsOneCheckOfTheLastVersion) {
  Folder folder(kSmall);
  Session session(200ms);
  session.server.handle(didOpen(folder.uri, kSmall));
  // Five keystrokes inside the debounce: `viewer` -> `viewerXXXXX` at line 5, column 35.
  for (int v = 2; v <= 6; ++v)
    session.server.handle(didChange(folder.uri, v, 5, 35, 35, "X"));
  ASSERT_TRUE(session.server.waitIdle(10s));
  auto published = session.messages.published(folder.uri);
  ASSERT_EQ(published.size(), 1u);
  EXPECT_EQ(published[0].first, 6);
  EXPECT_EQ(published[0].second, 1u); // the unknown role `viewerXXXXX`
}

TEST(Server, AStaleCheckNeverOverwritesANewerOne) {
  std::string big = testing::generatedPolicy(3000);
  Folder folder(big);
  Session session(0ms);
  session.server.handle(didOpen(folder.uri, big));
  ASSERT_TRUE(session.server.waitIdle(60s));
  // Edits arrive while checks run; each result that a newer edit overtook is dropped.
  // `role role1 for user extends role0 {` is line 33; `role0` ends at column 33.
  for (int v = 2; v <= 6; ++v) {
    session.server.handle(didChange(folder.uri, v, 33, 33, 33, v % 2 ? "" : "x"));
    std::this_thread::sleep_for(30ms);
  }
  ASSERT_TRUE(session.server.waitIdle(60s));
  auto published = session.messages.published(folder.uri);
  ASSERT_GE(published.size(), 2u);
  for (size_t i = 1; i < published.size(); ++i)
    EXPECT_LT(published[i - 1].first, published[i].first) << "versions only grow";
  EXPECT_EQ(published.back().first, 6);
  // Versions 2, 4 and 6 typed an `x`: `extends role0xxx` is the one error.
  EXPECT_EQ(published.back().second, 1u);
}

TEST(Server, RequestsAreAnsweredWhileACheckRuns) {
  std::string big = testing::generatedPolicy(6000);
  Folder folder(big);
  Session session(0ms);
  session.server.handle(didOpen(folder.uri, big));
  ASSERT_TRUE(session.server.waitIdle(60s));
  session.server.handle(didChange(folder.uri, 2, 33, 33, 33, "x"));
  std::this_thread::sleep_for(20ms); // the check has started
  auto start = std::chrono::steady_clock::now();
  // Hover `role0` in role1's `extends role0` (line 33 of the text checked before).
  session.server.handle(hover(7, folder.uri, 33, 30));
  auto took = std::chrono::steady_clock::now() - start;
  bool stillChecking = !session.server.waitIdle(0ms);
  std::optional<json::Object> hover = session.messages.response(7);
  ASSERT_TRUE(hover);
  const json::Object *result = hover->getObject("result");
  ASSERT_TRUE(result) << "answered from the last good snapshot";
  EXPECT_TRUE(result->getObject("contents")->getString("value")->contains("role0"));
  EXPECT_LT(took, 200ms);
  EXPECT_TRUE(stillChecking) << "the check of 6000 roles was still running";
  ASSERT_TRUE(session.server.waitIdle(60s));
}

TEST(Server, ABrokenFileBesideTheDocumentDoesNotFreezeItsIndex) {
  Folder folder(kSmall);
  std::ofstream(folder.dir / "broken.lat") << "role {{{ nonsense\n";
  Session session(0ms);
  session.server.handle(didOpen(folder.uri, kSmall));
  ASSERT_TRUE(session.server.waitIdle(10s));
  // A role added to the open document: hover finds it, though `broken.lat` never parses.
  session.server.handle(didChange(folder.uri, 2, 6, 0, 0, "role admin for user { }\n"));
  ASSERT_TRUE(session.server.waitIdle(10s));
  session.server.handle(hover(3, folder.uri, 6, 7));
  std::optional<json::Object> hover = session.messages.response(3);
  ASSERT_TRUE(hover);
  const json::Object *result = hover->getObject("result");
  ASSERT_TRUE(result);
  EXPECT_TRUE(result->getObject("contents")->getString("value")->contains("`admin`"));
  // The broken file's syntax error is published under its own URI.
  EXPECT_FALSE(
      session.messages.published(fileUri(fs::canonical(folder.dir / "broken.lat").string()))
          .empty());
}

} // namespace
} // namespace lattice::lsp
