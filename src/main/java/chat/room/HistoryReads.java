package chat.room;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The reads of the history database under way in this server: at most {@link #MAX_READS} at
 * once, so that a crowd asking for old pages, searches and replays cannot take the pool the rooms
 * write through. A read asked for by hand ({@link #now}) is refused as {@link Busy} past that; a
 * replay for a client coming back ({@link #queued}) waits its turn, up to {@link #MAX_WAITING}.
 */
final class HistoryReads {

  static final int MAX_READS = 2;
  static final int MAX_WAITING = 10_000;
  /** A read that takes longer fails, and gives its turn to the next: a stalled query holds none. */
  static final java.time.Duration READ_TIMEOUT = java.time.Duration.ofSeconds(10);

  private static final HistoryReads SERVER = new HistoryReads();

  private int running;
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

  private HistoryReads() {}

  /** Runs {@code read} if fewer than {@link #MAX_READS} are under way; else fails at once. */
  static <T> CompletionStage<T> now(Supplier<CompletionStage<T>> read) {
    return SERVER.start(read, false);
  }

  /** Runs {@code read} once fewer than {@link #MAX_READS} are under way. */
  static <T> CompletionStage<T> queued(Supplier<CompletionStage<T>> read) {
    return SERVER.start(read, true);
  }

  private <T> CompletionStage<T> start(Supplier<CompletionStage<T>> read, boolean wait) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Runnable run = () -> run(read, result);
    synchronized (this) {
      if (running >= MAX_READS) {
        if (!wait || waiting.size() >= MAX_WAITING) {
          return CompletableFuture.failedFuture(new Busy());
        }
        waiting.addLast(run);
        return result;
      }
      running++;
    }
    run.run();
    return result;
  }

  private <T> void run(Supplier<CompletionStage<T>> read, CompletableFuture<T> result) {
    CompletionStage<T> reading;
    try {
      reading = read.get().toCompletableFuture()
          .orTimeout(READ_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Throwable e) {
      done();
      result.completeExceptionally(e);
      return;
    }
    reading.whenComplete((value, failure) -> {
      done();
      if (failure != null) {
        result.completeExceptionally(failure);
      } else {
        result.complete(value);
      }
    });
  }

  /** A read ended: the next one waiting starts, on another thread (no chain of calls grows). */
  private void done() {
    Runnable next;
    synchronized (this) {
      next = waiting.pollFirst();
      if (next == null) {
        running--;
        return;
      }
    }
    CompletableFuture.runAsync(next);
  }

  /** Too many reads of the history are under way. */
  static final class Busy extends RuntimeException {
    Busy() {
      super("the server is busy reading history for others; try again in a moment", null,
          false, false);
    }
  }
}
