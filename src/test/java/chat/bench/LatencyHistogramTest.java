package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void smallValuesGiveExactNearestRankPercentiles() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (long v = 100; v >= 1; v--) {
      histogram.record(v);
    }
    assertEquals(100, histogram.count());
    assertEquals(50, histogram.percentile(50));
    assertEquals(90, histogram.percentile(90));
    assertEquals(99, histogram.percentile(99));
    assertEquals(100, histogram.percentile(100));
    assertEquals(1, histogram.min());
    assertEquals(100, histogram.max());
    assertEquals(50.5, histogram.mean(), 1e-9);
  }

  @Test
  void largeValuesAreWithinOneSixtyFourthOfTheTruth() {
    LatencyHistogram histogram = new LatencyHistogram();
    // 1 µs to 10 ms in nanoseconds, in steps of 1 µs.
    for (long v = 1_000; v <= 10_000_000; v += 1_000) {
      histogram.record(v);
    }
    assertClose(5_000_000, histogram.percentile(50));
    assertClose(9_000_000, histogram.percentile(90));
    assertClose(9_900_000, histogram.percentile(99));
    assertEquals(10_000_000, histogram.percentile(100));
    assertEquals(10_000_000, histogram.max());
  }

  @Test
  void oneOutlierIsTheMaximumButNotTheP99() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (int i = 0; i < 999; i++) {
      histogram.record(200_000);
    }
    histogram.record(50_000_000);
    assertClose(200_000, histogram.percentile(99));
    assertEquals(50_000_000, histogram.max());
  }

  @Test
  void emptyHistogramReportsZeroAndNegativeValuesCountAsZero() {
    LatencyHistogram histogram = new LatencyHistogram();
    assertEquals(0, histogram.percentile(99));
    assertEquals(0, histogram.max());
    histogram.record(-5);
    assertEquals(0, histogram.percentile(50));
  }

  @Test
  void bucketsAreContiguousAndContainTheirValues() {
    for (long v = 0; v < 1 << 20; v++) {
      int index = LatencyHistogram.index(v);
      assertTrue(LatencyHistogram.highest(index) >= v, "value " + v);
      assertTrue(index == 0 || LatencyHistogram.highest(index - 1) < v, "value " + v);
    }
  }

  private static void assertClose(long expected, long actual) {
    assertTrue(Math.abs(actual - expected) <= expected / 64 + 1,
        "expected about " + expected + " but was " + actual);
  }
}
