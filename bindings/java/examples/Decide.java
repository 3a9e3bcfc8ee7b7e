// Decide.java - the Java example of docs/bindings.md (run by CTest): java Decide TABLE
import invalid.example.lattice.*;
import java.util.List;

public final class Decide {
  public static void main(String[] args) {
    try (Table table = Table.loadFile(args[0])) { // or Table.fromBytes(bytes); LoadException
      var admin = List.of(new Membership(NodePath.of(7, 42), List.of("account_admin"),
          List.of("business")));
      Decision d = table.decide("account_user", List.of(), admin, "station.view",
          NodePath.of(7, 42, 1001)); // the station's owner node, below account 42
      System.out.println(d.allowed() + " " + d.reason().word() + " " + d.decidingRole() + " "
          + d.decidingMembership());
      try (Principal p = table.principal("account_user", List.of(), admin)) { // once, then many
        System.out.println(p.decide("station.activate", NodePath.of(7, 42)).reason().word());
        p.decide("station.fly", NodePath.of(7));
      } catch (UnknownNameException e) {
        System.out.println(e.getMessage());
      }
    }
  }
}
