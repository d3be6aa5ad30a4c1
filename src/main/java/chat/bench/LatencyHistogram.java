package chat.bench;

import java.util.Arrays;

/**
 * Counts latencies in logarithmic buckets, as HdrHistogram does with two significant digits:
 * values below 128 are exact, larger ones fall in buckets 1/64 of their size wide. Fixed size
 * (about 30 KB) whatever it records; used by the driver's single thread only.
 */
final class LatencyHistogram {

  /** Values below {@code 2 * HALF} have a bucket each; each power of two above has HALF. */
  private static final int HALF = 64;
  private static final int HALF_BITS = 6;
  private static final int BUCKETS = (63 - HALF_BITS + 1) * HALF + 2 * HALF;

  private final long[] counts = new long[BUCKETS];
  private long total;
  private long min = Long.MAX_VALUE;
  private long max;
  private double sum;

  /** Records one value; a negative one counts as zero. */
  void record(long value) {
    long v = Math.max(0, value);
    counts[index(v)]++;
    total++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  /** Adds every value {@code other} recorded. */
  void add(LatencyHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
    sum += other.sum;
    if (other.total > 0) {
      min = Math.min(min, other.min);
      max = Math.max(max, other.max);
    }
  }

  /** Forgets every value. */
  void clear() {
    Arrays.fill(counts, 0);
    total = 0;
    sum = 0;
    min = Long.MAX_VALUE;
    max = 0;
  }

  long count() {
    return total;
  }

  /** The largest value recorded, exactly; 0 when empty. */
  long max() {
    return max;
  }

  /** The smallest value recorded, exactly; 0 when empty. */
  long min() {
    return total == 0 ? 0 : min;
  }

  double mean() {
    return total == 0 ? 0 : sum / total;
  }

  /**
   * The value below or at which {@code percent} of the values lie (nearest rank), as the top of
   * its bucket but never above the maximum; 0 when empty.
   */
  long percentile(double percent) {
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(percent / 100.0 * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return Math.min(highest(i), max);
      }
    }
    return max;
  }

  static int index(long value) {
    if (value < 2 * HALF) {
      return (int) value;
    }
    int shift = 63 - Long.numberOfLeadingZeros(value) - HALF_BITS;
    return shift * HALF + (int) (value >>> shift);
  }

  /** The largest value that falls in bucket {@code index}. */
  static long highest(int index) {
    if (index < 2 * HALF) {
      return index;
    }
    int shift = index / HALF - 1;
    long top = index - (long) shift * HALF;
    return ((top + 1) << shift) - 1;
  }
}
