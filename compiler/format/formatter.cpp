// formatter.cpp - prints an ast::File in canonical layout, placing the comments of the token
// stream: a comment on its own line goes before the line of the code that follows it, a comment
// after code on the same line stays at the end of that code's output line.
#include "format/formatter.h"

#include "ast/ast.h"
#include "parse/parser.h"
#include "parse/tokens.h"

#include <algorithm>
#include <functional>

namespace lattice::format {
namespace {

using parse::Token;

constexpr unsigned kWidth = 100;
constexpr char kItemBreak = '\x02';

/// Whether a blank line may separate the next output line from the previous one.
enum class Blank { Preserve, Force, Forbid };

struct Attached {
  const Token *comment;
  bool trailing; // after code on the same source line
  size_t anchor; // trailing: the code token before it; else the code token after it
  bool emitted = false;
};

/// A top-level declaration, for printing them in source order.
struct TopItem {
  enum class Kind {
    Import,
    Scope,
    Resource,
    ActionSet,
    UserType,
    Flag,
    Role,
    Exclusive,
    Require,
    PolicyRule,
    Test
  };
  Kind kind;
  uint32_t begin;
  const void *node;
};

class Formatter {
public:
  Formatter(llvm::StringRef source, std::vector<Token> tokens) : source(source) {
    for (Token &token : tokens)
      (token.kind == Token::Kind::Code ? code : commentTokens).push_back(std::move(token));
    lineStarts.push_back(0);
    for (uint32_t i = 0; i < source.size(); ++i)
      if (source[i] == '\n')
        lineStarts.push_back(i + 1);
    leading.resize(code.size() + 1);
    trailing.resize(code.size());
    attachComments();
  }

  std::optional<std::string> run(const ast::File &file) {
    printFile(file);
    for (const Attached &c : attached)
      if (!c.emitted)
        return std::nullopt;
    return out;
  }

private:
  // --- source positions ----------------------------------------------------------------------
  unsigned lineOf(uint32_t offset) const {
    return unsigned(std::upper_bound(lineStarts.begin(), lineStarts.end(), offset) -
                    lineStarts.begin());
  }

  /// The code token starting at `offset` (AST ranges start and end on token boundaries).
  size_t tokenAt(uint32_t offset) const {
    auto it = std::lower_bound(code.begin(), code.end(), offset,
                               [](const Token &t, uint32_t o) { return t.range.begin < o; });
    return size_t(it - code.begin());
  }
  size_t firstTok(SourceRange r) const { return tokenAt(r.begin); }
  size_t lastTok(SourceRange r) const {
    auto it = std::lower_bound(code.begin(), code.end(), r.end,
                               [](const Token &t, uint32_t o) { return t.range.begin < o; });
    return size_t(it - code.begin()) - 1;
  }
  size_t findForward(size_t from, std::string_view text) const {
    while (from < code.size() && code[from].text != text)
      ++from;
    return from;
  }
  /// ` "label"` when the token after `ident` is a string literal, kept as written.
  std::string labelAfter(const ast::Ident &ident) const {
    size_t next = lastTok(ident.range) + 1;
    if (next < code.size() && !code[next].text.empty() && code[next].text[0] == '"')
      return " " + code[next].text;
    return "";
  }

  void attachComments() {
    size_t nextCode = 0;
    for (const Token &comment : commentTokens) {
      while (nextCode < code.size() && code[nextCode].range.begin < comment.range.begin)
        ++nextCode;
      Attached a{&comment, false, nextCode};
      if (nextCode > 0 && lineOf(code[nextCode - 1].range.end - 1) == lineOf(comment.range.begin)) {
        a.trailing = true;
        a.anchor = nextCode - 1;
      } else if (!attached.empty() && attached.back().trailing &&
                 lineOf(attached.back().comment->range.end - 1) == lineOf(comment.range.begin)) {
        // `x; /* a */ // b`: the second comment trails the same code
        a.trailing = true;
        a.anchor = attached.back().anchor;
      }
      attached.push_back(a);
    }
    for (size_t i = 0; i < attached.size(); ++i)
      (attached[i].trailing ? trailing : leading)[attached[i].anchor].push_back(i);
  }

