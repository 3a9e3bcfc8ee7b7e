// fuzz_frontend.cpp - libFuzzer target: what `check`, `build` and `test` run on one policy file
// (parse, check, analyze, lower, write, load), then the table-vs-reference probe: every decision
// of the runtime on the written table must equal the reference interpreter's on the model.
// Any difference, crash or sanitizer report is a finding (docs/testing.md, "Fuzzing").
#include "analysis/analyzer.h"
#include "compile_helper.h"
#include "emit/table_writer.h"
#include "lattice/lattice.h"
#include "lower/lower.h"
#include "reference/interpreter.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace lattice;

[[noreturn]] void mismatch(const char *what, const reference::Request &q, bool expected,
                           const lattice_decision &got) {
  std::fprintf(stderr,
               "table vs reference (%s): kind %u, %zu roles, permission %u, relation %u, flags "
               "%llx: reference %s, table %s (reason %u)\n",
               what, q.kind, q.roles.size(), q.permission, unsigned(q.relation),
               static_cast<unsigned long long>(q.flags), expected ? "allow" : "deny",
               got.allowed ? "allow" : "deny", got.reason);
  std::abort();
}

/// Compares one request; the runtime's reason for a reference outcome is fixed by its order.
void probe(const sema::Model &model, const lattice_table *table, const reference::Request &q,
           const char *what) {
  // LATTICE_FUZZ_FLIP inverts the reference: the self test (CTest fuzz.frontend_self_test) shows
  // the probe catches a wrong answer on the seed corpus.
  static const bool flip = std::getenv("LATTICE_FUZZ_FLIP") != nullptr;
  reference::Decision expected = reference::decide(model, q);
  expected.allowed ^= flip;
  lattice_request request{q.kind,       q.roles.data(),       uint32_t(q.roles.size()),
                          q.permission, uint32_t(q.relation), q.flags};
  lattice_decision got = lattice_decide(table, &request);
  if ((got.allowed != 0) != expected.allowed)
    mismatch(what, q, expected.allowed, got);
}

/// A bounded sweep: each kind holding no role or one role, each permission and relation, with
/// no flag, every flag, and each single flag (at most 16 of them).
void sweep(const sema::Model &model, const lattice_table *table) {
  size_t budget = 20000;
  const sema::FlagMask all =
      model.flags.size() >= 64 ? ~sema::FlagMask{0} : (sema::FlagMask{1} << model.flags.size()) - 1;
  std::vector<sema::FlagMask> flagSets{0, all};
  for (size_t f = 0; f < model.flags.size() && f < 16; ++f)
    flagSets.push_back(sema::FlagMask{1} << f);
  for (sema::KindId k = 0; k < model.kinds.size(); ++k)
    for (int64_t r = -1; r < int64_t(model.roles.size()); ++r)
      for (sema::PermissionId p = 0; p < model.permissions.size(); ++p)
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
          for (sema::FlagMask flags : flagSets) {
            if (budget-- == 0)
              return;
            std::vector<sema::RoleId> roles;
            if (r >= 0)
              roles.push_back(sema::RoleId(r));
            probe(model, table, {k, roles, p, sema::Relation(rel), flags}, "sweep");
          }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<testing::Compiled> compiled =
      testing::compile(std::string(reinterpret_cast<const char *>(data), size));
  if (!compiled->model)
    return 0; // diagnostics only: reporting them is what `check` does
  const sema::Model &model = *compiled->model;
  (void)analysis::analyze(model);

  lower::Tables tables = lower::lowerModel(model);
  if (auto problem = emit::verifyTables(tables)) {
    std::fprintf(stderr, "a checked model lowered to tables the writer refuses: %s\n",
                 problem->c_str());
    std::abort();
  }
  std::vector<uint8_t> bytes = emit::writeTable(tables);
  lattice_table *table = nullptr;
  if (lattice_table_load(bytes.data(), bytes.size(), &table) != LATTICE_LOAD_OK) {
    std::fprintf(stderr, "the runtime refuses a table the writer wrote\n");
    std::abort();
  }

  // Every test case expansion (what `lattice test` runs).
  for (const sema::Test &test : model.tests)
    for (const sema::TestCase &c : test.cases)
      for (sema::PermissionId p : c.permissions)
        for (unsigned rel = 0; rel < sema::kRelationCount; ++rel)
          if (c.relations >> rel & 1)
            probe(model, table, {c.kind, c.roles, p, sema::Relation(rel), c.flags}, "test case");

  sweep(model, table);
  lattice_table_free(table);
  return 0;
}
