// module_loader.cpp - iterative depth-first loading of imports with cycle detection.
// Files are keyed by canonical path so a module reached twice is read and declared once.
#include "parse/module_loader.h"

#include "base/input_file.h"
#include "diagnostics/suggest.h"
#include "parse/embedded_stdlib.h"
#include "parse/module_index.h"
#include "parse/parser.h"

#include "llvm/Support/MemoryBuffer.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#ifndef LATTICE_BUILTIN_STDLIB
#define LATTICE_BUILTIN_STDLIB ""
#endif

namespace lattice::parse {
namespace fs = std::filesystem;

std::vector<std::string> defaultStdlibDirs() {
  std::vector<std::string> dirs;
  if (const char *env = std::getenv("LATTICE_STDLIB")) {
    llvm::SmallVector<llvm::StringRef, 4> parts;
    llvm::StringRef(env).split(parts, ':', -1, false);
    for (llvm::StringRef part : parts)
      dirs.push_back(part.str());
  }
  // An installed `lattice` (bin/lattice) finds the modules installed beside it
  // (share/lattice/stdlib), whatever prefix it was copied or unpacked to; a build tree's binary
  // falls back to the source tree's stdlib/.
  std::error_code ec;
  fs::path executable = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = executable.parent_path().parent_path() / "share" / "lattice" / "stdlib";
    if (fs::is_directory(installed, ec))
      dirs.push_back(installed.string());
  }
  // The self-contained CLI reads nothing of the build tree: its modules are compiled in.
  if (embeddedStdlibInUse())
    dirs.emplace_back(kEmbeddedStdlibDir);
  else if (std::string(LATTICE_BUILTIN_STDLIB) != "")
    dirs.push_back(LATTICE_BUILTIN_STDLIB);
  return dirs;
}

std::string canonicalPath(const std::string &path) {
  if (isEmbeddedPath(path)) // no file: its name is its identity
    return path;
  std::error_code ec;
  fs::path result = fs::weakly_canonical(path, ec);
  return ec ? path : result.string();
}

namespace {

/// Reads at most one byte more than the parser accepts, so a huge file costs bounded memory;
/// the parser then reports the size (L0005). Only regular files are read: a FIFO would block
/// and a device (`/dev/zero`, a terminal) is no policy. `key` is the path's canonicalPath: an
/// overlay's text stands for the file.
std::unique_ptr<llvm::MemoryBuffer> readSource(const std::string &path, const std::string &key,
                                               std::string &error,
                                               const std::map<std::string, std::string> *overlay) {
  if (std::optional<std::string_view> text = embeddedModuleText(path))
    return llvm::MemoryBuffer::getMemBufferCopy(*text, path);
  if (overlay != nullptr) {
    auto it = overlay->find(key);
    if (it != overlay->end())
      return llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(it->second).take_front(kMaxFileBytes + 1), path);
  }
  std::optional<InputFile> file = InputFile::open(path, error);
  if (!file)
    return nullptr;
  std::string content;
  if (!file->read(kMaxFileBytes + 1, content, error))
    return nullptr;
  return llvm::MemoryBuffer::getMemBufferCopy(content, path);
}

enum class State { Visiting, Done, Failed };

struct Frame {
  size_t file;       // index into `parsed`
  size_t nextImport; // next import of that file to follow
};

class Loader {
public:
  Loader(const LoadOptions &options, SourceManager &sources, DiagnosticEngine &diags)
      : options(options), sources(sources), diags(diags) {}

  LoadResult run(const std::vector<std::string> &roots) {
    LoadResult result;
    bool ok = true;
    for (const std::string &root : roots) {
      std::string error;
      std::string key = canonicalPath(root);
      std::unique_ptr<llvm::MemoryBuffer> buffer = readSource(root, key, error, options.overlay);
      if (!buffer) {
        diags.report(DiagKind::CannotReadFile, SourceRange{},
                     fmt::format("cannot read `{}`: {}", root, error));
        result.ioError = true;
        ok = false;
        continue;
      }
      if (states.count(key))
        continue; // named twice, or already imported by an earlier root
      ok &= visit(key, std::move(buffer));
    }
    // Post-order of the depth-first walks: every module comes before the files importing it.
    for (size_t index : order)
      result.files.push_back(std::move(*parsed[index]));
    result.ok = ok && !diags.hasErrors();
    return result;
  }

private:
  /// Loads `key` and everything it imports. Returns false if anything failed.
  bool visit(const std::string &key, std::unique_ptr<llvm::MemoryBuffer> buffer) {
    bool ok = true;
    std::vector<Frame> stack;
    std::vector<std::string> stackKeys;
    auto open = [&](const std::string &k, std::unique_ptr<llvm::MemoryBuffer> b) {
      // Re-own the buffer under the path the user gave, for readable diagnostics.
      uint32_t id = sources.addBuffer(std::move(b));
      std::optional<ast::File> file = parseFile(id, sources, diags);
      states[k] = file ? State::Visiting : State::Failed;
      fileIds[k] = id;
      if (!file) {
        ok = false;
        return;
      }
      parsed.push_back(std::move(file));
      stack.push_back({parsed.size() - 1, 0});
      stackKeys.push_back(k);
    };
    open(key, std::move(buffer));
    while (!stack.empty()) {
      Frame &frame = stack.back();
      const ast::File &file = *parsed[frame.file];
      if (frame.nextImport == file.imports.size()) {
        states[stackKeys.back()] = State::Done;
        order.push_back(frame.file);
        stack.pop_back();
        stackKeys.pop_back();
        continue;
      }
      // A copy: opening a module below appends to `parsed`, which may move `file`.
      const size_t importer = frame.file, importIndex = frame.nextImport;
      const ast::Import import = file.imports[frame.nextImport++];
      // Which file the import stands for (sema asks whether any of its names are used).
      auto record = [&](const std::string &key) {
        if (states[key] != State::Failed)
          parsed[importer]->imports[importIndex].file = fileIds[key];
      };
      auto resolved = resolve(import, file.fileId);
      if (!resolved) {
        ok = false;
        continue;
      }
      const std::string *path = &resolved->first;
      auto it = states.find(*path);
      if (it != states.end()) {
        if (it->second == State::Visiting) {
          reportCycle(import, *path, stack, stackKeys);
          ok = false;
        }
        record(*path);
        continue;
      }
      std::string error;
      std::unique_ptr<llvm::MemoryBuffer> child =
          readSource(resolved->second, *path, error, options.overlay);
      if (!child) {
        diags.report(DiagKind::ModuleNotFound, import.module.range,
                     fmt::format("cannot read module `{}` at `{}`: {}", import.module.str(),
                                 resolved->second, error));
        states[*path] = State::Failed;
        ok = false;
        continue;
      }
      open(*path, std::move(child));
      record(*path);
      if (states[*path] != State::Failed)
        checkModuleName(import, *parsed.back());
    }
    return ok;
  }

