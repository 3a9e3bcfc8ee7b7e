// WhoCanJni.java - the JNI side of Table.whoCan: lattice_who_can into Java long[] bitsets, turned
// into names.
package invalid.example.lattice;

import java.util.ArrayList;
import java.util.List;

/** lattice_who_can on a native table, the bitsets read back as names. */
final class WhoCanJni {
  private WhoCanJni() {}

  /**
   * The answer for a permission id, a relation and a flag mask on the table at {@code address}
   * (a native handle; 0 for a closed table: nobody). A question the runtime refuses, which
   * resolving the names already rules out, throws IllegalArgumentException.
   */
  static WhoCan ask(long address, int permission, int relation, long flags, List<String> roles,
      List<String> ceilings, List<String> kinds) {
    if (address == 0) {
      return WhoCan.NOBODY;
    }
    long[] roleWords = new long[roles.size() / 64 + 1];
    long[] ceilingWords = new long[ceilings.size() / 64 + 1];
    long[] kindWords = new long[kinds.size() / 64 + 1];
    int status = nativeWhoCan(address, permission, relation, flags, roleWords, ceilingWords,
        kindWords);
    if (status != 0) {
      throw new IllegalArgumentException(
          "who-can refused the question: " + nativeStatusMessage(status));
    }
    return new WhoCan(pick(roles, roleWords), pick(ceilings, ceilingWords),
        pick(kinds, kindWords));
  }

  private static List<String> pick(List<String> names, long[] words) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); ++i) {
      if (((words[i / 64] >>> (i % 64)) & 1) != 0) {
        out.add(names.get(i));
      }
    }
    return out;
  }

  /** lattice_who_can into the three arrays; returns its status (0: ok). */
  private static native int nativeWhoCan(long table, int permission, int relation, long flags,
      long[] roles, long[] ceilings, long[] kinds);

  private static native String nativeStatusMessage(int status);
}
