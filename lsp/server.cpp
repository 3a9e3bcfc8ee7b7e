// server.cpp - dispatch of JSON-RPC messages, document sync and the check worker: a change
// marks its folder due after the debounce; the worker compiles the newest texts and publishes
// only if no change came meanwhile (a stale result never overwrites a newer one).
#include "lsp/server.h"

#include "base/json_input.h"
#include "lsp/protocol.h"
#include "lsp/uri.h"
#include "parse/module_loader.h"

#include "llvm/Support/raw_ostream.h"

#include <filesystem>

namespace lattice::lsp {

namespace json = llvm::json;

namespace {

std::string idKey(const json::Value &id) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << id;
  return out.str();
}

std::string folderOf(const std::string &path) {
  return std::filesystem::path(path).parent_path().string();
}

} // namespace

Server::Server(Output output, ServerOptions options)
    : output(std::move(output)), options(std::move(options)) {
  worker = std::thread([this] { workerLoop(); });
}

Server::~Server() {
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  wake.notify_all();
  worker.join();
}

void Server::send(const json::Value &message) {
  std::string text;
  llvm::raw_string_ostream out(text);
  out << message;
  out.flush();
  sendText(text);
}

void Server::sendText(const std::string &message) {
  std::lock_guard lock(outputMutex);
  output(message);
}

void Server::reply(const json::Value &id, json::Value result) {
  send(json::Object{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}});
}

void Server::replyError(const json::Value &id, int code, const std::string &message) {
  send(json::Object{{"jsonrpc", "2.0"},
                    {"id", id},
                    {"error", json::Object{{"code", code}, {"message", message}}}});
}

void Server::cancel(const json::Value &id) {
  std::lock_guard lock(mutex);
  cancelled.insert(idKey(id));
}

bool Server::handleText(llvm::StringRef body) {
  JsonError error;
  std::optional<json::Value> message = parseJson(body, JsonLimits{body.size() + 1}, error);
  if (!message) {
    replyError(nullptr, -32700, "parse error: " + error.describe());
    return true;
  }
  return handle(*message);
}

bool Server::handle(const json::Value &message) {
  const json::Object *object = message.getAsObject();
  if (object == nullptr) {
    replyError(nullptr, -32600, "a message is a JSON object");
    return true;
  }
  const json::Value *id = object->get("id");
  // JSON-RPC ids are integers or strings. Any other number is refused (with a null id) rather
  // than echoed: llvm::json reads 1e999 as infinity and would write it back as `inf`, not JSON.
  if (id != nullptr && !id->getAsInteger() && !id->getAsString() && !id->getAsNull()) {
    replyError(nullptr, -32600, "`id` must be an integer or a string");
    return true;
  }
  auto method = object->getString("method");
  if (!method) {
    if (id == nullptr) // a response to a request of ours: the server sends none that need one
      replyError(nullptr, -32600, "a message without `method` nor `id`");
    return true;
  }
  static const json::Object noParams;
  const json::Object *params = object->getObject("params");
  if (params == nullptr)
    params = &noParams;

  if (id == nullptr) { // a notification: never answered
    if (*method == "exit")
      return false;
    if (*method == "$/cancelRequest") {
      if (const json::Value *target = params->get("id"))
        cancel(*target);
      return true;
    }
    if (!initialized || shutdownReceived)
      return true;
    if (*method == "textDocument/didOpen")
      didOpen(*params);
    else if (*method == "textDocument/didChange")
      didChange(*params);
    else if (*method == "textDocument/didClose")
      didClose(*params);
    return true;
  }

  {
    std::lock_guard lock(mutex);
    if (cancelled.erase(idKey(*id))) {
      replyError(*id, -32800, "request cancelled");
      return true;
    }
  }
  if (*method == "initialize") {
    if (initialized) {
      replyError(*id, -32600, "`initialize` was already received");
      return true;
    }
    reply(*id, initialize(*params));
    initialized = true;
    return true;
  }
  if (!initialized) {
    replyError(*id, -32002, "the server is not initialized");
    return true;
  }
  if (shutdownReceived) {
    replyError(*id, -32600, "the server is shut down");
    return true;
  }
  if (*method == "shutdown") {
    shutdownReceived = true;
    reply(*id, nullptr);
    return true;
  }
  using Handler = json::Value (Server::*)(const json::Object &, Error &);
  static const std::map<std::string, Handler, std::less<>> handlers = {
      {"textDocument/hover", &Server::hover},
      {"textDocument/definition", &Server::definition},
      {"textDocument/references", &Server::references},
      {"textDocument/prepareRename", &Server::prepareRename},
      {"textDocument/rename", &Server::rename},
      {"textDocument/documentSymbol", &Server::documentSymbol},
      {"textDocument/formatting", &Server::formatting},
      {"textDocument/codeAction", &Server::codeAction},
      {"textDocument/completion", &Server::completion},
  };
  auto handler = handlers.find(*method);
  if (handler == handlers.end()) {
    replyError(*id, -32601, "no method `" + method->str() + "`");
    return true;
  }
  Error error;
  json::Value result = (this->*handler->second)(*params, error);
  if (error.code != 0)
    replyError(*id, error.code, error.message);
  else
    reply(*id, std::move(result));
  return true;
}

