// list_filter_sql.cpp - a list filter as a parameterised SQL predicate for PostgreSQL and SQLite
// (lattice_list_filter_sql). Only placeholders and the host's column name reach the text; every
// key is a parameter (lattice_list_filter_param). No allocation: written into the caller's buffer.
#include "list_filter_internal.h"

#include <cstddef>
#include <cstdint>

namespace {

/// Appends to the caller's buffer as snprintf does: counts every byte, writes those that fit
/// before the last one (kept for the NUL).
struct Out {
  char *buffer;
  size_t size;
  size_t length = 0;

  void put(char c) {
    if (length + 1 < size)
      buffer[length] = c;
    ++length;
  }
  void put(const char *s) {
    while (*s)
      put(*s++);
  }
  void number(uint32_t n) {
    char digits[10];
    int k = 0;
    do {
      digits[k++] = char('0' + n % 10);
      n /= 10;
    } while (n != 0);
    while (k > 0)
      put(digits[--k]);
  }
  void finish() {
    if (size > 0)
      buffer[length < size ? length : size - 1] = '\0';
  }
};

bool isLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// A plain identifier, or `table.column`: nothing that could change the SQL around it.
bool plainColumn(const char *column) {
  if (!column)
    return false;
  int parts = 0;
  const char *c = column;
  for (;;) {
    if (!isLetter(*c))
      return false;
    size_t length = 0;
    while (isLetter(*c) || isDigit(*c)) {
      ++c;
      ++length;
    }
    if (length > 63) // PostgreSQL's identifier limit: a longer one would be truncated
      return false;
    ++parts;
    if (*c == '\0')
      return true;
    if (*c != '.' || parts == 2)
      return false;
    ++c;
  }
}

} // namespace

extern "C" size_t lattice_list_filter_sql(const lattice_list_filter *filter, uint32_t dialect,
                                          const char *column, uint32_t first_param, char *buffer,
                                          size_t size) {
  if (!filter || (dialect != LATTICE_SQL_POSTGRESQL && dialect != LATTICE_SQL_SQLITE) ||
      !plainColumn(column) || first_param == 0 ||
      uint64_t(first_param) + filter->paramCount > UINT32_MAX || (!buffer && size > 0))
    return 0;
  Out out{buffer, size};
  const bool postgres = dialect == LATTICE_SQL_POSTGRESQL;
  uint32_t param = first_param;
  auto placeholder = [&] {
    out.put(postgres ? '$' : '?');
    out.number(param++);
  };
  if (filter->rangeCount == 0) {
    out.put(postgres ? "FALSE" : "0");
    out.finish();
    return out.length;
  }
  const bool several = filter->rangeCount > 1;
  if (several)
    out.put('(');
  for (uint32_t i = 0; i < filter->rangeCount; ++i) {
    const lattice_key_range &r = filter->ranges[i];
    if (i > 0)
      out.put(" OR ");
    if (r.exact) {
      out.put(column);
      out.put(" = ");
      placeholder();
      continue;
    }
    if (r.high)
      out.put('(');
    out.put(column);
    out.put(" >= ");
    placeholder();
    if (r.high) {
      out.put(" AND ");
      out.put(column);
      out.put(" < ");
      placeholder();
      out.put(')');
    }
  }
  if (several)
    out.put(')');
  out.finish();
  return out.length;
}