  // --- output --------------------------------------------------------------------------------
  void emitLine(unsigned indent, const std::string &text, uint32_t srcBegin, uint32_t srcEnd,
                Blank blank) {
    if (!out.empty()) {
      bool blankLine =
          blank == Blank::Force || (blank == Blank::Preserve && srcBegin > lastSrcEnd &&
                                    lineOf(srcBegin) >= lineOf(lastSrcEnd) + 2);
      if (blankLine)
        out += '\n';
    }
    out.append(indent * 2, ' ');
    out += text;
    out += '\n';
    lastSrcEnd = std::max(srcEnd == 0 ? 0 : srcEnd - 1, lastSrcEnd);
  }

  /// One output line for code tokens [first, last]: the comments inside the span go on lines of
  /// their own before it (at `commentIndent`), the ones trailing `last` go at its end.
  void emitUnit(unsigned indent, size_t first, size_t last, std::string text, Blank before,
                std::optional<unsigned> commentIndent = std::nullopt,
                Blank beforeCode = Blank::Preserve) {
    // A blank line before the unit is judged from where the unit starts in the source (its
    // first leading comment or first token); comments moved out of the unit's middle and the
    // code line after them follow without one.
    bool firstLine = true;
    auto next = [&] {
      Blank b = firstLine ? before : Blank::Forbid;
      firstLine = false;
      return b;
    };
    auto comment = [&](size_t i, bool moved) {
      Blank b = next();
      if (!moved && b == Blank::Forbid)
        b = Blank::Preserve; // between leading comments, as in the source
      emitComment(commentIndent.value_or(indent), i, b,
                  std::min(attached[i].comment->range.begin, code[first].range.begin));
    };
    for (size_t t = first; t <= last; ++t) {
      for (size_t i : leading[t])
        comment(i, t != first);
      if (t == last)
        break;
      for (size_t i : trailing[t])
        comment(i, true);
    }
    text = wrap(text, indent);
    uint32_t end = code[last].range.end;
    for (size_t i : trailing[last]) {
      text += " " + attached[i].comment->text;
      attached[i].emitted = true;
      end = attached[i].comment->range.end;
    }
    bool unitStart = firstLine;
    Blank b = next();
    if (!unitStart && b == Blank::Forbid && leadingOnly(first, last))
      b = Blank::Preserve; // after the unit's own leading comments
    if (beforeCode == Blank::Forbid)
      b = Blank::Forbid;
    emitLine(indent, text, code[first].range.begin, end, b);
  }

  /// Fits `text` into kWidth columns: any space outside a string literal may break, and a
  /// continuation line is indented 4 more columns. `kItemBreak` marks where a statement that
  /// does not fit breaks in any case (between the items of an action statement).
  static std::string wrap(const std::string &text, unsigned indent) {
    std::vector<std::string> atoms(1);
    std::vector<bool> hardBefore(1, false);
    bool inString = false;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (inString && c == '\\' && i + 1 < text.size()) {
        atoms.back() += text.substr(i, 2);
        ++i;
        continue;
      }
      if (c == '"')
        inString = !inString;
      if (!inString && (c == ' ' || c == kItemBreak)) {
        atoms.emplace_back();
        hardBefore.push_back(c == kItemBreak);
        continue;
      }
      atoms.back() += c;
    }
    unsigned width = indent * 2 + unsigned(text.size());
    bool fits = width <= kWidth;
    std::string result = atoms[0];
    unsigned column = indent * 2 + unsigned(atoms[0].size());
    std::string continuation = "\n" + std::string(indent * 2 + 4, ' ');
    for (size_t i = 1; i < atoms.size(); ++i) {
      bool breakHere = !fits && (hardBefore[i] || column + 1 + atoms[i].size() > kWidth);
      if (breakHere) {
        result += continuation;
        column = indent * 2 + 4;
      } else {
        result += ' ';
        ++column;
      }
      result += atoms[i];
      column += unsigned(atoms[i].size());
    }
    return result;
  }

