// features_test.cpp - completion by context, rename checks, hover texts and document symbols on
// a snapshot of a real folder (the compiler and index as the server uses them).
#include "lsp/features.h"
#include "parse/module_loader.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace lattice::lsp {
namespace {

namespace fs = std::filesystem;

const char *const kPolicy = R"(policy p;
scope tenant;
scope account under tenant;
usertype user at account;
flag business on account;
resource doc "Documents" owned_by account {
  read "Read", write;
  group publishing { publish; }
}
role viewer "Viewer" for user {
  allow doc.read in subtree;
}
role editor for user extends viewer {
  allow doc.{write, publishing} when business;
  deny doc.publish in descendants;
}
custom role key_role for user {
  allow doc.read in subtree;
}
)";

class Features : public ::testing::Test {
protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("lattice_features_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "policy.lat") << kPolicy;
    std::string folder = parse::canonicalPath(dir.string());
    snapshot = buildSnapshot(folder, {}, {}, {});
    file = snapshot->fileOf(parse::canonicalPath((dir / "policy.lat").string()));
    ASSERT_NE(file, 0u);
    ASSERT_TRUE(snapshot->compilation.model) << "the policy checks";
  }
  void TearDown() override { fs::remove_all(dir); }

  std::vector<std::string> labels(llvm::StringRef before) {
    std::vector<std::string> out;
    for (const CompletionItem &item : completions(snapshot.get(), before))
      out.push_back(item.label);
    std::sort(out.begin(), out.end());
    return out;
  }
  uint32_t offsetOf(llvm::StringRef needle, size_t skip = 0) {
    return static_cast<uint32_t>(llvm::StringRef(kPolicy).find(needle) + skip);
  }

  fs::path dir;
  std::shared_ptr<Snapshot> snapshot;
  uint32_t file = 0;
};

using Names = std::vector<std::string>;

TEST_F(Features, CompletesNamesValidInContext) {
  EXPECT_EQ(labels("role r for user extends "), (Names{"editor", "key_role", "viewer"}));
  EXPECT_EQ(labels("role r for user extends viewer, ed"), (Names{"editor", "key_role", "viewer"}));
  EXPECT_EQ(labels("role r for "), (Names{"user"}));
  EXPECT_EQ(labels("scope x under "), (Names{"account", "tenant"}));
  EXPECT_EQ(labels("  allow doc."), (Names{"publish", "publishing", "read", "write"}));
  EXPECT_EQ(labels("  allow doc.{read, "), (Names{"publish", "publishing", "read", "write"}));
  EXPECT_EQ(labels("  allow "), (Names{"doc"}));
  EXPECT_EQ(labels("  allow doc.read when not "), (Names{"business"}));
  EXPECT_EQ(labels("  node a: "), (Names{"account", "tenant"}));
  EXPECT_EQ(labels("  principal p: "), (Names{"user"}));
  EXPECT_EQ(labels("  custom c: "), (Names{"key_role"}));
  EXPECT_EQ(labels("  allow viewer: "), (Names{"doc"}));
  EXPECT_EQ(labels("  allow viewer: doc.read on "),
            (Names{"ancestors", "descendants", "elsewhere", "self", "subtree", "tenant"}));
  EXPECT_EQ(labels("flag spare on "), (Names{"account", "doc", "tenant", "user"}));
  Names top = labels("");
  EXPECT_TRUE(std::find(top.begin(), top.end(), "role") != top.end());
  EXPECT_TRUE(std::find(top.begin(), top.end(), "viewer") == top.end());
  // Without a snapshot yet: the keywords.
  EXPECT_FALSE(completions(nullptr, "role r extends ").empty());
}

