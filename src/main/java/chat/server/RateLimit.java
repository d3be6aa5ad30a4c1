package chat.server;

/**
 * One client's allowance of lines, as a token bucket: {@code burst} lines at once, refilled at
 * {@code linesPerSecond}; a long line costs one more token for each {@link #CHARS_PER_TOKEN}
 * (so that a burst of long lines, which every reader of the room must take at once, stays well
 * within a reader's outbox). A line with too few tokens left is refused (the caller says when to
 * retry);
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

  /** A line costs a token, and one more for each of these in it (counted in UTF-16 units). */
  static final int CHARS_PER_TOKEN = 1024;

  private final Settings settings;
  private double tokens;
  private long lastNanos;
  private int refused;

  RateLimit(Settings settings, long nowNanos) {
    this.settings = settings;
    this.tokens = settings.burst();
    this.lastNanos = nowNanos;
  }

  /** What a line of {@code length} costs: never more than a whole burst. */
  int cost(int length) {
    return Math.min(settings.burst(), 1 + length / CHARS_PER_TOKEN);
  }

  /**
   * Takes the tokens of a line of {@code length}.
   *
   * @return 0 if the line may go, else the nanoseconds until it may
   */
  long admit(long nowNanos, int length) {
    int cost = cost(length);
    tokens = Math.min(settings.burst(),
        tokens + (nowNanos - lastNanos) * settings.linesPerSecond() / NANOS_PER_SECOND);
    lastNanos = nowNanos;
    if (tokens >= settings.burst()) {
      refused = 0;
    }
    if (tokens >= cost) {
      tokens -= cost;
      return 0;
    }
    refused++;
    return Math.max(1,
        (long) Math.ceil((cost - tokens) * NANOS_PER_SECOND / settings.linesPerSecond()));
  }

  /** Whether the client has gone on sending past its allowance for too long. */
  boolean flooding() {
    return refused > settings.maxRefused();
  }
}
