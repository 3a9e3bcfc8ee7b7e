// options.cpp - `lattice-serve`'s options: a table of names, each with its parser, so that --help
// and the parser cannot disagree.
#include "server/options.h"

#include <charconv>
#include <cmath>
#include <fmt/format.h>
#include <functional>

namespace lattice::server {
namespace {

struct Option {
  const char *name;
  const char *value; // "" for a switch
  const char *help;
  using Apply = std::function<std::optional<std::string>(const std::string &, ServeOptions &)>;
  Apply apply;
};

std::optional<uint64_t> number(const std::string &text, uint64_t min, uint64_t max) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
    return std::nullopt;
  return value;
}

std::optional<std::chrono::milliseconds> seconds(const std::string &text, double max) {
  char *end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(value) || value < 0 || value > max)
    return std::nullopt;
  return std::chrono::milliseconds(int64_t(std::llround(value * 1000)));
}

/// An option taking a whole number from `min` to `max` (`what`: "a number of bytes"), which
/// `store` keeps.
Option::Apply numberOption(const char *what, uint64_t min, uint64_t max,
                           void (*store)(ServeOptions &, uint64_t)) {
  return [=](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
    std::optional<uint64_t> n = number(v, min, max);
    if (!n)
      return fmt::format("expected {} from {} to {}", what, min, max);
    store(o, *n);
    return std::nullopt;
  };
}

/// HOST:PORT, [V6]:PORT.
std::optional<std::string> parseListen(const std::string &text, http::ListenOptions &out) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return "expected HOST:PORT (e.g. 127.0.0.1:8181)";
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  auto port = number(text.substr(colon + 1), 0, 65535);
  if (!port)
    return fmt::format("`{}` is not a port (0 to 65535; 0 picks a free one)",
                       text.substr(colon + 1));
  out.host = host;
  out.port = int(*port);
  return std::nullopt;
}

const std::vector<Option> &options() {
  static const std::vector<Option> table = {
      {"--listen", "HOST:PORT",
       "where to listen (default 127.0.0.1:8181, loopback; port 0 picks a free port)",
       [](const std::string &v, ServeOptions &o) { return parseListen(v, o.listen); }},
      {"--public-key", "FILE",
       "serve only bundles signed by this key (`lattice keygen`); tables and unsigned or "
       "wrongly signed bundles are refused",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         o.publicKeyFile = v;
         return std::nullopt;
       }},
      {"--reload-interval", "SECONDS",
       "how often to look for a changed policy file (default 1; 0: only on SIGHUP)",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         auto s = seconds(v, 86400);
         if (!s)
           return "expected a number of seconds from 0 to 86400";
         o.reloadInterval = *s;
         return std::nullopt;
       }},
      {"--decision-log", "FILE", "append one JSON line per decision to FILE (`-`: standard output)",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         if (v.empty())
           return "expected a file name or `-`";
         o.decisionLog.path = v;
         return std::nullopt;
       }},
      {"--mask", "FIELD",
       "write FIELD of logged requests as \"***\" (a dotted path, e.g. `memberships.node`; "
       "repeatable)",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         if (v.empty() || v.front() == '.' || v.back() == '.' || v.find("..") != std::string::npos)
           return "expected a dotted field path such as `flags` or `memberships.node`";
         o.decisionLog.maskFields.push_back(v);
         return std::nullopt;
       }},
      {"--max-body", "BYTES", "the largest request body (default 1048576; larger: 413)",
       numberOption("a number of bytes", 64, uint64_t(1) << 30,
                    [](ServeOptions &o, uint64_t n) { o.limits.maxBody = n; })},
      {"--max-batch", "N", "the most requests in one /v1/batch call (default 400; more: 400)",
       numberOption("a number", 1, 1000000,
                    [](ServeOptions &o, uint64_t n) { o.limits.maxBatch = n; })},
      {"--threads", "N",
       "threads serving connections (default: one per core); an idle keep-alive connection "
       "holds none",
       numberOption("a number", 1, 4096,
                    [](ServeOptions &o, uint64_t n) { o.listen.threads = n; })},
      {"--max-connections", "N",
       "connections open at once (default 512); more wait until one closes",
       numberOption("a number", 1, 1000000,
                    [](ServeOptions &o, uint64_t n) { o.listen.maxConnections = n; })},
      {"--timeout", "SECONDS",
       "read and write timeout of a connection (default 5); an idle keep-alive connection is "
       "closed after the same time",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         auto s = seconds(v, 3600);
         if (!s || s->count() == 0)
           return "expected a number of seconds above 0, at most 3600";
         o.listen.readTimeout = o.listen.writeTimeout = *s;
         return std::nullopt;
       }},
      {"--ext-authz-config", "FILE",
       "serve Envoy's ext_authz gRPC protocol too, mapping requests to decisions by FILE "
       "(docs/server.md, \"Envoy ext_authz\")",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         if (v.empty())
           return "expected a mapping file";
         o.extAuthzConfig = v;
         return std::nullopt;
       }},
      {"--ext-authz-listen", "HOST:PORT",
       "where the ext_authz gRPC service listens (default 127.0.0.1:9191, loopback; port 0 "
       "picks a free port)",
       [](const std::string &v, ServeOptions &o) -> std::optional<std::string> {
         http::ListenOptions checked;
         if (std::optional<std::string> problem = parseListen(v, checked))
           return problem;
         o.extAuthzListen = v;
         o.extAuthzListenGiven = true;
         return std::nullopt;
       }},
      {"--help", "", "print this help",
       [](const std::string &, ServeOptions &o) {
         o.help = true;
         return std::optional<std::string>();
       }},
  };
  return table;
}

} // namespace

