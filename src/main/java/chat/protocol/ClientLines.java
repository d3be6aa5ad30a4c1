package chat.protocol;

import java.util.Locale;

/**
 * Parses the lines a client sends into typed frames: before joining, a {@code JOIN:<username>}
 * request; after, chat text or {@code !quit}. Text is cleaned of control characters here, so
 * nothing unsafe goes further into the server.
 */
public final class ClientLines {

  public static final String JOIN_PREFIX = "JOIN:";
  public static final String QUIT = "!quit";
  public static final String QUIT_COMMAND = "/quit";

  private ClientLines() {}

  /** A line from a client that has not joined yet. */
  public sealed interface BeforeJoin {}

  /** A line from a client that has joined. */
  public sealed interface AfterJoin {}

  /** A request to join under a name (normalized, not yet checked). */
  public record JoinRequest(String name) implements BeforeJoin {}

  /** A line that cannot be a join request, with the reason for the refusal. */
  public record NotAJoin(String reason) implements BeforeJoin {}

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
    if (!text.regionMatches(true, 0, JOIN_PREFIX, 0, JOIN_PREFIX.length())) {
      return new NotAJoin(Names.Refusals.INVALID_PROTOCOL);
    }
    String name = Names.normalize(text.substring(JOIN_PREFIX.length()));
    return Names.problem(name).<BeforeJoin>map(NotAJoin::new).orElseGet(() -> new JoinRequest(name));
  }

  public static AfterJoin parseAfterJoin(String line) {
    String text = Text.clean(line).strip();
    if (text.isEmpty()) {
      return Blank.INSTANCE;
    }
    if (isQuit(text)) {
      return Quit.INSTANCE;
    }
    return new Say(text);
  }

  /** Whether a line, as typed, asks to leave. */
  public static boolean isQuit(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return lower.equals(QUIT) || lower.equals(QUIT_COMMAND);
  }

  /** The line a client sends to join. */
  public static String join(String name) {
    return JOIN_PREFIX + name;
  }
}
