package chat.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/**
 * Everything the server tells a client, as typed values. {@link TextRenderer} writes them as the
 * seed's sentences; {@link JsonLines} as one JSON object per line, whose {@code type} field is the
 * name given here. Every event carries the server's time in milliseconds since the epoch; room
 * messages ({@link Chat}, {@link Action}) also carry their room's sequence number.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Event.Welcome.class, name = "welcome"),
  @JsonSubTypes.Type(value = Event.Refused.class, name = "refused"),
  @JsonSubTypes.Type(value = Event.Joined.class, name = "join"),
  @JsonSubTypes.Type(value = Event.Left.class, name = "leave"),
  @JsonSubTypes.Type(value = Event.Joins.class, name = "joins"),
  @JsonSubTypes.Type(value = Event.Leaves.class, name = "leaves"),
  @JsonSubTypes.Type(value = Event.Chat.class, name = "chat"),
  @JsonSubTypes.Type(value = Event.Action.class, name = "action"),
  @JsonSubTypes.Type(value = Event.Private.class, name = "private"),
  @JsonSubTypes.Type(value = Event.Renamed.class, name = "nick"),
  @JsonSubTypes.Type(value = Event.Topic.class, name = "topic"),
  @JsonSubTypes.Type(value = Event.Entered.class, name = "room"),
  @JsonSubTypes.Type(value = Event.Who.class, name = "who"),
  @JsonSubTypes.Type(value = Event.RoomList.class, name = "rooms"),
  @JsonSubTypes.Type(value = Event.Gap.class, name = "gap"),
  @JsonSubTypes.Type(value = Event.Found.class, name = "found"),
  @JsonSubTypes.Type(value = Event.Missed.class, name = "missed"),
  @JsonSubTypes.Type(value = Event.Throttled.class, name = "throttled"),
  @JsonSubTypes.Type(value = Event.Announcement.class, name = "announcement"),
  @JsonSubTypes.Type(value = Event.Info.class, name = "system"),
  @JsonSubTypes.Type(value = Event.Error.class, name = "error"),
  @JsonSubTypes.Type(value = Event.Shutdown.class, name = "shutdown"),
  @JsonSubTypes.Type(value = Event.Moving.class, name = "moving"),
  @JsonSubTypes.Type(value = Event.Marked.class, name = "marked"),
  @JsonSubTypes.Type(value = Event.Away.class, name = "away"),
  @JsonSubTypes.Type(value = Event.Whois.class, name = "whois")
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface Event {

  /** Server time, milliseconds since the epoch. */
  long time();

  /**
   * The join succeeded (machine mode only; text mode has the join line): the name the server
   * knows you by, your room, the secret token that lets a reconnect take the name back, and the
   * client addresses of the chat's other nodes (none for a server alone), to go on at.
   */
  record Welcome(long time, String name, String room, String token,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> nodes) implements Event {
    public Welcome {
      nodes = nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** A welcome from a server alone. */
    public Welcome(long time, String name, String room, String token) {
      this(time, name, room, token, List.of());
    }
  }

  /** The join was refused; the connection stays open for another {@code JOIN:}. */
  record Refused(long time, String reason) implements Event {}

  /**
   * {@code name} came into {@code room}: from outside the server, or ({@code moved}) with {@code
   * /join} while in the chat already.
   */
  record Joined(long time, String room, String name, boolean moved) implements Event {}

  /** How someone left a room. */
  enum Departure {
    @JsonProperty("quit") QUIT,
    @JsonProperty("closed") CLOSED,
    @JsonProperty("lost") LOST,
    @JsonProperty("kicked") KICKED,
    /** Disconnected by the server for not reading while lines for it piled up. */
    @JsonProperty("slow") SLOW,
    /** Disconnected by the server for sending past the rate limit without pause. */
    @JsonProperty("flooding") FLOODING,
    /** Left this room ({@code /part}) and stays in its others; the detail is the reason given. */
    @JsonProperty("parted") PARTED
  }

  /** {@code name} left {@code room}; {@code detail} is the reason (kicked, parted), if given. */
  record Left(long time, String room, String name, Departure how, String detail)
      implements Event {}

  /**
   * A crowd came into {@code room} from outside the server, in this order: sent instead of one
   * {@link Joined} each when several arrive within one notice interval. {@code names} is taken as
   * it is, not copied: the server shares one list among many events.
   */
  record Joins(long time, String room, List<String> names) implements Event {}

  /**
   * A crowd left {@code room} the same way, in this order: sent instead of one {@link Left} each
   * when several go within one notice interval. {@code names} is taken as it is, not copied.
   */
  record Leaves(long time, String room, List<String> names, Departure how) implements Event {}

  /** A message kept in a room's history: chat or action, numbered per room. */
  sealed interface Message extends Event permits Chat, Action {
    String room();

    String from();

    long seq();

    String text();

    /** The same message, marked as replayed from history. */
    Message asHistory();
  }

  /** A chat line in a room; {@code history} when replayed rather than live. */
  record Chat(
      long time,
      String room,
      long seq,
      String from,
      String text,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean history)
      implements Message {

    @Override
    public Chat asHistory() {
      return new Chat(time, room, seq, from, text, true);
    }
  }

  /** {@code /me}: {@code * from text}. */
  record Action(
      long time,
      String room,
      long seq,
      String from,
      String text,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean history)
      implements Message {

    @Override
    public Action asHistory() {
      return new Action(time, room, seq, from, text, true);
    }
  }

  /** A private message; its sender gets it too, as the echo of what was sent. */
  record Private(long time, String from, String to, String text) implements Event {}

  /** {@code old} is now known as {@code name}. */
  record Renamed(long time, String room, String old, String name) implements Event {}

  /** A room's topic: set just now by {@code by}, or (by null) asked for; text null if none. */
  record Topic(long time, String room, String text, String by) implements Event {}

  /**
   * You are in {@code room}, with these members; {@code seq} is the room's last sequence number
   * (lower than one you saw before means its numbering started again). {@code current}: it is
   * now your current room, where what you type goes (false for the other rooms a join or resume
   * puts you back in).
   */
  record Entered(
      long time, String room, List<String> members, String topic, long seq, boolean current)
      implements Event {
    public Entered {
      members = List.copyOf(members);
    }

    /** Your current room now. */
    public Entered(long time, String room, List<String> members, String topic, long seq) {
      this(time, room, members, topic, seq, true);
    }

    /** Your current room now, with no messages yet. */
    public Entered(long time, String room, List<String> members, String topic) {
      this(time, room, members, topic, 0);
    }
  }

  /** Someone online, and where; {@code away}: their away text, if they are marked away. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Presence(String name, String room, String away) {

    /** Someone not away. */
    public Presence(String name, String room) {
      this(name, room, null);
    }
  }

  /** Who is in {@code room}, or on the whole server when {@code room} is null. */
  record Who(long time, String room, List<Presence> members) implements Event {
    public Who {
      members = List.copyOf(members);
    }
  }

  /**
   * A room and how many are in it; in an answer to {@code /rooms}, whether the asker is a member
   * of it, and whether it is the asker's current room (true or absent).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record RoomInfo(String room, int members, String topic, Boolean member, Boolean current) {

    public RoomInfo(String room, int members, String topic) {
      this(room, members, topic, null, null);
    }
  }

  record RoomList(long time, List<RoomInfo> rooms) implements Event {
    public RoomList {
      rooms = List.copyOf(rooms);
    }
  }

  /** {@code lost} messages of {@code room} were missed and are no longer held by the server. */
  record Gap(long time, String room, long lost) implements Event {}

  /**
   * A message a {@code /search} found: its room, number, time ({@code time} is the message's),
   * sender and text; {@code action} for a {@code /me}.
   */
  record Found(
      long time,
      String room,
      long seq,
      String from,
      String text,
      @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean action)
      implements Event {

    /** What a search finds in a message. */
    public static Found of(Message message) {
      return new Found(message.time(), message.room(), message.seq(), message.from(),
          message.text(), message instanceof Action);
    }
  }

  /**
   * You were not reading fast enough: the server dropped the {@code lines} oldest lines it held
   * for you (of any kind) to make room for newer ones; this line stands where they were.
   */
  record Missed(long time, long lines) implements Event {}

  /**
   * Your last line was over the rate limit and was not sent: send again in {@code retryAfterMs}
   * milliseconds.
   */
  record Throttled(long time, long retryAfterMs) implements Event {}

  /** A message from the server's operator to everybody. */
  record Announcement(long time, String text) implements Event {}

  /** A line of information for this client only, such as help. */
  record Info(long time, String text) implements Event {}

  /** Something this client sent could not be done. */
  record Error(long time, String text) implements Event {}

  /** The server is shutting down; the connection closes after this. */
  record Shutdown(long time) implements Event {}

  /**
   * This node of a cluster is leaving while the chat goes on: the connection closes after this,
   * and the client goes on (with its token) at one of the chat's other nodes.
   */
  record Moving(long time, List<String> nodes) implements Event {
    public Moving {
      nodes = List.copyOf(nodes);
    }
  }

  /**
   * The answer to your {@code /away}: you are marked away with {@code away} as its text, or
   * (away null) no longer.
   */
  record Marked(long time, String away) implements Event {}

  /**
   * {@code name}, to whom you sent a private message, is away: {@code text} is why. Sent once per
   * sender each time {@code name} marks itself away.
   */
  record Away(long time, String name, String text) implements Event {}

  /**
   * The answer to {@code /whois}: {@code name}'s rooms (by name), its away text (null if not
   * away), and {@code since}, when its connection joined (server time, milliseconds since the
   * epoch).
   */
  record Whois(long time, String name, List<String> rooms, String away, long since)
      implements Event {
    public Whois {
      rooms = List.copyOf(rooms);
    }
  }
}
