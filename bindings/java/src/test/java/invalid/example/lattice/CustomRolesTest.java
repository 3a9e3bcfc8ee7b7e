// CustomRolesTest.java - custom roles through the Java binding, on the shared policy
// bindings/common/testdata/custom_roles.lat (system property lattice.testdata): roles built
// within a ceiling decide as the C API says, refusals name the runtime's status and the
// permission, a creator gets nothing beyond its own rights, a set never crosses tables, a closed
// set denies, and adding to a set while other threads decide with it is safe.
package invalid.example.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomRolesTest {
  private static final NodePath KEY_AT_ACCOUNT = NodePath.of(10, 11); // tenant 10, account 11
  private static final Set<Relation> SELF = EnumSet.of(Relation.SELF);
  private static final Set<Relation> SUBTREE = CustomRoles.reach("subtree");
  private static final Set<Relation> TENANT = CustomRoles.reach("tenant");

  @TempDir static Path work;
  static Path source;
  static Path customPath;

  @BeforeAll
  static void buildTable() throws IOException, InterruptedException {
    source = Path.of(System.getProperty("lattice.testdata", "../common/testdata"))
        .resolve("custom_roles.lat");
    customPath = build(source, work.resolve("custom.ltab"));
  }

  private static Path build(Path src, Path out) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(System.getProperty("lattice.bin", "lattice"), "build",
        "--color", "never", src.toString(), "-o", out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "lattice build " + src + ":\n" + output);
    return out;
  }

  private static Map<String, Set<Relation>> cells(Object... pairs) {
    Map<String, Set<Relation>> out = new LinkedHashMap<>(); // in order: the first at fault
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      Set<Relation> reach = (Set<Relation>) pairs[i + 1];
      out.put((String) pairs[i], reach);
    }
    return out;
  }

  private static CustomRoles keyRoles(Table table) {
    CustomRoles roles = new CustomRoles(table);
    assertEquals("ci_key",
        roles.add("ci_key", "key_role", cells("station.view", SUBTREE, "card.block", SELF)));
    return roles;
  }

  private static List<Membership> holding(NodePath node, String... roles) {
    return List.of(new Membership(node, List.of(roles)));
  }

  @Test
  void ceilingsAreIntrospected() {
    try (Table table = Table.loadFile(customPath.toString())) {
      assertEquals(List.of("key_role", "operator_role", "key_only"), table.ceilings());
      assertEquals(List.of("account_user", "api_key"), table.ceilingKinds("key_role"));
      assertEquals(SUBTREE, table.ceilingReach("key_role", "station.view"));
      assertEquals(TENANT, table.ceilingReach("operator_role", "station.activate"));
      assertEquals(EnumSet.noneOf(Relation.class),
          table.ceilingReach("key_role", "station.activate"));
      CustomRoleException e = assertThrows(CustomRoleException.class,
          () -> table.ceilingReach("no_such_ceiling", "station.view"));
      assertEquals("unknown_ceiling", e.status());
      assertThrows(UnknownNameException.class,
          () -> table.ceilingReach("key_role", "station.fly"));
      assertThrows(IllegalArgumentException.class, () -> CustomRoles.reach("everywhere"));
    }
  }

  @Test
  void aRoleWithinTheCeilingDecidesItsCells() {
    try (Table table = Table.loadFile(customPath.toString())) {
      CustomRoles roles = keyRoles(table);
      assertEquals(List.of("ci_key"), roles.names());
      assertTrue(roles.contains("ci_key"));
      assertSame(table, roles.table());
      assertEquals("key_role", roles.ceilingOf("ci_key"));
      assertEquals(SUBTREE, roles.reachOf("ci_key", "station.view"));
      assertEquals(SELF, roles.reachOf("ci_key", "card.block"));
      assertTrue(roles.reachOf("ci_key", "station.reset").isEmpty());
      List<Membership> key = holding(KEY_AT_ACCOUNT, "ci_key");
      Decision below = table.decide("api_key", List.of(), key, "station.view",
          NodePath.of(10, 11, 12), List.of(), roles);
      assertEquals(new Decision(true, Reason.ALLOWED, "ci_key", 0), below);
      assertFalse(table.decide("api_key", List.of(), key, "card.block", NodePath.of(10, 11, 12),
          List.of(), roles).allowed()); // `self` only
      assertTrue(table.decide("api_key", List.of(), key, "card.block", KEY_AT_ACCOUNT, List.of(),
          roles).allowed());
      Decision reset = table.decide("api_key", List.of(), key, "station.reset", KEY_AT_ACCOUNT,
          List.of(), roles);
      assertEquals(Reason.NO_ALLOW, reset.reason());
      assertNull(reset.decidingRole());
      assertEquals(Reason.OTHER_TREE, table.decide("api_key", List.of(), key, "station.view",
          NodePath.of(20, 11), List.of(), roles).reason());
      // A principal handle decides the same, beside a compiled role in another membership.
      try (Principal p = table.principal("account_user", List.of(),
               List.of(new Membership(KEY_AT_ACCOUNT, List.of("ci_key")),
                   new Membership(NodePath.of(10, 30), List.of("account_admin"))),
               roles)) {
        assertSame(roles, p.customRoles());
        assertEquals(new Decision(true, Reason.ALLOWED, "ci_key", 0),
            p.decide("station.view", NodePath.of(10, 11, 5)));
        assertEquals(new Decision(true, Reason.ALLOWED, "account_admin", 1),
            p.decide("card.delete", NodePath.of(10, 30)));
        assertEquals(Reason.NO_ALLOW, p.decide("card.block", NodePath.of(10, 11, 5)).reason());
      }
      // Held by a user type outside its ceiling's.
      CustomRoles only = new CustomRoles(table);
      only.add("only_keys", "key_only", cells("station.view", SELF));
      Decision d = table.decide("account_user", List.of(), holding(KEY_AT_ACCOUNT, "only_keys"),
          "station.view", KEY_AT_ACCOUNT, List.of(), only);
      assertEquals(Reason.ROLE_NOT_FOR_KIND, d.reason());
      assertEquals("only_keys", d.decidingRole());
    }
  }

  @Test
  void refusalsNameTheStatusAndThePermission() {
    try (Table table = Table.loadFile(customPath.toString())) {
      Object[][] cases = {
          {"key_role", cells("station.view", SELF, "station.activate", SELF), "outside_ceiling",
              "station.activate"},
          {"key_role", cells("card.view", SELF, "station.view", TENANT), "reach_beyond_ceiling",
              "station.view"},
          {"key_role", cells("station.fly", SELF), "unknown_permission", "station.fly"},
          {"key_role", cells("station.view", EnumSet.noneOf(Relation.class)), "bad_reach",
              "station.view"},
          {"key_role", cells("station.view", EnumSet.of(Relation.NONE)), "bad_reach",
              "station.view"},
          {"key_only", cells("station.update_firmware", SELF), "not_for_kinds",
              "station.update_firmware"},
          {"no_such_ceiling", cells("station.view", SELF), "unknown_ceiling", null},
      };
      for (Object[] c : cases) {
        CustomRoles roles = new CustomRoles(table);
        @SuppressWarnings("unchecked")
        Map<String, Set<Relation>> permissions = (Map<String, Set<Relation>>) c[1];
        CustomRoleException e = assertThrows(CustomRoleException.class,
            () -> roles.add("refused", (String) c[0], permissions));
        assertEquals(c[2], e.status(), e.getMessage());
        assertEquals(c[3], e.permission());
        assertEquals("refused", e.role());
        assertEquals(c[0], e.ceiling());
        if (c[3] != null) {
          assertTrue(e.getMessage().contains("`" + c[3] + "`"), e.getMessage());
        }
        assertTrue(roles.names().isEmpty()); // never a silent partial role
        UnknownNameException u = assertThrows(UnknownNameException.class,
            () -> table.decide("api_key", List.of(), holding(KEY_AT_ACCOUNT, "refused"),
                "station.view", KEY_AT_ACCOUNT, List.of(), roles));
        assertEquals("refused", u.name());
      }
      CustomRoles roles = keyRoles(table);
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> roles.add("ci_key", "key_role", cells("station.view", SELF)))
          .getMessage().contains("already in the set"));
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> roles.add("account_admin", "key_role", cells("station.view", SELF)))
          .getMessage().contains("has a role of that name"));
      assertEquals(List.of("ci_key"), roles.names());
    }
  }

  @Test
  void aTenantAdminCannotObtainARightItLacks() {
    try (Table table = Table.loadFile(customPath.toString())) {
      List<String> admin = List.of("account_admin");
      assertTrue(table.canCreate(admin, "key_role"));
      assertTrue(table.canCreate(admin, "key_only"));
      assertFalse(table.canCreate(admin, "operator_role"));
      assertTrue(table.canCreate(List.of("tenant_support"), "operator_role"));
      assertFalse(table.canCreate(List.of(), "key_role"));
      assertFalse(table.decide("account_user", List.of(), holding(KEY_AT_ACCOUNT, "account_admin"),
          "station.activate", KEY_AT_ACCOUNT).allowed());
      CustomRoles roles = new CustomRoles(table);
      assertEquals("outside_ceiling", assertThrows(CustomRoleException.class,
          () -> roles.add("sneaky", "key_role", cells("station.activate", SELF))).status());
      assertEquals("reach_beyond_ceiling", assertThrows(CustomRoleException.class,
          () -> roles.add("sneaky", "key_role", cells("station.view", TENANT))).status());
      roles.add("widest", "key_role", cells("station.view", SUBTREE, "station.reset", SUBTREE,
          "card.view", SUBTREE, "card.block", SUBTREE));
      Decision d = table.decide("account_user", List.of(),
          holding(KEY_AT_ACCOUNT, "account_admin", "widest"), "station.activate", KEY_AT_ACCOUNT,
          List.of(), roles);
      assertEquals(Reason.NO_ALLOW, d.reason());
      assertThrows(UnknownNameException.class,
          () -> table.canCreate(List.of("widest"), "key_role"));
    }
  }

  @Test
  void aSetOfAnotherTableIsRefused() {
    try (Table table = Table.loadFile(customPath.toString());
        Table other = Table.loadFile(customPath.toString())) {
      CustomRoles roles = keyRoles(table);
      List<Membership> key = holding(KEY_AT_ACCOUNT, "ci_key");
      assertTrue(assertThrows(IllegalArgumentException.class,
          () -> other.decide("api_key", List.of(), key, "station.view", KEY_AT_ACCOUNT, List.of(),
              roles)).getMessage().contains("another table"));
      assertThrows(IllegalArgumentException.class,
          () -> other.principal("api_key", List.of(), key, roles));
      assertEquals("ci_key", assertThrows(UnknownNameException.class,
          () -> other.decide("api_key", List.of(), key, "station.view", KEY_AT_ACCOUNT)).name());
    }
  }

  @Test
  void aReloadCannotReinterpretACustomRole() throws IOException, InterruptedException {
    String text = Files.readString(source, StandardCharsets.UTF_8);
    String anchor = "custom role key_role for api_key, account_user {";
    assertTrue(text.contains(anchor));
    Path shifted = work.resolve("shifted.lat");
    Files.writeString(shifted, text.replace(anchor,
        "custom role wide for api_key {\n  allow station.* in tenant;\n}\n\n" + anchor));
    Path shiftedTable = build(shifted, work.resolve("shifted.ltab"));
    AtomicReference<Table> current = new AtomicReference<>(Table.loadFile(customPath.toString()));
    Table old = current.get();
    CustomRoles roles = keyRoles(old);
    List<Membership> key = holding(KEY_AT_ACCOUNT, "ci_key");
    Principal p = old.principal("api_key", List.of(), key, roles);
    current.set(Table.loadFile(shiftedTable.toString()));
    Table next = current.get();
    assertEquals("wide", next.ceilings().get(0));
    assertNotEquals(old.fingerprint(), next.fingerprint()); // ceiling names are in it
    assertThrows(IllegalArgumentException.class,
        () -> next.principal("api_key", List.of(), key, roles));
    Principal q = next.principal("api_key", List.of(), key, keyRoles(next));
    for (String permission : List.of("station.view", "station.activate", "card.block",
             "card.view")) {
      assertEquals(p.decide(permission, KEY_AT_ACCOUNT), q.decide(permission, KEY_AT_ACCOUNT),
          permission);
    }
    assertFalse(q.decide("station.activate", KEY_AT_ACCOUNT).allowed());
    next.close();
    old.close();
  }

  @Test
  void aClosedSetDeniesAndAddingWhileDecidingIsSafe() throws InterruptedException {
    try (Table table = Table.loadFile(customPath.toString())) {
      CustomRoles roles = keyRoles(table);
      Principal p = table.principal("api_key", List.of(), holding(KEY_AT_ACCOUNT, "ci_key"),
          roles);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Object> failure = new AtomicReference<>();
      Thread[] threads = new Thread[4];
      for (int i = 0; i < threads.length; ++i) {
        threads[i] = new Thread(() -> {
          while (!stop.get()) {
            Decision d = p.decide("station.view", KEY_AT_ACCOUNT);
            if (!d.allowed() || !"ci_key".equals(d.decidingRole())) {
              failure.compareAndSet(null, d);
            }
          }
        });
        threads[i].start();
      }
      for (int i = 0; i < 500; ++i) {
        roles.add("k" + i, "key_role", cells("card.view", SUBTREE));
      }
      stop.set(true);
      for (Thread t : threads) {
        t.join();
      }
      assertNull(failure.get());
      assertEquals(501, roles.names().size());
      assertFalse(p.decide("card.view", KEY_AT_ACCOUNT).allowed()); // built before k0..k499
      roles.close();
      assertEquals(Reason.NO_TABLE, p.decide("station.view", KEY_AT_ACCOUNT).reason());
      assertEquals(Reason.NO_TABLE, table.decide("api_key", List.of(),
          holding(KEY_AT_ACCOUNT, "ci_key"), "station.view", KEY_AT_ACCOUNT, List.of(), roles)
          .reason());
      assertThrows(IllegalStateException.class,
          () -> roles.add("late", "key_role", cells("station.view", SELF)));
      assertThrows(IllegalStateException.class,
          () -> table.principal("api_key", List.of(), holding(KEY_AT_ACCOUNT, "ci_key"), roles));
      p.close();
    }
  }

  @Test
  void aCorruptTableYieldsNoSet() throws IOException {
    byte[] data = Files.readAllBytes(customPath);
    data[data.length / 2] ^= 1;
    assertEquals("bad_checksum",
        assertThrows(LoadException.class, () -> Table.fromBytes(data)).status());
    Table closed = Table.loadFile(customPath.toString());
    closed.close();
    assertThrows(IllegalStateException.class, () -> new CustomRoles(closed));
  }

  @Test
  void whoCanListsCeilings() {
    try (Table t = Table.loadFile(customPath.toString())) {
      assertEquals(new WhoCan(List.of("account_admin", "tenant_support"),
                       List.of("key_role", "operator_role", "key_only"),
                       List.of("account_user", "api_key")),
          t.whoCan("station.view", Relation.SELF, List.of()));
      assertEquals(new WhoCan(List.of("tenant_support"), List.of("operator_role"),
                       List.of("account_user")),
          t.whoCan("station.view", Relation.ELSEWHERE, List.of()));
    }
  }
}
