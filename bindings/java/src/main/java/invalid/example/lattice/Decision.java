// Decision.java - the outcome of a request, with the deciding role by name.
package invalid.example.lattice;

/**
 * The outcome of a request: allowed or not, why, the role that allowed or denied (or null) and
 * the index of the membership it was held through (or -1).
 */
public record Decision(boolean allowed, Reason reason, String decidingRole, int decidingMembership) {
}
