package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class StealSpansTest {

  /** The steal counter the spans read; the test moves it on. */
  private long stealTicks;
  private boolean readable = true;
  private int readings;

  private StealSpans spans() {
    // A window of 1,000 ns in ten spans of 100.
    return new StealSpans(0, 1_000, 100, this::read);
  }

  private Optional<StealTime.Sample> read() {
    readings++;
    return readable ? Optional.of(new StealTime.Sample(stealTicks, 1_000_000)) : Optional.empty();
  }

  @Test
  void aSpanWithStealLeavesOutItselfAndTheSpanBefore() {
    StealSpans spans = spans();
    for (long t = 0; t <= 1_100; t += 100) {
      if (t == 400) {
        stealTicks += 2; // taken during span 3, counted by the reading at the start of span 4
      }
      spans.tick(t);
      if (t < 1_000) {
        spans.record(t + 10, t == 300 ? 5_000_000 : 500_000);
      }
    }

    StealSpans.Quiet quiet = spans.quiet();

    assertEquals(8, quiet.spans());
    assertFalse(spans.quiet(2), "its messages were still in flight when the steal came");
    assertFalse(spans.quiet(3));
    assertTrue(spans.quiet(4));
    assertEquals(8, quiet.latency().count());
    assertEquals(500_000, quiet.latency().max());
  }

  @Test
  void aLateReadingCountsItsStealAgainstEverySpanItMissed() {
    StealSpans spans = spans();
    spans.tick(0);
    stealTicks += 1;
    spans.tick(350);
    spans.tick(400);
    spans.tick(500);

    assertFalse(spans.quiet(0));
    assertFalse(spans.quiet(2));
    assertTrue(spans.quiet(3));
  }

  @Test
  void readingsBetweenSpanBoundariesAreSkipped() {
    StealSpans spans = spans();
    spans.tick(0);
    stealTicks += 1;
    spans.tick(50); // not yet span 1: not read, so the steal waits for the boundary
    spans.tick(100);
    spans.tick(200);

    assertFalse(spans.quiet(0));
    assertEquals(3, readings);
  }

  @Test
  void withoutReadingsNoSpanIsQuiet() {
    readable = false;
    StealSpans spans = spans();
    for (long t = 0; t <= 1_100; t += 100) {
      spans.tick(t);
      spans.record(t + 10, 500_000);
    }

    assertEquals(0, spans.quiet().spans());
    assertEquals(0, spans.quiet().latency().count());
  }

  @Test
  void theLastSpanNeedsTheReadingAfterIt() {
    StealSpans spans = spans();
    for (long t = 0; t <= 1_000; t += 100) {
      spans.tick(t);
    }

    assertTrue(spans.quiet(8));
    assertFalse(spans.quiet(9), "the span after the window was never read");
    assertEquals(9, spans.quiet().spans());
  }

  @Test
  void messagesSentOutsideTheWindowAreNotCounted() {
    StealSpans spans = spans();
    for (long t = 0; t <= 1_100; t += 100) {
      spans.tick(t);
    }
    spans.record(-5, 1);
    spans.record(1_000, 1);
    spans.record(999, 7);

    assertEquals(1, spans.quiet().latency().count());
    assertEquals(7, spans.quiet().latency().max());
  }

  @Test
  void theReadingAfterTheLastSpanSettlesTheRun() {
    StealSpans spans = spans();
    for (long t = 0; t <= 1_000; t += 100) {
      spans.tick(t);
    }
    assertFalse(spans.settled());
    assertEquals(100, spans.untilNextReading(1_000));

    spans.tick(1_100);

    assertTrue(spans.settled());
    assertEquals(Long.MAX_VALUE, spans.untilNextReading(1_100));
    assertEquals(10, spans.quiet().spans());
  }

  @Test
  void aLateMessageOfAJudgedSpanCountsIfTheSpanWasQuiet() {
    StealSpans spans = spans();
    spans.tick(0);
    spans.tick(100);
    spans.tick(200);
    stealTicks += 1;
    spans.tick(300); // span 2 took steal: span 0 is quiet, span 1 is not, both are judged

    spans.record(50, 9_000_000);
    spans.record(150, 8_000_000);

    assertTrue(spans.quiet(0));
    assertFalse(spans.quiet(1));
    assertEquals(1, spans.quiet().latency().count());
    assertEquals(9_000_000, spans.quiet().latency().max());
  }

  @Test
  void aLongRunReusesItsFewHistograms() {
    // 3,000 spans: each message is counted once, in the quiet total.
    StealSpans spans = new StealSpans(0, 300_000, 100, this::read);
    for (long t = 0; t <= 300_100; t += 100) {
      spans.tick(t);
      if (t < 300_000) {
        spans.record(t + 1, 1_000 + t / 100);
      }
    }

    StealSpans.Quiet quiet = spans.quiet();
    assertEquals(3_000, quiet.spans());
    assertEquals(3_000, quiet.latency().count());
    assertEquals(1_000 + 2_999, quiet.latency().max());
  }
}