  /// Whether the only comments in [first, last] are the ones before `first`.
  bool leadingOnly(size_t first, size_t last) const {
    for (size_t t = first; t <= last; ++t)
      if ((t != first && !leading[t].empty()) || (t != last && !trailing[t].empty()))
        return false;
    return true;
  }

  void emitComment(unsigned indent, size_t i, Blank blank,
                   std::optional<uint32_t> probe = std::nullopt) {
    const Token &c = *attached[i].comment;
    emitLine(indent, c.text, probe.value_or(c.range.begin), c.range.end, blank);
    attached[i].emitted = true;
  }

  /// `opener {`, the children at indent + 1, `}`; `opener {}` when empty.
  void emitBlock(unsigned indent, SourceRange range, const std::string &opener, Blank before,
                 size_t childCount, const std::function<void(size_t)> &child) {
    size_t first = firstTok(range);
    size_t brace = findForward(first, "{");
    size_t close = lastTok(range);
    if (childCount == 0 && leading[close].empty()) {
      emitUnit(indent, first, close, opener + " {}", before);
      return;
    }
    emitUnit(indent, first, brace, opener + " {", before);
    for (size_t i = 0; i < childCount; ++i) {
      pendingChildBlank = i == 0 ? Blank::Forbid : Blank::Preserve;
      child(i);
    }
    emitUnit(indent, close, close, "}", Blank::Preserve, indent + 1, Blank::Forbid);
  }
  Blank takeChildBlank() { return std::exchange(pendingChildBlank, Blank::Preserve); }

  // --- text of constructs --------------------------------------------------------------------
  static std::string list(const std::vector<ast::Ident> &names) {
    std::string s;
    for (const ast::Ident &n : names)
      s += (s.empty() ? "" : ", ") + n.name;
    return s;
  }
  static std::string qualified(const ast::QualifiedName &name) { return name.str(); }

  static std::string pattern(const ast::PermissionPattern &p) {
    using Form = ast::PermissionPattern::Form;
    if (p.form == Form::Any)
      return "*";
    if (p.form == Form::AnyAction)
      return p.resource.name + ".*";
    if (p.actions.size() == 1)
      return p.resource.name + "." + p.actions[0].name;
    return p.resource.name + ".{" + list(p.actions) + "}";
  }
  static std::string patterns(const std::vector<ast::PermissionPattern> &ps) {
    std::string s;
    for (const auto &p : ps)
      s += (s.empty() ? "" : ", ") + pattern(p);
    return s;
  }

  /// Binding strength: not 3, and 2, or 1, a flag 4.
  static int strength(const ast::Condition &c) {
    switch (c.op) {
    case ast::Condition::Op::Flag:
      return 4;
    case ast::Condition::Op::Not:
      return 3;
    case ast::Condition::Op::And:
      return 2;
    case ast::Condition::Op::Or:
      return 1;
    }
    return 4;
  }
  /// The condition with the fewest parentheses that parse back into the same tree: an operand
  /// binding more weakly than its operator, or a right operand of the same operator (`and` and
  /// `or` group to the left), is parenthesised.
  static std::string condition(const ast::Condition &c) {
    auto operand = [](const ast::Condition &child, int minStrength) {
      std::string s = condition(child);
      return strength(child) < minStrength ? "(" + s + ")" : s;
    };
    switch (c.op) {
    case ast::Condition::Op::Flag:
      return c.flag.name;
    case ast::Condition::Op::Not:
      return "not " + operand(*c.lhs, 3);
    case ast::Condition::Op::And:
      return operand(*c.lhs, 2) + " and " + operand(*c.rhs, 3);
    case ast::Condition::Op::Or:
      return operand(*c.lhs, 1) + " or " + operand(*c.rhs, 2);
    }
    return "";
  }