void Server::didOpen(const json::Object &params) {
  const json::Object *item = params.getObject("textDocument");
  if (item == nullptr)
    return;
  auto uri = item->getString("uri");
  auto text = item->getString("text");
  if (!uri || !text)
    return;
  std::optional<std::string> path = uriToPath(*uri);
  if (!path)
    return; // not a file: no folder to check it in
  std::lock_guard lock(mutex);
  documents.open(Document{uri->str(), parse::canonicalPath(*path), text->str(),
                          item->getInteger("version").getValueOr(0)});
  schedule(folderOf(documents.find(uri->str())->path));
}

void Server::didChange(const json::Object &params) {
  std::optional<std::string> uri = documentUri(params);
  const json::Array *changes = params.getArray("contentChanges");
  if (!uri || changes == nullptr)
    return;
  std::lock_guard lock(mutex);
  Document *document = documents.find(*uri);
  if (document == nullptr)
    return;
  for (const json::Value &value : *changes) {
    const json::Object *change = value.getAsObject();
    if (change == nullptr || !change->getString("text"))
      continue;
    TextChange edit{std::nullopt, change->getString("text")->str()};
    if (change->getObject("range")) {
      edit.range = readRange(change->get("range"));
      if (!edit.range)
        continue;
    }
    applyChange(document->text, edit, encoding);
  }
  if (const json::Object *versioned = params.getObject("textDocument"))
    document->version = versioned->getInteger("version").getValueOr(document->version + 1);
  schedule(folderOf(document->path));
}

void Server::didClose(const json::Object &params) {
  std::optional<std::string> uri = documentUri(params);
  if (!uri)
    return;
  std::lock_guard lock(mutex);
  Document *document = documents.find(*uri);
  if (document == nullptr)
    return;
  std::string folder = folderOf(document->path);
  documents.close(*uri);
  schedule(folder); // the file on disk stands for it again
}

void Server::schedule(const std::string &folder) {
  ++generation[folder];
  pending[folder] = Pending{std::chrono::steady_clock::now() + options.debounce};
  wake.notify_all();
}

