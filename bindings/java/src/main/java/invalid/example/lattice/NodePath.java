// NodePath.java - a node as its ancestor path, in the host's own ids (numbers or strings).
package invalid.example.lattice;

import java.util.Arrays;

/**
 * A node as its ancestor path: the ids from its tree's root down to the node itself. Each id is a
 * non-negative long or a string; a string never equals a number ("7" is not 7).
 */
public final class NodePath {
  final long[] ids;     // the numbers; 0 where a key stands
  final String[] keys;  // null, or the strings (null where a number stands)

  private NodePath(long[] ids, String[] keys) {
    this.ids = ids;
    this.keys = keys;
  }

  /** A path of numeric ids, such as NodePath.of(tenantId, accountId). */
  public static NodePath of(long... ids) {
    for (long id : ids) {
      if (id < 0) {
        throw new IllegalArgumentException("a node id must be a non-negative long, not " + id);
      }
    }
    return new NodePath(ids.clone(), null);
  }

  /** A path of string ids, such as NodePath.of("acme", "eu"). */
  public static NodePath of(String... keys) {
    return mixed((Object[]) keys);
  }

  /** A path mixing numbers (Long or Integer) and strings. */
  public static NodePath mixed(Object... segments) {
    long[] ids = new long[segments.length];
    String[] keys = new String[segments.length];
    for (int i = 0; i < segments.length; ++i) {
      Object s = segments[i];
      if (s instanceof String k) {
        keys[i] = k;
      } else if (s instanceof Long || s instanceof Integer) {
        ids[i] = ((Number) s).longValue();
        if (ids[i] < 0) {
          throw new IllegalArgumentException("a node id must be a non-negative long, not " + s);
        }
      } else {
        throw new IllegalArgumentException("a node path segment must be a Long, Integer or String");
      }
    }
    return new NodePath(ids, keys);
  }

  public int depth() {
    return ids.length;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < ids.length; ++i) {
      b.append(i == 0 ? "" : ", ").append(keys != null && keys[i] != null ? '"' + keys[i] + '"' : Long.toString(ids[i]));
    }
    return b.append(']').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodePath p && Arrays.equals(ids, p.ids) && Arrays.equals(keys, p.keys);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(ids) * 31 + Arrays.hashCode(keys);
  }
}