  // --- constructs ------------------------------------------------------------------------------
  void printFile(const ast::File &file) {
    if (file.header) {
      const ast::Header &h = *file.header;
      emitUnit(0, firstTok(h.range), lastTok(h.range),
               std::string(h.isModule ? "module " : "policy ") + qualified(h.name) + ";",
               Blank::Preserve);
    }
    std::vector<TopItem> items;
    using K = TopItem::Kind;
    for (const auto &d : file.imports)
      items.push_back({K::Import, d.range.begin, &d});
    for (const auto &d : file.scopes)
      items.push_back({K::Scope, d.range.begin, &d});
    for (const auto &d : file.resources)
      items.push_back({K::Resource, d.range.begin, &d});
    for (const auto &d : file.actionSets)
      items.push_back({K::ActionSet, d.range.begin, &d});
    for (const auto &d : file.userTypes)
      items.push_back({K::UserType, d.range.begin, &d});
    for (const auto &d : file.flags)
      items.push_back({K::Flag, d.range.begin, &d});
    for (const auto &d : file.roles)
      items.push_back({K::Role, d.range.begin, &d});
    for (const auto &d : file.exclusives)
      items.push_back({K::Exclusive, d.range.begin, &d});
    for (const auto &d : file.requireClauses)
      items.push_back({K::Require, d.range.begin, &d});
    for (const auto &d : file.policyRules)
      items.push_back({K::PolicyRule, d.range.begin, &d});
    for (const auto &d : file.tests)
      items.push_back({K::Test, d.range.begin, &d});
    std::sort(items.begin(), items.end(),
              [](const TopItem &a, const TopItem &b) { return a.begin < b.begin; });

    auto oneLine = [](K k) {
      return k != K::Resource && k != K::ActionSet && k != K::Role && k != K::Test;
    };
    for (size_t i = 0; i < items.size(); ++i) {
      Blank before = Blank::Force;
      if (i == 0 && !file.header)
        before = Blank::Preserve;
      else if (i > 0 && oneLine(items[i - 1].kind) && oneLine(items[i].kind) &&
               (items[i - 1].kind == K::Import) == (items[i].kind == K::Import))
        before = Blank::Preserve;
      printTop(items[i], before);
    }
    // Comments after the last declaration.
    for (size_t i : leading[code.size()])
      emitComment(0, i, out.empty() ? Blank::Preserve : Blank::Preserve);
  }

  void printTop(const TopItem &item, Blank before) {
    using K = TopItem::Kind;
    switch (item.kind) {
    case K::Import: {
      auto &d = *static_cast<const ast::Import *>(item.node);
      simple(d.range, "import " + qualified(d.module) + ";", before);
      break;
    }
    case K::Scope: {
      auto &d = *static_cast<const ast::ScopeDecl *>(item.node);
      std::string text = "scope " + d.name.name + labelAfter(d.name);
      if (!d.parents.empty())
        text += " under " + list(d.parents);
      simple(d.range, text + ";", before);
      break;
    }
    case K::Resource:
      resource(*static_cast<const ast::ResourceDecl *>(item.node), before);
      break;
    case K::ActionSet: {
      auto &d = *static_cast<const ast::ActionSetDecl *>(item.node);
      auto statements = actionStatements(d.actions);
      emitBlock(0, d.range, "actions " + d.name.name, before, statements.size(),
                [&](size_t i) { actionStatement(1, d.actions, statements[i]); });
      break;
    }
    case K::UserType: {
      auto &d = *static_cast<const ast::UserTypeDecl *>(item.node);
      simple(d.range,
             "usertype " + d.name.name + labelAfter(d.name) + " at " + list(d.scopes) + ";",
             before);
      break;
    }
    case K::Flag: {
      auto &d = *static_cast<const ast::FlagDecl *>(item.node);
      const std::string on = d.side == ast::FlagDecl::Side::Request ? "request"
                             : d.side == ast::FlagDecl::Side::Resource
                                 ? "resource " + list(d.targets)
                                 : list(d.targets);
      simple(d.range, "flag " + list(d.names) + " on " + on + ";", before);
      break;
    }
    case K::Role:
      role(*static_cast<const ast::RoleDecl *>(item.node), before);
      break;
    case K::Exclusive: {
      auto &d = *static_cast<const ast::ExclusiveDecl *>(item.node);
      simple(d.range, "exclusive " + list(d.roles) + ";", before);
      break;
    }
    case K::Require: {
      auto &d = *static_cast<const ast::RequireDecl *>(item.node);
      std::string text = "require " + condition(*d.condition);
      if (!d.kinds.empty())
        text += " for " + list(d.kinds);
      simple(d.range, text + ";", before);
      break;
    }
    case K::PolicyRule: {
      auto &d = *static_cast<const ast::RuleDecl *>(item.node);
      simple(d.range, ruleText(d), before);
      break;
    }
    case K::Test:
      test(*static_cast<const ast::TestDecl *>(item.node), before);
      break;
    }
  }

