package chat.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Selector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PacerTest {

  /** Long enough for any machine; a pacer that never rings makes the test fail, not hang. */
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void wakesTheSelectorEachTimeAMessageFallsDue() throws Exception {
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      long end = start + BOUND.toNanos();
      try (Pacer pacer = new Pacer(selector, System::nanoTime, start, 1000, end)) {
        assertTimeoutPreemptively(BOUND, () -> {
          // select() without a timeout returns only when woken: five messages fall due.
          for (int i = 0; i < 5; i++) {
            selector.select();
          }
        });
        assertTrue(pacer.running(), "it paces until the end of its window");
      }
    }
  }

  @Test
  void closingStopsItBeforeItsNextMessageIsDue() throws Exception {
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      // One message in a thousand seconds: the thread waits for the first.
      Pacer pacer = new Pacer(selector, System::nanoTime, start, 0.001, Long.MAX_VALUE);
      assertTimeoutPreemptively(BOUND, pacer::close);
      assertFalse(pacer.running());
    }
  }

  @Test
  void aWindowThatHasEndedStopsIt() throws Exception {
    try (Selector selector = Selector.open()) {
      long start = System.nanoTime();
      // The first message would be due a millisecond after the end.
      try (Pacer pacer = new Pacer(selector, System::nanoTime, start, 1000, start)) {
        assertTimeoutPreemptively(BOUND, pacer::awaitEnd);
        assertFalse(pacer.running());
      }
    }
  }
}
