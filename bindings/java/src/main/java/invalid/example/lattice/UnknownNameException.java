// UnknownNameException.java - a name the table does not have: the request is not decided.
package invalid.example.lattice;

/** A kind, role, permission or flag name the table does not have. */
public final class UnknownNameException extends LatticeException {
  private static final long serialVersionUID = 1L;
  private final String category;
  private final String name;

  UnknownNameException(String category, String name, String policy) {
    super("unknown " + category + " `" + name + "` in policy `" + policy + "`");
    this.category = category;
    this.name = name;
  }

  /** kind, role, permission or flag. */
  public String category() {
    return category;
  }

  public String name() {
    return name;
  }
}
