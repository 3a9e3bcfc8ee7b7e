// cmd_diff.cpp - `lattice diff OLD NEW` and `lattice diff --git REV1 REV2 -- PATHS`: compile two
// versions of a policy and report the difference in effective access (compiler/diff/).
#include "diagnostics/render.h"
#include "diff/access_diff.h"
#include "diff/render_diff.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "parse/input_files.h"
#include "parse/module_loader.h"
#include "sema/check.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <set>
#include <unistd.h>

namespace lattice::driver {
namespace {

namespace fs = std::filesystem;

const std::vector<OptionSpec> kDiffOptions = {
    {"--format", true, "text|md|json", "output format (default: text)"},
    {"--color", true, "auto|always|never", "colour the text output (default: auto)"},
    {"--fail-on", true, "CATEGORIES",
     "exit 3 on new access of these categories (comma list; `new-access`: all)"},
    {"--git", false, "", "read the versions from git: --git REV1 [REV2] -- PATHS"},
    {"--help", false, "", "show this help"},
};

constexpr const char *kDiffHelp = R"(Usage: lattice diff [options] OLD NEW
       lattice diff [options] --git REV1 REV2 -- PATH...
       lattice diff [options] --git REV -- PATH...      (REV against the working tree)

Compares two versions of a policy and reports the difference in effective access: per role, per
role combination and user type, which permissions at which relations and under which flags were
gained (+) or lost (-), each gain with its category and a witness request; roles that may now be
held together or given through `assigns`; and added or removed roles, user types, permissions,
flags, assigns, exclusive sets, locked and deprecated. OLD and NEW are files or folders (a folder
means all its .lat files).

Categories of new access (for --fail-on; `new-access` means all of them): new-role, new-holder,
new-permission, widened-permission, removed-requirement, removed-deny, new-allow,
removed-exclusive, new-delegation, widened-custom-role.

Exit codes: 0 done, 1 a version does not compile, 2 usage or I/O error (or a comparison too
large to compute exactly), 3 new access of a category named by --fail-on.

Options:
)";

/// The categories `--fail-on` names, or nullopt with `error` set.
std::optional<std::set<diff::Category>> parseFailOn(const std::string &value, std::string &error) {
  std::set<diff::Category> selected;
  for (const std::string &name : splitList(value)) {
    if (name == "new-access") {
      for (size_t i = 0; i < diff::kCategoryCount; ++i)
        selected.insert(static_cast<diff::Category>(i));
    } else if (std::optional<diff::Category> category = diff::parseCategory(name)) {
      selected.insert(*category);
    } else {
      std::string valid = "new-access";
      for (size_t i = 0; i < diff::kCategoryCount; ++i)
        valid += std::string(", ") + diff::categoryName(static_cast<diff::Category>(i));
      error = fmt::format("`--fail-on` takes a comma list of {}; not `{}`", valid, name);
      return std::nullopt;
    }
  }
  if (selected.empty())
    error = "`--fail-on` needs at least one category";
  return selected.empty() ? std::nullopt : std::optional(selected);
}

/// One compiled version; `exitCode` is ExitErrors or ExitUsage when it has no model.
struct Version {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::optional<sema::Model> model;
  int exitCode = ExitOk;
};

/// Parses and checks `files`, printing only errors (warnings are `check`'s business).
Version compileVersion(const std::vector<std::string> &files, const std::string &label,
                       bool color) {
  Version version;
  if (files.empty()) {
    version.model.emplace(); // absent at this revision: an empty policy
    return version;
  }
  DiagnosticEngine diags;
  parse::LoadOptions load{parse::defaultStdlibDirs()};
  parse::LoadResult loaded = parse::loadProgram(files, load, *version.sources, diags);
  if (loaded.ok)
    version.model = sema::check(loaded.files, *version.sources, diags);
  std::vector<Diagnostic> errors;
  for (const Diagnostic &diag : diags.sorted())
    if (diag.severity == Severity::Error)
      errors.push_back(diag);
  if (!errors.empty() || !version.model) {
    fmt::print(stderr, "lattice diff: error: the {} version does not compile\n", label);
    renderText(llvm::errs(), *version.sources, errors, RenderOptions{color});
    llvm::errs().flush();
    version.exitCode = loaded.ioError ? ExitUsage : ExitErrors;
    version.model.reset();
  }
  return version;
}

/// Runs git with `args`; returns its standard output, or nullopt with `error` set.
std::optional<std::string> runGit(const std::string &git, const std::vector<std::string> &args,
                                  const std::string &scratch, std::string &error) {
  std::string outPath = scratch + "/git.out", errPath = scratch + "/git.err";
  // The redirections do not truncate: start from fresh files.
  std::error_code ec;
  fs::remove(outPath, ec);
  fs::remove(errPath, ec);
  std::vector<llvm::StringRef> argv{git};
  for (const std::string &arg : args)
    argv.push_back(arg);
  llvm::Optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(outPath),
                                                 llvm::StringRef(errPath)};
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(git, argv, llvm::None, redirects, 0, 0, &message);
  auto read = [](const std::string &path) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    return buffer ? (*buffer)->getBuffer().str() : std::string();
  };
  if (rc != 0) {
    std::string err = read(errPath);
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r'))
      err.pop_back();
    error = fmt::format("`git {}` failed: {}", args.empty() ? "" : args[0],
                        err.empty() ? message : err);
    return std::nullopt;
  }
  return read(outPath);
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

