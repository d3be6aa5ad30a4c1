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
    try (Selector selector = Selector.open();
        Alarm alarm = new Alarm(selector, System::nanoTime, THOUSAND_SECONDS)) {
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
  void havingRungForATimeSetItRingsAgainOnePeriodLater() throws Exception {
    // A second: so long that both rings cannot come before the first select() takes one (two
    // wake-ups of a selector that is not selecting count as one).
    try (Selector selector = Selector.open();
        Alarm alarm = new Alarm(selector, System::nanoTime, 1000 * MILLISECOND)) {
      assertTimeoutPreemptively(BOUND, () -> {
        alarm.set(System.nanoTime() + MILLISECOND);
        assertEquals(0, selector.select());
        // Not set again: the paced driver's next message is due a period later.
        assertEquals(0, selector.select());
      });
    }
  }

  @Test
  void aLaterTimeIsFoundWhenTheEarlierComes() throws Exception {
    try (Selector selector = Selector.open();
        Alarm alarm = new Alarm(selector, System::nanoTime, THOUSAND_SECONDS)) {
      alarm.set(System.nanoTime() + MILLISECOND);
      alarm.set(System.nanoTime() + 2 * MILLISECOND);
      assertTimeoutPreemptively(BOUND, () -> selector.select());
    }
  }

  @Test
  void aNewTimeReplacesOneNotYetReached() throws Exception {
    try (Selector selector = Selector.open();
        Alarm alarm = new Alarm(selector, System::nanoTime, THOUSAND_SECONDS)) {
      alarm.set(System.nanoTime() + THOUSAND_SECONDS);
      alarm.set(System.nanoTime() + MILLISECOND);
      assertTimeoutPreemptively(BOUND, () -> selector.select());
    }
  }

  @Test
  void closingStopsItWhetherSetOrNot() throws Exception {
    try (Selector selector = Selector.open()) {
      Alarm unset = new Alarm(selector, System::nanoTime, THOUSAND_SECONDS);
      Alarm waiting = new Alarm(selector, System::nanoTime, THOUSAND_SECONDS);
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