TEST_F(Features, RenameRefusesKeywordsNonNamesAndTakenNames) {
  std::optional<index::SymbolId> viewer = snapshot->index.lookup(index::SymbolKind::Role, "viewer");
  ASSERT_TRUE(viewer);
  EXPECT_EQ(renameProblem(*snapshot, *viewer, "reader"), "");
  EXPECT_EQ(renameProblem(*snapshot, *viewer, "viewer"), "");
  EXPECT_NE(renameProblem(*snapshot, *viewer, "allow").find("keyword"), std::string::npos);
  EXPECT_NE(renameProblem(*snapshot, *viewer, "9lives").find("not a name"), std::string::npos);
  EXPECT_NE(renameProblem(*snapshot, *viewer, "a-b").find("not a name"), std::string::npos);
  EXPECT_NE(renameProblem(*snapshot, *viewer, "editor").find("already the name of a role"),
            std::string::npos);
  // Roles and ceilings share a namespace; a scope kind's name is another namespace.
  EXPECT_NE(renameProblem(*snapshot, *viewer, "key_role").find("custom role ceiling"),
            std::string::npos);
  EXPECT_EQ(renameProblem(*snapshot, *viewer, "tenant"), "");
  // Actions and groups share one namespace per resource.
  std::optional<index::SymbolId> doc = snapshot->index.lookup(index::SymbolKind::Resource, "doc");
  ASSERT_TRUE(doc);
  for (index::SymbolId member : snapshot->index.membersOf(*doc))
    if (snapshot->index.symbol(member).name == "read") {
      EXPECT_NE(renameProblem(*snapshot, member, "publishing").find("action group"),
                std::string::npos);
      EXPECT_EQ(renameProblem(*snapshot, member, "viewer"), "");
    }
}

TEST_F(Features, HoverSaysWhatARoleIsAllowedPerRelation) {
  // `viewer` where editor extends it: its own rule reaches self and descendants.
  std::optional<std::string> viewer = hoverText(*snapshot, file, offsetOf("extends viewer", 9));
  ASSERT_TRUE(viewer);
  EXPECT_NE(viewer->find("**role** `viewer` — \"Viewer\""), std::string::npos) << *viewer;
  EXPECT_NE(viewer->find("- `self`: `doc.read` (1)"), std::string::npos) << *viewer;
  EXPECT_NE(viewer->find("- `descendants`: `doc.read` (1)"), std::string::npos) << *viewer;
  EXPECT_NE(viewer->find("- `ancestors`: nothing"), std::string::npos) << *viewer;
  // `editor` inherits `doc.read`; its conditional allows are listed apart, and its deny of
  // `doc.publish` in descendants takes that permission out there.
  std::optional<std::string> editor = hoverText(*snapshot, file, offsetOf("role editor", 6));
  ASSERT_TRUE(editor);
  EXPECT_NE(editor->find("extends (with what they extend) `viewer`"), std::string::npos) << *editor;
  EXPECT_NE(editor->find("- `self`: `doc.read` (1); under a condition or denied sometimes: "
                         "`doc.write`, `doc.publish`"),
            std::string::npos)
      << *editor;
  EXPECT_NE(editor->find("- `descendants`: `doc.read` (1)\n"), std::string::npos) << *editor;
  // A permission: its label and the roles allowed it, through `extends` too.
  std::optional<std::string> read = hoverText(*snapshot, file, offsetOf("allow doc.read", 10));
  ASSERT_TRUE(read);
  EXPECT_NE(read->find("**permission** `doc.read` — \"Read\""), std::string::npos) << *read;
  EXPECT_NE(read->find("allowed by `viewer`, `editor`"), std::string::npos) << *read;
  EXPECT_FALSE(hoverText(*snapshot, file, offsetOf("allow doc.read", 2)));
}

TEST_F(Features, DocumentSymbolsNestActionsUnderTheirResource) {
  llvm::json::Array symbols = documentSymbols(*snapshot, file, Encoding::Utf16);
  std::vector<std::string> names;
  for (const llvm::json::Value &symbol : symbols)
    names.push_back(symbol.getAsObject()->getString("name")->str());
  EXPECT_EQ(names, (Names{"tenant", "account", "doc", "user", "business", "viewer", "editor",
                          "key_role"}));
  const llvm::json::Array *children = symbols[2].getAsObject()->getArray("children");
  ASSERT_TRUE(children);
  EXPECT_EQ(children->size(), 4u); // read, write, publishing, publish
}

} // namespace
} // namespace lattice::lsp
