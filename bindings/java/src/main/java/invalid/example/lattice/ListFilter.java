// ListFilter.java - list filters (docs/filter-list-endpoint.md): the target nodes a principal may
// act on with a permission, as terms over paths or as a SQL predicate with byte parameters.
package invalid.example.lattice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The generic terms and SQL of a principal's list filter; see {@link Principal#listFilterTerms}. */
public final class ListFilter {
  private ListFilter() {}

  /**
   * One term: exactly {@code node} ("node"), it and everything below it ("subtree"), or
   * everything strictly below it ("below"), minus the subtrees of {@code exclusions}.
   */
  public record Term(String kind, List<Long> node, List<List<Long>> exclusions) {}

  /** A WHERE predicate with $N (PostgreSQL) or ?N (SQLite) placeholders and their bytes. */
  public record Sql(String sql, List<byte[]> params) {}

  static final int POSTGRESQL = 1;
  static final int SQLITE = 2;

  /** Decodes nativeTerms: count, then per term kind, depth, ids, exclusion count, (depth, ids)*. */
  static List<Term> decode(long[] flat) {
    String[] kinds = {"node", "subtree", "below"};
    List<Term> terms = new ArrayList<>();
    int at = 1;
    for (long t = 0; t < flat[0]; ++t) {
      String kind = kinds[(int) flat[at++] % 3];
      List<Long> node = path(flat, at);
      at += 1 + node.size();
      List<List<Long>> exclusions = new ArrayList<>();
      for (long e = flat[at++]; e > 0; --e) {
        List<Long> excluded = path(flat, at);
        at += 1 + excluded.size();
        exclusions.add(excluded);
      }
      terms.add(new Term(kind, node, exclusions));
    }
    return terms;
  }

  private static List<Long> path(long[] flat, int at) {
    List<Long> ids = new ArrayList<>();
    for (long id : Arrays.copyOfRange(flat, at + 1, at + 1 + (int) flat[at])) {
      // Strings are interned per principal from 2^63 (negative here): the host's rows, keyed by
      // its numeric ids, cannot match them.
      if (id < 0) {
        throw new IllegalArgumentException(
            "a list filter needs the host's numeric node ids: a membership's node is named by a"
                + " string");
      }
      ids.add(id);
    }
    return ids;
  }

  /** lattice_list_filter_as, flattened; throws IllegalArgumentException when refused. */
  static native long[] nativeTerms(long principal, int permission, long facts);

  /** The predicate (element 0) and each parameter's bytes; IllegalArgumentException if refused. */
  static native Object[] nativeSql(long principal, int permission, long facts, int dialect,
      String column, int firstParam);
}
