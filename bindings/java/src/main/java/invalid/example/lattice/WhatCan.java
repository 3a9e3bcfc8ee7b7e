// WhatCan.java - every permission a principal is allowed on one target at once
// (lattice_what_can_as), as names: what Principal.whatCan answers.
package invalid.example.lattice;

import java.util.ArrayList;
import java.util.List;

/** The JNI side of {@link Principal#whatCan}: the runtime's bitset turned into names. */
final class WhatCan {
  private WhatCan() {}

  /**
   * The names of the permissions allowed to the principal at {@code principal} (a native
   * handle) on the target path {@code target} with {@code facts}, in id (declaration) order.
   * Empty for a closed principal or table (nothing is allowed); a request the runtime refuses,
   * which resolving the names already rules out, throws IllegalArgumentException.
   */
  static List<String> names(Table table, long principal, long[] target, long facts) {
    List<String> permissions = table.permissions();
    if (principal == 0 || table.address() == 0) {
      return List.of();
    }
    long[] words = new long[permissions.size() / 64 + 1];
    int status = nativeWhatCan(principal, target, facts, words);
    if (status != 0) {
      throw new IllegalArgumentException(
          "what-can refused the request: " + nativeStatusMessage(status));
    }
    List<String> allowed = new ArrayList<>();
    for (int p = 0; p < permissions.size(); ++p) {
      if (((words[p / 64] >>> (p % 64)) & 1) != 0) {
        allowed.add(permissions.get(p));
      }
    }
    return List.copyOf(allowed);
  }

  /** lattice_what_can_as into {@code words}; returns its status (0: ok). */
  private static native int nativeWhatCan(long principal, long[] target, long facts,
      long[] words);

  private static native String nativeStatusMessage(int status);
}
