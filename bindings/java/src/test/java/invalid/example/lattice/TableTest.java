// TableTest.java - the Java binding on a real compiled example (EV charging), with JUnit 5: allow
// and deny with memberships, fail-closed loading of corrupt tables, reload safety when ids
// shift, and unknown names refused with an exception that names them. The tables are built with
// `lattice build` (system properties lattice.bin and lattice.examples, else `lattice` on PATH and
// the repository's examples).
package invalid.example.lattice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class TableTest {
  private static final String ANCHOR = "role support_agent \"Support agent\" for tenant_user {";
  private static final String INSERTED =
      "role supervisor \"Supervisor\" for tenant_user {\n  allow * in tenant;\n}\n\n";
  private static final List<Membership> ADMIN_AT_ACCOUNT =
      List.of(new Membership(NodePath.of(1, 10), List.of("account_admin")));

  @TempDir static Path work;
  static Path v1Path;
  static Path v2Path;
  static Table table;

  @BeforeAll
  static void buildTables() throws IOException, InterruptedException {
    Path examples = Path.of(System.getProperty("lattice.examples", "../../examples"));
    Path source = examples.resolve("ev_charging").resolve("policy.lat");
    String text = Files.readString(source, StandardCharsets.UTF_8);
    assertTrue(text.contains(ANCHOR), "the example no longer declares support_agent as expected");
    Path v2Source = work.resolve("v2.lat");
    Files.writeString(v2Source, text.replace(ANCHOR, INSERTED + ANCHOR), StandardCharsets.UTF_8);
    v1Path = work.resolve("v1.ltab");
    v2Path = work.resolve("v2.ltab");
    build(source, v1Path, "--revision", "test-v1");
    build(v2Source, v2Path);
    table = Table.loadFile(v1Path.toString());
  }

  @AfterAll
  static void closeTable() {
    if (table != null) {
      table.close();
    }
  }

  private static void build(Path source, Path out, String... options)
      throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        System.getProperty("lattice.bin", "lattice"), "build", "--color", "never"));
    command.addAll(List.of(options));
    command.addAll(List.of(source.toString(), "-o", out.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "lattice build " + source + ":\n" + output);
  }

  private static Decision decide(Table t, List<Membership> memberships, String permission,
      NodePath target) {
    return t.decide("account_user", List.of(), memberships, permission, target);
  }

  @Test
  void loadsFromAFileAndFromBytes() throws IOException {
    byte[] bytes = Files.readAllBytes(v1Path);
    try (Table fromBytes = Table.fromBytes(bytes)) {
      java.util.Arrays.fill(bytes, (byte) 0); // the table keeps its own copy
      assertEquals("ev_charging", table.policyName());
      assertEquals(table.roles(), fromBytes.roles());
      assertTrue(table.permissions().contains("station.view"));
      assertTrue(decide(fromBytes, ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1, 10)).allowed());
    }
  }

  @Test
  void fingerprintAndRevision() throws IOException {
    try (Table fromBytes = Table.fromBytes(Files.readAllBytes(v1Path));
        Table v2 = Table.loadFile(v2Path.toString())) {
      assertEquals(table.fingerprint(), fromBytes.fingerprint());
      assertTrue(v2.fingerprint() != table.fingerprint());
      assertEquals("test-v1", table.revision());
      assertEquals("", v2.revision());
    }
  }

  @Test
  void flagsOnTheWrongSideAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> table.decide("account_user", List.of("business"), ADMIN_AT_ACCOUNT, "station.view",
            NodePath.of(1, 10)));
    assertTrue(e.getMessage().contains("`business` is a node flag"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> decide(table,
        List.of(new Membership(NodePath.of(1, 10), List.of("account_admin"), List.of("blocked"))),
        "station.view", NodePath.of(1, 10)));
    assertTrue(e.getMessage().contains("`blocked` is a principal flag"), e.getMessage());
  }

  @Test
  void allowsAndDeniesByRelation() {
    assertEquals(new Decision(true, Reason.ALLOWED, "account_admin", 0),
        decide(table, ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1, 10, 100)));
    assertEquals(new Decision(false, Reason.NO_ALLOW, null, -1),
        decide(table, ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1, 11)));
    assertEquals(Reason.OTHER_TREE,
        decide(table, ADMIN_AT_ACCOUNT, "station.view", NodePath.of(2, 10)).reason());
  }

  @Test
  void decidingMembershipAndFlags() {
    List<Membership> two = List.of(new Membership(NodePath.of(1, 11), List.of("account_station_admin")),
        new Membership(NodePath.of(1, 10), List.of("account_admin")));
    Decision d = decide(table, two, "station.view", NodePath.of(1, 10));
    assertTrue(d.allowed());
    assertEquals(1, d.decidingMembership());
    assertEquals(Reason.REQUIREMENT, table.decide("account_user", List.of("blocked"),
        ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1, 10)).reason());
    assertEquals(Reason.NO_ALLOW,
        decide(table, ADMIN_AT_ACCOUNT, "insights.site_dashboard", NodePath.of(1, 10)).reason());
    List<Membership> business = List.of(new Membership(NodePath.of(1, 10),
        List.of("account_admin"), List.of("business")));
    assertTrue(decide(table, business, "insights.site_dashboard", NodePath.of(1, 10)).allowed());
    Decision wrongKind = decide(table, List.of(new Membership(NodePath.of(1),
        List.of("tenant_admin"))), "station.view", NodePath.of(1));
    assertEquals(Reason.ROLE_NOT_FOR_KIND, wrongKind.reason());
    assertEquals("tenant_admin", wrongKind.decidingRole());
  }

  @Test
  void stringPathsNeverEqualNumbers() {
    List<Membership> keyed =
        List.of(new Membership(NodePath.of("acme", "eu"), List.of("account_admin")));
    assertTrue(decide(table, keyed, "station.view", NodePath.mixed("acme", "eu", 7L)).allowed());
    assertEquals(Reason.OTHER_TREE,
        decide(table, ADMIN_AT_ACCOUNT, "station.view", NodePath.of("1", "10")).reason());
  }

  @Test
  void aPrincipalIsBuiltOnceAndDecidedManyTimes() {
    try (Principal p = table.principal("account_user", List.of(), ADMIN_AT_ACCOUNT)) {
      assertSame(table, p.table());
      assertTrue(p.decide("station.view", NodePath.of(1, 10)).allowed());
      assertFalse(p.decide("station.activate", NodePath.of(1, 10)).allowed());
      assertEquals(Reason.NO_ALLOW, p.decide("station.view", NodePath.of(1, 12)).reason());
    }
  }

  @Test
  void relationOfPaths() {
    assertEquals(Relation.SELF, Table.relation(NodePath.of(1, 10), NodePath.of(1, 10)));
    assertEquals(Relation.DESCENDANTS, Table.relation(NodePath.of(1, 10), NodePath.of(1, 10, 100)));
    assertEquals(Relation.ANCESTORS, Table.relation(NodePath.of(1, 10), NodePath.of(1)));
    assertEquals(Relation.ELSEWHERE, Table.relation(NodePath.of(1, 10), NodePath.of(1, 11)));
    assertEquals(Relation.NONE, Table.relation(NodePath.of(1, 10), NodePath.of(2, 10)));
    assertEquals(Relation.DESCENDANTS,
        Table.relation(NodePath.of("acme", "eu"), NodePath.mixed("acme", "eu", 7)));
    assertEquals(Relation.NONE, Table.relation(NodePath.of(1), NodePath.of("1")));
    assertThrows(IllegalArgumentException.class,
        () -> Table.relation(NodePath.of(new long[0]), NodePath.of(1)));
  }

  @Test
  void decideAtAndCanAssign() {
    assertTrue(table.decideAt("account_user", List.of("account_admin"), "station.view",
        Relation.DESCENDANTS, List.of()).allowed());
    Decision elsewhere = table.decideAt("account_user", List.of("account_admin"), "station.view",
        Relation.ELSEWHERE, List.of());
    assertEquals(Reason.NO_ALLOW, elsewhere.reason());
    assertNull(elsewhere.decidingRole());
    assertTrue(table.canAssign(List.of("account_owner"), "account_admin"));
    assertFalse(table.canAssign(List.of("driver"), "driver"));
    assertFalse(table.canAssign(List.of("account_admin"), "account_owner"));
    // Drivers only from a BUSINESS account: a conditional `assigns` needs the assigner's flags.
    assertFalse(table.canAssign(List.of("account_owner"), "driver"));
    assertFalse(table.canAssign(List.of("account_owner"), "driver", List.of()));
    assertTrue(table.canAssign(List.of("account_owner"), "driver", List.of("business")));
  }

  private static void assertUnknown(String category, String name, Executable call) {
    UnknownNameException e = assertThrows(UnknownNameException.class, call);
    assertEquals(category, e.category());
    assertEquals(name, e.name());
    assertEquals("unknown " + category + " `" + name + "` in policy `ev_charging`",
        e.getMessage());
  }

  @Test
  void unknownNamesAreRefusedWithAnExceptionNamingThem() {
    assertUnknown("role", "agent", () -> decide(table,
        List.of(new Membership(NodePath.of(1), List.of("agent"))), "station.view",
        NodePath.of(1)));
    assertUnknown("permission", "station.fly",
        () -> decide(table, ADMIN_AT_ACCOUNT, "station.fly", NodePath.of(1)));
    assertUnknown("kind", "robot", () -> table.decide("robot", List.of(), ADMIN_AT_ACCOUNT,
        "station.view", NodePath.of(1)));
    assertUnknown("flag", "vip", () -> table.decide("account_user", List.of("vip"),
        ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1)));
    assertUnknown("role", "agent", () -> table.canAssign(List.of("account_owner"), "agent"));
  }

  @Test
  void badPathsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> NodePath.of(-1L));
    assertThrows(IllegalArgumentException.class, () -> NodePath.mixed(1.5));
    assertThrows(IllegalArgumentException.class,
        () -> decide(table, ADMIN_AT_ACCOUNT, "station.view", NodePath.of(new long[0])));
    assertThrows(IllegalArgumentException.class, () -> decide(table,
        List.of(new Membership(NodePath.of(new long[0]), List.of("account_admin"))),
        "station.view", NodePath.of(1)));
  }

  @Test
  void corruptTablesFailClosed() throws IOException {
    byte[] data = Files.readAllBytes(v1Path);
    byte[] flipped = data.clone();
    flipped[data.length / 2] ^= 1;
    Object[][] cases = {{java.util.Arrays.copyOf(data, data.length / 2), "bad_size"},
        {flipped, "bad_checksum"}, {java.util.Arrays.copyOf(data, 10), "too_small"},
        {"not a table".repeat(100).getBytes(StandardCharsets.UTF_8), "bad_magic"}};
    for (Object[] c : cases) {
      byte[] bytes = (byte[]) c[0];
      String status = (String) c[1];
      assertEquals(status, assertThrows(LoadException.class, () -> Table.fromBytes(bytes)).status());
      Path file = work.resolve(status + ".ltab");
      Files.write(file, bytes);
      LoadException e = assertThrows(LoadException.class, () -> Table.loadFile(file.toString()));
      assertEquals(status, e.status());
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
    assertEquals("io_error", assertThrows(LoadException.class,
        () -> Table.loadFile(work.resolve("missing.ltab").toString())).status());
    assertEquals("not_a_file",
        assertThrows(LoadException.class, () -> Table.loadFile(work.toString())).status());
    assertEquals("too_large", assertThrows(LoadException.class,
        () -> Table.loadFile(v1Path.toString(), 64)).status());
  }

  // The reload scenario of issue 17: v2 inserts `supervisor` (allow * in tenant) above
  // support_agent, so the id that meant support_agent in v1 means supervisor in v2.
  @Test
  void aReloadNeverReinterpretsARole() {
    try (Table v1 = Table.loadFile(v1Path.toString());
        Table v2 = Table.loadFile(v2Path.toString())) {
      int oldId = v1.roles().indexOf("support_agent");
      assertEquals("supervisor", v2.roles().get(oldId));
      assertEquals(oldId + 1, v2.roles().indexOf("support_agent"));
      List<Membership> agent = List.of(new Membership(NodePath.of(1), List.of("support_agent")));
      Principal p1 = v1.principal("tenant_user", List.of(), agent);
      AtomicReference<Table> current = new AtomicReference<>(v1);
      for (Table next : List.of(v1, v2)) {
        current.set(next); // the reload: publish the new table
        Table t = current.get();
        Decision d = t.decide("tenant_user", List.of(), agent, "card.deactivate_now",
            NodePath.of(1, 10));
        assertEquals(new Decision(false, Reason.NO_ALLOW, null, -1), d);
        assertEquals("support_agent", t.decide("tenant_user", List.of(), agent, "card.view",
            NodePath.of(1, 10)).decidingRole());
      }
      assertSame(v1, p1.table());
      assertFalse(p1.decide("card.deactivate_now", NodePath.of(1, 10)).allowed());
      Decision sup = v2.decide("tenant_user", List.of(),
          List.of(new Membership(NodePath.of(1), List.of("supervisor"))), "card.deactivate_now",
          NodePath.of(1, 10));
      assertEquals(new Decision(true, Reason.ALLOWED, "supervisor", 0), sup);
      p1.close();
    }
  }

  // Threads decide on whichever table is current while the test thread swaps v1 and v2 back and
  // forth: every decision for support_agent is support_agent's, whatever the table.
  @Test
  void concurrentReload() throws InterruptedException {
    try (Table v1 = Table.loadFile(v1Path.toString());
        Table v2 = Table.loadFile(v2Path.toString())) {
      AtomicReference<Table> current = new AtomicReference<>(v1);
      List<Membership> agent = List.of(new Membership(NodePath.of(1), List.of("support_agent")));
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.Queue<String> errors = new java.util.concurrent.ConcurrentLinkedQueue<>();
      List<Thread> threads = new java.util.ArrayList<>();
      for (int i = 0; i < 4; ++i) {
        Thread thread = new Thread(() -> {
          while (!done.get()) {
            Table t = current.get();
            Decision deny = t.decide("tenant_user", List.of(), agent, "card.deactivate_now",
                NodePath.of(1, 10));
            Decision allow = t.decide("tenant_user", List.of(), agent, "card.view",
                NodePath.of(1, 10));
            if (deny.allowed() || !allow.allowed() || !"support_agent".equals(allow.decidingRole())) {
              errors.add(deny + " " + allow);
              return;
            }
          }
        });
        thread.start();
        threads.add(thread);
      }
      for (int i = 0; i < 100; ++i) { // about 0.1 s: each thread decides across many swaps
        current.set(i % 2 == 0 ? v2 : v1);
        Thread.sleep(1);
      }
      done.set(true);
      for (Thread thread : threads) {
        thread.join();
      }
      assertTrue(errors.isEmpty(), errors.toString());
    }
  }

  @Test
  void aClosedTableDenies() {
    Table t = Table.loadFile(v1Path.toString());
    Principal p = t.principal("account_user", List.of(), ADMIN_AT_ACCOUNT);
    Principal closed = t.principal("account_user", List.of(), ADMIN_AT_ACCOUNT);
    closed.close();
    assertEquals(Reason.BAD_REQUEST, closed.decide("station.view", NodePath.of(1, 10)).reason());
    t.close();
    t.close();
    assertEquals(Reason.NO_TABLE, p.decide("station.view", NodePath.of(1, 10)).reason());
    assertEquals(Reason.NO_TABLE,
        t.decide("account_user", List.of(), ADMIN_AT_ACCOUNT, "station.view", NodePath.of(1, 10))
            .reason());
    p.close();
  }

  @Test
  void whatCanListsExactlyWhatDecideAllows() {
    try (Principal p = table.principal("account_user", List.of(), List.of(
        new Membership(NodePath.of(1, 10), List.of("account_admin"), List.of()),
        new Membership(NodePath.of(1, 11), List.of("account_station_admin"), List.of())))) {
      for (NodePath target : List.of(NodePath.of(1, 10), NodePath.of(1, 10, 100),
               NodePath.of(1, 11), NodePath.of(1), NodePath.of(1, 12))) {
        List<String> want = table.permissions().stream()
            .filter(name -> p.decide(name, target).allowed()).toList();
        assertEquals(want, p.whatCan(target), target.toString());
      }
      assertTrue(p.whatCan(NodePath.of(1, 10, 100)).contains("station.view"));
    }
  }

  @Test
  void whatCanFailsClosed() {
    Table t = Table.loadFile(v1Path.toString());
    Principal p = t.principal("account_user", List.of(), ADMIN_AT_ACCOUNT);
    assertEquals(List.of(), p.whatCan(NodePath.of(2, 10))); // another tree
    assertEquals(List.of(),
        t.principal("account_user", List.of("blocked"), ADMIN_AT_ACCOUNT).whatCan(NodePath.of(1, 10)));
    assertEquals(List.of(), // a role the kind may not hold
        t.principal("tenant_user", List.of(), ADMIN_AT_ACCOUNT).whatCan(NodePath.of(1, 10)));
    assertThrows(IllegalArgumentException.class,
        () -> p.whatCan(NodePath.of(1, 10), List.of("business")));
    assertThrows(UnknownNameException.class,
        () -> p.whatCan(NodePath.of(1, 10), List.of("resource.nope")));
    assertThrows(IllegalArgumentException.class, () -> p.whatCan(NodePath.of(new long[0])));
    assertFalse(p.whatCan(NodePath.of(1, 10)).isEmpty());
    Principal closed = t.principal("account_user", List.of(), ADMIN_AT_ACCOUNT);
    closed.close();
    assertEquals(List.of(), closed.whatCan(NodePath.of(1, 10)));
    t.close();
    assertEquals(List.of(), p.whatCan(NodePath.of(1, 10)));
    p.close();
  }

  // Facts (docs/language.md, "Facts"): of the resource, the target's node and the request, by
  // name, on a small policy built here.
  private static final String FACTS_POLICY = String.join("\n",
      "policy facts;", "scope tenant;", "scope account under tenant;",
      "usertype staff at tenant, account;", "flag business on account;",
      "flag archived on resource document;", "flag mfa_used on request;",
      "resource document owned_by account { read, edit, delete; }",
      "role editor for staff {", "  allow document.{read, edit} in subtree;",
      "  deny document.edit in subtree when resource.archived;",
      "  allow document.delete in subtree when request.mfa_used and target.business;", "}", "");

  @Test
  void factsByName() throws IOException, InterruptedException {
    Path source = work.resolve("facts.lat");
    Path out = work.resolve("facts.ltab");
    Files.writeString(source, FACTS_POLICY);
    build(source, out);
    try (Table t = Table.loadFile(out.toString())) {
      List<Membership> editor = List.of(new Membership(NodePath.of(1), List.of("editor")));
      NodePath target = NodePath.of(1, 2);
      try (Principal p = t.principal("staff", List.of(), editor)) {
        assertTrue(p.decide("document.edit", target).allowed());
        assertEquals(Reason.DENIED_BY_RULE,
            p.decide("document.edit", target, List.of("resource.archived")).reason());
        assertFalse(p.decide("document.delete", target, List.of("request.mfa_used")).allowed());
        assertTrue(p.decide("document.delete", target,
            List.of("request.mfa_used", "target.business")).allowed());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> p.decide("document.delete", target, List.of("business")));
        assertTrue(e.getMessage().contains("`business` is not a fact"), e.getMessage());
      }
      assertFalse(t.decide("staff", List.of(), editor, "document.edit", target,
          List.of("resource.archived")).allowed());
    }
  }

  @Test
  void whoCanListsExactlyTheRolesDecideAtAllows() {
    List<List<String>> flagSets = List.of(List.of(), List.of("business"), List.of("blocked"));
    for (String permission : table.permissions()) {
      for (Relation relation : List.of(Relation.SELF, Relation.DESCENDANTS, Relation.ANCESTORS,
               Relation.ELSEWHERE)) {
        for (List<String> flags : flagSets) {
          java.util.Set<String> roles = new java.util.HashSet<>();
          java.util.Set<String> kinds = new java.util.HashSet<>();
          for (String kind : table.kinds()) {
            for (String role : table.roles()) {
              if (table.decideAt(kind, List.of(role), permission, relation, flags).allowed()) {
                roles.add(role);
                kinds.add(kind);
              }
            }
          }
          WhoCan want = new WhoCan(table.roles().stream().filter(roles::contains).toList(),
              List.of(), table.kinds().stream().filter(kinds::contains).toList());
          assertEquals(want, table.whoCan(permission, relation, flags),
              permission + " at " + relation + " with " + flags);
        }
      }
    }
    // `require not blocked`: nobody.
    assertEquals(WhoCan.NOBODY, table.whoCan("station.view", Relation.SELF, List.of("blocked")));
    assertTrue(table.whoCan("station.view", Relation.SELF, List.of()).roles()
        .contains("account_admin"));
  }

  @Test
  void whoCanFailsClosed() throws IOException {
    UnknownNameException e = assertThrows(UnknownNameException.class,
        () -> table.whoCan("station.veiw", Relation.SELF, List.of()));
    assertEquals("permission", e.category());
    assertThrows(UnknownNameException.class,
        () -> table.whoCan("station.view", Relation.SELF, List.of("blokced")));
    assertEquals(WhoCan.NOBODY, table.whoCan("station.view", Relation.NONE, List.of()));
    Table closed = Table.loadFile(v1Path.toString());
    closed.close();
    assertEquals(WhoCan.NOBODY, closed.whoCan("station.view", Relation.SELF, List.of()));
  }
}
