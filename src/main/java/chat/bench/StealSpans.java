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
 * hide a little: that can only make its figures worse, never better. A span whose steal could
 * not be read is not quiet.
 *
 * <p>Only the spans still waiting for a reading hold latencies of their own, in a few histograms
 * used over and over; a judged span's messages go straight into the quiet histogram, or are left
 * out. So a long run makes no garbage here.
 */
final class StealSpans {

  /** Steal not read for a span (the reading came late, or could not be made). */
  private static final long UNKNOWN = -1;

  /**
   * Spans not yet judged at once: the current one and the one before it, with room to spare.
   */
  private static final int WAITING = 4;

  private final long start;
  private final long spanNanos;
  private final int spans;
  /** Steal ticks per span, one span more than the window: the one after its last. */
  private final long[] steal;
  private final Supplier<Optional<StealTime.Sample>> reader;
  private final LatencyHistogram[] waiting = new LatencyHistogram[WAITING];
  private final int[] waitingSpan = new int[WAITING];
  private final LatencyHistogram quiet = new LatencyHistogram();
  private int judged;
  private int quietSpans;
  private long nextReading;
  private int readingSpan = -1;
  private StealTime.Sample reading;

  /**
   * @param start start of the measured window, in the run's nanos
   * @param end end of the window (exclusive)
   * @param spanNanos length of a span
   * @param reader reads the machine's CPU times, as {@link StealTime.Reader#read()}
   */
  StealSpans(long start, long end, long spanNanos, Supplier<Optional<StealTime.Sample>> reader) {
    this.start = start;
    this.spanNanos = spanNanos;
    this.spans = (int) Math.max(1, (end - start + spanNanos - 1) / spanNanos);
    this.steal = new long[spans + 1];
    Arrays.fill(steal, UNKNOWN);
    this.reader = reader;
    this.nextReading = start;
    for (int i = 0; i < WAITING; i++) {
      waiting[i] = new LatencyHistogram();
    }
    Arrays.fill(waitingSpan, -1);
  }

  /** Counts a measured message, sent at {@code sentNanos}, that took {@code nanos}. */
  void record(long sentNanos, long nanos) {
    if (sentNanos < start) {
      return;
    }
    long index = (sentNanos - start) / spanNanos;
    if (index >= spans) {
      return;
    }
    int span = (int) index;
    if (span < judged) {
      if (quiet(span)) {
        quiet.record(nanos);
      }
      return;
    }
    int slot = span % WAITING;
    if (waitingSpan[slot] != span) {
      // Only if readings stopped for several spans: the older span goes unjudged.
      waiting[slot].clear();
      waitingSpan[slot] = span;
    }
    waiting[slot].record(nanos);
  }

  /**
   * Reads the steal at the first turn of each span: what it grew by since the last reading goes
   * to the spans in between, and the spans both of whose readings are in are judged. Cheap
   * between span boundaries.
   */
  void tick(long now) {
    if (now < nextReading || settled()) {
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
    judgeBefore(Math.min(span - 1, spans));
  }

  /** How long until the next reading is due: 0 if it is, never once all are in. */
  long untilNextReading(long now) {
    return settled() ? Long.MAX_VALUE : Math.max(0, nextReading - now);
  }

  /** Whether every span's steal is in: the reading after the window's last span was made. */
  boolean settled() {
    return readingSpan > spans;
  }

  /** Spans in the window. */
  int spans() {
    return spans;
  }

  long spanNanos() {
    return spanNanos;
  }

  /** Whether the host took nothing in span {@code span} and the one after it, as far as read. */
  boolean quiet(int span) {
    return steal[span] == 0 && steal[span + 1] == 0;
  }

  /**
   * The latency of the messages sent in quiet spans, and how many spans were quiet; spans still
   * waiting for a reading are judged as they stand.
   */
  Quiet quiet() {
    judgeBefore(spans);
    return new Quiet(quietSpans, quiet);
  }

  private void judgeBefore(int end) {
    for (; judged < end; judged++) {
      int slot = judged % WAITING;
      boolean mine = waitingSpan[slot] == judged;
      if (quiet(judged)) {
        quietSpans++;
        if (mine) {
          quiet.add(waiting[slot]);
        }
      }
      if (mine) {
        waiting[slot].clear();
        waitingSpan[slot] = -1;
      }
    }
  }

  /** {@code spans} quiet spans, and the latency of the messages sent in them. */
  record Quiet(int spans, LatencyHistogram latency) {}
}
