package chat.bench;

import java.nio.channels.Selector;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wakes the driver's selector when each paced message falls due. A selector waits in whole
 * milliseconds, so a driver that only waited there would, at 1,000 messages a second, oversleep
 * one message and send it together with the next: the server would get pairs instead of an even
 * pace (one send in seven within 50 µs of the one before, measured). This thread only rings the
 * selector; every socket stays on the driver's thread.
 */
final class Pacer implements AutoCloseable {

  private final Selector selector;
  private final LongSupplier clock;
  private final long start;
  private final double rate;
  private final long end;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Starts waking {@code selector} at {@code start + k / rate} seconds (k = 1, 2, ...) until
   * {@code end}, all in nanoseconds of {@code clock}.
   */
  Pacer(Selector selector, LongSupplier clock, long start, double rate, long end) {
    this.selector = selector;
    this.clock = clock;
    this.start = start;
    this.rate = rate;
    this.end = end;
    this.thread = new Thread(this::run, "load-test-pacer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    for (long k = 1; !closed; k++) {
      // Message k is due at k / rate, as the driver's Traffic counts it.
      long due = start + (long) Math.ceil(k / rate * 1e9);
      if (due >= end) {
        return;
      }
      for (long wait = due - clock.getAsLong(); wait > 0 && !closed;
          wait = due - clock.getAsLong()) {
        LockSupport.parkNanos(this, wait);
      }
      selector.wakeup();
    }
  }

  /** Whether it still runs: it stops by itself at the end, or when closed. */
  boolean running() {
    return thread.isAlive();
  }

  /** Waits for its thread to end, at the end of its window unless closed before. */
  void awaitEnd() throws InterruptedException {
    thread.join();
  }

  /** Stops it and waits for its thread to end. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      awaitEnd();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
