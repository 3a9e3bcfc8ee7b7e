// Principal.java - a principal resolved against one table: built once, decided many times.
package invalid.example.lattice;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A principal (kind, flags, memberships) resolved against one Table, then validated and
 * precomputed once in a runtime principal handle (lattice_principal_new); each request costs the
 * relations to the target and a few bit tests (lattice_decide_as). It keeps its table reachable
 * and is only ever decided against it; build principals again after a reload. Safe to share
 * between threads. Freed by {@link #close} or, once unreachable, by a Cleaner (freeing a handle
 * reads nothing of its table, so the two may be freed in either order).
 */
public final class Principal implements AutoCloseable {
  /** The most memberships a principal may have: the deciding index is packed in 23 bits. */
  public static final int MAX_MEMBERSHIPS = (1 << 23) - 2;
  private static final long FIRST_STRING_ID = Long.MIN_VALUE; // 2^63 as an unsigned id

  private final Table table;
  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;
  private final Map<String, Long> strings; // string path segments interned
  private final CustomRoles custom; // the set its handle borrows (kept reachable), or null

  /** A principal's names resolved to ids and its paths interned, as flat arrays for JNI. */
  static final class Resolved {
    int kind;
    long flags;
    int[] layout; // per membership: path start, path length, role start, role count
    long[] nodeFlags;
    long[] pathIds;
    int[] roleIds;
    final Map<String, Long> strings = new HashMap<>();

    /** With custom roles of `custom` (a set of this table, or null) allowed in memberships. */
    Resolved(Table table, String kind, List<String> flags, List<Membership> memberships,
        CustomRoles custom) {
      if (memberships.size() > MAX_MEMBERSHIPS) {
        throw new IllegalArgumentException("more than " + MAX_MEMBERSHIPS + " memberships");
      }
      this.kind = table.id(Table.KIND, kind);
      this.flags = table.flagMask(flags, Table.PRINCIPAL_SIDE);
      int n = memberships.size();
      layout = new int[4 * n];
      nodeFlags = new long[n];
      int pathTotal = 0;
      int roleTotal = 0;
      for (Membership m : memberships) {
        if (Objects.requireNonNull(m.node(), "a membership's node").depth() == 0) {
          throw new IllegalArgumentException(
              "a membership needs a node: a path of at least one id");
        }
        pathTotal += m.node().depth();
        roleTotal += m.roles().size();
      }
      pathIds = new long[pathTotal];
      roleIds = new int[roleTotal];
      int path = 0;
      int role = 0;
      for (int i = 0; i < n; ++i) {
        Membership m = memberships.get(i);
        layout[4 * i] = path;
        layout[4 * i + 1] = m.node().depth();
        layout[4 * i + 2] = role;
        layout[4 * i + 3] = m.roles().size();
        for (int j = 0; j < m.node().depth(); ++j) {
          pathIds[path++] = segment(m.node(), j, strings, true);
        }
        for (String r : m.roles()) {
          roleIds[role++] = custom == null ? table.id(Table.ROLE, r) : custom.roleId(r);
        }
        nodeFlags[i] = table.flagMask(m.nodeFlags(), Table.NODE_SIDE);
      }
    }
  }

  Principal(Table table, String kind, List<String> flags, List<Membership> memberships,
      CustomRoles custom) {
    this.table = table;
    this.custom = custom;
    Resolved r = new Resolved(table, kind, flags, memberships, custom);
    strings = r.strings;
    long address;
    if (custom == null) {
      address = nativeNew(table.address(), 0, r.kind, r.flags, r.layout, r.nodeFlags, r.pathIds,
          r.roleIds);
    } else {
      // The handle copies the set's cells: not while a role is added.
      long stamp = custom.readLock();
      try {
        if (custom.address() == 0) {
          throw new IllegalStateException("the custom role set is closed");
        }
        address = nativeNew(table.address(), custom.address(), r.kind, r.flags, r.layout,
            r.nodeFlags, r.pathIds, r.roleIds);
      } finally {
        custom.unlockRead(stamp);
      }
    }
    java.lang.ref.Reference.reachabilityFence(table);
    java.lang.ref.Reference.reachabilityFence(custom);
    handle = new NativeHandle(address, Principal::nativeFree);
    cleanable = Table.CLEANER.register(this, handle);
  }

  /** The table this principal was resolved against. */
  public Table table() {
    return table;
  }

  /** The custom role set this principal was built with, or null. */
  public CustomRoles customRoles() {
    return custom;
  }

  /** Decides this principal's request for permission on the target node. */
  public Decision decide(String permission, NodePath target) {
    return decide(permission, target, List.of());
  }

  /**
   * Decides this principal's request with the request's facts by name ({@code
   * resource.archived}, {@code target.business}, {@code request.mfa_used}).
   */
  public Decision decide(String permission, NodePath target, List<String> facts) {
    int p = table.id(Table.PERMISSION, permission);
    long[] ids = targetIds(target, strings);
    long factMask = table.flagMask(facts, Table.FACT_SIDES);
    // A closed table denies (its principals' handles would read freed memory), and so does a
    // closed custom role set (the handle borrows it).
    if (custom == null) {
      long packed = table.address() == 0 ? Table.NO_TABLE_DECISION
          : nativeDecide(handle.address, p, ids, factMask);
      java.lang.ref.Reference.reachabilityFence(this);
      java.lang.ref.Reference.reachabilityFence(table);
      return table.decision(packed);
    }
    long stamp = custom.readLock(); // not while a role is added or the set is closed
    try {
      long packed = table.address() == 0 || custom.address() == 0 ? Table.NO_TABLE_DECISION
          : nativeDecide(handle.address, p, ids, factMask);
      java.lang.ref.Reference.reachabilityFence(this);
      java.lang.ref.Reference.reachabilityFence(table);
      return table.decision(packed, custom); // names a custom role under the same lock
    } finally {
      custom.unlockRead(stamp);
    }
  }

