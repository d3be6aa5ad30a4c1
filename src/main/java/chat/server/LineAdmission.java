package chat.server;

import chat.protocol.Event;
import chat.protocol.ServerLines;

/**
 * Whether a session passes a client's line on: the rate limit, when one applies, and the line's
 * length. Plain logic owned by one session, so that the session only acts on the verdict.
 */
final class LineAdmission {

  /** What becomes of one line. */
  sealed interface Verdict {}

  /** The line may go on. */
  enum Pass implements Verdict {
    INSTANCE
  }

  /** The line goes no further; the client gets {@code answer} in its place. */
  record Refuse(Event answer) implements Verdict {}

  /** The client kept sending over the limit: it is to be disconnected. */
  enum Flooding implements Verdict {
    INSTANCE
  }

  /** The client's allowance of lines; null if it has none (exempt, or no limit). */
  private final RateLimit rate;
  private final ServerMetrics metrics;
  private final int maxLineBytes;

  LineAdmission(ServerSettings settings, ServerMetrics metrics, boolean exempt, long nowNanos) {
    this.rate = settings.rate().enabled() && !exempt
        ? new RateLimit(settings.rate(), nowNanos) : null;
    this.metrics = metrics;
    this.maxLineBytes = settings.maxLineBytes();
  }

  /**
   * The verdict on a new line from the client. Every line counts toward the rate limit, one
   * too long to read as well; a refusal says when to send again.
   */
  Verdict check(LineFraming.Frame frame, long nowNanos) {
    long wait = rate == null ? 0
        : rate.admit(nowNanos, frame instanceof LineFraming.Line line ? line.text().length() : 0);
    if (wait > 0) {
      metrics.rateRefusals.increment();
      if (rate.flooding()) {
        return Flooding.INSTANCE;
      }
      long waitMillis = Math.max(1, wait / 1_000_000);
      return new Refuse(new Event.Throttled(System.currentTimeMillis(), waitMillis));
    }
    return frame instanceof LineFraming.Line ? Pass.INSTANCE : new Refuse(tooLong());
  }

  private Event tooLong() {
    return new Event.Error(System.currentTimeMillis(), ServerLines.lineTooLong(maxLineBytes));
  }
}