std::optional<ServeOptions> parseServeOptions(const std::vector<std::string> &argv,
                                              std::string &error) {
  ServeOptions out;
  std::vector<std::string> positional;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string &arg = argv[i];
    if (arg.size() < 2 || arg[0] != '-' || arg == "-") {
      positional.push_back(arg);
      continue;
    }
    std::string name = arg, value;
    const size_t eq = arg.find('=');
    const bool inlineValue = eq != std::string::npos;
    if (inlineValue) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    const Option *option = nullptr;
    for (const Option &o : options())
      if (name == o.name)
        option = &o;
    if (option == nullptr) {
      error = fmt::format("unknown option `{}`", name);
      return std::nullopt;
    }
    if (*option->value && !inlineValue) {
      if (i + 1 == argv.size()) {
        error = fmt::format("`{}` needs a value ({})", name, option->value);
        return std::nullopt;
      }
      value = argv[++i];
    } else if (!*option->value && inlineValue) {
      error = fmt::format("`{}` takes no value", name);
      return std::nullopt;
    }
    if (std::optional<std::string> problem = option->apply(value, out)) {
      error = fmt::format("`{} {}`: {}", name, value, *problem);
      return std::nullopt;
    }
  }
  if (out.help)
    return out;
  if (positional.size() != 1) {
    error = positional.empty() ? "missing the policy to serve: a bundle, a table or a folder"
                               : fmt::format("one policy to serve, not {} (`{}`, `{}`)",
                                             positional.size(), positional[0], positional[1]);
    return std::nullopt;
  }
  out.policy = positional[0];
  if (out.extAuthzListenGiven && !out.extAuthzConfig) {
    error = "`--ext-authz-listen` needs `--ext-authz-config FILE` (the mapping of requests)";
    return std::nullopt;
  }
  return out;
}

/// `text` wrapped at 100 columns, its lines after the first indented by `indent`.
static std::string wrap(const std::string &text, size_t indent, size_t first) {
  std::string out, line;
  size_t width = 100 - first;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos)
      end = text.size();
    const std::string word = text.substr(start, end - start);
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
      width = 100 - indent;
    }
    line += (line.empty() ? "" : " ") + word;
    start = end + 1;
  }
  return out + line;
}

std::string serveHelp() {
  std::string out =
      "usage: lattice serve [options] BUNDLE|TABLE|DIR\n\n" +
      wrap(
          "Serves decisions of a compiled policy over HTTP/1.1 JSON (docs/server.md): POST "
          "/v1/decide, /v1/batch, /v1/what-can, /v1/list-filter, /v1/who-can; GET /health, /ready, "
          "/metrics, "
          "/v1/policy. The "
          "policy file is reloaded when it changes (and on SIGHUP); a bad new file keeps the old "
          "policy serving. DIR is a folder holding exactly one `*.lbundle` or `*.ltab` file.",
          0, 0) +
      "\n\noptions:\n";
  for (const Option &o : options()) {
    std::string left = std::string(o.name) + (*o.value ? std::string(" ") + o.value : "");
    // A name longer than the column gets its help on the next line.
    if (left.size() >= 26)
      out += fmt::format("  {}\n{:28}{}\n", left, "", wrap(o.help, 28, 28));
    else
      out += fmt::format("  {:<26}{}\n", left, wrap(o.help, 28, 28));
  }
  return out;
}

} // namespace lattice::server
