package chat.client;

import java.time.Duration;

/**
 * When to try again after the connection to the server was lost: {@code first}, then twice as long
 * each time up to {@code max}, and no new try once {@code giveUpAfter} has passed since the loss.
 * Used by the {@link ServerLink}; tests pass short ones.
 */
public record Backoff(Duration first, Duration max, Duration giveUpAfter) {

  /** 0.5 s, 1 s, 2 s, 4 s, 8 s, then every 10 s, for about two minutes. */
  public static final Backoff DEFAULT =
      new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMinutes(2));

  public Backoff {
    if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("need 0 < first <= max, got " + first + ", " + max);
    }
  }

  /** The wait before try number {@code attempt} (from 0). */
  public Duration delay(int attempt) {
    Duration delay = first;
    for (int i = 0; i < attempt && delay.compareTo(max) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(max) < 0 ? delay : max;
  }
}
