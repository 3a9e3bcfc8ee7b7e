// DecideBench.java - bench/bindings for Java: the same three requests as decide_c.c through the
// binding, on a principal built once (`principal`) and as whole requests by name (`request`).
// With CUSTOM_TABLE (custom_roles.lat of bindings/common/testdata), also the same requests by a
// principal holding the compiled role `account_admin` and by one holding a custom role of the
// same cells (`compiled`, `custom`).
// Usage: java -Dlattice.jni.library=LIB -cp lattice.jar:. DecideBench TABLE N [CUSTOM_TABLE]
import invalid.example.lattice.CustomRoles;
import invalid.example.lattice.Decision;
import invalid.example.lattice.Membership;
import invalid.example.lattice.NodePath;
import invalid.example.lattice.Principal;
import invalid.example.lattice.Table;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

public final class DecideBench {
  // The thread's CPU time: a busy machine does not count.
  static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();
  static final String[] PERMISSIONS = {"station.view", "station.activate", "station.view"};
  static final NodePath[] TARGETS = {NodePath.of(1, 10, 100), NodePath.of(1, 10), NodePath.of(1, 11)};
  static final boolean[] EXPECTED = {true, false, false};
  static final List<Membership> MEMBERSHIPS = List.of(
      new Membership(NodePath.of(1, 10), List.of("account_admin")),
      new Membership(NodePath.of(1, 12), List.of("account_station_admin")));

  static double bestOf(int rounds, int n, BiFunction<String, NodePath, Decision> call) {
    double best = Double.MAX_VALUE;
    int sink = 0;
    for (int r = 0; r < rounds; ++r) {
      long start = THREADS.getCurrentThreadCpuTime();
      for (int i = 0; i < n; ++i) {
        sink += call.apply(PERMISSIONS[i % 3], TARGETS[i % 3]).allowed() ? 1 : 0;
      }
      best = Math.min(best, (double) (THREADS.getCurrentThreadCpuTime() - start) / n);
    }
    return sink < 0 ? -1 : best;
  }

  public static void main(String[] args) {
    try (Table table = Table.loadFile(args[0]);
        Principal p = table.principal("account_user", List.of(), MEMBERSHIPS)) {
      int n = Integer.parseInt(args[1]);
      BiFunction<String, NodePath, Decision> whole =
          (permission, target) -> table.decide("account_user", List.of(), MEMBERSHIPS, permission, target);
      for (int i = 0; i < 3; ++i) {
        if (p.decide(PERMISSIONS[i], TARGETS[i]).allowed() != EXPECTED[i]
            || whole.apply(PERMISSIONS[i], TARGETS[i]).allowed() != EXPECTED[i]) {
          System.err.println("decided wrongly");
          System.exit(1);
        }
      }
      System.out.printf("java principal %.1f%n", bestOf(5, n, p::decide));
      System.out.printf("java request %.1f%n", bestOf(5, Math.max(1, n / 4), whole));
      if (args.length > 2) {
        custom(args[2], n);
      }
    }
  }

  static void custom(String path, int n) {
    try (Table table = Table.loadFile(path); CustomRoles roles = new CustomRoles(table)) {
      var subtree = CustomRoles.reach("subtree");
      roles.add("ops", "key_role", Map.of("station.view", subtree, "station.reset", subtree,
          "card.view", subtree, "card.block", subtree));
      try (Principal compiled = table.principal("account_user", List.of(),
               List.of(new Membership(NodePath.of(1, 10), List.of("account_admin"))));
          Principal built = table.principal("account_user", List.of(),
              List.of(new Membership(NodePath.of(1, 10), List.of("ops"))), roles)) {
        for (int i = 0; i < 3; ++i) {
          if (compiled.decide(PERMISSIONS[i], TARGETS[i]).allowed() != EXPECTED[i]
              || built.decide(PERMISSIONS[i], TARGETS[i]).allowed() != EXPECTED[i]) {
            System.err.println("decided wrongly with a custom role");
            System.exit(1);
          }
        }
        System.out.printf("java compiled %.1f%n", bestOf(5, n, compiled::decide));
        System.out.printf("java custom %.1f%n", bestOf(5, n, built::decide));
      }
    }
  }
}
