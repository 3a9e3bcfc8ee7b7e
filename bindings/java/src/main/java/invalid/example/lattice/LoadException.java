// LoadException.java - a table that did not load: no Table exists, nothing is decided.
package invalid.example.lattice;

/** A table that did not load: corrupt, truncated, unreadable or too large. */
public final class LoadException extends LatticeException {
  private static final long serialVersionUID = 1L;
  private final String status;

  LoadException(String message, String status) {
    super(message);
    this.status = status;
  }

  /** The runtime's load status as a word: bad_checksum, bad_size, io_error, not_a_file, ... */
  public String status() {
    return status;
  }
}
