package chat.client;

import chat.protocol.ServerLines;

/**
 * What the lines from the server mean to a client, in the order they come: a refusal of the name,
 * the line that says the join succeeded, a line to show, or the server's last line before it shuts
 * down. Plain state with no threads of its own: a front feeds it every line from one stream.
 */
public final class Conversation {

  /** One line from the server, classified. */
  public sealed interface Event {
    /** The line as it came, without its line ending. */
    String line();
  }

  /** The server refused the name; the connection stays open for another {@code JOIN:}. */
  public record Refused(String line, String reason) implements Event {}

  /** The first line after a join request that is not a refusal: the client is in the chat. */
  public record Joined(String line) implements Event {}

  /** A line to show as it is: chat, joins, leaves, errors. */
  public record Shown(String line) implements Event {}

  /** {@code !server_shutdown}: the server closes the connection after it. */
  public record ShutDown(String line) implements Event {}

  private boolean joined;

  /**
   * Classifies the next line from the server. Before the join, {@code ERROR:} lines (such as a join
   * timeout) are shown but do not count as the join.
   */
  public Event onLine(String line) {
    if (line.strip().equals(ServerLines.SERVER_SHUTDOWN)) {
      return new ShutDown(line);
    }
    if (joined) {
      return new Shown(line);
    }
    if (line.startsWith(ServerLines.REFUSAL_PREFIX)) {
      return new Refused(line, line.substring(ServerLines.REFUSAL_PREFIX.length()).strip());
    }
    if (line.startsWith(ServerLines.ERROR_PREFIX)) {
      return new Shown(line);
    }
    joined = true;
    return new Joined(line);
  }

  /** Whether the server has accepted the client's name. */
  public boolean joined() {
    return joined;
  }
}
