package chat.history;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * How the rooms' writes to the history store go, server-wide: counted by every room as its
 * writes complete, read by {@code !stats}. Keeps the durations of the last {@link #KEPT} writes.
 */
public final class StoreMetrics {

  /** How many of the latest writes the latency figures cover. */
  public static final int KEPT = 4096;

  private final LongAdder writes = new LongAdder();
  private final LongAdder events = new LongAdder();
  private final LongAdder failures = new LongAdder();
  private final long[] latencies = new long[KEPT];
  private long recorded;

  /** What {@code !stats} shows; latencies in milliseconds, 0 before any write. */
  public record Snapshot(long writes, long events, long failures, int sampled, double p50,
      double p99) {}

  /** A write of {@code count} events that took {@code nanos}. */
  public void written(int count, long nanos) {
    writes.increment();
    events.add(count);
    synchronized (latencies) {
      latencies[(int) (recorded++ % KEPT)] = nanos;
    }
  }

  /** A write the store failed. */
  public void failed() {
    failures.increment();
  }

  public Snapshot snapshot() {
    long[] sample;
    synchronized (latencies) {
      sample = Arrays.copyOf(latencies, (int) Math.min(recorded, KEPT));
    }
    Arrays.sort(sample);
    return new Snapshot(writes.sum(), events.sum(), failures.sum(), sample.length,
        percentile(sample, 0.50), percentile(sample, 0.99));
  }

  private static double percentile(long[] sorted, double quantile) {
    if (sorted.length == 0) {
      return 0;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }
}
