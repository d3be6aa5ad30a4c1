package chat.protocol;

import java.time.Duration;
import java.time.ZoneId;

/**
 * What the server sends, as lines in a connection's {@link Mode}, and the fixed texts of the
 * protocol. Text mode keeps the seed app's wording, which its users know.
 */
public final class ServerLines {

  /** The last line every text-mode client gets before the server closes its connection. */
  public static final String SERVER_SHUTDOWN = "!server_shutdown";

  /** The start of every text-mode line that refuses a join. */
  public static final String REFUSAL_PREFIX = "SET_USERNAME:";

  /** The start of every text-mode error line. */
  public static final String ERROR_PREFIX = "ERROR:";

  private static final TextRenderer TEXT = new TextRenderer(ZoneId.systemDefault());

  private ServerLines() {}

  /** The event as a line (without newline) for a connection in {@code mode}, read by viewer. */
  public static String render(Event event, Mode mode, String viewer) {
    return mode == Mode.JSON ? JsonLines.write(event) : TEXT.render(event, viewer);
  }

  /**
   * The event as a text-mode line for a member whose current room is another: a room's line
   * carries its room ({@code [#dev] bob: hi}).
   */
  public static String renderElsewhere(Event event, String viewer) {
    return TEXT.renderElsewhere(event, viewer);
  }

  /** The error a wrong {@code PASS:} gets; the connection is closed after it. */
  public static final String WRONG_PASSWORD = "Wrong password; closing the connection.";

  /** The error a {@code PASS:} gets on a server without a password. */
  public static final String NO_PASSWORD = "This server has no password; send JOIN:<username>.";

  public static String lineTooLong(int maxLineBytes) {
    return "Line too long (more than " + maxLineBytes + " bytes); it was not sent.";
  }

  /** The start of the line that tells someone who connected by hand how to join. */
  public static final String JOIN_HINT_PREFIX = "To join the chat, send ";

  /**
   * What someone who connected (with nc, say) and sent nothing is told: how to join, within
   * {@code left}; on a server with a password, the password first.
   */
  public static String joinHint(Duration left, boolean password) {
    return JOIN_HINT_PREFIX + (password ? "PASS:<password> and then " : "")
        + "JOIN:<your name> (as in JOIN:alice) within " + describe(left) + ".";
  }

  /** The start of the line a connection that sent no valid join in time gets last. */
  public static final String JOIN_TIMED_OUT_PREFIX = "No JOIN:<username> within ";

  public static String joinTimedOut(Duration timeout) {
    return JOIN_TIMED_OUT_PREFIX + describe(timeout) + "; closing the connection.";
  }

  /** The last line of a client disconnected for flooding. */
  public static String flooding(double linesPerSecond) {
    return "Disconnected for flooding: you kept sending faster than the server's limit of "
        + number(linesPerSecond) + (linesPerSecond == 1 ? " line" : " lines") + " a second.";
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(java.util.Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
  }

  /** The last line of a client disconnected for not reading. */
  public static String tooSlow(Duration timeout) {
    return "Disconnected: lines for you piled up unread for " + describe(timeout)
        + "; the server could not keep them.";
  }

  /** A duration as people say it: {@code 10 seconds}, {@code 1 second}, {@code 500 ms}. */
  public static String describe(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 1000 != 0) {
      return millis + " ms";
    }
    long seconds = millis / 1000;
    return seconds + (seconds == 1 ? " second" : " seconds");
  }
}
