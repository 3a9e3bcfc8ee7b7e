// index_test.cpp - the symbol index over every bundled example: each use resolves to a
// declaration of the right name, or `check` reports it; definition/references round-trip.
#include "index/symbol_index.h"
#include "parse/module_loader.h"
#include "pipeline/compilation.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace lattice {
namespace {

namespace fs = std::filesystem;
using index::SymbolIndex;
using index::SymbolKind;

std::vector<std::string> exampleDirs() {
  std::vector<std::string> dirs;
  for (const fs::directory_entry &entry : fs::directory_iterator(LATTICE_EXAMPLES_DIR))
    if (fs::exists(entry.path() / "policy.lat") && fs::exists(entry.path() / "tests.lat"))
      dirs.push_back(entry.path().string());
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

/// The text a reference names: a flag's name after its side (`resource.archived`).
llvm::StringRef textOf(const pipeline::Compilation &compiled, SourceRange range) {
  return compiled.sources->text(range.file).slice(range.begin, range.end);
}

TEST(SymbolIndex, EveryUseInEveryExampleResolvesToItsName) {
  std::vector<std::string> dirs = exampleDirs();
  ASSERT_GE(dirs.size(), 5u);
  for (const std::string &dir : dirs) {
    SCOPED_TRACE(dir);
    pipeline::CompileOptions options;
    options.files = {dir + "/policy.lat", dir + "/tests.lat"};
    pipeline::Compilation compiled = pipeline::compile(options);
    ASSERT_EQ(compiled.errors, 0u) << "the examples check cleanly";
    SymbolIndex index = SymbolIndex::build(compiled.files);
    EXPECT_TRUE(index.unresolved().empty())
        << index.unresolved().size() << " unresolved, first `"
        << (index.unresolved().empty() ? "" : index.unresolved()[0].name) << "`";
    EXPECT_GT(index.references().size(), 50u);
    std::set<SymbolKind> kindsUsed;
    for (const index::Reference &ref : index.references()) {
      const index::Symbol &symbol = index.symbol(ref.symbol);
      EXPECT_EQ(textOf(compiled, ref.range).str(), symbol.name);
      kindsUsed.insert(symbol.kind);
      // The name found at each end of a use is that use's symbol.
      EXPECT_EQ(index.symbolAt(ref.range.file, ref.range.begin), ref.symbol);
      EXPECT_EQ(index.symbolAt(ref.range.file, ref.range.end), ref.symbol);
      EXPECT_EQ(index.rangeAt(ref.range.file, ref.range.begin), ref.range);
    }
    for (SymbolKind kind : {SymbolKind::ScopeKind, SymbolKind::UserType, SymbolKind::Resource,
                            SymbolKind::Action, SymbolKind::Role})
      EXPECT_TRUE(kindsUsed.count(kind)) << index::kindWord(kind);
    for (index::SymbolId id = 0; id < index.symbols().size(); ++id) {
      const index::Symbol &symbol = index.symbol(id);
      EXPECT_EQ(textOf(compiled, symbol.nameRange).str(), symbol.name);
      // And at its declaration's name, the symbol itself.
      EXPECT_EQ(index.symbolAt(symbol.nameRange.file, symbol.nameRange.begin), id);
      EXPECT_EQ(index.rangeAt(symbol.nameRange.file, symbol.nameRange.begin), symbol.nameRange);
      std::vector<SourceRange> all = index.occurrences(id, true);
      ASSERT_FALSE(all.empty());
      EXPECT_EQ(all.front(), symbol.nameRange);
    }
  }
}

/// Compiles one in-memory file (through the overlay) beside the stdlib.
pipeline::Compilation compileText(const std::string &text) {
  static std::map<std::string, std::string> overlay;
  std::string path = (fs::temp_directory_path() / "lattice_index_test" / "policy.lat").string();
  overlay[parse::canonicalPath(path)] = text;
  pipeline::CompileOptions options;
  options.files = {path};
  options.overlay = &overlay;
  return pipeline::compile(options);
}

const char *const kPolicy = R"(policy p;
scope tenant;
scope account under tenant;
usertype user at account;
flag business on account;
flag archived on resource doc;
actions crud { create, read, update, delete; }
resource doc owned_by account {
  include crud;
  group publishing { publish, unpublish; }
}
role viewer for user {
  allow doc.read in subtree;
}
role editor for user extends viewer {
  allow doc.{update, publishing} when business and not resource.archived;
  assigns viewer;
}
test "t" {
  node t: tenant;
  node a: account under t;
  principal alice: user { editor at a; }
  allow alice: doc.read on a;
  allow editor as user with business: doc.update on self;
}
)";

TEST(SymbolIndex, ResolvesEveryKindOfUse) {
  pipeline::Compilation compiled = compileText(kPolicy);
  for (const Diagnostic &diag : compiled.diagnostics)
    if (diag.severity == Severity::Error)
      ADD_FAILURE() << diagInfo(diag.kind).code << " " << diag.message;
  ASSERT_EQ(compiled.errors, 0u);
  SymbolIndex index = SymbolIndex::build(compiled.files);
  EXPECT_TRUE(index.unresolved().empty());
  auto uses = [&](SymbolKind kind, const std::string &name) {
    std::optional<index::SymbolId> id = index.lookup(kind, name);
    return id ? index.occurrences(*id, false).size() : size_t{999};
  };
  EXPECT_EQ(uses(SymbolKind::Role, "viewer"), 2u);       // extends, assigns
  EXPECT_EQ(uses(SymbolKind::Role, "editor"), 2u);       // membership, case
  EXPECT_EQ(uses(SymbolKind::Flag, "business"), 2u);     // when, with
  EXPECT_EQ(uses(SymbolKind::Flag, "archived"), 1u);     // `resource.archived`
  EXPECT_EQ(uses(SymbolKind::ScopeKind, "tenant"), 2u);  // under, node
  EXPECT_EQ(uses(SymbolKind::ScopeKind, "account"), 4u); // at, flag on, owned_by, node
  EXPECT_EQ(uses(SymbolKind::Resource, "doc"), 5u);
  EXPECT_EQ(uses(SymbolKind::ActionSet, "crud"), 1u);
  // `doc.read` is the action set's `read`, reached through `include crud`.
  std::optional<index::SymbolId> resource = index.lookup(SymbolKind::Resource, "doc");
  ASSERT_TRUE(resource);
  std::vector<std::string> members;
  for (index::SymbolId id : index.membersOf(*resource))
    members.push_back(index.symbol(id).name);
  std::sort(members.begin(), members.end());
  EXPECT_EQ(members, (std::vector<std::string>{"create", "crud", "delete", "publish", "publishing",
                                               "read", "unpublish", "update"}));
  // Test-local names: `t` is used once (under), `a` twice (at, on).
  size_t nodeUses = 0;
  for (const index::Reference &ref : index.references())
    nodeUses += index.symbol(ref.symbol).kind == SymbolKind::TestNode;
  EXPECT_EQ(nodeUses, 3u);
}

TEST(SymbolIndex, AnUnknownNameIsUnresolvedWhereCheckReportsIt) {
  std::string text = kPolicy;
  text.replace(text.find("extends viewer"), 14, "extends veiwer");
  pipeline::Compilation compiled = compileText(text);
  SymbolIndex index = SymbolIndex::build(compiled.files);
  ASSERT_EQ(index.unresolved().size(), 1u);
  const index::Unresolved &miss = index.unresolved()[0];
  EXPECT_EQ(miss.name, "veiwer");
  EXPECT_EQ(miss.expected, SymbolKind::Role);
  bool reported = false;
  for (const Diagnostic &diag : compiled.diagnostics)
    reported |= diag.severity == Severity::Error && diag.range == miss.range;
  EXPECT_TRUE(reported) << "check reports the unknown role at the same range";
}

} // namespace
} // namespace lattice
