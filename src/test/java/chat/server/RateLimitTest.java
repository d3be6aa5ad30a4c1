package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateLimitTest {

  private static final long SECOND = 1_000_000_000L;

  private final RateLimit limit = new RateLimit(new RateLimit.Settings(true, 2, 3, 2), 0);

  @Test
  void aBurstGoesAtOnceThenLinesWaitForTheRefill() {
    assertEquals(0, limit.admit(0));
    assertEquals(0, limit.admit(0));
    assertEquals(0, limit.admit(0));
    assertEquals(SECOND / 2, limit.admit(0), "one line every half second");
    assertEquals(SECOND / 4, limit.admit(SECOND / 4));
    assertEquals(0, limit.admit(SECOND / 2));
  }

  @Test
  void refusingPastTheMaximumWithoutPauseIsFlooding() {
    for (int n = 0; n < 3; n++) {
      limit.admit(0);
    }
    limit.admit(0);
    limit.admit(0);
    assertFalse(limit.flooding(), "two refused lines are allowed");
    limit.admit(0);
    assertTrue(limit.flooding());
  }

  @Test
  void aPauseLongEnoughToRefillTheBurstForgivesRefusals() {
    for (int n = 0; n < 5; n++) {
      limit.admit(0);
    }
    assertEquals(0, limit.admit(2 * SECOND), "the burst is full again after 1.5 s");
    limit.admit(2 * SECOND);
    limit.admit(2 * SECOND);
    limit.admit(2 * SECOND);
    assertFalse(limit.flooding(), "only the refusals since the pause count");
  }

  @Test
  void settingsThatCouldNeverAdmitALineAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(true, 0, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(true, 1, 0, 2));
  }
}
