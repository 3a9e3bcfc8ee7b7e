// report_junit.cpp - `lattice test --format junit`: the JUnit XML that GitHub, GitLab and Jenkins
// render. One <testsuite> per `test` block and one <testcase> per case, so the counts are the
// "N passed, N failed" of the text report and a failure points at its case's line.
#include "testrun/report.h"

#include <fmt/format.h>

namespace lattice::testrun {
namespace {

/// Escapes for attribute values and text. XML 1.0 cannot carry most control characters even as
/// references, so they become `?`.
std::string xml(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t' && c != '\n' && c != '\r')
        out += '?';
      else
        out += c;
    }
  }
  return out;
}

/// "expected deny, got allow for ... (granted by role `x`)": the first FAIL line after the
/// location and test name, for the failure's message attribute.
std::string firstMessage(const std::string &lines, const std::string &testName) {
  std::string first = lines.substr(0, lines.find('\n'));
  std::string marker = "FAIL test \"" + testName + "\": ";
  size_t at = first.find(marker);
  return at == std::string::npos ? first : first.substr(at + marker.size());
}

} // namespace

std::string reportJunit(const sema::Model *model, const SourceManager &sources,
                        const Report *report, const std::string &diagnostics) {
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  if (model == nullptr || report == nullptr) {
    out += "<testsuites name=\"lattice test\" tests=\"1\" failures=\"0\" errors=\"1\">\n"
           "  <testsuite name=\"compile\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\">\n"
           "    <testcase name=\"compile\" classname=\"compile\">\n";
    out += fmt::format("      <error message=\"the policy does not compile\" type=\"compile\">{}"
                       "</error>\n",
                       xml(diagnostics));
    out += "    </testcase>\n  </testsuite>\n</testsuites>\n";
    return out;
  }
  out += fmt::format("<testsuites name=\"lattice test\" tests=\"{}\" failures=\"{}\" "
                     "errors=\"0\">\n",
                     report->passed + report->failed, report->failed);
  for (const TestResult &test : report->tests) {
    const std::string &name = test.test->name;
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
                       "skipped=\"0\" file=\"{}\">\n",
                       xml(name), test.cases.size(), test.failedCases(),
                       xml(sources.name(test.test->decl.file).str()));
    for (const CaseResult &c : test.cases) {
      SourceRange range = c.testCase->range;
      out += fmt::format("    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\"",
                         xml(sourceText(sources, range)), xml(name),
                         xml(sources.name(range.file).str()),
                         sources.lineColumn(range.file, range.begin).line);
      if (c.passed()) {
        out += "/>\n";
        continue;
      }
      std::string lines = failureLines(*model, sources, *test.test, c);
      out += fmt::format(">\n      <failure message=\"{}\" type=\"fail\">{}</failure>\n"
                         "    </testcase>\n",
                         xml(firstMessage(lines, name)), xml(lines));
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

} // namespace lattice::testrun
