// embedded_stdlib_test.cpp - the stdlib modules compiled into the binary (parse/embedded_stdlib.h):
// byte for byte the files of stdlib/, found by their `<builtin>/` paths only, and listed and
// loaded through the `<builtin>` search folder as a folder of files would be.
#include "parse/embedded_stdlib.h"
#include "parse/module_index.h"
#include "parse/module_loader.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <set>
#include <sstream>

namespace lattice::parse {
namespace {

namespace fs = std::filesystem;

TEST(EmbeddedStdlib, HoldsEveryStdlibFileAsItIs) {
  std::set<std::string> files;
  const fs::path root = LATTICE_TEST_STDLIB;
  for (const fs::directory_entry &entry : fs::recursive_directory_iterator(root))
    if (entry.path().extension() == ".lat")
      files.insert(entry.path().lexically_relative(root).generic_string());
  ASSERT_FALSE(files.empty());
  std::set<std::string> embedded;
  for (const EmbeddedModule &module : embeddedModules()) {
    embedded.insert(std::string(module.path));
    std::ifstream in(root / std::string(module.path), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_EQ(text.str(), module.text) << module.path;
    EXPECT_EQ(embeddedModuleText("<builtin>/" + std::string(module.path)), module.text);
  }
  EXPECT_EQ(embedded, files);
}

TEST(EmbeddedStdlib, OnlyBuiltinPathsName) {
  EXPECT_TRUE(isEmbeddedPath("<builtin>"));
  EXPECT_TRUE(isEmbeddedPath("<builtin>/std/tenancy.lat"));
  EXPECT_FALSE(isEmbeddedPath("<builtin>x/std/tenancy.lat"));
  EXPECT_FALSE(isEmbeddedPath("std/tenancy.lat"));
  EXPECT_FALSE(embeddedModuleText("std/tenancy.lat").has_value());
  EXPECT_FALSE(embeddedModuleText("<builtin>/std/nope.lat").has_value());
  EXPECT_FALSE(embeddedModuleText("<builtin>/").has_value());
}

TEST(EmbeddedStdlib, ListedAndLoadedThroughTheBuiltinFolder) {
  std::set<std::string> names;
  for (const ModuleFile &module : listModules({std::string(kEmbeddedStdlibDir)}))
    names.insert(module.name);
  EXPECT_TRUE(names.count("std.tenancy")) << "std.tenancy is not listed";
  const fs::path dir = fs::temp_directory_path() / "lattice-embedded-stdlib-test";
  fs::create_directories(dir);
  const fs::path policy = dir / "p.lat";
  std::ofstream(policy) << "policy p;\nimport std.tenancy;\nusertype u at account;\n";
  SourceManager sources;
  DiagnosticEngine diags;
  LoadResult loaded = loadProgram({policy.string()}, LoadOptions{{std::string(kEmbeddedStdlibDir)}},
                                  sources, diags);
  EXPECT_TRUE(loaded.ok);
  ASSERT_EQ(loaded.files.size(), 2u);
  EXPECT_EQ(sources.name(loaded.files[0].fileId).str(), "<builtin>/std/tenancy.lat");
  fs::remove_all(dir);
}

} // namespace
} // namespace lattice::parse
