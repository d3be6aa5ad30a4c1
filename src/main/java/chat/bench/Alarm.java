package chat.bench;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Wakes the driver's selector at a time finer than the selector's own timeout, which counts whole
 * milliseconds. A driver that waited there for a paced message due in 0.3 ms slept a full
 * millisecond and then sent it with the next one: at 1,000 messages a second the server got
 * pairs, one message in seven (measured). So before such a wait the driver sets the alarm for the
 * exact time, and this thread wakes the selector then. It touches no socket.
 *
 * <p>Having rung for a time the driver asked for, the alarm sets itself one period later, where a
 * paced driver's next message falls due: the driver's own setting then finds it set and costs
 * nothing, so this thread wakes once a message, not twice (once more in the middle of a fan-out,
 * on a machine of two cores). Once the driver stops asking, as it does while it is busy reading,
 * however high the rate, the alarm goes quiet.
 */
final class Alarm implements AutoCloseable {

  private static final long UNSET = Long.MAX_VALUE;
  /**
   * A new time this little earlier than the one set is left to it: a timed wait overshoots by
   * about as much anyway (Linux's default timer slack is 50 µs).
   */
  private static final long SLACK_NANOS = 50_000;

  private final Selector selector;
  private final LongSupplier clock;
  private final long period;
  private final AtomicLong due = new AtomicLong(UNSET);
  private final AtomicBoolean asked = new AtomicBoolean();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * Starts the alarm's thread, unset; times are in nanoseconds of {@code clock}.
   *
   * @param period how long after ringing it rings again, if the driver asked since it last rang
   */
  Alarm(Selector selector, LongSupplier clock, long period) {
    this.selector = selector;
    this.clock = clock;
    this.period = period;
    this.thread = new Thread(this::run, "load-test-alarm");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Wakes the selector at {@code at} at the latest, instead of at any time set before and not
   * yet reached. The thread is woken to wait anew only for a time earlier than the one set: for a
   * later one, it finds the new time when the old one comes.
   */
  void set(long at) {
    asked.set(true);
    if (due.getAndSet(at) - SLACK_NANOS > at) {
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
        continue;
      }
      long next = asked.getAndSet(false) ? at + period : UNSET;
      if (due.compareAndSet(at, next)) {
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