  /// `allow|deny PATTERNS [except PATTERNS] [in R] [when C] [for K, ...];`
  std::string ruleText(const ast::RuleDecl &r) {
    std::string text = r.effect == ast::Effect::Deny ? "deny " : "allow ";
    text += patterns(r.patterns);
    if (!r.except.empty())
      text += " except " + patterns(r.except);
    if (r.relation)
      text += " in " + r.relation->name;
    if (r.when)
      text += " when " + condition(*r.when);
    if (!r.kinds.empty()) // a rule too long for one line breaks before its `for`
      text += std::string(1, kItemBreak) + "for " + list(r.kinds);
    return text + ";";
  }

  void simple(SourceRange range, const std::string &text, Blank before, unsigned indent = 0) {
    emitUnit(indent, firstTok(range), lastTok(range), text, before);
  }

  /// Action items written in one statement (`a, b for k;`): [first, last] indexes.
  std::vector<std::pair<size_t, size_t>>
  actionStatements(const std::vector<ast::ActionDecl> &actions) const {
    std::vector<std::pair<size_t, size_t>> result;
    for (size_t i = 0; i < actions.size();) {
      size_t j = i;
      while (j + 1 < actions.size()) {
        size_t after = lastTok(actions[j].range) + 1;
        if (after >= code.size() || code[after].text != "," ||
            after + 1 != firstTok(actions[j + 1].range))
          break;
        ++j;
      }
      result.emplace_back(i, j);
      i = j + 1;
    }
    return result;
  }

  void actionStatement(unsigned indent, const std::vector<ast::ActionDecl> &actions,
                       std::pair<size_t, size_t> statement) {
    std::string text;
    for (size_t i = statement.first; i <= statement.second; ++i)
      text += (text.empty() ? std::string() : std::string(",") + kItemBreak) +
              actions[i].name.name + labelAfter(actions[i].name);
    const ast::ActionDecl &last = actions[statement.second];
    if (!last.forKinds.empty())
      text += " for " + list(last.forKinds);
    size_t first = firstTok(actions[statement.first].range);
    size_t semi = findForward(lastTok(last.range), ";");
    emitUnit(indent, first, semi, text + ";", takeChildBlank());
  }

