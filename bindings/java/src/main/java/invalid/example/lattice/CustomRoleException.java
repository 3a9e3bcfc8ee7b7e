// CustomRoleException.java - a custom role the runtime refused: nothing was added to the set.
package invalid.example.lattice;

/**
 * A custom role the runtime refused (or a ceiling the table does not have): the runtime's status
 * as a word and the permission at fault, if one is.
 */
public final class CustomRoleException extends LatticeException {
  private static final long serialVersionUID = 1L;
  private final String status;
  private final String role;
  private final String ceiling;
  private final String permission;

  CustomRoleException(String message, String status, String role, String ceiling,
      String permission) {
    super(message);
    this.status = status;
    this.role = role;
    this.ceiling = ceiling;
    this.permission = permission;
  }

  /**
   * The runtime's status as a word: unknown_ceiling, unknown_permission, bad_reach,
   * not_for_kinds, outside_ceiling, reach_beyond_ceiling, too_many, ...
   */
  public String status() {
    return status;
  }

  /** The name the role was to have (null for a ceiling query). */
  public String role() {
    return role;
  }

  public String ceiling() {
    return ceiling;
  }

  /** The offending permission as given, or null when no entry is at fault. */
  public String permission() {
    return permission;
  }
}
