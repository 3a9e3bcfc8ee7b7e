// NativeHandle.java - a native address and the function that frees it, run once by a Cleaner.
package invalid.example.lattice;

import java.util.function.LongConsumer;

/**
 * The native pointer of a Table or a Principal, shared with the Cleaner (which must not reach the
 * object that owns it): freed by whichever of close and the Cleaner runs first, 0 afterwards.
 */
final class NativeHandle implements Runnable {
  volatile long address;
  private final LongConsumer free;

  NativeHandle(long address, LongConsumer free) {
    this.address = address;
    this.free = free;
  }

  @Override
  public void run() {
    long a = address;
    address = 0;
    if (a != 0) {
      free.accept(a);
    }
  }
}
