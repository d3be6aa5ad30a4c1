package chat.client;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.protocol.Mode;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import chat.protocol.TextRenderer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server's JSON lines mean to this client, across reconnects: who we are (name, resume
 * token), the rooms we are in and the current one, the last message number seen in each room, and
 * whether we are in the chat. It
 * classifies each line into a {@link Step} that a front shows or not, drops replayed messages
 * already shown, and says whether a closed connection should be reconnected. Plain state with no
 * threads of its own: the {@link ServerLink} feeds it every line, in order.
 */
public final class Conversation {

  /** How a room message came: as it was said, as context, or as missed while disconnected. */
  public enum Origin {
    /** Said just now. */
    LIVE,
    /** From the room's history: on joining or moving into a room, or asked for with /history. */
    HISTORY,
    /** Said while this client was disconnected, replayed after it rejoined. */
    MISSED
  }

  /** One line from the server, classified. */
  public sealed interface Step {}

  /** The server refused the name; the connection stays open for another {@code JOIN:}. */
  public record Refused(String reason, boolean rejoin) implements Step {}

  /** The join (or, with {@code rejoin}, a resume after a lost connection) succeeded. */
  public record Welcomed(Event.Welcome welcome, boolean rejoin) implements Step {}

  /**
   * A room the client is in by its join (or resume): the line that follows its own join line
   * there. A join puts the client in one room, a resume back in all of its rooms.
   */
  public record Arrived(Event.Entered entered, boolean rejoin) implements Step {}

  /**
   * An event to show. {@code own} marks the client's own chat or action: the echo that tells its
   * number, which a text-mode user never sees.
   */
  public record Shown(Event event, Origin origin, boolean own) implements Step {}

  /** Nothing to show: a replayed message already shown, or the own join line of a resume. */
  public record Skipped(Event event) implements Step {}

  /** The server is shutting down and closes the connection after this. */
  public record ShutDown(Event.Shutdown event) implements Step {}

  /**
   * The server turned the password down and closes the connection. Before a join it answers in
   * text mode, since the mode comes with the join.
   */
  public record WrongPassword(String line) implements Step {}

  /** A password was sent to a server that has none; the join goes on. */
  public record PasswordNotNeeded(String line) implements Step {}

  /**
   * A line meant for people who connect by hand (with nc): how to join, or that the time to join
   * ran out ({@code timedOut}) while the user was still choosing a name. Not shown: the client
   * joins by itself, and joins on a new connection if the old one timed out.
   */
  public record ForPeople(String line, boolean timedOut) implements Step {}

  /** A line that is no event this client knows; shown as it came. */
  public record Unreadable(String line) implements Step {}

  /**
   * Who the client is and where, as far as it knows: its name, its current room (null before,
   * and while in none) and all its rooms, in the order it came into them.
   */
  public record Me(String name, String room, List<String> rooms) {
    public Me {
      rooms = List.copyOf(rooms);
    }

    /** Whether a room is the current one (a room of no event, null, counts as current). */
    public boolean isCurrent(String someRoom) {
      return someRoom == null
          || (room != null && RoomNames.key(room).equals(RoomNames.key(someRoom)));
    }

    /**
     * Whether an event reads as one of the current room, as text mode shows it: without the
     * room in front. The client's own leaving of its current room still does, though it is in
     * no room right after.
     */
    public boolean readsAsCurrent(Event event) {
      if (event instanceof Event.Left left && left.how() == Event.Departure.PARTED
          && Names.same(left.name(), name) && room == null) {
        return true;
      }
      return isCurrent(TextRenderer.roomOf(event));
    }
  }

  /** The server's text-mode answers to a {@code PASS:} line (see the server's Session). */
  static final String WRONG_PASSWORD = ServerLines.ERROR_PREFIX + " " + ServerLines.WRONG_PASSWORD;

  static final String NO_PASSWORD = ServerLines.ERROR_PREFIX + " " + ServerLines.NO_PASSWORD;

  /** The server's last line to a connection that sent no join in time (text mode, before one). */
  static final String JOIN_TIMED_OUT =
      ServerLines.ERROR_PREFIX + " " + ServerLines.JOIN_TIMED_OUT_PREFIX;

  private final Map<String, Long> lastSeqByRoom = new HashMap<>();
  /** The lowest message number shown in each room: where {@code /more} pages back from. */
  private final Map<String, Long> firstSeqByRoom = new HashMap<>();

