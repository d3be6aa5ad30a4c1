package chat.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Parses the lines a client sends into typed frames: before joining, a {@code JOIN:<username>}
 * request with its options; after, chat text, a {@code /command} or {@code !quit}. Text is cleaned
 * of control characters here, so nothing unsafe goes further into the server.
 */
public final class ClientLines {

  public static final String JOIN_PREFIX = "JOIN:";
  public static final String PASSWORD_PREFIX = "PASS:";
  /** Between a JOIN: line's words (compiled once: String.split would compile it every join). */
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** A room's sequence number as a client writes it: up to 18 ASCII digits (it fits a long). */
  private static final Pattern SEQUENCE_NUMBER = Pattern.compile("[0-9]{1,18}");
  public static final String QUIT = "!quit";
  public static final String QUIT_COMMAND = "/quit";
  /**
   * The answer to a {@code JOIN:} or {@code PASS:} line from a client that has joined: not sent to
   * the room, where a password typed again would be read by everyone.
   */
  public static final String ALREADY_JOINED =
      "You have already joined; that line was not sent. /nick changes your name, /join your room.";

  private ClientLines() {}

  /** A line from a client that has not joined yet. */
  public sealed interface BeforeJoin {}

  /** A line from a client that has joined (named by kind when it goes to another node). */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Say.class, name = "say"),
    @JsonSubTypes.Type(value = Quit.class, name = "quit"),
    @JsonSubTypes.Type(value = Blank.class, name = "blank"),
    @JsonSubTypes.Type(value = Answered.class, name = "answered"),
    @JsonSubTypes.Type(value = Commands.Help.class, name = "help"),
    @JsonSubTypes.Type(value = Commands.Who.class, name = "who"),
    @JsonSubTypes.Type(value = Commands.Part.class, name = "part"),
    @JsonSubTypes.Type(value = Commands.SayTo.class, name = "say-to"),
    @JsonSubTypes.Type(value = Commands.Msg.class, name = "msg"),
    @JsonSubTypes.Type(value = Commands.Whois.class, name = "whois"),
    @JsonSubTypes.Type(value = Commands.Away.class, name = "away"),
    @JsonSubTypes.Type(value = Commands.Me.class, name = "me"),
    @JsonSubTypes.Type(value = Commands.Nick.class, name = "nick"),
    @JsonSubTypes.Type(value = Commands.JoinRoom.class, name = "join"),
    @JsonSubTypes.Type(value = Commands.ListRooms.class, name = "rooms"),
    @JsonSubTypes.Type(value = Commands.Topic.class, name = "topic"),
    @JsonSubTypes.Type(value = Commands.History.class, name = "history"),
    @JsonSubTypes.Type(value = Commands.Search.class, name = "search"),
    @JsonSubTypes.Type(value = Commands.Invalid.class, name = "invalid")
  })
  public sealed interface AfterJoin permits Say, Quit, Blank, Answered, Commands.Command {}

  /**
   * How a client wants its connection: the mode of the server's lines, and to resume an earlier
   * session, its secret token, its room and the last sequence number it saw there.
   */
  public record JoinOptions(
      Mode mode,
      Optional<String> token,
      Optional<String> room,
      OptionalLong after,
      Map<String, Long> seen) {

    public static final JoinOptions DEFAULT =
        new JoinOptions(Mode.TEXT, Optional.empty(), Optional.empty(), OptionalLong.empty());

    public JoinOptions {
      seen = Collections.unmodifiableMap(new LinkedHashMap<>(seen));
    }

    /** One room at most: {@code after} is what was seen in {@code room} (or the lobby). */
    public JoinOptions(Mode mode, Optional<String> token, Optional<String> room, OptionalLong after) {
      this(mode, token, room, after, Map.of());
    }
  }

  /** A request to join under a name (normalized and checked against the name rules). */
  public record JoinRequest(String name, JoinOptions options) implements BeforeJoin {}

  /** A line that cannot be a join request, the reason, and the mode to answer in. */
  public record NotAJoin(String reason, Mode mode) implements BeforeJoin {}

  /** {@code PASS:<password>}: the server password, sent before {@code JOIN:}. */
  public record Password(String password) implements BeforeJoin {
    @Override
    public String toString() {
      return "Password[****]";
    }
  }

  /**
   * A line the server's session answered itself (over the rate limit, too long): the answer
   * goes to the client in the line's place, after what the lines before it brought.
   */
  public record Answered(Event reply) implements AfterJoin {}

  /** Text to send to the others. */
  public record Say(String text) implements AfterJoin {}

  /** {@code !quit} or {@code /quit}. */
  public enum Quit implements BeforeJoin, AfterJoin {
    INSTANCE
  }

  /** A line with nothing to show, ignored. */
  public enum Blank implements BeforeJoin, AfterJoin {
    INSTANCE
  }

  public static BeforeJoin parseBeforeJoin(String line) {
    String text = Text.clean(line).strip();
    if (text.isEmpty()) {
      return Blank.INSTANCE;
    }
    if (isQuit(text)) {
      return Quit.INSTANCE;
    }
    if (startsWith(text, PASSWORD_PREFIX)) {
      return new Password(text.substring(PASSWORD_PREFIX.length()).strip());
    }
    if (!startsWith(text, JOIN_PREFIX)) {
      return new NotAJoin(Names.Refusals.INVALID_PROTOCOL, Mode.TEXT);
    }
    String[] words = SPACES.split(text.substring(JOIN_PREFIX.length()).strip());
    // JOIN: mode=json has options but no name.
    boolean named = words[0].indexOf('=') < 0;
    JoinOptionsParser options = new JoinOptionsParser();
    for (int i = named ? 1 : 0; i < words.length; i++) {
      options.add(words[i]);
    }
    if (options.problem != null) {
      return new NotAJoin(options.problem, options.mode);
    }
    String name = named ? Names.normalize(words[0]) : "";
    Optional<String> problem = Names.problem(name);
    if (problem.isPresent()) {
      return new NotAJoin(problem.get(), options.mode);
    }
    return new JoinRequest(name, options.result());
  }

  public static AfterJoin parseAfterJoin(String line) {
    String text = Text.clean(line).strip();
    if (text.isEmpty()) {
      return Blank.INSTANCE;
    }
    if (isQuit(text)) {
      return Quit.INSTANCE;
    }
    if (startsWith(text, PASSWORD_PREFIX) || startsWith(text, JOIN_PREFIX)) {
      return new Commands.Invalid(ALREADY_JOINED);
    }
    if (text.startsWith("//")) {
      return new Say(text.substring(1));
    }
    if (text.startsWith("/")) {
      return Commands.parse(text);
    }
    return new Say(text);
  }

  /** Whether a line, as typed, asks to leave ({@code /quit} may give a reason, unused). */
  public static boolean isQuit(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return lower.equals(QUIT)
        || lower.equals(QUIT_COMMAND)
        || lower.startsWith(QUIT_COMMAND + " ");
  }

  private static boolean startsWith(String text, String prefix) {
    return text.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  /** The line a client sends to join in text mode. */
  public static String join(String name) {
    return JOIN_PREFIX + name;
  }

  /** The line a client sends to join with options. */
  public static String join(String name, JoinOptions options) {
    StringBuilder line = new StringBuilder(JOIN_PREFIX).append(name);
    if (options.mode() != Mode.TEXT) {
      line.append(" mode=").append(options.mode().name().toLowerCase(Locale.ROOT));
    }
    options.token().ifPresent(token -> line.append(" token=").append(token));
    options.room().ifPresent(room -> line.append(" room=").append(room));
    if (!options.seen().isEmpty()) {
      StringJoiner seen = new StringJoiner(",", " after=", "");
      options.seen().forEach((room, seq) -> seen.add(room + ":" + seq));
      line.append(seen);
    } else {
      options.after().ifPresent(after -> line.append(" after=").append(after));
    }
    return line.toString();
  }

  /** Reads {@code key=value} options after the name on a {@code JOIN:} line. */
  private static final class JoinOptionsParser {
    private Mode mode = Mode.TEXT;
    private Optional<String> token = Optional.empty();
    private Optional<String> room = Optional.empty();
    private OptionalLong after = OptionalLong.empty();
    private final Map<String, Long> seen = new LinkedHashMap<>();
    private final java.util.Set<String> keys = new java.util.HashSet<>();
    private final java.util.Set<String> roomKeys = new java.util.HashSet<>();
    private String problem;

    void add(String word) {
      int equals = word.indexOf('=');
      if (equals < 0) {
        fail(Names.Refusals.SPACES);
        return;
      }
      String key = word.substring(0, equals).toLowerCase(Locale.ROOT);
      String value = word.substring(equals + 1);
      if (!keys.add(key)) {
        fail("JOIN option '" + key + "' given twice; give each once.");
        return;
      }
      switch (key) {
        case "mode" -> mode(value);
        case "token" -> token = Optional.of(value).filter(t -> !t.isEmpty());
        case "room" -> room(value);
        case "after" -> after(value);
        default -> fail("Unknown JOIN option '" + key + "'. Use JOIN:<username> [mode=json]");
      }
    }

    private void mode(String value) {
      switch (value.toLowerCase(Locale.ROOT)) {
        case "json" -> mode = Mode.JSON;
        case "text" -> mode = Mode.TEXT;
        default -> fail("Unknown mode '" + value + "'. Modes are text and json.");
      }
    }

    private void room(String value) {
      String normalized = RoomNames.normalize(value);
      RoomNames.problem(normalized).ifPresentOrElse(this::fail, () -> room = Optional.of(normalized));
    }

    /**
     * {@code after=N} (the room named, or the lobby), or {@code after=#lobby:120,#dev:45}: the
     * last message seen in each room. ASCII digits only: Long.parseLong would take a sign, and
     * digits of any script.
     */
    private void after(String value) {
      if (SEQUENCE_NUMBER.matcher(value).matches()) {
        after = OptionalLong.of(Long.parseLong(value));
        return;
      }
      for (String part : value.split(",", -1)) {
        int colon = part.lastIndexOf(':');
        String room = colon < 0 ? "" : RoomNames.normalize(part.substring(0, colon));
        String seq = colon < 0 ? "" : part.substring(colon + 1);
        if (colon < 0 || !part.startsWith("#") || RoomNames.problem(room).isPresent()
            || !SEQUENCE_NUMBER.matcher(seq).matches()) {
          fail("after= takes a sequence number (digits 0-9), or rooms and numbers as in"
              + " after=#lobby:120,#dev:45, not '" + value + "'.");
          return;
        }
        if (!roomKeys.add(RoomNames.key(room))) {
          fail("after= names " + room + " twice; give each room once.");
          return;
        }
        seen.put(room, Long.parseLong(seq));
      }
    }

    private void fail(String reason) {
      if (problem == null) {
        problem = reason;
      }
    }

    JoinOptions result() {
      return new JoinOptions(mode, token, room, after, seen);
    }
  }
}