  void resource(const ast::ResourceDecl &d, Blank before) {
    std::string opener = "resource " + d.name.name + labelAfter(d.name);
    if (!d.owners.empty())
      opener += " owned_by " + list(d.owners);
    if (d.isScope)
      opener += " as scope";
    // Children in source order: action statements, groups, includes.
    struct Child {
      uint32_t begin;
      int kind; // 0 statement, 1 group, 2 include
      size_t index;
    };
    auto statements = actionStatements(d.actions);
    std::vector<Child> children;
    for (size_t i = 0; i < statements.size(); ++i)
      children.push_back({d.actions[statements[i].first].range.begin, 0, i});
    for (size_t i = 0; i < d.groups.size(); ++i)
      children.push_back({d.groups[i].range.begin, 1, i});
    for (size_t i = 0; i < d.includes.size(); ++i)
      children.push_back({d.includes[i].range.begin, 2, i});
    std::sort(children.begin(), children.end(),
              [](const Child &a, const Child &b) { return a.begin < b.begin; });
    emitBlock(0, d.range, opener, before, children.size(), [&](size_t i) {
      const Child &c = children[i];
      if (c.kind == 0) {
        actionStatement(1, d.actions, statements[c.index]);
      } else if (c.kind == 1) {
        const ast::GroupDecl &g = d.groups[c.index];
        auto groupStatements = actionStatements(g.actions);
        emitBlock(1, g.range, "group " + g.name.name + labelAfter(g.name), takeChildBlank(),
                  groupStatements.size(),
                  [&](size_t k) { actionStatement(2, g.actions, groupStatements[k]); });
      } else {
        const ast::IncludeDecl &inc = d.includes[c.index];
        simple(inc.range, "include " + inc.actionSet.name + ";", takeChildBlank(), 1);
      }
    });
  }

  void role(const ast::RoleDecl &d, Blank before) {
    // Modifiers as written (`deprecated "note"`, `locked`), then the rest.
    std::string opener;
    size_t nameTok = firstTok(d.name.range);
    for (size_t t = firstTok(d.range); t + 1 < nameTok; ++t)
      opener += code[t].text + " ";
    opener += "role " + d.name.name + labelAfter(d.name) + " for " + list(d.kinds);
    if (!d.extends.empty())
      opener += " extends " + list(d.extends);
    struct Child {
      uint32_t begin;
      const ast::RuleDecl *rule;
      const ast::AssignsDecl *assigns;
      const ast::CreatedByDecl *createdBy = nullptr;
    };
    std::vector<Child> children;
    for (const auto &r : d.rules)
      children.push_back({r.range.begin, &r, nullptr});
    for (const auto &a : d.assigns)
      children.push_back({a.range.begin, nullptr, &a});
    for (const auto &c : d.createdBy)
      children.push_back({c.range.begin, nullptr, nullptr, &c});
    std::sort(children.begin(), children.end(),
              [](const Child &a, const Child &b) { return a.begin < b.begin; });
    emitBlock(0, d.range, opener, before, children.size(), [&](size_t i) {
      const Child &c = children[i];
      if (c.createdBy) {
        simple(c.createdBy->range, "created_by " + list(c.createdBy->roles) + ";", takeChildBlank(),
               1);
        return;
      }
      if (c.assigns) {
        std::string text = "assigns " + list(c.assigns->roles);
        if (c.assigns->when)
          text += " when " + condition(*c.assigns->when);
        simple(c.assigns->range, text + ";", takeChildBlank(), 1);
        return;
      }
      simple(c.rule->range, ruleText(*c.rule), takeChildBlank(), 1);
    });
  }