/// Writes every .lat file of `rev` under `dest` (so imports resolve among the copies) and
/// returns the files the paths name there; a path absent at `rev` names nothing.
std::optional<std::vector<std::string>>
checkoutRevision(const std::string &git, const std::string &rev, const std::string &prefix,
                 const std::vector<std::string> &paths, const std::string &dest,
                 const std::string &scratch, std::string &error) {
  if (!runGit(git, {"rev-parse", "--verify", "--quiet", rev + "^{commit}"}, scratch, error)) {
    error = fmt::format("unknown git revision `{}`", rev);
    return std::nullopt;
  }
  std::optional<std::string> listing =
      runGit(git, {"ls-tree", "-r", "-z", "--full-tree", "--name-only", rev}, scratch, error);
  if (!listing)
    return std::nullopt;
  size_t start = 0;
  while (start < listing->size()) {
    size_t end = listing->find('\0', start);
    if (end == std::string::npos)
      end = listing->size();
    std::string path = listing->substr(start, end - start);
    start = end + 1;
    if (fs::path(path).extension() != ".lat")
      continue;
    fs::path target = fs::path(dest) / path;
    std::error_code ec;
    fs::create_directories(target.parent_path(), ec);
    std::optional<std::string> text = runGit(git, {"show", rev + ":" + path}, scratch, error);
    if (!text)
      return std::nullopt;
    std::FILE *out = std::fopen(target.c_str(), "wb");
    if (out == nullptr || std::fwrite(text->data(), 1, text->size(), out) != text->size()) {
      if (out != nullptr)
        std::fclose(out);
      error = fmt::format("cannot write `{}`", target.string());
      return std::nullopt;
    }
    std::fclose(out);
  }
  std::vector<std::string> files;
  for (const std::string &path : paths) {
    fs::path inRepo = (fs::path(prefix) / path).lexically_normal();
    std::string relative = inRepo.generic_string();
    while (!relative.empty() && relative.back() == '/')
      relative.pop_back();
    fs::path copy = fs::path(dest) / relative;
    std::error_code ec;
    if (fs::is_directory(copy, ec)) {
      std::vector<std::string> found;
      for (const fs::directory_entry &entry : fs::directory_iterator(copy, ec))
        if (entry.path().extension() == ".lat" && !entry.is_directory())
          found.push_back(entry.path().string());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(copy, ec)) {
      files.push_back(copy.string());
    }
  }
  return files;
}

/// Removes a temporary folder when it goes out of scope.
struct TempDir {
  std::string path;
  ~TempDir() {
    if (!path.empty()) {
      std::error_code ec;
      fs::remove_all(path, ec);
    }
  }
};

} // namespace

