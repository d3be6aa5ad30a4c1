package chat.testing;

import chat.client.Backoff;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import java.time.Duration;
import java.util.List;

/**
 * Machine-mode lines as the server writes them, for fake servers in client tests, and reading them
 * from a real server.
 */
public final class ServerEvents {

  /** A fixed server time: 2025-11-25T17:00:00Z. */
  public static final long TIME = 1764090000000L;

  public static final String LOBBY = "#lobby";

  private ServerEvents() {}

  /** The next line a real server sends {@code client}, which must be an event of that type. */
  public static <T extends Event> T next(LineClient client, Class<T> type) {
    String line = client.readLine();
    Event event = JsonLines.read(line).orElseThrow(() -> new AssertionError("not JSON: " + line));
    if (!type.isInstance(event)) {
      throw new AssertionError("expected " + type.getSimpleName() + ": " + line);
    }
    return type.cast(event);
  }

  public static String json(Event event) {
    return JsonLines.write(event);
  }

  public static String welcome(String name) {
    return welcome(name, LOBBY, "token-" + name);
  }

  public static String welcome(String name, String room, String token) {
    return json(new Event.Welcome(TIME, name, room, token));
  }

  public static String refused(String reason) {
    return json(new Event.Refused(TIME, reason));
  }

  public static String joined(String name) {
    return json(new Event.Joined(TIME, LOBBY, name, false));
  }

  public static String left(String name) {
    return json(new Event.Left(TIME, LOBBY, name, Event.Departure.QUIT, null));
  }

  public static String entered(String room, String... members) {
    return json(new Event.Entered(TIME, room, List.of(members), null));
  }

  /** A live chat line in the lobby. */
  public static String chat(long seq, String from, String text) {
    return json(new Event.Chat(TIME, LOBBY, seq, from, text, false));
  }

  /** A chat line of the lobby replayed from its history. */
  public static String history(long seq, String from, String text) {
    return json(new Event.Chat(TIME, LOBBY, seq, from, text, true));
  }

  public static String gap(long lost) {
    return json(new Event.Gap(TIME, LOBBY, lost));
  }

  public static String error(String text) {
    return json(new Event.Error(TIME, text));
  }

  public static String shutdown() {
    return json(new Event.Shutdown(TIME));
  }

  /** Quick retries, so that tests of reconnecting take milliseconds. */
  public static final Backoff QUICK =
      new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(2));

  /** Has a fake server answer a join as the real one would. */
  public static void answerJoin(LineClient connection, String name, String... othersInLobby) {
    joinAnswer(name, othersInLobby).forEach(connection::send);
  }

  /** What a server sends on a join in machine mode, up to the (empty) history. */
  public static List<String> joinAnswer(String name, String... othersInLobby) {
    String[] members = new String[othersInLobby.length + 1];
    System.arraycopy(othersInLobby, 0, members, 0, othersInLobby.length);
    members[othersInLobby.length] = name;
    return List.of(welcome(name), joined(name), entered(LOBBY, members));
  }
}
