// Table.java - a loaded Lattice decision table: names resolved per table, decisions by name.
package invalid.example.lattice;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded, immutable decision table; its methods may be called from any number of threads. Names
 * are resolved against this table only and ids never leave it, so a table loaded later can never
 * give an id another meaning: to reload, load a new Table and swap the reference (for example in
 * an AtomicReference). The native table is freed by {@link #close} or, once unreachable, by a
 * Cleaner; close only when no thread uses the table any more. A closed table denies.
 */
public final class Table implements AutoCloseable {
  /** What loadFile reads at most: LATTICE_DEFAULT_MAX_TABLE_BYTES, 256 MiB. */
  public static final long DEFAULT_MAX_BYTES = 256L << 20;

  static final Cleaner CLEANER = Cleaner.create();

  private final NativeHandle handle;
  private final Cleaner.Cleanable cleanable;
  private final String policyName;
  private final long fingerprint;
  private final String revision;
  private final int[] flagSides; // per flag id: 1 principal (user types), 2 node (scope kinds)
  private final List<List<String>> names; // per category, in id order
  private final List<Map<String, Integer>> ids;
  private final List<String> ceilings; // custom role ceilings, in id order

  static {
    String library = System.getProperty("lattice.jni.library");
    if (library != null) {
      System.load(library);
    } else {
      System.loadLibrary("lattice_jni");
    }
  }

  private Table(long address) {
    handle = new NativeHandle(address, Table::nativeFree);
    cleanable = CLEANER.register(this, handle);
    policyName = nativePolicyName(address);
    fingerprint = nativeFingerprint(address);
    revision = nativeRevision(address);
    flagSides = nativeFlagSides(address);
    List<List<String>> n = new java.util.ArrayList<>();
    List<Map<String, Integer>> m = new java.util.ArrayList<>();
    for (int c = 0; c < 4; ++c) {
      List<String> list = List.of(nativeNames(address, c));
      Map<String, Integer> map = new HashMap<>();
      for (int i = 0; i < list.size(); ++i) {
        map.put(list.get(i), i);
      }
      n.add(list);
      m.add(map);
    }
    names = List.copyOf(n);
    ids = List.copyOf(m);
    ceilings = List.of(CustomRoles.nativeCeilings(address));
  }

  /** Reads and validates a table file of at most 256 MiB; throws LoadException. */
  public static Table loadFile(String path) {
    return loadFile(path, DEFAULT_MAX_BYTES);
  }

  /** Reads and validates a table file of at most maxBytes bytes; throws LoadException. */
  public static Table loadFile(String path, long maxBytes) {
    return new Table(nativeLoadFile(path, Math.max(0, maxBytes)));
  }

  /** Validates a copy of table bytes; throws LoadException. */
  public static Table fromBytes(byte[] data) {
    return new Table(nativeLoadBytes(data));
  }

  public String policyName() {
    return policyName;
  }

  /**
   * The vocabulary fingerprint (64 bits; print it with Long.toUnsignedString): equal in two tables
   * iff every name has the same id in both.
   */
  public long fingerprint() {
    return fingerprint;
  }

  /** What `lattice build --revision` recorded ("" when nothing was given). */
  public String revision() {
    return revision;
  }

  /** Names in id order. */
  public List<String> kinds() {
    return names.get(KIND);
  }

  public List<String> roles() {
    return names.get(ROLE);
  }

  public List<String> permissions() {
    return names.get(PERMISSION);
  }

  public List<String> flags() {
    return names.get(FLAG);
  }

  /**
   * Decides one request of a principal with memberships (lattice_decide_access: no principal
   * handle is built for one request); throws UnknownNameException.
   */
  public Decision decide(String kind, List<String> flags, List<Membership> memberships,
      String permission, NodePath target) {
    return decide(kind, flags, memberships, permission, target, List.of());
  }

  /**
   * Decides one request of a principal with memberships and the request's facts by name
   * ({@code resource.archived}, {@code target.business}, {@code request.mfa_used}).
   */
  public Decision decide(String kind, List<String> flags, List<Membership> memberships,
      String permission, NodePath target, List<String> facts) {
    return decide(kind, flags, memberships, permission, target, facts, null);
  }

  /**
   * Decides one request whose memberships may name custom roles of customRoles (null: none); a set
   * built on another table is an IllegalArgumentException.
   */
  public Decision decide(String kind, List<String> flags, List<Membership> memberships,
      String permission, NodePath target, List<String> facts, CustomRoles customRoles) {
    CustomRoles.checkTable(this, customRoles);
    Principal.Resolved r = new Principal.Resolved(this, kind, flags, memberships, customRoles);
    int p = id(PERMISSION, permission);
    long factMask = flagMask(facts, FACT_SIDES);
    long[] targetIds = Principal.targetIds(target, r.strings);
    if (customRoles == null) {
      long packed = nativeDecideAccess(address(), 0, r.kind, r.flags, r.layout, r.nodeFlags,
          r.pathIds, r.roleIds, p, targetIds, factMask);
      java.lang.ref.Reference.reachabilityFence(this);
      return decision(packed);
    }
    long stamp = customRoles.readLock(); // not while a role is added or the set is closed
    try {
      long set = customRoles.address();
      long packed = set == 0 ? NO_TABLE_DECISION : nativeDecideAccess(address(), set, r.kind,
          r.flags, r.layout, r.nodeFlags, r.pathIds, r.roleIds, p, targetIds, factMask);
      java.lang.ref.Reference.reachabilityFence(this);
      return decision(packed, customRoles); // names a custom role under the same lock
    } finally {
      customRoles.unlockRead(stamp);
    }
  }

  /** A principal resolved once against this table, to decide many requests. */
  public Principal principal(String kind, List<String> flags, List<Membership> memberships) {
    return new Principal(this, kind, flags, memberships, null);
  }

  /**
   * A principal whose memberships may name custom roles of customRoles; it keeps the set
   * reachable. A set built on another table is an IllegalArgumentException.
   */
  public Principal principal(String kind, List<String> flags, List<Membership> memberships,
      CustomRoles customRoles) {
    CustomRoles.checkTable(this, customRoles);
    return new Principal(this, kind, flags, memberships, customRoles);
  }

  // --- custom role ceilings ------------------------------------------------------------------
  /** The custom role ceilings, in id order. */
  public List<String> ceilings() {
    return ceilings;
  }

  /** The user types whose principals may hold roles of the ceiling. */
  public List<String> ceilingKinds(String ceiling) {
    long mask = CustomRoles.nativeCeilingKinds(address(), ceilingId(ceiling));
    java.lang.ref.Reference.reachabilityFence(this);
    List<String> out = new java.util.ArrayList<>();
    List<String> kinds = names.get(KIND);
    for (int k = 0; k < kinds.size() && k < 64; ++k) {
      if ((mask >>> k & 1) != 0) {
        out.add(kinds.get(k));
      }
    }
    return List.copyOf(out);
  }

  /** The relations a role of the ceiling may reach with permission (empty: not at all). */
  public java.util.EnumSet<Relation> ceilingReach(String ceiling, String permission) {
    int c = ceilingId(ceiling);
    int reach = CustomRoles.nativeCeilingReach(address(), c, id(PERMISSION, permission));
    java.lang.ref.Reference.reachabilityFence(this);
    return CustomRoles.relations(reach);
  }

  /**
   * Whether a principal holding roles (compiled roles) may create custom roles of the ceiling
   * and give them (one of the roles is in its {@code created_by}).
   */
  public boolean canCreate(List<String> roles, String ceiling) {
    boolean ok = CustomRoles.nativeCanCreate(address(), roleIds(roles), ceilingId(ceiling));
    java.lang.ref.Reference.reachabilityFence(this);
    return ok;
  }

  private int ceilingId(String ceiling) {
    int id = ceilings.indexOf(ceiling);
    if (id < 0) {
      throw CustomRoles.refused(2, null, String.valueOf(ceiling), null); // unknown_ceiling
    }
    return id;
  }

  boolean hasRole(String name) {
    return ids.get(ROLE).containsKey(name);
  }

  /** Decides for roles held at one node, given the relation of the target to that node. */
  public Decision decideAt(String kind, List<String> roles, String permission, Relation relation,
      List<String> flags) {
    int k = id(KIND, kind);
    int[] roleIds = roleIds(roles);
    int p = id(PERMISSION, permission);
    long mask = flagMask(flags, ANY_SIDE);
    long packed = nativeDecideAt(address(), k, roleIds, p, relation.ordinal(), mask);
    java.lang.ref.Reference.reachabilityFence(this);
    return decision(packed);
  }

  /**
   * Who can be allowed {@code permission} at {@code relation} with exactly {@code flags} set (any
   * side: the principal's, its node's, facts): the roles a principal holding one of them alone is
   * allowed it through, the custom-role ceilings whose widest role is, and their user types.
   * Unknown names throw UnknownNameException; a closed table answers nobody.
   */
  public WhoCan whoCan(String permission, Relation relation, List<String> flags) {
    int p = id(PERMISSION, permission);
    long mask = flagMask(flags, ANY_SIDE);
    WhoCan answer = WhoCanJni.ask(address(), p, relation.ordinal(), mask, names.get(ROLE),
        ceilings, names.get(KIND));
    java.lang.ref.Reference.reachabilityFence(this);
    return answer;
  }

  /**
   * Whether a principal holding roles may assign the role target. A conditional {@code assigns}
   * ({@code assigns driver when business;}) never counts here: pass the assigner's flags.
   */
  public boolean canAssign(List<String> roles, String target) {
    return canAssign(roleIds(roles), id(ROLE, target), false, 0);
  }

  /**
   * Whether a principal holding roles, with these flags (its own and its node's), may assign the
   * role target: a conditional {@code assigns} counts when the flags satisfy its condition.
   */
  public boolean canAssign(List<String> roles, String target, List<String> flags) {
    return canAssign(roleIds(roles), id(ROLE, target), true, flagMask(flags, ANY_SIDE));
  }

  private boolean canAssign(int[] roleIds, int target, boolean withFlags, long flags) {
    boolean ok = nativeCanAssign(address(), roleIds, target, withFlags, flags);
    java.lang.ref.Reference.reachabilityFence(this);
    return ok;
  }

  /**
   * The relation of the target node to a node, both as paths (NONE for another tree), as the
   * runtime computes it per membership.
   */
  public static Relation relation(NodePath node, NodePath target) {
    if (node.depth() == 0 || target.depth() == 0) {
      throw new IllegalArgumentException("a node needs a path of at least one id");
    }
    Map<String, Long> strings = new HashMap<>();
    return Relation.values()[nativeRelation(Principal.ids(node, strings, true),
        Principal.ids(target, strings, true))];
  }

  /** Frees the native table; later requests are denied (NO_TABLE). */
  @Override
  public void close() {
    cleanable.clean();
  }

  @Override
  public String toString() {
    return "Table[" + policyName + "]";
  }

  // --- for Principal -------------------------------------------------------------------------
  /** A NO_TABLE deny, packed as decision() reads it (no role, no membership). */
  static final long NO_TABLE_DECISION = ((long) Reason.NO_TABLE.ordinal() << 32) | 0xffffffffL;

  static final int KIND = 0;
  static final int ROLE = 1;
  static final int PERMISSION = 2;
  static final int FLAG = 3;
  private static final String[] CATEGORY = {"kind", "role", "permission", "flag"};

  long address() {
    return handle.address;
  }

  int id(int category, String name) {
    Integer id = ids.get(category).get(name);
    if (id == null) {
      throw new UnknownNameException(CATEGORY[category], String.valueOf(name), policyName);
    }
    return id;
  }

  int[] roleIds(List<String> roles) {
    int[] out = new int[roles.size()];
    for (int i = 0; i < out.length; ++i) {
      out[i] = id(ROLE, roles.get(i));
    }
    return out;
  }

  static final int PRINCIPAL_SIDE = 1; // LATTICE_FLAG_PRINCIPAL: declared on user types
  static final int NODE_SIDE = 2;      // LATTICE_FLAG_NODE: declared on scope kinds
  static final int ANY_SIDE = 3;       // decideAt: one node, one flag word
  // LATTICE_FLAG_RESOURCE | LATTICE_FLAG_TARGET | LATTICE_FLAG_REQUEST: the request's facts
  static final int FACT_SIDES = 4 | 8 | 16;

  /** The mask of flag names; a flag of the other side is refused with the side it belongs to. */
  long flagMask(List<String> flags, int side) {
    long mask = 0;
    for (String f : flags) {
      int id = id(FLAG, f);
      boolean fact = (flagSides[id] & FACT_SIDES) != 0;
      if (side == FACT_SIDES && !fact) {
        throw new IllegalArgumentException("flag `" + f
            + "` is not a fact: give it in the principal's flags or a membership's node flags");
      }
      if ((side == PRINCIPAL_SIDE || side == NODE_SIDE) && fact) {
        throw new IllegalArgumentException(
            "flag `" + f + "` is a fact: give it in the request's facts");
      }
      if (side == PRINCIPAL_SIDE && flagSides[id] == NODE_SIDE) {
        throw new IllegalArgumentException("flag `" + f
            + "` is a node flag (declared on scope kinds): give it in a membership's node flags");
      }
      if (side == NODE_SIDE && flagSides[id] == PRINCIPAL_SIDE) {
        throw new IllegalArgumentException("flag `" + f
            + "` is a principal flag (declared on user types): give it in the principal's flags");
      }
      if (id >= 64) {
        throw new IllegalArgumentException(
            "flag `" + f + "` has an id beyond the 64 flags a request carries");
      }
      mask |= 1L << id;
    }
    return mask;
  }

  /** Unpacks nativeDecide*'s result: bit 40 allowed, bits 32-39 reason, bits 0-31 the deciding
   * role (all ones for none), bits 41-63 the deciding membership plus one (0 for none). */
  Decision decision(long packed) {
    return decision(packed, null);
  }

  /** decision(packed) naming a deciding custom role from its set (null: none). */
  Decision decision(long packed, CustomRoles custom) {
    boolean allowed = (packed >>> 40 & 1) != 0;
    int reason = (int) (packed >>> 32 & 0xff);
    long role = packed & 0xffffffffL;
    int membership = (int) (packed >>> 41) - 1;
    List<String> roles = names.get(ROLE);
    String roleName = role < roles.size() ? roles.get((int) role)
        : custom != null ? custom.name(role) : null;
    Reason[] reasons = Reason.values();
    return new Decision(allowed, reason < reasons.length ? reasons[reason] : Reason.BAD_REQUEST,
        roleName, membership);
  }

  private static native long nativeLoadFile(String path, long maxBytes);

  private static native long nativeLoadBytes(byte[] data);

  private static native void nativeFree(long table);

  private static native String nativePolicyName(long table);

  private static native String[] nativeNames(long table, int category);

  private static native long nativeFingerprint(long table);

  private static native String nativeRevision(long table);

  private static native int[] nativeFlagSides(long table);

  private static native long nativeDecideAt(long table, int kind, int[] roles, int permission,
      int relation, long flags);

  private static native boolean nativeCanAssign(long table, int[] roles, int target,
      boolean withFlags, long flags);

  private static native long nativeDecideAccess(long table, long set, int kind, long flags,
      int[] layout,
      long[] nodeFlags, long[] pathIds, int[] roleIds, int permission, long[] target, long facts);

  private static native int nativeRelation(long[] node, long[] target);
}
