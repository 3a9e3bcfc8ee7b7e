// check.cpp - entry point of the semantic phase: policy name, vocabulary, roles, tests.
// Each step reports its own errors and goes on, so one run shows every problem it can.
#include "sema/check.h"

#include "sema/context.h"

#include <algorithm>
#include <filesystem>

namespace lattice::sema {
namespace {

std::string policyName(const std::vector<ast::File> &files, const SourceManager &sources,
                       DiagnosticEngine &diags) {
  const ast::Header *first = nullptr;
  for (const ast::File &file : files) {
    if (!file.header || file.header->isModule)
      continue;
    if (first == nullptr) {
      first = &*file.header;
      continue;
    }
    if (file.header->name.str() != first->name.str()) {
      Diagnostic &diag = diags.report(DiagKind::ConflictingPolicyName, file.header->name.range,
                                      fmt::format("policy `{}` conflicts with policy `{}`",
                                                  file.header->name.str(), first->name.str()));
      diag.notes.push_back({first->name.range, "first named here"});
    }
  }
  if (first)
    return first->name.str();
  // No header: name the policy after its last file (the importer of everything else).
  return files.empty()
             ? "policy"
             : std::filesystem::path(sources.name(files.back().fileId).str()).stem().string();
}

} // namespace

std::optional<Model> check(const std::vector<ast::File> &files, const SourceManager &sources,
                           DiagnosticEngine &diags, const ImportableModules &importable) {
  size_t errorsBefore = diags.errors();
  // An empty or comment-only input is almost always a wrong path or a truncated file; a policy
  // with nothing in it has no use, so say so instead of emitting an empty table.
  bool empty = std::all_of(files.begin(), files.end(), [](const ast::File &f) {
    return f.scopes.empty() && f.resources.empty() && f.actionSets.empty() && f.userTypes.empty() &&
           f.flags.empty() && f.roles.empty() && f.exclusives.empty() && f.requireClauses.empty() &&
           f.policyRules.empty() && f.tests.empty();
  });
  if (empty) {
    SourceRange at = files.empty() ? SourceRange{} : SourceRange{files.back().fileId, 0, 0};
    Diagnostic &diag = diags.report(DiagKind::EmptyPolicy, at, "the policy declares nothing");
    diag.help = "a policy needs at least a scope kind, a resource, a user type and a role";
    return std::nullopt;
  }
  Context ctx(diags, importable);
  ctx.model.policyName = policyName(files, sources, diags);
  declareVocabulary(files, ctx);
  declareCustomRoles(files, ctx);
  checkRoles(files, ctx);
  checkCustomRoles(files, ctx);
  checkTests(files, ctx);
  if (diags.errors() > errorsBefore)
    return std::nullopt;
  // After an error a name may look unused only because its use did not resolve.
  reportUnused(files, ctx);
  return std::move(ctx.model);
}

} // namespace lattice::sema