  void test(const ast::TestDecl &d, Blank before) {
    size_t first = firstTok(d.range);
    std::string opener = "test " + code[first + 1].text;
    // Children in source order: nodes, principals, custom roles and cases.
    struct Child {
      uint32_t begin;
      int kind; // 0 case, 1 node, 2 principal, 3 custom role
      size_t index;
    };
    std::vector<Child> children;
    for (size_t i = 0; i < d.cases.size(); ++i)
      children.push_back({d.cases[i].range.begin, 0, i});
    for (size_t i = 0; i < d.nodes.size(); ++i)
      children.push_back({d.nodes[i].range.begin, 1, i});
    for (size_t i = 0; i < d.principals.size(); ++i)
      children.push_back({d.principals[i].range.begin, 2, i});
    for (size_t i = 0; i < d.customRoles.size(); ++i)
      children.push_back({d.customRoles[i].range.begin, 3, i});
    std::sort(children.begin(), children.end(),
              [](const Child &a, const Child &b) { return a.begin < b.begin; });
    emitBlock(0, d.range, opener, before, children.size(), [&](size_t i) {
      const Child &child = children[i];
      if (child.kind == 1) {
        const ast::TestNodeDecl &n = d.nodes[child.index];
        std::string text = "node " + n.name.name + ": " + n.kind.name;
        if (n.parent)
          text += " under " + n.parent->name;
        if (!n.flags.empty())
          text += " with " + list(n.flags);
        simple(n.range, text + ";", takeChildBlank(), 1);
        return;
      }
      if (child.kind == 2) {
        const ast::TestPrincipalDecl &p = d.principals[child.index];
        std::string text = "principal " + p.name.name + ": " + p.kind.name;
        if (!p.flags.empty())
          text += " with " + list(p.flags);
        emitBlock(1, p.range, text, takeChildBlank(), p.memberships.size(), [&](size_t k) {
          const ast::TestMembershipDecl &m = p.memberships[k];
          simple(m.range, list(m.roles) + " at " + m.node.name + ";", takeChildBlank(), 2);
        });
        return;
      }
      if (child.kind == 3) {
        const ast::TestCustomRoleDecl &r = d.customRoles[child.index];
        emitBlock(1, r.range, "custom " + r.name.name + ": " + r.ceiling.name, takeChildBlank(),
                  r.rules.size(), [&](size_t k) {
                    simple(r.rules[k].range, ruleText(r.rules[k]), takeChildBlank(), 2);
                  });
        return;
      }
      const ast::TestCase &c = d.cases[child.index];
      std::string text = c.assigns ? (c.expect == ast::Effect::Deny ? "not assigns " : "assigns ")
                         : c.expect == ast::Effect::Deny ? "deny "
                                                         : "allow ";
      for (size_t k = 0; k < c.roles.size(); ++k)
        text += (k ? " + " : "") + c.roles[k].name;
      if (c.assigns) {
        if (!c.flags.empty())
          text += " with " + list(c.flags);
        simple(c.range, text + ": " + list(c.targets) + ";", takeChildBlank(), 1);
        return;
      }
      if (c.kind)
        text += " as " + c.kind->name;
      if (!c.flags.empty())
        text += " with " + list(c.flags);
      text += ": " + patterns(c.patterns);
      if (!c.except.empty())
        text += " except " + patterns(c.except);
      text += " on ";
      if (c.relations.empty())
        text += "*";
      else if (c.relations.size() == 1)
        text += c.relations[0].name;
      else
        text += "{" + list(c.relations) + "}";
      simple(c.range, text + ";", takeChildBlank(), 1);
    });
  }

  llvm::StringRef source;
  std::vector<Token> code, commentTokens;
  std::vector<uint32_t> lineStarts;
  std::vector<Attached> attached;
  std::vector<std::vector<size_t>> leading, trailing; // comment indexes per code token
  std::string out;
  uint32_t lastSrcEnd = 0;
  Blank pendingChildBlank = Blank::Preserve;
};

} // namespace

std::optional<std::string> formatSource(uint32_t fileId, const SourceManager &sources,
                                        DiagnosticEngine &diags) {
  std::optional<ast::File> file = parse::parseFile(fileId, sources, diags);
  if (!file)
    return std::nullopt;
  std::optional<std::vector<Token>> tokens = parse::lexTokens(fileId, sources, diags);
  if (!tokens)
    return std::nullopt;
  std::optional<std::string> out = Formatter(sources.text(fileId), std::move(*tokens)).run(*file);
  // A byte order mark is kept (an editor put it there on purpose) and never added.
  if (out && sources.bomSize(fileId) > 0)
    out->insert(0, kUtf8Bom.data(), kUtf8Bom.size());
  return out;
}

} // namespace lattice::format
