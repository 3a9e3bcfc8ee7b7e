// LatticeException.java - the base of the errors of the Lattice Java binding.
package invalid.example.lattice;

/** An error of the Lattice binding: a table that did not load, or a request it refused. */
public class LatticeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LatticeException(String message) {
    super(message);
  }
}
