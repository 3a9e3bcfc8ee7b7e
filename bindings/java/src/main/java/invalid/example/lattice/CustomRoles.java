// CustomRoles.java - custom roles: roles a tenant composes at run time within the policy's
// ceilings (lattice_custom_roles), named in memberships beside compiled roles.
package invalid.example.lattice;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * A set of custom roles built against one Table, which it keeps reachable. Each role has a name the
 * host gives it, used in {@link Membership#roles} beside compiled role names with
 * {@link Table#principal(String, List, List, CustomRoles)} or the seven-argument
 * {@link Table#decide}. Safe to share between threads: {@link #add} waits for the decisions that
 * read the set. Freed by {@link #close} (principals built with it then deny) or, once it and
 * every principal built with it are unreachable, by a Cleaner.
 */
public final class CustomRoles implements AutoCloseable {
  private static final String[] STATUS = {"ok", "bad_argument", "unknown_ceiling",
      "unknown_permission", "bad_reach", "not_for_kinds", "outside_ceiling",
      "reach_beyond_ceiling", "too_many", "out_of_memory"};
  private static final int CUSTOM_ROLE = 0x80000000; // LATTICE_CUSTOM_ROLE

  private final Table table;
  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;
  // Not reentrant: no method takes it while holding it. Cheaper per decision than a
  // ReentrantReadWriteLock (no per-thread hold count).
  private final StampedLock lock = new StampedLock();
  private final List<String> names = new ArrayList<>(); // by index in the set
  private final Map<String, Integer> ids = new HashMap<>();

  /** An empty set of custom roles of the table. */
  public CustomRoles(Table table) {
    this.table = table;
    long address = nativeNew(table.address());
    java.lang.ref.Reference.reachabilityFence(table);
    if (address == 0) {
      throw new IllegalStateException(table.address() == 0 ? "the table is closed"
          : "lattice: out of native memory");
    }
    handle = new NativeHandle(address, CustomRoles::nativeFree);
    cleanable = Table.CLEANER.register(this, handle);
  }

  /** The table the set was built against. */
  public Table table() {
    return table;
  }

  /** The union of reach words: self, descendants, ancestors, elsewhere, subtree, tenant. */
  public static EnumSet<Relation> reach(String... words) {
    EnumSet<Relation> out = EnumSet.noneOf(Relation.class);
    for (String w : words) {
      switch (w) {
        case "self" -> out.add(Relation.SELF);
        case "descendants" -> out.add(Relation.DESCENDANTS);
        case "ancestors" -> out.add(Relation.ANCESTORS);
        case "elsewhere" -> out.add(Relation.ELSEWHERE);
        case "subtree" -> out.addAll(EnumSet.of(Relation.SELF, Relation.DESCENDANTS));
        case "tenant" -> out.addAll(EnumSet.range(Relation.SELF, Relation.ELSEWHERE));
        default -> throw new IllegalArgumentException("unknown reach `" + w
            + "`: expected self, descendants, ancestors, elsewhere, subtree or tenant");
      }
    }
    return out;
  }

  /**
   * Builds role name of ceiling from permissions, each with the relations it reaches, all or
   * nothing. Throws CustomRoleException (the runtime's status, the offending permission) or
   * IllegalArgumentException for a name the table's roles or the set already have.
   */
  public String add(String name, String ceiling,
      Map<String, ? extends Collection<Relation>> permissions) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a custom role needs a name");
    }
    if (table.hasRole(name)) {
      throw new IllegalArgumentException("custom role `" + name + "`: the policy `"
          + table.policyName() + "` has a role of that name");
    }
    String[] perms = new String[permissions.size()];
    int[] reaches = new int[perms.length];
    int i = 0;
    for (Map.Entry<String, ? extends Collection<Relation>> e : permissions.entrySet()) {
      perms[i] = e.getKey();
      for (Relation r : e.getValue()) {
        reaches[i] |= 1 << r.ordinal(); // NONE is bit 4: the runtime refuses it (bad_reach)
      }
      ++i;
    }
    long stamp = lock.writeLock();
    try {
      if (ids.containsKey(name)) {
        throw new IllegalArgumentException("custom role `" + name + "` is already in the set");
      }
      long set = live();
      long packed = nativeAdd(set, ceiling, perms, reaches);
      java.lang.ref.Reference.reachabilityFence(table);
      int status = (int) (packed >>> 32);
      int value = (int) packed;
      if (status != 0) {
        String permission = value >= 0 && value < perms.length ? perms[value] : null;
        throw refused(status, name, ceiling, permission);
      }
      ids.put(name, value);
      names.add(name);
      return name;
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  /** The set's roles in the order they were added. */
  public List<String> names() {
    long stamp = lock.readLock();
    try {
      return List.copyOf(names);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  public boolean contains(String name) {
    long stamp = lock.readLock();
    try {
      return ids.containsKey(name);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The ceiling role name was built in. */
  public String ceilingOf(String name) {
    long stamp = lock.readLock();
    try {
      int ceiling = nativeCeilingOf(live(), id(name));
      return table.ceilings().get(ceiling);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The relations role name holds permission at (empty if it does not hold it). */
  public EnumSet<Relation> reachOf(String name, String permission) {
    int p = table.id(Table.PERMISSION, permission);
    long stamp = lock.readLock();
    try {
      return relations(nativeReach(live(), id(name), p));
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** Frees the native set; principals built with it deny from then on (NO_TABLE). */
  @Override
  public void close() {
    long stamp = lock.writeLock();
    try {
      cleanable.clean();
    } finally {
      lock.unlockWrite(stamp);
    }
  }

  // --- for Table and Principal ---------------------------------------------------------------
  /** The read lock decisions hold while they read the set. */
  long readLock() {
    return lock.readLock();
  }

  void unlockRead(long stamp) {
    lock.unlockRead(stamp);
  }

  /** The native set (0 once closed); read under the read lock. */
  long address() {
    return handle.address;
  }

  /** A membership's role: a compiled role of the table, else a role of the set. */
  int roleId(String role) {
    if (table.hasRole(role)) {
      return table.id(Table.ROLE, role);
    }
    long stamp = lock.readLock();
    try {
      return id(role);
    } finally {
      lock.unlockRead(stamp);
    }
  }

  /** The name of a deciding custom role id, or null; called with the read lock held. */
  String name(long role) {
    if ((role & CUSTOM_ROLE) == 0) {
      return null;
    }
    int index = (int) (role & ~CUSTOM_ROLE & 0xffffffffL);
    return index < names.size() ? names.get(index) : null;
  }

  static EnumSet<Relation> relations(int reach) {
    EnumSet<Relation> out = EnumSet.noneOf(Relation.class);
    for (Relation r : EnumSet.range(Relation.SELF, Relation.ELSEWHERE)) {
      if ((reach & (1 << r.ordinal())) != 0) {
        out.add(r);
      }
    }
    return out;
  }

  static CustomRoleException refused(int status, String role, String ceiling,
      String permission) {
    String word = status >= 0 && status < STATUS.length ? STATUS[status] : "unknown";
    String message = (role == null ? "ceiling `" + ceiling + "`"
        : "custom role `" + role + "` of ceiling `" + ceiling + "` refused")
        + (permission == null ? "" : " at permission `" + permission + "`") + ": "
        + nativeStatusMessage(status);
    return new CustomRoleException(message, word, role, ceiling, permission);
  }

  private int id(String name) {
    Integer id = ids.get(name);
    if (id == null) {
      throw new UnknownNameException("role", String.valueOf(name), table.policyName());
    }
    return id;
  }

  private long live() {
    long a = handle.address;
    if (a == 0) {
      throw new IllegalStateException("the custom role set is closed");
    }
    if (table.address() == 0) {
      throw new IllegalStateException("the table of the custom role set is closed");
    }
    return a;
  }

  static void checkTable(Table table, CustomRoles custom) {
    if (custom != null && custom.table != table) {
      throw new IllegalArgumentException("custom roles built on another table (policy `"
          + custom.table.policyName() + "`) cannot be used with this one: build them again on it");
    }
  }

  private static native long nativeNew(long table);

  private static native void nativeFree(long set);

  /** Status in bits 32-63; the role id on success, else the offending index (-1 for none). */
  private static native long nativeAdd(long set, String ceiling, String[] permissions,
      int[] reaches);

  private static native int nativeCeilingOf(long set, int role);

  private static native int nativeReach(long set, int role, int permission);

  static native String nativeStatusMessage(int status);

  static native String[] nativeCeilings(long table);

  static native long nativeCeilingKinds(long table, int ceiling);

  static native int nativeCeilingReach(long table, int ceiling, int permission);

  static native boolean nativeCanCreate(long table, int[] roles, int ceiling);
}
