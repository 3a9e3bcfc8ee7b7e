// Relation.java - the relation of a target to the node where roles are held (decideAt).
package invalid.example.lattice;

/** The relation of the target node to the node where roles are held (the runtime's order). */
public enum Relation {
  SELF, DESCENDANTS, ANCESTORS, ELSEWHERE, NONE
}