  /** {@code /more [n]}: the client's own command for older messages of the current room. */
  private static final java.util.regex.Pattern MORE =
      java.util.regex.Pattern.compile("(?i)/more(?: +([0-9]{1,3}))?\\s*");
  /** The room's last number when this client came in: all it holds up to there was offered. */
  private final Map<String, Long> enteredSeqByRoom = new HashMap<>();
  /** The rooms the client is in, by key, in the order it came into them. */
  private final Map<String, String> rooms = new LinkedHashMap<>();
  private String name;
  /** The current room; null before the first welcome, and while in no room. */
  private String room;
  private String token;
  private boolean welcomed;
  private boolean rejoining;
  /**
   * The key of the room whose replayed messages follow: set by its {@link Event.Entered}, until
   * a line that is not one of them. Null when no replay is under way.
   */
  private String replaying;
  private Origin replayOrigin = Origin.HISTORY;
  private long replayedUpTo;
  private Event lastEvent;
  private boolean quitSent;

  /** The line that asks to join as {@code requested}, in JSON mode, on a new connection. */
  public String joinLine(String requested) {
    name = requested;
    rejoining = false;
    startConnection();
    return ClientLines.join(
        requested,
        new ClientLines.JoinOptions(
            Mode.JSON, Optional.empty(), Optional.empty(), OptionalLong.empty()));
  }

  /**
   * The line that resumes the session on a new connection: same name, the token that proves it,
   * the current room, and the last message seen in each room, so that the server puts the client
   * back in all of them and replays what came after.
   */
  public String rejoinLine() {
    if (!welcomed) {
      throw new IllegalStateException("no session to resume before the first welcome");
    }
    rejoining = true;
    startConnection();
    Map<String, Long> seen = new LinkedHashMap<>();
    // Everything up to a room's number at entry was offered already (as history).
    rooms.forEach((key, roomName) -> seen.put(roomName,
        Math.max(lastSeqByRoom.getOrDefault(key, 0L), enteredSeqByRoom.getOrDefault(key, 0L))));
    if (rooms.size() == 1 && room != null && rooms.containsKey(RoomNames.key(room))) {
      // One room: after=N, as servers before several rooms read it too.
      return ClientLines.join(name, new ClientLines.JoinOptions(Mode.JSON, Optional.of(token),
          Optional.of(room), OptionalLong.of(seen.values().iterator().next())));
    }
    return ClientLines.join(
        name,
        new ClientLines.JoinOptions(
            Mode.JSON, Optional.of(token), Optional.ofNullable(room), OptionalLong.empty(), seen));
  }

  private void startConnection() {
    replaying = null;
    lastEvent = null;
  }

  /** Classifies the next line from the server. */
  public Step onLine(String line) {
    Optional<Event> parsed = JsonLines.read(line);
    if (parsed.isEmpty()) {
      lastEvent = null;
      return textLine(line);
    }
    Event event = parsed.get();
    Event before = lastEvent;
    lastEvent = event;
    if (event instanceof Event.Shutdown shutdown) {
      return new ShutDown(shutdown);
    } else if (event instanceof Event.Refused refused) {
      return new Refused(refused.reason(), rejoining);
    } else if (event instanceof Event.Welcome welcome) {
      return welcome(welcome);
    } else if (event instanceof Event.Entered entered) {
      return enter(entered, before);
    } else if (event instanceof Event.Message message) {
      return message(message);
    } else if (event instanceof Event.Gap) {
      return new Shown(event, Origin.LIVE, false);
    }
    replaying = null;
    if (event instanceof Event.Renamed renamed && isMe(renamed.old())) {
      name = renamed.name();
    } else if (event instanceof Event.Left left && isMe(left.name())
        && left.how() == Event.Departure.PARTED) {
      left(left.room());
    } else if (isOwnArrival(event) && rejoining) {
      return new Skipped(event); // a resume: the client was in the room before
    } else if (event instanceof Event.Joined joined && isMe(joined.name()) && joined.moved()) {
      room = joined.room(); // /join makes the room current at once: its lines read so from here
    }
    return new Shown(event, Origin.LIVE, false);
  }

  /** The client's own join line in a room it comes into by its join or resume. */
  private boolean isOwnArrival(Event event) {
    return event instanceof Event.Joined joined && isMe(joined.name()) && !joined.moved();
  }

  /** The client left a room (parted): it is no longer its current one, if it was. */
  private void left(String someRoom) {
    String key = RoomNames.key(someRoom);
    rooms.remove(key);
    if (room != null && RoomNames.key(room).equals(key)) {
      room = null;
    }
  }

  /**
   * The server's answers to {@code PASS:}, its hint on how to join and its join timeout come
   * before the join, so in text mode; a client in JSON mode gets no other text lines from a chat
   * server.
   */
  private static Step textLine(String line) {
    if (line.startsWith(ServerLines.JOIN_HINT_PREFIX)) {
      return new ForPeople(line, false);
    } else if (line.startsWith(JOIN_TIMED_OUT)) {
      return new ForPeople(line, true);
    } else if (line.startsWith(WRONG_PASSWORD)) {
      return new WrongPassword(line);
    } else if (line.startsWith(NO_PASSWORD)) {
      return new PasswordNotNeeded(line);
    }
    return new Unreadable(line);
  }

