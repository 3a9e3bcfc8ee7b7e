// mapping_config.cpp - reading the ext_authz mapping file: one directive a line, words split on
// blanks, `#` comments; every mistake reported with its line and column, none guessed.
#include "server/ext_authz/mapping_config.h"

#include "base/input_file.h"
#include "diagnostics/suggest.h"
#include "query/node_path.h"
#include "query/request.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <set>

namespace lattice::ext_authz {
namespace {

struct Word {
  std::string_view text;
  unsigned column = 0; // 1-based
};

/// The words of a line up to a `#` that starts a word.
std::vector<Word> splitWords(std::string_view line) {
  std::vector<Word> words;
  size_t i = 0;
  while (i < line.size()) {
    if (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
      ++i;
      continue;
    }
    if (line[i] == '#')
      break;
    size_t end = i;
    while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r')
      ++end;
    words.push_back({line.substr(i, end - i), unsigned(i + 1)});
    i = end;
  }
  return words;
}

bool isIdentifier(std::string_view text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_'))
    return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

/// RFC 9110 `tchar`: what a header name or a method may be made of.
bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// RFC 3986 `pchar` without percent-encoding: what a literal path segment may be made of.
/// Requests are matched segment by segment after percent-decoding, so a literal is written
/// decoded and `%` in it would be ambiguous.
bool isLiteralSegmentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

/// The parts of `text` between `separator`s, empty ones included (`a//b` has three).
llvm::SmallVector<llvm::StringRef, 8> splitAt(std::string_view text, char separator) {
  llvm::SmallVector<llvm::StringRef, 8> parts;
  llvm::StringRef(text).split(parts, separator);
  return parts;
}

/// `{name}` with an identifier inside, or nullopt.
std::optional<std::string_view> braced(std::string_view text) {
  if (text.size() < 2 || text.front() != '{' || text.back() != '}')
    return std::nullopt;
  return text.substr(1, text.size() - 2);
}

class Parser {
public:
  explicit Parser(std::vector<ConfigError> &errors) : errors(errors) {}

  std::optional<MappingConfig> parse(std::string_view text) {
    unsigned lineNumber = 0;
    size_t begin = 0;
    while (begin <= text.size()) {
      size_t end = text.find('\n', begin);
      if (end == std::string_view::npos)
        end = text.size();
      ++lineNumber;
      parseLine(text.substr(begin, end - begin), lineNumber);
      if (end == text.size())
        break;
      begin = end + 1;
    }
    checkWhole(lineNumber);
    if (failed)
      return std::nullopt;
    return std::move(config);
  }

private:
  void error(unsigned line, unsigned column, std::string message) {
    errors.push_back({{line, column}, std::move(message)});
    failed = true;
  }

  void parseLine(std::string_view line, unsigned number) {
    for (size_t i = 0; i < line.size(); ++i) {
      const unsigned char c = static_cast<unsigned char>(line[i]);
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        error(number, unsigned(i + 1), "control character in the mapping file");
        return;
      }
    }
    std::vector<Word> words = splitWords(line);
    if (words.empty())
      return;
    const Word &directive = words[0];
    static constexpr std::string_view kDirectives[] = {
        "kind", "flags", "memberships", "facts", "permission", "target", "route"};
    if (std::find(std::begin(kDirectives), std::end(kDirectives), directive.text) ==
        std::end(kDirectives)) {
      NameSuggester suggester(directive.text);
      for (std::string_view candidate : kDirectives)
        suggester.consider(candidate);
      std::string message =
          fmt::format("unknown directive `{}`; expected `kind`, `flags`, `memberships`, `facts`, "
                      "`permission`, `target` or `route`",
                      query::quotedText(directive.text));
      if (suggester.best())
        message += "; " + suggester.didYouMean();
      error(number, directive.column, std::move(message));
      return;
    }
    if (directive.text == "route") {
      parseRoute(words, number);
      return;
    }
    auto first = firstSeen.find(std::string(directive.text));
    if (first != firstSeen.end()) {
      error(number, directive.column,
            fmt::format("`{}` given twice (first at line {})", directive.text, first->second));
      return;
    }
    firstSeen.emplace(std::string(directive.text), number);
    if (directive.text == "kind" && words.size() >= 2 && words[1].text == "is") {
      if (words.size() != 3) {
        error(number, directive.column, "`kind is` takes one user type: `kind is KIND`");
        return;
      }
      if (!isIdentifier(words[2].text)) {
        error(number, words[2].column,
              fmt::format("`{}` is not a user type name", query::quotedText(words[2].text)));
        return;
      }
      config.kind = std::string(words[2].text);
      config.kindAt = {number, words[2].column};
      return;
    }
    HeaderSource *source = directive.text == "kind"          ? &config.kindHeader
                           : directive.text == "flags"       ? &config.flagsHeader
                           : directive.text == "memberships" ? &config.membershipsHeader
                           : directive.text == "facts"       ? &config.factsHeader
                           : directive.text == "permission"  ? &config.permissionHeader
                                                             : &config.targetHeader;
    const char *alternatives = directive.text == "kind" ? "`header` or `is`" : "`header`";
    if (words.size() < 2 || (words[1].text != "header")) {
      const unsigned column =
          words.size() < 2 ? unsigned(directive.column + directive.text.size()) : words[1].column;
      error(number, column,
            fmt::format("expected {} after `{}`{}", alternatives, directive.text,
                        words.size() < 2
                            ? std::string()
                            : fmt::format(", found `{}`", query::quotedText(words[1].text))));
      return;
    }
    if (words.size() != 3) {
      error(number, words.size() < 3 ? words[1].column : words[3].column,
            fmt::format("`{} header` takes one header name", directive.text));
      return;
    }
    parseHeaderName(words[2], number, *source);
  }

  void parseHeaderName(const Word &word, unsigned number, HeaderSource &out) {
    // Envoy passes pseudo-headers (`:authority`, `:path`) in the same map, so one leading `:`
    // is allowed.
    std::string_view name = word.text;
    if (name.empty()) {
      error(number, word.column, "empty header name");
      return;
    }
    std::string_view body = name.substr(name.front() == ':' ? 1 : 0);
    if (body.empty() || !std::all_of(body.begin(), body.end(), isTokenChar)) {
      error(number, word.column,
            fmt::format("`{}` is not a header name (letters, digits and `!#$%&'*+-.^_`|~`)",
                        query::quotedText(name)));
      return;
    }
    out.name.resize(name.size());
    std::transform(name.begin(), name.end(), out.name.begin(),
                   [](char c) { return char(std::tolower(static_cast<unsigned char>(c))); });
    out.at = {number, word.column};
  }

  void parseRoute(const std::vector<Word> &words, unsigned number) {
    if (words.size() < 4 || words.size() > 5) {
      error(number, words[0].column,
            fmt::format("`route` takes `METHOD PATH PERMISSION [TARGET]`, found {} word{}",
                        words.size() - 1, words.size() == 2 ? "" : "s"));
      return;
    }
    if (config.routes.size() == kMaxRoutes) {
      error(number, words[0].column, fmt::format("more than {} routes", kMaxRoutes));
      return;
    }
    Route route;
    route.at = {number, words[0].column};
    const Word &method = words[1];
    if (method.text != "*" && (!std::all_of(method.text.begin(), method.text.end(), isTokenChar) ||
                               std::any_of(method.text.begin(), method.text.end(), [](char c) {
                                 return std::islower(static_cast<unsigned char>(c));
                               }))) {
      error(number, method.column,
            fmt::format("`{}` is not a method: write it in capitals as HTTP does (`GET`), or `*` "
                        "for any method",
                        query::quotedText(method.text)));
      return;
    }
    route.method = std::string(method.text);
    if (!parsePathTemplate(words[2], number, route.path))
      return;
    const Word &permission = words[3];
    const size_t dot = permission.text.find('.');
    if (dot == std::string_view::npos || !isIdentifier(permission.text.substr(0, dot)) ||
        !isIdentifier(permission.text.substr(dot + 1))) {
      error(number, permission.column,
            fmt::format("`{}` is not a permission: write `RESOURCE.ACTION` (`station.view`)",
                        query::quotedText(permission.text)));
      return;
    }
    route.permission = std::string(permission.text);
    route.permissionAt = {number, permission.column};
    if (words.size() == 5 && !parseTarget(words[4], number, route))
      return;
    const std::string key = route.method + " " + std::string(words[2].text);
    auto [it, inserted] = routeLines.emplace(key, number);
    if (!inserted) {
      error(number, words[0].column,
            fmt::format("route `{}` repeats line {}'s: the first matching route decides, so this "
                        "one would never be used",
                        key, it->second));
      return;
    }
    config.routes.push_back(std::move(route));
  }

  bool parsePathTemplate(const Word &word, unsigned number, std::vector<PathSegment> &out) {
    std::string_view text = word.text;
    if (text.front() != '/') {
      error(number, word.column, "a path template starts with `/`");
      return false;
    }
    if (text == "/")
      return true;
    std::set<std::string_view> names;
    for (std::string_view segment : splitAt(text.substr(1), '/')) {
      const unsigned column = unsigned(word.column + (segment.data() - text.data()));
      if (segment.empty()) {
        error(number, column,
              "empty path segment (a path template has no `//` and no trailing `/`)");
        return false;
      }
      if (std::optional<std::string_view> name = braced(segment)) {
        if (!isIdentifier(*name)) {
          error(number, column,
                fmt::format("`{}` is not a parameter: write `{{name}}` with a name of letters, "
                            "digits and `_`",
                            query::quotedText(segment)));
          return false;
        }
        if (!names.insert(*name).second) {
          error(number, column, fmt::format("parameter `{}` appears twice in the path", *name));
          return false;
        }
        out.push_back({true, std::string(*name)});
      } else if (segment == "." || segment == ".." ||
                 !std::all_of(segment.begin(), segment.end(), isLiteralSegmentChar)) {
        error(number, column,
              fmt::format("`{}` is not a path segment: a literal segment is made of letters, "
                          "digits and `-._~!$&'()*+,;=:@` (no `%`, `?`, `{{` or `}}`; not `.` or "
                          "`..`), a parameter is a whole segment `{{name}}`",
                          query::quotedText(segment)));
        return false;
      } else {
        out.push_back({false, std::string(segment)});
      }
    }
    return true;
  }

  bool parseTarget(const Word &word, unsigned number, Route &route) {
    for (std::string_view part : splitAt(word.text, '/')) {
      const unsigned column = unsigned(word.column + (part.data() - word.text.data()));
      if (part.empty()) {
        error(number, column,
              "empty node name in the target (write `a/{param}` without a leading, trailing or "
              "doubled `/`)");
        return false;
      }
      if (std::optional<std::string_view> inner = braced(part)) {
        if (inner->substr(0, 7) == "header:") {
          if (inner->size() == 7) {
            error(number, column, "`{header:}` names no header");
            return false;
          }
          HeaderSource header;
          parseHeaderName({inner->substr(7), unsigned(column + 8)}, number, header);
          if (!header.configured())
            return false;
          route.target.push_back({TargetPart::Kind::Header, header.name});
        } else {
          const bool known =
              std::any_of(route.path.begin(), route.path.end(),
                          [&](const PathSegment &s) { return s.parameter && s.text == *inner; });
          if (!isIdentifier(*inner) || !known) {
            error(number, column,
                  fmt::format("`{}` names no parameter of the route's path{}",
                              query::quotedText(part),
                              isIdentifier(*inner) ? "" : " (write `{name}` or `{header:NAME}`)"));
            return false;
          }
          route.target.push_back({TargetPart::Kind::Parameter, std::string(*inner)});
        }
      } else if (part.find('{') != std::string_view::npos ||
                 part.find('}') != std::string_view::npos) {
        error(number, column,
              fmt::format("`{}` mixes a literal and a parameter: a parameter is a whole node "
                          "name `{{name}}`",
                          query::quotedText(part)));
        return false;
      } else {
        route.target.push_back({TargetPart::Kind::Literal, std::string(part)});
      }
    }
    return true;
  }

  /// What only the whole file can tell.
  void checkWhole(unsigned lastLine) {
    if (failed)
      return; // a line that failed may be the one that would have satisfied these
    if (config.kind.empty() && !config.kindHeader.configured())
      error(0, 0,
            "no `kind` line: say where the principal's user type comes from (`kind header "
            "x-lattice-kind` or `kind is KIND`)");
    if (!config.membershipsHeader.configured())
      error(0, 0,
            "no `memberships` line: say which header carries the principal's memberships "
            "(`memberships header x-lattice-memberships`)");
    if (config.routes.empty() && !config.permissionHeader.configured())
      error(0, 0,
            "no `route` and no `permission header`: no request could be given a "
            "permission");
    if (config.permissionHeader.configured() && !config.targetHeader.configured())
      error(config.permissionHeader.at.line, 1,
            "`permission header` needs a `target header`: a request matching no route has no "
            "target otherwise");
    for (const Route &route : config.routes)
      if (route.target.empty() && !config.targetHeader.configured())
        error(route.at.line, route.at.column,
              "the route has no target and there is no `target header`: add a target "
              "(`{param}/...`) or a `target header` line");
    (void)lastLine;
  }

  std::vector<ConfigError> &errors;
  MappingConfig config;
  bool failed = false;
  std::map<std::string, unsigned> firstSeen;  // directive -> line
  std::map<std::string, unsigned> routeLines; // "METHOD /template" -> line
};

} // namespace

std::optional<MappingConfig> parseMappingConfig(std::string_view text,
                                                std::vector<ConfigError> &errors) {
  return Parser(errors).parse(text);
}

std::optional<MappingConfig> loadMappingConfig(const std::string &path,
                                               std::vector<ConfigError> &errors) {
  std::string text, error;
  if (!readWholeFile(path, kMaxMappingFileBytes, text, error)) {
    errors.push_back({{0, 0}, fmt::format("cannot read the ext_authz mapping: {}", error)});
    return std::nullopt;
  }
  return parseMappingConfig(text, errors);
}

std::vector<ConfigError> checkMappingNames(const MappingConfig &config,
                                           const lattice_table *table) {
  std::vector<ConfigError> errors;
  std::string error;
  if (!config.kind.empty() && !query::lookupKind(table, config.kind, error))
    errors.push_back({config.kindAt, error});
  for (const Route &route : config.routes)
    if (!query::lookupPermission(table, route.permission, error))
      errors.push_back({route.permissionAt, error});
  return errors;
}

std::string renderConfigError(const std::string &file, const ConfigError &error) {
  if (error.at.line == 0)
    return fmt::format("{}: error: {}", file, error.message);
  return fmt::format("{}:{}:{}: error: {}", file, error.at.line, error.at.column, error.message);
}

} // namespace lattice::ext_authz
