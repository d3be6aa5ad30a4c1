package chat.protocol;

import java.time.Duration;

/**
 * Renders what the server tells clients as text lines (without the final newline). The wording of
 * the join, leave, chat and refusal lines is the seed app's, which its users know.
 */
public final class ServerLines {

  /** The last line every client gets before the server closes its connection. */
  public static final String SERVER_SHUTDOWN = "!server_shutdown";

  /** The start of every line that refuses a join. */
  public static final String REFUSAL_PREFIX = "SET_USERNAME:";

  /** The start of every error line. */
  public static final String ERROR_PREFIX = "ERROR:";

  private ServerLines() {}

  public static String joined(String name) {
    return name + " has joined the chat.";
  }

  public static String left(String name) {
    return name + " left the chat.";
  }

  public static String disconnected(String name) {
    return name + " has disconnected unexpectedly.";
  }

  public static String chat(String name, String text) {
    return name + ": " + text;
  }

  public static String refusal(String reason) {
    return REFUSAL_PREFIX + " " + reason;
  }

  public static String error(String text) {
    return ERROR_PREFIX + " " + text;
  }

  public static String lineTooLong(int maxLineBytes) {
    return error("Line too long (more than " + maxLineBytes + " bytes); it was not sent.");
  }

  public static String joinTimedOut(Duration timeout) {
    return error("No JOIN:<username> within " + describe(timeout) + "; closing the connection.");
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
