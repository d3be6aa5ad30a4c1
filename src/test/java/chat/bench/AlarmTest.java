package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.Selector;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AlarmTest {

  /** Long enough for any machine; an alarm that never rings makes the test fail, not hang. */
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final long MILLISECOND = 1_000_000;
  private static final long THOUSAND_SECONDS = 1_000_000_000_000L;

  @Test
  void wakesTheSelectorAtEachTimeSet() throws Exception {
    try (Selector selector = Selector.open(); Alarm alarm = new Alarm(selector, System::nanoTime)) {
      assertTimeoutPreemptively(BOUND, () -> {
        for (int i = 0; i < 3; i++) {
          alarm.set(System.nanoTime() + MILLISECOND);
          // select() without a timeout returns only when woken.
          assertEquals(0, selector.select());
        }
      });
      assertTrue(alarm.running());
    }
  }

  @Test
  void aNewTimeReplacesOneNotYetReached() throws Exception {
    try (Selector selector = Selector.open(); Alarm alarm = new Alarm(selector, System::nanoTime)) {
      alarm.set(System.nanoTime() + THOUSAND_SECONDS);
      alarm.set(System.nanoTime() + MILLISECOND);
      assertTimeoutPreemptively(BOUND, () -> selector.select());
    }
  }

  @Test
  void closingStopsItWhetherSetOrNot() throws Exception {
    try (Selector selector = Selector.open()) {
      Alarm unset = new Alarm(selector, System::nanoTime);
      Alarm waiting = new Alarm(selector, System::nanoTime);
      waiting.set(System.nanoTime() + THOUSAND_SECONDS);
      assertTimeoutPreemptively(BOUND, () -> {
        unset.close();
        waiting.close();
      });
      assertFalse(unset.running());
      assertFalse(waiting.running());
    }
  }
}