  /// Returns the module's canonical path (its identity) and the path to show in diagnostics.
  std::optional<std::pair<std::string, std::string>> resolve(const ast::Import &import,
                                                             uint32_t fromFile) {
    fs::path relative;
    for (const ast::Ident &part : import.module.parts)
      relative /= part.name;
    relative += ".lat";
    std::vector<fs::path> candidates;
    candidates.push_back(fs::path(sources.name(fromFile).str()).parent_path() / relative);
    for (const std::string &dir : options.stdlibDirs)
      candidates.push_back(fs::path(dir) / relative);
    for (const fs::path &candidate : candidates) {
      std::error_code ec;
      if (embeddedModuleText(candidate.generic_string()))
        return std::pair(candidate.generic_string(), candidate.generic_string());
      bool onDisk = fs::is_regular_file(candidate, ec);
      if (!onDisk && options.overlay == nullptr)
        continue;
      std::string key = canonicalPath(candidate.string());
      if (onDisk || options.overlay->count(key))
        return std::pair(std::move(key), candidate.lexically_normal().string());
    }
    Diagnostic &diag = diags.report(DiagKind::ModuleNotFound, import.module.range,
                                    fmt::format("cannot find module `{}`", import.module.str()));
    std::vector<std::string> dirs{fs::path(sources.name(fromFile).str()).parent_path().string()};
    dirs.insert(dirs.end(), options.stdlibDirs.begin(), options.stdlibDirs.end());
    NameSuggester suggester(import.module.str());
    for (const ModuleFile &module : listModules(dirs))
      suggester.consider(module.name);
    if (suggester.best()) {
      diag.help = suggester.didYouMean();
      return std::nullopt;
    }
    std::string searched;
    for (const fs::path &candidate : candidates)
      searched += (searched.empty() ? "" : ", ") + candidate.string();
    diag.help = fmt::format("looked for {}; set LATTICE_STDLIB to add a folder", searched);
    return std::nullopt;
  }

  void checkModuleName(const ast::Import &import, const ast::File &module) {
    if (!module.header || !module.header->isModule ||
        module.header->name.str() == import.module.str())
      return;
    Diagnostic &diag = diags.report(DiagKind::ModuleNameMismatch, module.header->name.range,
                                    fmt::format("module is named `{}` but imported as `{}`",
                                                module.header->name.str(), import.module.str()));
    diag.notes.push_back({import.module.range, "imported here"});
  }

  void reportCycle(const ast::Import &import, const std::string &target,
                   const std::vector<Frame> &stack, const std::vector<std::string> &keys) {
    Diagnostic &diag =
        diags.report(DiagKind::ImportCycle, import.range,
                     fmt::format("importing `{}` creates a cycle", import.module.str()));
    // Walk the current import chain from the module that is imported again.
    size_t start = 0;
    while (start < keys.size() && keys[start] != target)
      ++start;
    for (size_t i = start; i + 1 < stack.size(); ++i) {
      const ast::File &file = *parsed[stack[i].file];
      const ast::Import &step = file.imports[stack[i].nextImport - 1];
      diag.notes.push_back({step.range, fmt::format("`{}` is imported here", step.module.str())});
    }
  }

  const LoadOptions &options;
  SourceManager &sources;
  DiagnosticEngine &diags;
  std::map<std::string, State> states;
  std::map<std::string, uint32_t> fileIds; // by canonical path
  std::vector<std::optional<ast::File>> parsed;
  std::vector<size_t> order;
};

} // namespace

LoadResult loadProgram(const std::vector<std::string> &roots, const LoadOptions &options,
                       SourceManager &sources, DiagnosticEngine &diags) {
  return Loader(options, sources, diags).run(roots);
}

} // namespace lattice::parse
