package chat.bench;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wakes the driver's selector at a time finer than the selector's own timeout, which counts whole
 * milliseconds. A driver that waited there for a paced message due in 0.3 ms slept a full
 * millisecond and then sent it with the next one: at 1,000 messages a second the server got
 * pairs, one message in seven (measured). So before such a wait the driver sets the alarm for the
 * exact time, and this thread wakes the selector then. It touches no socket, and costs nothing
 * while the driver is busy reading, however high the rate.
 */
final class Alarm implements AutoCloseable {

  private static final long UNSET = Long.MAX_VALUE;

  private final Selector selector;
  private final LongSupplier clock;
  private final AtomicLong due = new AtomicLong(UNSET);
  private final Thread thread;
  private volatile boolean closed;

  /** Starts the alarm's thread, unset; times are in nanoseconds of {@code clock}. */
  Alarm(Selector selector, LongSupplier clock) {
    this.selector = selector;
    this.clock = clock;
    this.thread = new Thread(this::run, "load-test-alarm");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Wakes the selector at {@code at}, instead of at any time set before and not yet reached.
   * Setting the time already set costs nothing.
   */
  void set(long at) {
    if (due.getAndSet(at) != at) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    while (!closed) {
      long at = due.get();
      if (at == UNSET) {
        LockSupport.park(this);
        continue;
      }
      long wait = at - clock.getAsLong();
      if (wait > 0) {
        LockSupport.parkNanos(this, wait);
      } else if (due.compareAndSet(at, UNSET)) {
        selector.wakeup();
      }
    }
  }

  /** Whether its thread still runs: until closed. */
  boolean running() {
    return thread.isAlive();
  }

  /** Stops it and waits for its thread to end. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