  private Step welcome(Event.Welcome welcome) {
    name = welcome.name();
    room = welcome.room();
    token = welcome.token();
    welcomed = true;
    // The rooms that follow say again which the client is in.
    rooms.clear();
    return new Welcomed(welcome, rejoining);
  }

  /**
   * The client is in a room: by its join or resume when its own join line came just before,
   * else by {@code /join}. The room's replayed messages follow.
   */
  private Step enter(Event.Entered entered, Event before) {
    boolean arrival = isOwnArrival(before)
        && RoomNames.key(((Event.Joined) before).room()).equals(RoomNames.key(entered.room()));
    String key = RoomNames.key(entered.room());
    // A move into a room the client is in already brings no replay: what follows is live, or
    // an answer (a page of /history asked for right after the move).
    boolean moved = !arrival && rooms.containsKey(key);
    rooms.put(key, entered.room());
    if (entered.current()) {
      room = entered.room();
    }
    if (!(arrival && rejoining)) {
      enteredSeqByRoom.put(key, entered.seq());
    }
    replaying = moved ? null : key;
    replayOrigin = arrival && rejoining ? Origin.MISSED : Origin.HISTORY;
    replayedUpTo = 0;
    return arrival ? new Arrived(entered, rejoining) : new Shown(entered, Origin.LIVE, false);
  }

  /**
   * Live messages are always new. Replayed ones right after entering a room are dropped when their
   * number is not above the last seen there; an answer to {@code /history} (history that does not
   * follow an entry) is shown, since the user asked for it.
   */
  private Step message(Event.Message message) {
    String roomKey = RoomNames.key(message.room());
    firstSeqByRoom.merge(roomKey, message.seq(), Math::min);
    boolean own = isMe(from(message));
    if (!isHistory(message)) {
      replaying = null;
      // Not max(): after a server restart the numbers start again, and live ones lead.
      lastSeqByRoom.put(roomKey, message.seq());
      return new Shown(message, Origin.LIVE, own);
    }
    if (roomKey.equals(replaying) && message.seq() > replayedUpTo) {
      replayedUpTo = message.seq();
      Long seen = lastSeqByRoom.get(roomKey);
      if (seen != null && message.seq() <= seen) {
        return new Skipped(message);
      }
      lastSeqByRoom.put(roomKey, message.seq());
      return new Shown(message, replayOrigin, own);
    }
    replaying = null;
    lastSeqByRoom.merge(roomKey, message.seq(), Math::max);
    return new Shown(message, Origin.HISTORY, own);
  }

  private boolean isMe(String someone) {
    return Names.same(someone, name);
  }

  /** Who said a room message. */
  static String from(Event.Message message) {
    return message instanceof Event.Chat chat ? chat.from() : ((Event.Action) message).from();
  }

  /** Whether a room message is replayed from history rather than live. */
  static boolean isHistory(Event.Message message) {
    return message instanceof Event.Chat chat ? chat.history() : ((Event.Action) message).history();
  }

  /** The client has sent {@code !quit}: a close is now expected. */
  public void quitSent() {
    quitSent = true;
  }

  /**
   * Whether the connection that just ended (closed or lost) should be made again: only once the
   * client was in the chat, and not after its own {@code !quit}, nor when the server's last word
   * was a shutdown or an error (a kick, or the name taken over by another connection).
   */
  public boolean shouldReconnect() {
    return welcomed
        && !quitSent
        && !(lastEvent instanceof Event.Shutdown)
        && !(lastEvent instanceof Event.Error);
  }

  /** Whether the server has ever welcomed this client. */
  public boolean welcomed() {
    return welcomed;
  }

  /** Whether the current connection's join is a resume. */
  public boolean rejoining() {
    return rejoining;
  }

  /**
   * The line to send for one the user typed: {@code /more [n]} asks for the messages of the
   * current room before the oldest shown ({@code /history before <number> [n]}), or for its
   * last ones when none is shown yet; any other line goes as it is.
   */
  public String outgoing(String typed) {
    java.util.regex.Matcher more = MORE.matcher(typed);
    if (!more.matches() || room == null) {
      return typed;
    }
    String count = more.group(1) == null ? "" : " " + more.group(1);
    Long first = firstSeqByRoom.get(RoomNames.key(room));
    return first == null ? "/history" + count : "/history before " + first + count;
  }

  /** The last message number seen in {@code room}, if any. */
  public OptionalLong lastSeq(String someRoom) {
    Long seq = someRoom == null ? null : lastSeqByRoom.get(RoomNames.key(someRoom));
    return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
  }

  public Me me() {
    return new Me(name, room, List.copyOf(rooms.values()));
  }

  /** The name the client asked for or was welcomed under; null before any join. */
  public String name() {
    return name;
  }

  /** The client's current room; null before the first welcome, and while it is in none. */
  public String room() {
    return room;
  }

  /** The secret that lets a reconnect take the name back; null before the first welcome. */
  public String token() {
    return token;
  }
}
