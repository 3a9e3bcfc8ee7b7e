// csv_agreement_test.cpp - the CSV export of `lattice doc` agrees with each example's matrix
// tests: every single-role test case, resolved by the compiler, is looked up in the CSV text and
// the cell's access, condition and requirements, evaluated on the case's flags, must match.
#include "doc/matrix.h"
#include "driver/compile.h"

#include <algorithm>
#include <bit>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>

namespace lattice {
namespace {

/// One CSV record split into fields (RFC 4180 quoting).
std::vector<std::string> splitCsvLine(const std::string &line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

std::vector<std::string> words(const std::string &text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;)
    out.push_back(word);
  return out;
}

/// Evaluates a condition as the CSV writes it ("a and not b or c"; "always"; "never") on the
/// set of flag names that hold.
bool evaluate(const std::string &text, const std::set<std::string> &flags) {
  std::vector<std::string> tokens = words(text);
  if (tokens.size() == 1 && tokens[0] == "always")
    return true;
  if (tokens.size() == 1 && tokens[0] == "never")
    return false;
  bool any = false, clause = true, negate = false;
  for (const std::string &token : tokens) {
    if (token == "or") {
      any = any || clause;
      clause = true;
    } else if (token == "and") {
      continue;
    } else if (token == "not") {
      negate = true;
    } else {
      clause = clause && (flags.count(token) != 0) != negate;
      negate = false;
    }
  }
  return any || clause;
}

struct CsvCell {
  std::string access, condition, requires_;
};

class CsvAgreement : public ::testing::TestWithParam<std::string> {};

TEST_P(CsvAgreement, SingleRoleCasesMatchTheCsv) {
  std::filesystem::path dir = std::filesystem::path(LATTICE_EXAMPLES_DIR) / GetParam();
  driver::FrontendOptions options;
  options.files = {(dir / "policy.lat").string(), (dir / "tests.lat").string()};
  driver::FrontendResult frontend = driver::runFrontend(options);
  ASSERT_TRUE(frontend.model) << "the example does not compile";
  const sema::Model &model = *frontend.model;
  doc::Matrix matrix;
  std::string error;
  ASSERT_TRUE(doc::buildMatrix(model, {}, matrix, error)) << error;
  std::istringstream csv(doc::renderCsv(matrix));

  std::string line;
  std::getline(csv, line);
  ASSERT_EQ(line, "resource,group,permission,permission_label,role,role_label,kind,relation,"
                  "access,condition,requires");
  // (permission, role, kind, relation) -> cell
  std::map<std::tuple<std::string, std::string, std::string, std::string>, CsvCell> cells;
  while (std::getline(csv, line)) {
    std::vector<std::string> f = splitCsvLine(line);
    ASSERT_EQ(f.size(), 11u) << line;
    auto [it, fresh] =
        cells.emplace(std::tuple{f[2], f[4], f[6], f[7]}, CsvCell{f[8], f[9], f[10]});
    ASSERT_TRUE(fresh) << "duplicate row: " << line;
  }
  // Every (permission, role of a kind, relation) has exactly one row.
  size_t expectedRows = 0;
  for (const sema::Role &role : model.roles)
    expectedRows += model.permissions.size() * sema::kRelationCount *
                    static_cast<size_t>(std::popcount(role.kinds));
  EXPECT_EQ(cells.size(), expectedRows);

  size_t checked = 0, multiRole = 0, notHoldable = 0, principals = 0;
  for (const sema::Test &test : model.tests)
    for (const sema::TestCase &c : test.cases) {
      if (c.assigns)
        continue; // delegation, not a matrix cell
      if (c.principal) {
        ++principals; // memberships at named nodes: decided per membership, not one cell
        continue;
      }
      if (c.roles.size() != 1) {
        ++multiRole;
        continue;
      }
      const sema::Role &role = model.roles[c.roles[0]];
      if (!((role.kinds >> c.kind) & 1)) {
        ++notHoldable; // a fail-closed check, not a matrix cell
        continue;
      }
      std::set<std::string> flags;
      for (sema::FlagId flag = 0; flag < model.flags.size(); ++flag)
        if (c.flags >> flag & 1)
          flags.insert(model.flags[flag].name);
      for (sema::PermissionId permission : c.permissions)
        for (uint32_t r = 0; r < sema::kRelationCount; ++r) {
          if (!(c.relations >> r & 1))
            continue;
          std::string relation = sema::relationName(static_cast<sema::Relation>(r));
          auto it = cells.find(
              {model.permissions[permission].name, role.name, model.kinds[c.kind].name, relation});
          ASSERT_NE(it, cells.end()) << "no CSV row for " << model.permissions[permission].name
                                     << " / " << role.name << " / " << relation;
          const CsvCell &cell = it->second;
          bool allowed = cell.access == "allow" ||
                         (cell.access == "conditional" && evaluate(cell.condition, flags));
          std::istringstream gates(cell.requires_);
          for (std::string gate; std::getline(gates, gate, ';');)
            allowed = allowed && evaluate(gate, flags);
          EXPECT_EQ(allowed, c.expect == sema::Effect::Allow)
              << test.name << ": " << role.name << " " << model.permissions[permission].name
              << " on " << relation << " (CSV: " << cell.access << " " << cell.condition
              << " requires " << cell.requires_ << ")";
          ++checked;
        }
    }
  std::cout << GetParam() << ": " << checked << " single-role requests checked against the CSV ("
            << multiRole << " multi-role, " << notHoldable << " fail-closed and " << principals
            << " principal cases skipped)\n";
  EXPECT_GT(checked, 0u);
}

const std::vector<std::string> kExamples = {"document_cloud",
                                            "ev_charging",
                                            "gdrive",
                                            "github",
                                            "hotel_chains",
                                            "iot_device_cloud",
                                            "iot_partner_portal",
                                            "marketplace_console",
                                            "reseller_portal",
                                            "tutorial"};

INSTANTIATE_TEST_SUITE_P(Examples, CsvAgreement, ::testing::ValuesIn(kExamples),
                         [](const auto &info) { return info.param; });

TEST(CsvAgreementList, EveryExampleIsChecked) {
  for (const auto &entry : std::filesystem::directory_iterator(LATTICE_EXAMPLES_DIR)) {
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "tests.lat"))
      continue;
    std::string name = entry.path().filename().string();
    EXPECT_NE(std::find(kExamples.begin(), kExamples.end(), name), kExamples.end())
        << name << " is not in kExamples";
  }
}

} // namespace
} // namespace lattice
