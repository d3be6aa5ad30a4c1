package chat.bench;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The measured window cut into spans of equal length, each with the latency of the messages sent
 * in it and whether the host took CPU time ({@link StealTime}) while it lasted.
 *
 * <p>A message sent in one span is still on its way at the start of the next, and the kernel
 * counts steal at its next tick, so a span counts as quiet only when neither it nor the span
 * after it saw any steal. The latency over the quiet spans is what the run measured of the server
 * and this machine alone. The kernel counts steal in steps of 10 ms, so a quiet span may still
 * hide a little: that can only make its figures worse, never better.
 */
final class StealSpans {

  /** Steal not read for a span (the reading came late, or could not be made). */
  private static final long UNKNOWN = -1;

  private final long start;
  private final long spanNanos;
  private final LatencyHistogram[] latency;
  /** Steal ticks per span, one span more than the window: the one after its last. */
  private final long[] steal;
  private final Supplier<Optional<StealTime.Sample>> reader;
  private long nextReading;
  private int readingSpan = -1;
  private StealTime.Sample reading;

  /**
   * @param start start of the measured window, in the run's nanos
   * @param end end of the window (exclusive)
   * @param spanNanos length of a span
   * @param reader reads the machine's CPU times, as {@link StealTime#sample()}
   */
  StealSpans(long start, long end, long spanNanos, Supplier<Optional<StealTime.Sample>> reader) {
    this.start = start;
    this.spanNanos = spanNanos;
    int spans = (int) Math.max(1, (end - start + spanNanos - 1) / spanNanos);
    this.latency = new LatencyHistogram[spans];
    this.steal = new long[spans + 1];
    Arrays.fill(steal, UNKNOWN);
    this.reader = reader;
    this.nextReading = start;
  }

  /** Counts a measured message, sent at {@code sentNanos}, that took {@code nanos}. */
  void record(long sentNanos, long nanos) {
    int span = (int) ((sentNanos - start) / spanNanos);
    if (sentNanos < start || span >= latency.length) {
      return;
    }
    if (latency[span] == null) {
      latency[span] = new LatencyHistogram();
    }
    latency[span].record(nanos);
  }

  /**
   * Reads the steal at the first turn of each span: what it grew by since the last reading goes
   * to the spans in between. Cheap between span boundaries.
   */
  void tick(long now) {
    if (now < nextReading || readingSpan >= steal.length) {
      return;
    }
    int span = (int) ((now - start) / spanNanos);
    Optional<StealTime.Sample> sample = reader.get();
    if (reading != null && sample.isPresent()) {
      long grew = sample.get().steal() - reading.steal();
      for (int s = readingSpan; s < Math.min(span, steal.length); s++) {
        steal[s] = grew;
      }
    }
    reading = sample.orElse(null);
    readingSpan = span;
    nextReading = start + (span + 1) * spanNanos;
  }

  /** Spans in the window. */
  int spans() {
    return latency.length;
  }

  long spanNanos() {
    return spanNanos;
  }

  /** Whether the host took nothing in span {@code span} and the one after it, as far as read. */
  boolean quiet(int span) {
    return steal[span] == 0 && steal[span + 1] == 0;
  }

  /** The latency of the messages sent in quiet spans, and how many spans were quiet. */
  Quiet quiet() {
    LatencyHistogram merged = new LatencyHistogram();
    int quiet = 0;
    for (int span = 0; span < latency.length; span++) {
      if (quiet(span)) {
        quiet++;
        if (latency[span] != null) {
          merged.add(latency[span]);
        }
      }
    }
    return new Quiet(quiet, merged);
  }

  /** {@code spans} quiet spans, and the latency of the messages sent in them. */
  record Quiet(int spans, LatencyHistogram latency) {}
}
