package chat.client;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.protocol.Mode;
import chat.protocol.Names;
import chat.protocol.RoomNames;
import chat.protocol.ServerLines;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the server's JSON lines mean to this client, across reconnects: who we are (name, room,
 * resume token), the last message number seen in each room, and whether we are in the chat. It
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

  /** The room the client is in right after its join: the line that follows {@link Welcomed}. */
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

  /** Who the client is and where, as far as it knows: its name, and its room (null before). */
  public record Me(String name, String room) {}

  private enum Phase {
    /** A JOIN was sent; waiting for the answer. */
    JOINING,
    /** Welcomed; the room's {@link Event.Entered} comes next. */
    ARRIVING,
    /** Entered a room; the replayed messages that follow are checked against what was seen. */
    REPLAYING,
    LIVE
  }

  /** The server's text-mode answers to a {@code PASS:} line (see the server's Session). */
  static final String WRONG_PASSWORD = ServerLines.ERROR_PREFIX + " " + ServerLines.WRONG_PASSWORD;

  static final String NO_PASSWORD = ServerLines.ERROR_PREFIX + " " + ServerLines.NO_PASSWORD;

  /** The server's last line to a connection that sent no join in time (text mode, before one). */
  static final String JOIN_TIMED_OUT =
      ServerLines.ERROR_PREFIX + " " + ServerLines.JOIN_TIMED_OUT_PREFIX;

  private final Map<String, Long> lastSeqByRoom = new HashMap<>();
  /** The room's last number when this client came in: all it holds up to there was offered. */
  private final Map<String, Long> enteredSeqByRoom = new HashMap<>();
  private String name;
  private String room;
  private String token;
  private boolean welcomed;
  private boolean rejoining;
  private Phase phase = Phase.JOINING;
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
   * the room, and the last message seen there, so the server replays what came after it.
   */
  public String rejoinLine() {
    if (!welcomed) {
      throw new IllegalStateException("no session to resume before the first welcome");
    }
    rejoining = true;
    startConnection();
    return ClientLines.join(
        name,
        new ClientLines.JoinOptions(
            Mode.JSON,
            Optional.of(token),
            Optional.of(room),
            // Everything up to the room's number at entry was offered already (as history).
            OptionalLong.of(Math.max(
                lastSeq(room).orElse(0),
                enteredSeqByRoom.getOrDefault(RoomNames.key(room), 0L)))));
  }

  private void startConnection() {
    phase = Phase.JOINING;
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
    lastEvent = event;
    if (event instanceof Event.Shutdown shutdown) {
      return new ShutDown(shutdown);
    } else if (event instanceof Event.Refused refused) {
      return new Refused(refused.reason(), rejoining);
    } else if (event instanceof Event.Welcome welcome) {
      return welcome(welcome);
    } else if (event instanceof Event.Entered entered) {
      return enter(entered);
    } else if (event instanceof Event.Message message) {
      return message(message);
    } else if (event instanceof Event.Gap) {
      return new Shown(event, Origin.LIVE, false);
    }
    if (phase == Phase.REPLAYING) {
      phase = Phase.LIVE;
    }
    if (event instanceof Event.Renamed renamed && isMe(renamed.old())) {
      name = renamed.name();
    } else if (event instanceof Event.Joined joined && isMe(joined.name()) && rejoining) {
      return new Skipped(event); // a resume after the server dropped the old session
    }
    return new Shown(event, Origin.LIVE, false);
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
    phase = Phase.ARRIVING;
    return new Welcomed(welcome, rejoining);
  }

  private Step enter(Event.Entered entered) {
    boolean arrival = phase == Phase.ARRIVING;
    room = entered.room();
    if (!(arrival && rejoining)) {
      enteredSeqByRoom.put(RoomNames.key(room), entered.seq());
    }
    phase = Phase.REPLAYING;
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
    boolean own = isMe(from(message));
    if (!isHistory(message)) {
      if (phase == Phase.REPLAYING) {
        phase = Phase.LIVE;
      }
      // Not max(): after a server restart the numbers start again, and live ones lead.
      lastSeqByRoom.put(roomKey, message.seq());
      return new Shown(message, Origin.LIVE, own);
    }
    if (phase == Phase.REPLAYING && message.seq() > replayedUpTo) {
      replayedUpTo = message.seq();
      Long seen = lastSeqByRoom.get(roomKey);
      if (seen != null && message.seq() <= seen) {
        return new Skipped(message);
      }
      lastSeqByRoom.put(roomKey, message.seq());
      return new Shown(message, replayOrigin, own);
    }
    if (phase == Phase.REPLAYING) {
      phase = Phase.LIVE;
    }
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

  /** The last message number seen in {@code room}, if any. */
  public OptionalLong lastSeq(String someRoom) {
    Long seq = someRoom == null ? null : lastSeqByRoom.get(RoomNames.key(someRoom));
    return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
  }

  public Me me() {
    return new Me(name, room);
  }

  /** The name the client asked for or was welcomed under; null before any join. */
  public String name() {
    return name;
  }

  /** The room the client is in; null before the first welcome. */
  public String room() {
    return room;
  }

  /** The secret that lets a reconnect take the name back; null before the first welcome. */
  public String token() {
    return token;
  }
}