void Server::workerLoop() {
  std::unique_lock lock(mutex);
  while (!stopping) {
    if (pending.empty()) {
      wake.wait(lock);
      continue;
    }
    auto next = std::min_element(pending.begin(), pending.end(),
                                 [](auto &a, auto &b) { return a.second.due < b.second.due; });
    if (std::chrono::steady_clock::now() < next->second.due) {
      wake.wait_until(lock, next->second.due);
      continue;
    }
    std::string folder = next->first;
    pending.erase(next);
    uint64_t seen = generation[folder];
    std::map<std::string, std::string> overlay;
    std::map<std::string, int64_t> versions;
    for (const auto &[uri, document] : documents.all()) {
      overlay[document.path] = document.text;
      versions[uri] = document.version;
    }
    Encoding used = encoding;
    checking = true;
    lock.unlock();
    std::shared_ptr<Snapshot> snapshot =
        buildSnapshot(folder, overlay, std::move(versions), options.warnings);
    overlay.clear();
    std::map<std::string, DiagnosticsText> diagnostics;
    bool overtaken;
    {
      std::lock_guard peek(mutex);
      overtaken = generation[folder] != seen;
    }
    if (!overtaken) // else a newer text waits: converting these diagnostics is wasted
      diagnostics = lspDiagnostics(*snapshot, used);
    lock.lock();
    // Published only if no change came meanwhile: that change's check is pending and newer.
    std::vector<std::string> messages;
    std::shared_ptr<const Snapshot> replacedGood, replacedLatest;
    if (generation[folder] == seen) {
      replacedLatest = std::exchange(latest[folder], snapshot);
      if (snapshot->parsedAll || !good.count(folder))
        replacedGood = std::exchange(good[folder], snapshot);
      messages = publications(folder, *snapshot, std::move(diagnostics));
    }
    // Sending and freeing a large compilation take time: not while requests wait for `mutex`.
    // One worker sends everything, so publications still go out in order.
    lock.unlock();
    for (const std::string &message : messages)
      sendText(message);
    messages.clear();
    replacedGood.reset();
    replacedLatest.reset();
    snapshot.reset();
    diagnostics.clear();
    lock.lock();
    checking = false;
    idle.notify_all();
  }
}

std::vector<std::string> Server::publications(const std::string &folder, const Snapshot &snapshot,
                                              std::map<std::string, DiagnosticsText> diagnostics) {
  std::vector<std::string> out;
  // Documents are known by the URI the client used; diagnostics by the canonical path's.
  std::map<std::string, std::string> clientUri = documents.clientUris();
  std::map<std::string, DiagnosticsText> byTarget;
  for (auto &[uri, list] : diagnostics) {
    auto client = clientUri.find(uri);
    byTarget[client == clientUri.end() ? uri : client->second] = std::move(list);
  }
  std::set<std::string> uris = published[folder];
  for (const auto &[uri, list] : byTarget)
    uris.insert(uri);
  for (const auto &[uri, document] : documents.all())
    if (folderOf(document.path) == folder)
      uris.insert(uri);
  std::set<std::string> now;
  for (const std::string &uri : uris) {
    auto it = byTarget.find(uri);
    if (it != byTarget.end() && it->second.count > 0)
      now.insert(uri);
    std::string text;
    llvm::raw_string_ostream stream(text);
    json::OStream message(stream);
    message.object([&] {
      message.attribute("jsonrpc", "2.0");
      message.attribute("method", "textDocument/publishDiagnostics");
      message.attributeObject("params", [&] {
        message.attribute("uri", uri);
        if (auto version = snapshot.versions.find(uri); version != snapshot.versions.end())
          message.attribute("version", version->second);
        message.attributeBegin("diagnostics");
        message.rawValue(it == byTarget.end() ? llvm::StringRef("[]")
                                              : llvm::StringRef(it->second.array));
        message.attributeEnd();
      });
    });
    stream.flush();
    out.push_back(std::move(text));
  }
  published[folder] = std::move(now);
  return out;
}

bool Server::waitIdle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex);
  return idle.wait_for(lock, timeout, [&] { return pending.empty() && !checking; });
}

std::shared_ptr<const Snapshot> Server::snapshotOf(const std::string &path) {
  std::lock_guard lock(mutex);
  std::string folder = folderOf(path);
  // The newest check if this file parsed in it (another file of the folder may not have: its
  // names are then missing, but this file's are current), else the last check where all did.
  if (auto it = latest.find(folder); it != latest.end() && it->second->parsed(path))
    return it->second;
  if (auto it = good.find(folder); it != good.end())
    return it->second;
  return nullptr;
}

} // namespace lattice::lsp