  /**
   * Every permission this principal is allowed on the target node, in declaration order: exactly
   * the permissions {@link #decide} allows (lattice_what_can_as). Empty when nothing is allowed
   * (another tree, a failed {@code require}, a role the kind may not hold) and once the principal
   * or its table is closed.
   */
  public List<String> whatCan(NodePath target) {
    return whatCan(target, List.of());
  }

  /** {@link #whatCan(NodePath)} with the request's facts by name. */
  public List<String> whatCan(NodePath target, List<String> facts) {
    long[] ids = targetIds(target, strings);
    long factMask = table.flagMask(facts, Table.FACT_SIDES);
    List<String> names = WhatCan.names(table, handle.address, ids, factMask);
    java.lang.ref.Reference.reachabilityFence(this);
    java.lang.ref.Reference.reachabilityFence(table);
    return names;
  }

  /**
   * The target nodes this principal may act on with {@code permission} (with the request's facts
   * by name), as disjoint terms over paths. A permission whose rules read a resource or target
   * fact has no filter (IllegalArgumentException): the node alone cannot decide it.
   */
  public List<ListFilter.Term> listFilterTerms(String permission, List<String> facts) {
    int p = table.id(Table.PERMISSION, permission);
    long factMask = table.flagMask(facts, Table.FACT_SIDES);
    if (table.address() == 0) {
      throw new IllegalStateException("the table is closed");
    }
    long[] flat;
    if (custom == null) {
      flat = ListFilter.nativeTerms(handle.address, p, factMask);
    } else {
      long stamp = custom.readLock(); // the handle borrows the set: not while a role is added
      try {
        if (custom.address() == 0) {
          throw new IllegalStateException("the custom role set is closed");
        }
        flat = ListFilter.nativeTerms(handle.address, p, factMask);
      } finally {
        custom.unlockRead(stamp);
      }
    }
    java.lang.ref.Reference.reachabilityFence(this);
    java.lang.ref.Reference.reachabilityFence(table);
    return ListFilter.decode(flat);
  }

  /**
   * The same filter as a predicate for {@code dialect} "postgres" or "sqlite" over the key
   * column, placeholders numbered from {@code firstParam}, and the parameters' bytes (bind them
   * as bytea / BLOB).
   */
  public ListFilter.Sql listFilterSql(String permission, List<String> facts, String dialect,
      String column, int firstParam) {
    int d = switch (Objects.requireNonNull(dialect, "dialect")) {
      case "postgres" -> ListFilter.POSTGRESQL;
      case "sqlite" -> ListFilter.SQLITE;
      default -> throw new IllegalArgumentException(
          "unknown SQL dialect `" + dialect + "`: expected postgres or sqlite");
    };
    listFilterTerms(permission, facts); // refuses string node names
    int p = table.id(Table.PERMISSION, permission);
    long factMask = table.flagMask(facts, Table.FACT_SIDES);
    Objects.requireNonNull(column, "column");
    Object[] out;
    if (custom == null) {
      out = ListFilter.nativeSql(handle.address, p, factMask, d, column, firstParam);
    } else {
      long stamp = custom.readLock();
      try {
        if (custom.address() == 0) {
          throw new IllegalStateException("the custom role set is closed");
        }
        out = ListFilter.nativeSql(handle.address, p, factMask, d, column, firstParam);
      } finally {
        custom.unlockRead(stamp);
      }
    }
    java.lang.ref.Reference.reachabilityFence(this);
    java.lang.ref.Reference.reachabilityFence(table);
    List<byte[]> params = new java.util.ArrayList<>();
    for (int i = 1; i < out.length; ++i) {
      params.add((byte[]) out[i]);
    }
    return new ListFilter.Sql((String) out[0], params);
  }

  @Override
  public void close() {
    cleanable.clean();
  }

  // Numbers as they are; strings interned from 2^63 up for memberships, looked up for a target
  // (a string no membership uses gets an id no membership uses).
  static long segment(NodePath path, int i, Map<String, Long> strings, boolean intern) {
    String key = path.keys == null ? null : path.keys[i];
    if (key == null) {
      return path.ids[i];
    }
    Long id = strings.get(key);
    if (id != null) {
      return id;
    }
    long next = FIRST_STRING_ID + strings.size();
    if (intern) {
      strings.put(key, next);
    }
    return next;
  }

  /** A target's ids: strings no membership uses get an id no membership uses. */
  static long[] targetIds(NodePath target, Map<String, Long> strings) {
    if (target.depth() == 0) {
      throw new IllegalArgumentException("a target needs a node: a path of at least one id");
    }
    return target.keys == null ? target.ids : ids(target, strings, false);
  }

  /** A path's ids, interning its strings into `strings`. */
  static long[] ids(NodePath path, Map<String, Long> strings, boolean intern) {
    long[] out = new long[path.depth()];
    for (int i = 0; i < out.length; ++i) {
      out[i] = segment(path, i, strings, intern);
    }
    return out;
  }

  /**
   * lattice_principal_new_custom (set 0: no custom roles); throws IllegalArgumentException (the
   * status message) or OutOfMemoryError.
   */
  private static native long nativeNew(long table, long set, int kind, long flags, int[] layout,
      long[] nodeFlags, long[] pathIds, int[] roleIds);

  private static native void nativeFree(long principal);

  private static native long nativeDecide(long principal, int permission, long[] target,
      long facts);
}