int runDiff(const Argv &commandLine) {
  std::string error;
  std::optional<Args> args = Args::parse(commandLine, kDiffOptions, error);
  if (args && args->has("--help")) {
    fmt::print("{}{}", kDiffHelp, describeOptions(kDiffOptions));
    return ExitOk;
  }
  // Positionals before `--` are OLD NEW or the revisions; after it, the paths of `--git`.
  Argv before, after;
  if (args) {
    size_t split = args->positionalsBeforeDashes().value_or(args->positional().size());
    before.assign(args->positional().begin(), args->positional().begin() + split);
    after.assign(args->positional().begin() + split, args->positional().end());
  }
  std::string format = args ? args->get("--format").value_or("text") : "text";
  std::string colorMode = args ? args->get("--color").value_or("auto") : "auto";
  bool git = args && args->has("--git");
  std::optional<std::set<diff::Category>> failOn;
  if (args) {
    if (format != "text" && format != "md" && format != "json")
      error = fmt::format("`--format` takes `text`, `md` or `json`, not `{}`", format);
    else if (colorMode != "auto" && colorMode != "always" && colorMode != "never")
      error = fmt::format("`--color` takes `auto`, `always` or `never`, not `{}`", colorMode);
    else if (auto value = args->get("--fail-on"); value && !(failOn = parseFailOn(*value, error)))
      ; // error set
    else if (git && (before.empty() || before.size() > 2))
      error = "`--git` needs one or two revisions: --git REV1 [REV2] -- PATH...";
    else if (git && after.empty())
      error = "`--git` needs the paths to compare after `--`";
    else if (!git && before.size() + after.size() != 2)
      error = "expected two inputs: OLD NEW";
  }
  if (!args || !error.empty()) {
    return usageError("diff", error);
  }
  bool noColor = std::getenv("NO_COLOR") != nullptr;
  bool colorOut =
      colorMode == "always" || (colorMode == "auto" && isatty(STDOUT_FILENO) && !noColor);
  bool colorErr =
      colorMode == "always" || (colorMode == "auto" && isatty(STDERR_FILENO) && !noColor);

  std::vector<std::string> filesOld, filesNew;
  std::string labelOld = "old", labelNew = "new";
  TempDir temp;
  if (git) {
    const std::string &revOld = before[0];
    const bool againstWorkTree = before.size() == 1;
    labelOld = fmt::format("`{}`", revOld);
    labelNew = againstWorkTree ? "working tree" : fmt::format("`{}`", before[1]);
    llvm::ErrorOr<std::string> gitPath = llvm::sys::findProgramByName("git");
    llvm::SmallString<128> dir;
    if (!gitPath) {
      error = "cannot find `git`";
    } else if (llvm::sys::fs::createUniqueDirectory("lattice-diff", dir)) {
      error = "cannot create a temporary folder";
    } else {
      temp.path = dir.str().str();
      std::optional<std::string> prefix =
          runGit(*gitPath, {"rev-parse", "--show-prefix"}, temp.path, error);
      std::optional<std::vector<std::string>> oldFiles, newFiles;
      if (prefix)
        oldFiles = checkoutRevision(*gitPath, revOld, trimmed(*prefix), after, temp.path + "/old",
                                    temp.path, error);
      if (oldFiles && againstWorkTree) {
        // The working tree as it is: paths that do not exist there are absent from it.
        std::vector<std::string> present;
        for (const std::string &path : after)
          if (std::error_code ec; fs::exists(path, ec))
            present.push_back(path);
        newFiles = parse::expandInputPaths(present, error);
      } else if (oldFiles) {
        newFiles = checkoutRevision(*gitPath, before[1], trimmed(*prefix), after,
                                    temp.path + "/new", temp.path, error);
      }
      if (newFiles && oldFiles->empty() && newFiles->empty())
        error = againstWorkTree ? "no .lat file at those paths in the revision or the working tree"
                                : "no .lat file at those paths in either revision";
      else if (newFiles) {
        filesOld = std::move(*oldFiles);
        filesNew = std::move(*newFiles);
      }
    }
  } else {
    Argv inputs = before;
    inputs.insert(inputs.end(), after.begin(), after.end());
    std::optional<std::vector<std::string>> oldFiles = parse::expandInputPaths({inputs[0]}, error);
    std::optional<std::vector<std::string>> newFiles =
        oldFiles ? parse::expandInputPaths({inputs[1]}, error) : std::nullopt;
    if (newFiles) {
      filesOld = std::move(*oldFiles);
      filesNew = std::move(*newFiles);
    }
  }
  if (!error.empty()) {
    fmt::print(stderr, "lattice diff: error: {}\n", error);
    return ExitUsage;
  }

  Version oldVersion = compileVersion(filesOld, labelOld, colorErr);
  Version newVersion = compileVersion(filesNew, labelNew, colorErr);
  if (!oldVersion.model || !newVersion.model)
    return std::max(oldVersion.exitCode, newVersion.exitCode);

  diff::PolicyDiff result;
  try {
    result = diff::comparePolicies(*oldVersion.model, *newVersion.model);
  } catch (const diff::TooComplex &tooComplex) {
    // Refusing is the only safe answer for a review gate: never a partial "no new access".
    fmt::print(stderr, "lattice diff: error: {}\n", tooComplex.what());
    return ExitUsage;
  }
  std::string out = format == "json" ? diff::renderJson(result)
                    : format == "md" ? diff::renderMarkdown(result)
                                     : diff::renderText(result, colorOut);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (!failOn)
    return ExitOk;
  std::string failing;
  for (diff::Category category : result.newAccessCategories())
    if (failOn->count(category))
      failing += (failing.empty() ? "" : ", ") + std::string(diff::categoryName(category));
  if (failing.empty())
    return ExitOk;
  fmt::print(stderr, "lattice diff: new access ({}): exit 3 as `--fail-on` asks\n", failing);
  return ExitNewAccess;
}

} // namespace lattice::driver
