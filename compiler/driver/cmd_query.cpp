// cmd_query.cpp - `lattice query TABLE ...`: answer one request given by options (a principal at
// one node, or with memberships), or a JSONL stream of requests (one JSON object per line in, one
// JSON decision per line out).
#include "base/input_file.h"
#include "driver/args.h"
#include "driver/commands.h"
#include "driver/compile.h"
#include "driver/query_list_filter.h"
#include "driver/request.h"
#include "query/answer_json.h"
#include "query/can_assign.h"
#include "query/request_line.h"
#include "query/table_load.h"
#include "query/what_can.h"
#include "query/who_can.h"

#include <cstdio>
#include <fmt/format.h>

namespace lattice::driver {
namespace {

const std::vector<OptionSpec> kQueryOptions = requestOptions({
    {"--requests", true, "FILE.jsonl", "answer one JSON request per line (`-`: stdin)"},
    {"--can-assign", true, "ROLE", "may a holder of --roles assign ROLE? (delegation)"},
    {"--what-can", false, "",
     "every permission the request's principal is allowed (no --permission)"},
    {"--who-can", false, "",
     "the roles, custom-role ceilings and user types --permission can be allowed to (optional "
     "--relation, --flags, --facts)"},
    {"--list-filter", false, "",
     "the target nodes the --membership principal may act on with --permission"},
    {"--sql", true, "FORMAT", "--list-filter as: generic (terms), postgres or sqlite (SQL)"},
    {"--column", true, "NAME", "--list-filter's key column in the SQL (default node_key)"},
    {"--help", false, "", "show this help"},
});

void printLine(std::string text) {
  text += '\n';
  std::fwrite(text.data(), 1, text.size(), stdout);
}

/// Answers every line of `in`, one JSON answer per line on stdout. A line longer than the cap
/// is answered with an error and ends the run (an endless line, `/dev/zero`, cannot be skipped);
/// so does a read error. Both are I/O failures: exit 2.
int answerStream(const lattice_table *table, InputFile &in, const std::string &name) {
  std::string line, error;
  bool failed = false;
  size_t lineNumber = 0;
  for (;;) {
    InputFile::Line status = in.readLine(line, query::kMaxRequestLineBytes, error);
    if (status == InputFile::Line::End)
      break;
    ++lineNumber;
    if (status == InputFile::Line::Error) {
      std::fflush(stdout);
      fmt::print(stderr, "lattice query: error: cannot read `{}` at line {}: {}\n", name,
                 lineNumber, error);
      return ExitUsage;
    }
    if (status == InputFile::Line::TooLong) {
      query::RequestAnswer tooLong;
      tooLong.failed = true;
      tooLong.error = fmt::format("line longer than {} bytes", query::kMaxRequestLineBytes);
      query::AnswerFields fields;
      fields.line = static_cast<int64_t>(lineNumber);
      std::string text;
      query::appendAnswer(text, tooLong, fields);
      printLine(std::move(text));
      std::fflush(stdout);
      fmt::print(stderr, "lattice query: error: `{}` line {}: {}; stopped reading\n", name,
                 lineNumber, tooLong.error);
      return ExitUsage;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos)
      continue;
    std::string answer;
    query::answerRequestLine(table, line, lineNumber, failed, answer);
    printLine(std::move(answer));
  }
  return failed ? ExitErrors : ExitOk;
}

/// "deny" on stdout, then why on stderr: a request naming something unknown, or malformed.
int refuse(const std::string &error) {
  fmt::print("deny\n");
  std::fflush(stdout); // the answer first, then why
  fmt::print(stderr, "lattice query: error: {}\n", error);
  return ExitErrors;
}

/// `--membership ... --target PATH`: lattice_decide_access, naming the deciding membership.
int answerAccess(const lattice_table *table, const Args &args) {
  std::string error;
  std::optional<query::NamedAccessRequest> named = namedAccessRequest(args, error);
  query::ResolvedAccessRequest resolved;
  if (!named || !query::resolveAccessRequest(table, *named, resolved, error))
    return refuse(error);
  lattice_access_decision decision = resolved.decide(table);
  fmt::print("{}\n  {}\n", decision.allowed ? "allow" : "deny",
             query::describeAccessDecision(table, *named, decision, resolved.customRoles()));
  return ExitOk;
}

/// `--can-assign ROLE --roles R1,R2 [--flags F1,F2]`: lattice_can_assign_with with the
/// assigner's flags (its own and its node's; none without `--flags`), in the words of a decision.
int answerCanAssign(const lattice_table *table, const Args &args, const std::string &target) {
  std::vector<uint32_t> roles;
  uint32_t targetId = 0;
  uint64_t flags = 0;
  std::string error;
  if (!query::resolveAssign(table, splitList(args.get("--roles").value_or("")), target,
                            splitList(args.get("--flags").value_or("")), roles, targetId, flags,
                            error))
    return refuse(error);
  query::AssignAnswer answer = query::canAssign(table, roles, targetId, flags);
  fmt::print("{}\n  {}\n", answer.allowed ? "allow" : "deny",
             query::describeAssign(table, answer, targetId));
  return ExitOk;
}

/// `--what-can`: the request without `--permission`, answered with every permission it allows.
int answerWhatCan(const lattice_table *table, const Args &args) {
  std::string error;
  query::WhatCanAnswer answer;
  bool ok = false;
  if (isAccessRequest(args)) {
    std::optional<query::NamedAccessRequest> named = namedAccessRequest(args, error);
    ok = named && query::whatCanAccess(table, *named, answer, error);
  } else {
    ok = query::whatCanAtNode(table, namedRequest(args), answer, error);
  }
  if (!ok) {
    answer.allowed.clear();
    fmt::print("{}\n", query::describeWhatCan(table, answer));
    std::fflush(stdout); // the answer first, then why
    fmt::print(stderr, "lattice query: error: {}\n", error);
    return ExitErrors;
  }
  fmt::print("{}\n", query::describeWhatCan(table, answer));
  return ExitOk;
}

/// `--who-can --permission P [--relation R] [--flags ...] [--facts ...]`: who can be allowed P,
/// from the table (lattice_who_can), one line per relation.
int answerWhoCan(const lattice_table *table, const Args &args) {
  query::NamedWhoCan named{*args.get("--permission"), args.get("--relation"),
                           splitList(args.get("--flags").value_or("")),
                           splitList(args.get("--facts").value_or(""))};
  query::WhoCanTableAnswer answer;
  std::string error;
  if (!query::whoCanFromTable(table, named, answer, error)) {
    fmt::print(stderr, "lattice query: error: {}\n", error);
    return ExitErrors;
  }
  fmt::print("{}\n", query::describeWhoCan(table, answer));
  return ExitOk;
}

} // namespace

int runQuery(const Argv &argv) {
  std::string error;
  std::optional<Args> args = Args::parse(argv, kQueryOptions, error);
  if (args && args->has("--help")) {
    fmt::print("Usage: lattice query TABLE --kind K --roles R1,R2 --permission RES.ACTION "
               "--relation REL [--flags F1,F2]\n       lattice query TABLE --kind K --membership "
               "R1,R2@PATH[+F...] ... --target PATH --permission RES.ACTION [--flags F1,F2]\n"
               "       lattice query TABLE --list-filter --kind K --membership R1,R2@ID/ID[+F...] "
               "... --permission RES.ACTION [--sql generic|postgres|sqlite] [--column C]\n"
               "       lattice query TABLE --requests "
               "FILE.jsonl\n       lattice query TABLE --roles R1,R2 --can-assign ROLE [--flags "
               "F1,F2]\n       lattice query TABLE --what-can (a request's options without "
               "--permission)\n"
               "       lattice query TABLE --who-can --permission RES.ACTION [--relation REL] "
               "[--flags F1,F2] [--facts F]\n\nAnswers "
               "requests from a compiled table and says which role "
               "decided.\n\nOptions:\n{}",
               describeOptions(kQueryOptions));
    return ExitOk;
  }
  if (args && args->positional().size() != 1)
    error = "expected exactly one table file";
  else if (args && args->has("--list-filter"))
    error = listFilterUsageError(*args).value_or("");
  else if (args && args->has("--who-can")) {
    for (const char *other : {"--kind", "--roles", "--membership", "--target", "--requests",
                              "--can-assign", "--what-can"})
      if (args->has(other) && error.empty())
        error = fmt::format("`--who-can` asks about every role and user type: drop `{}`", other);
    if (error.empty() && !args->has("--permission"))
      error = "missing `--permission`";
  } else if (args && (args->has("--sql") || args->has("--column")))
    error =
        fmt::format("`{}` goes with `--list-filter`", args->has("--sql") ? "--sql" : "--column");
  else if (args && args->has("--can-assign")) {
    for (const char *other : {"--kind", "--permission", "--relation", "--requests", "--membership",
                              "--target", "--what-can"})
      if (args->has(other))
        error = fmt::format("`--can-assign` takes only `--roles` and `--flags`, not `{}`", other);
  } else if (args && args->has("--what-can")) {
    for (const char *other : {"--permission", "--requests"})
      if (args->has(other))
        error = fmt::format("`--what-can` asks about every permission: drop `{}`", other);
    if (error.empty())
      error = requestUsageError(*args, false).value_or("");
  } else if (args && !args->has("--requests"))
    error = requestUsageError(*args).value_or("");
  if (!args || !error.empty()) {
    return usageError("query", error);
  }
  const std::string &path = args->positional()[0];
  std::string bytes;
  query::TablePtr table;
  if (std::optional<std::string> failed = query::loadTableOrBundle(path, bytes, table)) {
    fmt::print(stderr, "lattice query: error: {}\n", *failed);
    return ExitUsage;
  }
  if (args->has("--who-can"))
    return answerWhoCan(table.get(), *args);
  if (args->has("--list-filter"))
    return answerListFilter(table.get(), *args);
  if (auto target = args->get("--can-assign"))
    return answerCanAssign(table.get(), *args, *target);
  if (auto requests = args->get("--requests")) {
    std::optional<InputFile> in =
        *requests == "-" ? InputFile::standardInput() : InputFile::open(*requests, error);
    if (!in) {
      fmt::print(stderr, "lattice query: error: cannot read `{}`: {}\n", *requests, error);
      return ExitUsage;
    }
    int code = answerStream(table.get(), *in, *requests == "-" ? "<stdin>" : *requests);
    std::fflush(stdout);
    return code;
  }
  if (args->has("--what-can"))
    return answerWhatCan(table.get(), *args);
  if (isAccessRequest(*args))
    return answerAccess(table.get(), *args);
  std::vector<uint32_t> roles;
  lattice_request request;
  if (!query::resolveRequest(table.get(), namedRequest(*args), roles, request, error))
    return refuse(error);
  lattice_decision decision = lattice_decide(table.get(), &request);
  fmt::print("{}\n  {}\n", decision.allowed ? "allow" : "deny",
             query::describeDecision(table.get(), decision));
  return ExitOk;
}

} // namespace lattice::driver
