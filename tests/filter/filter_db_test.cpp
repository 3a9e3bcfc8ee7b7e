// filter_db_test.cpp - list filters against real stores: random policies (tests/diff's generator),
// random forests, rows and principals; for each principal the rows the filter selects must be
// exactly the rows lattice_decide_access allows, in memory (ranges, terms, the principal-handle
// filter) and, with --sqlite or --postgres, through the rendered SQL on a real database. --big N
// then fills a table of N rows, asserts that EXPLAIN shows an index search for a filtered query
// and reports its time beside a full scan. PostgreSQL is reached through the libpq environment
// (PGHOST, PGPORT, ...): tests/filter/with_postgres.sh starts a private server for it.
#include "compile_helper.h"
#include "emit/table_writer.h"
#include "filter_world.h"
#include "lower/lower.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fmt/format.h>
#include <functional>
#include <string>
#include <vector>

#ifdef LATTICE_WITH_SQLITE
#include <sqlite3.h>
#endif
#ifdef LATTICE_WITH_POSTGRES
#include <libpq-fe.h>
#endif

namespace {

using namespace lattice;
using namespace lattice::filtertest;

struct Param {
  const uint8_t *data;
  uint32_t size;
};

/// A store of rows (id, node_key) that answers a WHERE predicate with its parameters.
class Store {
public:
  virtual ~Store() = default;
  virtual uint32_t dialect() const = 0;
  virtual const char *name() const = 0;
  /// Replaces the rows of table `res` (id = row index).
  virtual bool load(const World &w) = 0;
  /// The ids of `res` that `where` selects, ascending; false on a database error.
  virtual bool select(const std::string &where, const std::vector<Param> &params,
                      std::vector<uint32_t> &ids) = 0;
  /// --big: fills `big` with `rows` rows, checks the plan of `where`, reports the times.
  virtual bool big(uint64_t rows, const std::string &where, const std::vector<Param> &params,
                   uint64_t expected) = 0;
  std::string error;
};

double medianMs(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

template <class F> double timeMs(F f) {
  const auto start = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

#ifdef LATTICE_WITH_SQLITE
class SqliteStore : public Store {
public:
  SqliteStore() {
    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
      error = "cannot open an in-memory SQLite database";
    else
      exec("CREATE TABLE res (id INTEGER PRIMARY KEY, node_key BLOB NOT NULL);"
           "CREATE INDEX res_node_key ON res (node_key);");
  }
  ~SqliteStore() override { sqlite3_close(db); }
  uint32_t dialect() const override { return LATTICE_SQL_SQLITE; }
  const char *name() const override { return "sqlite"; }

  bool exec(const char *sql) {
    char *message = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      error = fmt::format("sqlite: {}: {}", message ? message : "?", sql);
      sqlite3_free(message);
      return false;
    }
    return true;
  }

  bool load(const World &w) override {
    if (!exec("BEGIN; DELETE FROM res;"))
      return false;
    sqlite3_stmt *insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO res (id, node_key) VALUES (?1, ?2)", -1, &insert, nullptr);
    for (uint32_t r = 0; r < w.rowNode.size(); ++r) {
      const std::vector<uint8_t> key = keyOf(w.nodes[w.rowNode[r]]);
      sqlite3_bind_int64(insert, 1, r);
      sqlite3_bind_blob(insert, 2, key.data(), int(key.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(insert) != SQLITE_DONE) {
        error = fmt::format("sqlite insert: {}", sqlite3_errmsg(db));
        sqlite3_finalize(insert);
        return false;
      }
      sqlite3_reset(insert);
    }
    sqlite3_finalize(insert);
    return exec("COMMIT;");
  }

  bool query(const std::string &sql, const std::vector<Param> &params,
             const std::function<void(sqlite3_stmt *)> &row) {
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      error = fmt::format("sqlite: {}: {}", sqlite3_errmsg(db), sql);
      return false;
    }
    for (size_t i = 0; i < params.size(); ++i)
      sqlite3_bind_blob(stmt, int(i + 1), params[i].data, int(params[i].size), SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
      row(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE) {
      error = fmt::format("sqlite: {}: {}", sqlite3_errmsg(db), sql);
      return false;
    }
    return true;
  }

  bool select(const std::string &where, const std::vector<Param> &params,
              std::vector<uint32_t> &ids) override {
    ids.clear();
    return query("SELECT id FROM res WHERE " + where + " ORDER BY id", params,
                 [&](sqlite3_stmt *s) { ids.push_back(uint32_t(sqlite3_column_int64(s, 0))); });
  }

  bool big(uint64_t rows, const std::string &where, const std::vector<Param> &params,
           uint64_t expected) override {
    // Keys of [tenant, account] for 10 tenants x 100 accounts, rows spread evenly.
    sqlite3_create_function(
        db, "lattice_key2", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nullptr,
        [](sqlite3_context *c, int, sqlite3_value **v) {
          uint8_t key[16];
          const uint64_t ids[2] = {uint64_t(sqlite3_value_int64(v[0])),
                                   uint64_t(sqlite3_value_int64(v[1]))};
          lattice_node_key({ids, 2}, key, sizeof key);
          sqlite3_result_blob(c, key, sizeof key, SQLITE_TRANSIENT);
        },
        nullptr, nullptr);
    const double fill = timeMs([&] {
      exec(fmt::format("CREATE TABLE big (id INTEGER PRIMARY KEY, node_key BLOB NOT NULL);"
                       "WITH RECURSIVE n(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM n WHERE x < "
                       "{}) INSERT INTO big (id, node_key) SELECT x, lattice_key2(1 + x % 10, 1 "
                       "+ (x / 10) % 100) FROM n;"
                       "CREATE INDEX big_node_key ON big (node_key); ANALYZE;",
                       rows - 1)
               .c_str());
    });
    if (!error.empty())
      return false;
    std::string plan;
    if (!query("EXPLAIN QUERY PLAN SELECT count(*) FROM big WHERE " + where, params,
               [&](sqlite3_stmt *s) {
                 plan += reinterpret_cast<const char *>(sqlite3_column_text(s, 3));
                 plan += "\n";
               }))
      return false;
    std::printf("sqlite: plan of the filtered query on %llu rows:\n%s",
                static_cast<unsigned long long>(rows), plan.c_str());
    if (plan.find("SEARCH big USING") == std::string::npos ||
        plan.find("INDEX big_node_key") == std::string::npos) {
      error = "sqlite: the filtered query does not search the index";
      return false;
    }
    auto countWith = [&](const std::string &from, double &ms) {
      uint64_t count = 0;
      std::vector<double> times;
      for (int i = 0; i < 5; ++i)
        times.push_back(timeMs([&] {
          query("SELECT count(*) FROM " + from + " WHERE " + where, params,
                [&](sqlite3_stmt *s) { count = uint64_t(sqlite3_column_int64(s, 0)); });
        }));
      ms = medianMs(times);
      return count;
    };
    double indexed = 0, scanned = 0;
    const uint64_t viaIndex = countWith("big", indexed);
    const uint64_t viaScan = countWith("big NOT INDEXED", scanned);
    std::printf("sqlite: %llu rows filled in %.0f ms; filtered query %.3f ms (index), full scan "
                "%.3f ms (NOT INDEXED); %llu rows selected\n",
                static_cast<unsigned long long>(rows), fill, indexed, scanned,
                static_cast<unsigned long long>(viaIndex));
    if (viaIndex != expected || viaScan != expected) {
      error = fmt::format("sqlite: {} rows by index, {} by scan, {} expected", viaIndex, viaScan,
                          expected);
      return false;
    }
    return true;
  }

private:
  sqlite3 *db = nullptr;
};
#endif

#ifdef LATTICE_WITH_POSTGRES
class PostgresStore : public Store {
public:
  PostgresStore() {
    conn = PQconnectdb("");
    if (PQstatus(conn) != CONNECTION_OK)
      error = fmt::format("postgres: cannot connect: {}", PQerrorMessage(conn));
    else
      exec("SET client_min_messages = warning; DROP TABLE IF EXISTS res; CREATE TABLE res (id "
           "integer PRIMARY KEY, node_key bytea NOT NULL); CREATE INDEX res_node_key ON res "
           "(node_key);");
  }
  ~PostgresStore() override { PQfinish(conn); }
  uint32_t dialect() const override { return LATTICE_SQL_POSTGRESQL; }
  const char *name() const override { return "postgres"; }

  bool ok(PGresult *r, const std::string &sql) {
    const ExecStatusType s = PQresultStatus(r);
    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      error = fmt::format("postgres: {}: {}", PQresultErrorMessage(r), sql.substr(0, 300));
      PQclear(r);
      return false;
    }
    return true;
  }
  bool exec(const std::string &sql) {
    PGresult *r = PQexec(conn, sql.c_str());
    if (!ok(r, sql))
      return false;
    PQclear(r);
    return true;
  }
  /// Parameters as binary bytea: no value is ever part of the SQL text.
  PGresult *run(const std::string &sql, const std::vector<Param> &params) {
    std::vector<const char *> values;
    std::vector<int> lengths, formats;
    for (const Param &p : params) {
      values.push_back(reinterpret_cast<const char *>(p.data));
      lengths.push_back(int(p.size));
      formats.push_back(1);
    }
    PGresult *r = PQexecParams(conn, sql.c_str(), int(params.size()), nullptr, values.data(),
                               lengths.data(), formats.data(), 0);
    return ok(r, sql) ? r : nullptr;
  }

  bool load(const World &w) override {
    if (!exec("BEGIN; TRUNCATE res;"))
      return false;
    // Multi-row inserts of at most 500 rows, keys as parameters.
    for (size_t first = 0; first < w.rowNode.size(); first += 500) {
      const size_t last = std::min(w.rowNode.size(), first + 500);
      std::string sql = "INSERT INTO res (id, node_key) VALUES ";
      std::vector<std::vector<uint8_t>> keys;
      std::vector<Param> params;
      for (size_t r = first; r < last; ++r) {
        sql += fmt::format("{}({}, ${})", r > first ? ", " : "", r, r - first + 1);
        keys.push_back(keyOf(w.nodes[w.rowNode[r]]));
      }
      for (const auto &k : keys)
        params.push_back({k.data(), uint32_t(k.size())});
      PGresult *res = run(sql, params);
      if (!res)
        return false;
      PQclear(res);
    }
    return exec("COMMIT; ANALYZE res;");
  }

  bool select(const std::string &where, const std::vector<Param> &params,
              std::vector<uint32_t> &ids) override {
    ids.clear();
    PGresult *r = run("SELECT id FROM res WHERE " + where + " ORDER BY id", params);
    if (!r)
      return false;
    for (int i = 0; i < PQntuples(r); ++i)
      ids.push_back(uint32_t(std::strtoul(PQgetvalue(r, i, 0), nullptr, 10)));
    PQclear(r);
    return true;
  }

  bool big(uint64_t rows, const std::string &where, const std::vector<Param> &params,
           uint64_t expected) override {
    const double fill = timeMs([&] {
      exec(fmt::format("DROP TABLE IF EXISTS big; CREATE TABLE big (id bigint PRIMARY KEY, "
                       "node_key bytea NOT NULL); INSERT INTO big SELECT x, int8send(1 + x % 10) "
                       "|| int8send(1 + (x / 10) % 100) FROM generate_series(0, {}) x; CREATE "
                       "INDEX big_node_key ON big (node_key);",
                       rows - 1)) &&
          exec("VACUUM ANALYZE big;");
    });
    if (!error.empty())
      return false;
    auto plan = [&](std::string &text) {
      PGresult *r = run("EXPLAIN SELECT count(*) FROM big WHERE " + where, params);
      if (!r)
        return false;
      text.clear();
      for (int i = 0; i < PQntuples(r); ++i)
        text += std::string(PQgetvalue(r, i, 0)) + "\n";
      PQclear(r);
      return true;
    };
    std::string indexedPlan, scanPlan;
    if (!plan(indexedPlan))
      return false;
    std::printf("postgres: plan of the filtered query on %llu rows:\n%s",
                static_cast<unsigned long long>(rows), indexedPlan.c_str());
    if (indexedPlan.find("Index") == std::string::npos ||
        indexedPlan.find("big_node_key") == std::string::npos ||
        indexedPlan.find("Seq Scan") != std::string::npos) {
      error = "postgres: the filtered query does not scan the index";
      return false;
    }
    auto countMs = [&](double &ms) {
      uint64_t count = 0;
      std::vector<double> times;
      for (int i = 0; i < 5; ++i)
        times.push_back(timeMs([&] {
          if (PGresult *r = run("SELECT count(*) FROM big WHERE " + where, params)) {
            count = std::strtoull(PQgetvalue(r, 0, 0), nullptr, 10);
            PQclear(r);
          }
        }));
      ms = medianMs(times);
      return count;
    };
    double indexed = 0, scanned = 0;
    const uint64_t viaIndex = countMs(indexed);
    // The same query as a full scan: the planner may not use an index.
    exec("SET enable_indexscan = off; SET enable_bitmapscan = off; SET enable_indexonlyscan = "
         "off;");
    if (!plan(scanPlan) || scanPlan.find("Seq Scan") == std::string::npos) {
      error = "postgres: the full scan's plan is not a sequential scan:\n" + scanPlan;
      return false;
    }
    const uint64_t viaScan = countMs(scanned);
    exec("RESET enable_indexscan; RESET enable_bitmapscan; RESET enable_indexonlyscan;");
    std::printf("postgres: %llu rows filled in %.0f ms; filtered query %.3f ms (index), full "
                "scan %.3f ms (sequential); %llu rows selected\n",
                static_cast<unsigned long long>(rows), fill, indexed, scanned,
                static_cast<unsigned long long>(viaIndex));
    if (viaIndex != expected || viaScan != expected) {
      error = fmt::format("postgres: {} rows by index, {} by scan, {} expected", viaIndex, viaScan,
                          expected);
      return false;
    }
    return true;
  }

private:
  PGconn *conn = nullptr;
};
#endif

struct TablePtr {
  std::vector<uint8_t> bytes;
  lattice_table *table = nullptr;
  ~TablePtr() { lattice_table_free(table); }
};

bool compileTable(const std::string &text, TablePtr &out, std::string &error) {
  auto compiled = testing::compile(text);
  if (!compiled->model || compiled->diags.errors() != 0) {
    error = "policy does not compile:\n" + compiled->describe();
    return false;
  }
  out.bytes = emit::writeTable(lower::lowerModel(*compiled->model));
  if (lattice_table_load(out.bytes.data(), out.bytes.size(), &out.table) != LATTICE_LOAD_OK) {
    error = "table does not load";
    return false;
  }
  return true;
}

std::string sqlOf(const lattice_list_filter *f, uint32_t dialect, std::vector<Param> &params) {
  const size_t n = lattice_list_filter_sql(f, dialect, "node_key", 1, nullptr, 0);
  std::string sql(n, '\0');
  lattice_list_filter_sql(f, dialect, "node_key", 1, sql.data(), n + 1);
  params.clear();
  for (uint32_t i = 0; i < lattice_list_filter_param_count(f); ++i) {
    Param p{};
    p.data = lattice_list_filter_param(f, i, &p.size);
    params.push_back(p);
  }
  return sql;
}

std::string rowsText(const std::vector<uint32_t> &rows, const World &w) {
  std::string text;
  for (uint32_t r : rows)
    text += fmt::format(" {}@{}", r, describe(w.nodes[w.rowNode[r]]));
  return text;
}

struct Options {
  uint64_t seed = 1, policies = 100, principals = 20, big = 0, minPrincipals = 1000;
  std::string store = "memory";
};

/// The --big scenario: a principal that administers account [3, 42] and views account [5, 7]
/// (each 1/1000 of the rows), asked through its handle.
bool bigScenario(Store &store, uint64_t rows) {
  const char *policy = R"(policy listing;
scope tenant;
scope account under tenant;
resource doc owned_by account { read; }
usertype user at account;
role admin for user { allow doc.read in subtree; }
role viewer for user { allow doc.read in self; }
)";
  TablePtr t;
  std::string error;
  if (!compileTable(policy, t, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return false;
  }
  const uint32_t admin = lattice_role_id(t.table, "admin"),
                 viewer = lattice_role_id(t.table, "viewer");
  const uint64_t a[2] = {3, 42}, b[2] = {5, 7};
  lattice_membership ms[2] = {};
  ms[0].node.path = {a, 2};
  ms[0].roles = &admin;
  ms[0].role_count = 1;
  ms[1].node.path = {b, 2};
  ms[1].roles = &viewer;
  ms[1].role_count = 1;
  lattice_principal *p = nullptr;
  if (lattice_principal_new(t.table, lattice_kind_id(t.table, "user"), 0, ms, 2, &p) !=
      LATTICE_PRINCIPAL_OK)
    return false;
  lattice_list_filter *f = nullptr;
  const lattice_filter_status status =
      lattice_list_filter_as(p, lattice_permission_id(t.table, "doc.read"), 0, &f);
  lattice_principal_free(p);
  if (status != LATTICE_FILTER_OK) {
    std::fprintf(stderr, "big: %s\n", lattice_filter_status_message(status));
    return false;
  }
  std::vector<Param> params;
  const std::string sql = sqlOf(f, store.dialect(), params);
  std::printf("%s: filter %s\n", store.name(), sql.c_str());
  // Rows x with 1 + x % 10 == 3 and 1 + (x / 10) % 100 == 42, and likewise for [5, 7].
  uint64_t expected = 0;
  for (uint64_t x = 0; x < rows; ++x) {
    const uint64_t tenant = 1 + x % 10, account = 1 + (x / 10) % 100;
    expected += (tenant == 3 && account == 42) || (tenant == 5 && account == 7);
  }
  const bool ok = store.big(rows, sql, params, expected);
  lattice_list_filter_free(f);
  if (!ok)
    std::fprintf(stderr, "%s\n", store.error.c_str());
  return ok;
}

int run(const Options &o, Store *store) {
  uint64_t checked = 0, refusedFacts = 0, allowedTotal = 0, deniedTotal = 0, mismatches = 0;
  uint64_t policiesRun = 0;
  for (uint64_t i = 0; i < o.policies; ++i) {
    const uint64_t seed = o.seed + i;
    TablePtr t;
    std::string error;
    if (!compileTable(difftest::generatePolicy(seed), t, error)) {
      std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed), error.c_str());
      return 1;
    }
    ++policiesRun;
    difftest::Rng rng(seed * 0x9E3779B97F4A7C15ull + 77);
    const uint64_t rowFacts =
        lattice_flag_mask(t.table, LATTICE_FLAG_RESOURCE | LATTICE_FLAG_TARGET);
    // One draw a statement: argument evaluation order differs between compilers.
    const uint32_t nodeCount = rng.between(8, 40);
    const uint32_t rowCount = rng.between(20, 120);
    const World w = randomWorld(rng, nodeCount, rowCount, rowFacts);
    if (store && !store->load(w)) {
      std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                   store->error.c_str());
      return 1;
    }
    for (uint64_t k = 0; k < o.principals; ++k) {
      const Principal p = randomPrincipal(rng, t.table, w);
      Principal copy = p;
      copy.link();
      lattice_filter_status status;
      FilterPtr f = makeFilter(t.table, copy, status);
      if (status == LATTICE_FILTER_NEEDS_FACTS) {
        ++refusedFacts;
        continue;
      }
      auto fail = [&](const std::string &what, const std::vector<uint32_t> &got,
                      const std::vector<uint32_t> &want) {
        ++mismatches;
        if (mismatches <= 5)
          std::fprintf(stderr,
                       "seed %llu principal %llu: %s\n  got: %s\n  decide allows: %s\n"
                       "  terms:\n%s",
                       static_cast<unsigned long long>(seed), static_cast<unsigned long long>(k),
                       what.c_str(), rowsText(got, w).c_str(), rowsText(want, w).c_str(),
                       describeFilter(f.get()).c_str());
      };
      if (status != LATTICE_FILTER_OK) {
        fail(fmt::format("filter refused: {}", lattice_filter_status_message(status)), {}, {});
        continue;
      }
      ++checked;
      const std::vector<uint32_t> want = allowedRows(t.table, copy, w);
      allowedTotal += want.size();
      deniedTotal += w.rowNode.size() - want.size();
      if (const auto got = rowsInRanges(f.get(), w); got != want)
        fail("key ranges", got, want);
      if (const auto got = rowsInTerms(f.get(), w); got != want)
        fail("generic terms", got, want);
      // The principal handle's filter is the same filter.
      lattice_principal *handle = nullptr;
      if (lattice_principal_new(t.table, copy.kind, copy.flags, copy.memberships.data(),
                                uint32_t(copy.memberships.size()),
                                &handle) == LATTICE_PRINCIPAL_OK) {
        lattice_list_filter *raw = nullptr;
        if (lattice_list_filter_as(handle, copy.permission, copy.facts, &raw) != LATTICE_FILTER_OK)
          fail("the handle's filter is refused", {}, want);
        else if (const auto got = rowsInRanges(raw, w); got != want)
          fail("the handle's filter", got, want);
        lattice_list_filter_free(raw);
        lattice_principal_free(handle);
      }
      if (store) {
        std::vector<Param> params;
        const std::string sql = sqlOf(f.get(), store->dialect(), params);
        std::vector<uint32_t> got;
        if (!store->select(sql, params, got)) {
          std::fprintf(stderr, "seed %llu: %s\n", static_cast<unsigned long long>(seed),
                       store->error.c_str());
          return 1;
        }
        if (got != want)
          fail(fmt::format("{} rows of `{}`", store->name(), sql), got, want);
      }
    }
  }
  std::printf(
      "%s: %llu policies, %llu principals checked (%llu refused: a rule reads a "
      "resource or target fact), %llu rows allowed, %llu denied, %llu mismatches\n",
      store ? store->name() : "memory", static_cast<unsigned long long>(policiesRun),
      static_cast<unsigned long long>(checked), static_cast<unsigned long long>(refusedFacts),
      static_cast<unsigned long long>(allowedTotal), static_cast<unsigned long long>(deniedTotal),
      static_cast<unsigned long long>(mismatches));
  if (mismatches != 0)
    return 1;
  // A run that checks too little (most filters refused, nothing allowed) proves nothing.
  if (checked < o.minPrincipals || allowedTotal == 0 || deniedTotal == 0) {
    std::fprintf(stderr, "too little checked: %llu principals (at least %llu wanted)\n",
                 static_cast<unsigned long long>(checked),
                 static_cast<unsigned long long>(o.minPrincipals));
    return 1;
  }
  if (store && o.big > 0 && !bigScenario(*store, o.big))
    return 1;
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto number = [&](uint64_t &v) {
      if (i + 1 >= argc)
        return false;
      char *end = nullptr;
      v = std::strtoull(argv[++i], &end, 10);
      return end && *end == '\0';
    };
    if ((arg == "--seed" && number(o.seed)) || (arg == "--policies" && number(o.policies)) ||
        (arg == "--principals" && number(o.principals)) || (arg == "--big" && number(o.big)) ||
        (arg == "--min-principals" && number(o.minPrincipals)))
      continue;
    if (arg == "--store" && i + 1 < argc) {
      o.store = argv[++i];
      continue;
    }
    std::fprintf(stderr,
                 "usage: lattice_filter_db_test [--store memory|sqlite|postgres] [--seed N] "
                 "[--policies N] [--principals N] [--min-principals N] [--big ROWS]\n");
    return 2;
  }
  std::unique_ptr<Store> store;
#ifdef LATTICE_WITH_SQLITE
  if (o.store == "sqlite")
    store = std::make_unique<SqliteStore>();
#endif
#ifdef LATTICE_WITH_POSTGRES
  if (o.store == "postgres")
    store = std::make_unique<PostgresStore>();
#endif
  if (o.store != "memory" && !store) {
    std::fprintf(stderr, "store `%s` is not built in\n", o.store.c_str());
    return 2;
  }
  if (store && !store->error.empty()) {
    std::fprintf(stderr, "%s\n", store->error.c_str());
    return 1;
  }
  return run(o, store.get());
}
