// ListFilterTest.java - list filters through the Java binding: terms, SQL and parameters of a
// principal with two memberships, and the refusals (docs/filter-list-endpoint.md).
package invalid.example.lattice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListFilterTest {
  @TempDir static Path work;

  /** The EV-charging example built by the real `lattice build`, as TableTest builds it. */
  private static Table load() throws IOException, InterruptedException {
    Path examples = Path.of(System.getProperty("lattice.examples", "../../examples"));
    Path out = work.resolve("ev.ltab");
    Process p = new ProcessBuilder(System.getProperty("lattice.bin", "lattice"), "build",
        "--color", "never", examples.resolve("ev_charging").resolve("policy.lat").toString(),
        "-o", out.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    return Table.loadFile(out.toString());
  }

  private static byte[] key(long... ids) {
    ByteBuffer b = ByteBuffer.allocate(8 * ids.length); // big-endian
    for (long id : ids) {
      b.putLong(id);
    }
    return b.array();
  }

  @Test
  void termsAndSqlOfTwoAccounts() throws IOException, InterruptedException {
    try (Table table = load()) {
      check(table);
    }
  }

  private static void check(Table table) {
    try (Principal p = table.principal("account_user", List.of(), List.of(
        new Membership(NodePath.of(1, 10), List.of("account_admin")),
        new Membership(NodePath.of(1, 12), List.of("account_admin"))))) {
      assertEquals(List.of(new ListFilter.Term("subtree", List.of(1L, 10L), List.of()),
          new ListFilter.Term("subtree", List.of(1L, 12L), List.of())),
          p.listFilterTerms("station.view", List.of()));
      ListFilter.Sql sql = p.listFilterSql("station.view", List.of(), "postgres", "node_key", 1);
      assertEquals(
          "((node_key >= $1 AND node_key < $2) OR (node_key >= $3 AND node_key < $4))", sql.sql());
      assertEquals(4, sql.params().size());
      assertArrayEquals(key(1, 10), sql.params().get(0));
      assertArrayEquals(key(1, 11), sql.params().get(1));
      assertArrayEquals(key(1, 13), sql.params().get(3));
      ListFilter.Sql lite = p.listFilterSql("station.view", List.of(), "sqlite", "s.key", 3);
      assertTrue(lite.sql().startsWith("((s.key >= ?3 AND s.key < ?4) OR"), lite.sql());
      IllegalArgumentException column = assertThrows(IllegalArgumentException.class,
          () -> p.listFilterSql("station.view", List.of(), "postgres", "k; DROP TABLE t", 1));
      assertTrue(column.getMessage().contains("not a plain column name"), column.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> p.listFilterSql("station.view", List.of(), "mysql", "k", 1));
      assertThrows(UnknownNameException.class,
          () -> p.listFilterTerms("station.teleport", List.of()));
    }
    try (Principal blocked = table.principal("account_user", List.of("blocked"),
        List.of(new Membership(NodePath.of(1, 10), List.of("account_admin"))))) {
      assertEquals(List.of(), blocked.listFilterTerms("station.view", List.of()));
      assertEquals("0",
          blocked.listFilterSql("station.view", List.of(), "sqlite", "node_key", 1).sql());
    }
    try (Principal named = table.principal("account_user", List.of(),
        List.of(new Membership(NodePath.of("acme"), List.of("account_admin"))))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> named.listFilterTerms("station.view", List.of()));
      assertTrue(e.getMessage().contains("numeric node ids"), e.getMessage());
    }
  }
}
