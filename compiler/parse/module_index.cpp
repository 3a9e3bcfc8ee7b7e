// module_index.cpp - walks the import search folders for `.lat` files, bounded in depth and
// count so that a search path pointing at a huge folder costs little, and parses them quietly.
#include "parse/module_index.h"

#include "diagnostics/diagnostic.h"
#include "parse/embedded_stdlib.h"
#include "parse/module_loader.h"
#include "parse/parser.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <filesystem>
#include <set>

namespace lattice::parse {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxDepth = 4;
constexpr size_t kMaxFiles = 512;

bool isName(const std::string &part) {
  if (part.empty() || !(std::isalpha(static_cast<unsigned char>(part[0])) || part[0] == '_'))
    return false;
  return std::all_of(part.begin(), part.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

} // namespace

std::vector<ModuleFile> listModules(const std::vector<std::string> &dirs) {
  std::vector<ModuleFile> result;
  std::set<std::string> seen;
  size_t files = 0;
  for (const std::string &dir : dirs) {
    std::vector<ModuleFile> found;
    if (dir == kEmbeddedStdlibDir) { // the modules compiled into the binary
      for (const EmbeddedModule &module : embeddedModules()) {
        fs::path relative(module.path);
        relative.replace_extension();
        std::string name;
        for (const fs::path &part : relative)
          name += (name.empty() ? "" : ".") + part.string();
        found.push_back({name, std::string(kEmbeddedStdlibDir) + "/" + std::string(module.path)});
      }
    }
    std::error_code ec;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator() && files < kMaxFiles; it.increment(ec)) {
      const fs::directory_entry &entry = *it;
      std::string leaf = entry.path().filename().string();
      if (!leaf.empty() && leaf[0] == '.') {
        if (entry.is_directory(ec))
          it.disable_recursion_pending();
        continue;
      }
      if (entry.is_directory(ec)) {
        if (it.depth() + 1 >= kMaxDepth)
          it.disable_recursion_pending();
        continue;
      }
      if (entry.path().extension() != ".lat" || !entry.is_regular_file(ec))
        continue;
      ++files;
      fs::path relative = entry.path().lexically_relative(dir);
      relative.replace_extension();
      std::string name;
      bool valid = true;
      for (const fs::path &part : relative) {
        valid &= isName(part.string());
        name += (name.empty() ? "" : ".") + part.string();
      }
      if (valid)
        found.push_back({name, entry.path().string()});
    }
    std::sort(found.begin(), found.end(),
              [](const ModuleFile &a, const ModuleFile &b) { return a.name < b.name; });
    for (ModuleFile &module : found)
      if (seen.insert(module.name).second)
        result.push_back(std::move(module));
  }
  return result;
}

std::vector<std::pair<std::string, ast::File>>
importableModules(const std::vector<std::string> &dirs,
                  const std::vector<std::string> &loadedPaths) {
  std::set<std::string> loaded;
  for (const std::string &path : loadedPaths)
    loaded.insert(canonicalPath(path));
  std::vector<std::pair<std::string, ast::File>> result;
  SourceManager sources; // only the names of the declarations are used: ranges point nowhere
  for (const ModuleFile &module : listModules(dirs)) {
    if (loaded.count(canonicalPath(module.path)))
      continue;
    std::unique_ptr<llvm::MemoryBuffer> buffer;
    if (std::optional<std::string_view> text = embeddedModuleText(module.path)) {
      buffer = llvm::MemoryBuffer::getMemBufferCopy(*text, module.path);
    } else if (auto file = llvm::MemoryBuffer::getFile(module.path)) {
      buffer = std::move(*file);
    }
    if (!buffer || buffer->getBufferSize() > kMaxFileBytes)
      continue;
    DiagnosticEngine quiet;
    uint32_t id = sources.addBuffer(std::move(buffer));
    // Only a module is meant to be imported (a policy file beside the importer is not one), and
    // only by its own name.
    std::optional<ast::File> file = parseFile(id, sources, quiet);
    if (file && file->header && file->header->isModule && file->header->name.str() == module.name)
      result.emplace_back(module.name, std::move(*file));
  }
  return result;
}

} // namespace lattice::parse
