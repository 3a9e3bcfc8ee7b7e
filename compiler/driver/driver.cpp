// driver.cpp - subcommand dispatch, top-level --help and --version.
// Usage errors print a short hint and exit 2, as every subcommand does.
#include "diagnostics/suggest.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "lattice/format.h"

#include <cstdio>
#include <cstring>
#include <fmt/format.h>

#ifndef LATTICE_VERSION
#define LATTICE_VERSION "0.0.0"
#endif

namespace lattice::driver {
namespace {

constexpr const char *kUsage = R"(lattice - compiler and analyzer for multi-tenant role policies

Usage: lattice <command> [options] [files]

Commands:
  check FILE...            check policies and report diagnostics
  fmt FILE...              rewrite policies in the canonical layout (`-`: stdin)
  build FILE... -o OUT     compile policies into a decision table (.ltab), or a bundle
  query TABLE [request]    answer a request from a compiled table
  explain TABLE [request]  say why a request is allowed or denied, naming the rules
  test FILE...             run the policies' `test` blocks
  doc FILE... --format F   write the role x permission matrix (md, html, csv, json)
  diff OLD NEW             the difference in effective access between two policy versions
  verify BUNDLE            check a bundle's manifest, table and signature
  keygen -o NAME           write a key pair for signing bundles
  who-can FILE... --permission P
                           the roles, custom roles and user types that can be allowed P
  serve BUNDLE|TABLE|DIR   serve decisions over HTTP (runs `lattice-serve`, docs/server.md)
  lsp                      the language server, on stdin/stdout (docs/editors.md)

Options:
  --help                   show help (also `lattice <command> --help`)
  --version                show the version

Exit codes: 0 success, 1 errors (diagnostics, failed tests), 2 usage or I/O error,
3 access gained under `diff --fail-on new-access`.
)";

} // namespace

int run(int argc, char **argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return ExitUsage;
  }
  std::string command = argv[1];
  Argv rest(argv + 2, argv + argc);
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return ExitOk;
  }
  if (command == "--version") {
    std::printf("lattice %s (table format %u.%u)\n", LATTICE_VERSION,
                unsigned{format::kVersionMajor}, unsigned{format::kVersionMinor});
    return ExitOk;
  }
  if (command == "check")
    return runCheck(rest);
  if (command == "fmt")
    return runFmt(rest);
  if (command == "build")
    return runBuild(rest);
  if (command == "query")
    return runQuery(rest);
  if (command == "explain")
    return runExplain(rest);
  if (command == "test")
    return runTest(rest);
  if (command == "doc")
    return runDoc(rest);
  if (command == "diff")
    return runDiff(rest);
  if (command == "verify")
    return runVerify(rest);
  if (command == "keygen")
    return runKeygen(rest);
  if (command == "who-can")
    return runWhoCan(rest);
  if (command == "serve")
    return runServe(rest);
  if (command == "lsp")
    return runLsp(rest);
  NameSuggester suggester(command);
  for (const char *name : {"check", "fmt", "build", "query", "explain", "test", "doc", "diff",
                           "verify", "keygen", "who-can", "serve", "lsp"})
    suggester.consider(name);
  fmt::print(stderr, "lattice: error: unknown command `{}`{}\n", command,
             suggester.best() ? "; " + suggester.didYouMean() : "");
  fmt::print(stderr, "run `lattice --help` for the list of commands\n");
  return ExitUsage;
}

} // namespace lattice::driver
