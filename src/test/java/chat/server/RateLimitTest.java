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
    assertEquals(0, limit.admit(0, 0));
    assertEquals(0, limit.admit(0, 0));
    assertEquals(0, limit.admit(0, 0));
    assertEquals(SECOND / 2, limit.admit(0, 0), "one line every half second");
    assertEquals(SECOND / 4, limit.admit(SECOND / 4, 0));
    assertEquals(0, limit.admit(SECOND / 2, 0));
  }

  @Test
  void refusingPastTheMaximumWithoutPauseIsFlooding() {
    for (int n = 0; n < 3; n++) {
      limit.admit(0, 0);
    }
    limit.admit(0, 0);
    limit.admit(0, 0);
    assertFalse(limit.flooding(), "two refused lines are allowed");
    limit.admit(0, 0);
    assertTrue(limit.flooding());
  }

  @Test
  void aPauseLongEnoughToRefillTheBurstForgivesRefusals() {
    for (int n = 0; n < 5; n++) {
      limit.admit(0, 0);
    }
    assertEquals(0, limit.admit(2 * SECOND, 0), "the burst is full again after 1.5 s");
    limit.admit(2 * SECOND, 0);
    limit.admit(2 * SECOND, 0);
    limit.admit(2 * SECOND, 0);
    assertFalse(limit.flooding(), "only the refusals since the pause count");
  }

  @Test
  void settingsThatCouldNeverAdmitALineAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(true, 0, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> new RateLimit.Settings(true, 1, 0, 2));
  }

  @Test
  void aLongLineCostsATokenMoreForEachKibibyte() {
    RateLimit bucket = new RateLimit(new RateLimit.Settings(true, 10, 12, 2), 0);
    assertEquals(0, bucket.admit(0, 4000), "4000 characters cost 4 tokens");
    assertEquals(0, bucket.admit(0, 4000));
    assertEquals(0, bucket.admit(0, 4000));
    assertEquals(SECOND / 10, bucket.admit(0, 0), "the bucket is empty: one token in 0.1 s");
    assertEquals(SECOND * 4 / 10, bucket.admit(0, 4000), "four tokens in 0.4 s");
  }

  @Test
  void noLineCostsMoreThanAWholeBurst() {
    RateLimit bucket = new RateLimit(new RateLimit.Settings(true, 1, 3, 2), 0);
    assertEquals(0, bucket.admit(0, 100_000));
  }
}
