// WhoCan.java - Table.whoCan's answer (lattice_who_can): the roles, custom-role ceilings and user
// types that can be allowed a permission at a relation with given flags.
package invalid.example.lattice;

import java.util.List;

/**
 * Who can be allowed a permission, each list in id (declaration) order: the roles a principal
 * holding one of them alone is allowed it through, the custom-role ceilings whose widest role is,
 * and the user types of those.
 */
public record WhoCan(List<String> roles, List<String> ceilings, List<String> userTypes) {
  public WhoCan {
    roles = List.copyOf(roles);
    ceilings = List.copyOf(ceilings);
    userTypes = List.copyOf(userTypes);
  }

  /** Nobody: the answer for another tree, and for a closed table. */
  static final WhoCan NOBODY = new WhoCan(List.of(), List.of(), List.of());
}
