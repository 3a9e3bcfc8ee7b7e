// Membership.java - roles held at one node, with that node's flags.
package invalid.example.lattice;

import java.util.List;

/** Roles held at one node, with that node's flags (flags declared on scope kinds). */
public record Membership(NodePath node, List<String> roles, List<String> nodeFlags) {
  public Membership {
    roles = List.copyOf(roles);
    nodeFlags = List.copyOf(nodeFlags);
  }

  public Membership(NodePath node, List<String> roles) {
    this(node, roles, List.of());
  }
}
