package chat.server;

/**
 * One client's allowance of lines, as a token bucket: {@code burst} lines at once, refilled at
 * {@code linesPerSecond}. A line with no token left is refused (the caller says when to retry);
 * a client refused more than {@code maxRefused} lines since it last paused long enough for its
 * allowance to fill up again is flooding. Plain state, one per session.
 */
final class RateLimit {

  /** The limit's settings, from {@code chat.server.rate}. */
  record Settings(boolean enabled, double linesPerSecond, int burst, int maxRefused) {
    Settings {
      if (enabled && (linesPerSecond <= 0 || burst < 1 || maxRefused < 0)) {
        throw new IllegalArgumentException("chat.server.rate needs lines-per-second > 0, "
            + "burst >= 1 and max-refused >= 0; was " + linesPerSecond + ", " + burst + ", "
            + maxRefused);
      }
    }
  }

  private static final double NANOS_PER_SECOND = 1e9;

  private final Settings settings;
  private double tokens;
  private long lastNanos;
  private int refused;

  RateLimit(Settings settings, long nowNanos) {
    this.settings = settings;
    this.tokens = settings.burst();
    this.lastNanos = nowNanos;
  }

  /**
   * Takes a token for one line.
   *
   * @return 0 if the line may go, else the nanoseconds until it may
   */
  long admit(long nowNanos) {
    tokens = Math.min(settings.burst(),
        tokens + (nowNanos - lastNanos) * settings.linesPerSecond() / NANOS_PER_SECOND);
    lastNanos = nowNanos;
    if (tokens >= settings.burst()) {
      refused = 0;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    refused++;
    return Math.max(1, (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / settings.linesPerSecond()));
  }

  /** Whether the client has gone on sending past its allowance for too long. */
  boolean flooding() {
    return refused > settings.maxRefused();
  }
}
