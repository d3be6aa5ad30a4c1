package chat.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a front writes to the terminal or to standard output, done in order on a thread of its own,
 * so that the {@link ServerLink}'s actor never waits for a terminal paused with Ctrl+S or a pipe
 * nobody reads: the connection keeps being read, and the server never takes the client for a slow
 * one. At most {@code bound} writes wait; past that the newest are dropped and counted, and the
 * next write that goes is preceded by {@code dropped} with the count.
 */
public final class FrontOutput implements AutoCloseable {

  /** Writes that may wait for a paused terminal or a full pipe. */
  public static final int BOUND = 10_000;

  private static final Logger log = LoggerFactory.getLogger(FrontOutput.class);

  private final ExecutorService thread;
  private final int bound;
  private final IntConsumer dropped;
  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicInteger droppedSince = new AtomicInteger();

  /**
   * @param name the thread's name
   * @param dropped told, on the output thread, how many writes were dropped since the last
   */
  public FrontOutput(String name, int bound, IntConsumer dropped) {
    this.bound = bound;
    this.dropped = dropped;
    this.thread = Executors.newSingleThreadExecutor(work -> {
      Thread output = new Thread(work, name);
      output.setDaemon(true); // a write stuck on a paused terminal must not keep the JVM alive
      return output;
    });
  }

  /** Writes in turn, or drops the write if {@code bound} are waiting already. Never blocks. */
  public void write(Runnable write) {
    if (waiting.incrementAndGet() > bound) {
      waiting.decrementAndGet();
      droppedSince.incrementAndGet();
      return;
    }
    thread.execute(() -> {
      try {
        int lost = droppedSince.getAndSet(0);
        if (lost > 0) {
          dropped.accept(lost);
        }
        write.run();
      } catch (RuntimeException | java.io.IOError e) {
        log.debug("A write failed", e); // such as one to a terminal closed at the end
      } finally {
        waiting.decrementAndGet();
      }
    });
  }

  /**
   * Runs {@code last} after every write given before it, whatever the bound (the last words of a
   * run); completes once it has run.
   */
  public CompletableFuture<Void> then(Runnable last) {
    return CompletableFuture.runAsync(() -> {
      int lost = droppedSince.getAndSet(0);
      if (lost > 0) {
        dropped.accept(lost);
      }
      last.run();
    }, thread);
  }

  /** Stops the thread once what waits is written (a write stuck for good stays stuck). */
  @Override
  public void close() {
    thread.shutdown();
  }
}
