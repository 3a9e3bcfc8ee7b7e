// Reason.java - why a decision came out as it did (the runtime's lattice_reason, same order).
package invalid.example.lattice;

/** Why a decision came out as it did. */
public enum Reason {
  ALLOWED, DENIED_BY_RULE, NO_ALLOW, BAD_REQUEST, OTHER_TREE, ROLE_NOT_FOR_KIND, EXCLUSIVE,
  NOT_APPLICABLE, REQUIREMENT, NO_TABLE,
  /** A policy-wide deny (a `deny` at the top level) denied it; no role decided. */
  DENIED_BY_POLICY;

  /** The word docs/runtime.md uses: allowed, no_allow, ... */
  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
