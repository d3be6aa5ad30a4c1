package chat.protocol;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The {@code /commands} a joined client can send, parsed into typed values; a wrong use becomes
 * {@link Invalid} with the one error line the client gets, which always names {@code /help}.
 */
public final class Commands {

  /** What {@code /history} without a count replays. */
  public static final int DEFAULT_HISTORY = 20;

  /** The most messages one {@code /history before} page gives. */
  public static final int MAX_PAGE = 200;

  /** The server's answer to {@code /help}, a line each. */
  public static final List<String> HELP =
      List.of(
          "Commands:",
          "  /join #<room>     join a room (made if needed) and make it your current one;",
          "                    /join a room you are in to make it current",
          "  /part [#room] [reason]  leave a room (your current one if none is named)",
          "  /say #<room> <text>  say something in another of your rooms",
          "  /who              who is in your room; /who #<room>; /who * for everybody",
          "  /msg <name> <text>  a private message only <name> sees",
          "  /whois <name>     <name>'s rooms, away text and when they connected",
          "  /away [text]      mark yourself away (shown in /who, told to who /msgs you);",
          "                    /away alone: you are back",
          "  /me <action>      an action: * you <action>",
          "  /nick <name>      change your name",
          "  /rooms            the rooms, how many are in each, and which are yours",
          "  /topic [text]     show or set your room's topic",
          "  /history [n]      the last n messages of your room (default " + DEFAULT_HISTORY + ")",
          "  /history before <number> [n]  the n messages before that number (older pages)",
          "  /search [#room] <words>  the newest messages with all of the words",
          "  /quit             leave (or !quit)",
          "  //text            send text that starts with /",
          "Lines you type go to your current room; lines of your other rooms show the room.");

  /** A count as a client writes it: ASCII digits (Integer.parseInt takes other scripts' too). */
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,9}");

  /** A message's number as a client writes it. */
  private static final Pattern SEQ = Pattern.compile("[0-9]{1,18}");

  private static final String SEE_HELP = " Type /help for the commands.";

  private Commands() {}

  /** A command from a joined client. */
  public sealed interface Command extends ClientLines.AfterJoin {}

  public enum Help implements Command {
    INSTANCE
  }

  /** Who is in the current room, in {@code room}, or ({@code everyone}) on the server. */
  public record Who(boolean everyone, Optional<String> room) implements Command {}

  /** Leaves a room: {@code room}, or the current one. */
  public record Part(Optional<String> room, Optional<String> reason) implements Command {}

  /** Text for one of the member's rooms that need not be its current one. */
  public record SayTo(String room, String text) implements Command {}

  public record Msg(String to, String text) implements Command {}

  /** Who {@code name} is: its rooms, away text and when it connected. */
  public record Whois(String name) implements Command {}

  /** Marks the member away with {@code text}, or (empty) no longer away. */
  public record Away(Optional<String> text) implements Command {}

  public record Me(String text) implements Command {}

  public record Nick(String name) implements Command {}

  public record JoinRoom(String room) implements Command {}

  public enum ListRooms implements Command {
    INSTANCE
  }

  /** Show the topic (empty text) or set it. */
  public record Topic(Optional<String> text) implements Command {}

  /**
   * The room's last {@code count} messages or, with {@code before}, the {@code count} messages
   * numbered just below it.
   */
  public record History(int count, OptionalLong before) implements Command {
    public History(int count) {
      this(count, OptionalLong.empty());
    }
  }

  /** The newest messages of the current room, or of {@code room}, with all of {@code words}. */
  public record Search(Optional<String> room, String words) implements Command {}

  /** A command that cannot be carried out, with the error to send back. */
  public record Invalid(String message) implements Command {}

  /** Parses a cleaned, stripped line that starts with a single {@code /}. */
  static Command parse(String text) {
    int space = text.indexOf(' ');
    String name = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
    String rest = space < 0 ? "" : text.substring(space + 1).strip();
    return switch (name) {
      case "/help" -> Help.INSTANCE;
      case "/who" -> who(rest);
      case "/msg" -> msg(rest);
      case "/whois" -> rest.isEmpty() || rest.contains(" ")
          ? usage("/whois <name>") : new Whois(Names.normalize(rest));
      case "/away" -> new Away(Optional.of(rest).filter(away -> !away.isEmpty()));
      case "/me" -> rest.isEmpty() ? usage("/me <action>") : new Me(rest);
      case "/nick" -> nick(rest);
      case "/join" -> joinRoom(rest);
      case "/part" -> part(rest);
      case "/say" -> sayTo(rest);
      case "/rooms" -> ListRooms.INSTANCE;
      case "/topic" -> new Topic(Optional.of(rest).filter(topic -> !topic.isEmpty()));
      case "/history" -> history(rest);
      case "/search" -> search(rest);
      default -> new Invalid("Unknown command '" + name + "'." + SEE_HELP);
    };
  }

  private static Command who(String rest) {
    if (rest.isEmpty() || rest.equals("*")) {
      return new Who(rest.equals("*"), Optional.empty());
    }
    if (rest.startsWith("#") && !rest.contains(" ")) {
      String room = RoomNames.normalize(rest);
      return RoomNames.problem(room)
          .<Command>map(problem -> new Invalid(problem + SEE_HELP))
          .orElseGet(() -> new Who(false, Optional.of(room)));
    }
    return usage("/who, /who #<room> or /who *");
  }

  /** {@code /part}, {@code /part #room}, {@code /part #room reason}, {@code /part reason}. */
  private static Command part(String rest) {
    if (!rest.startsWith("#")) {
      return new Part(Optional.empty(), Optional.of(rest).filter(reason -> !reason.isEmpty()));
    }
    int space = rest.indexOf(' ');
    String room = RoomNames.normalize(space < 0 ? rest : rest.substring(0, space));
    Optional<String> reason =
        space < 0 ? Optional.empty() : Optional.of(rest.substring(space + 1).strip());
    return RoomNames.problem(room)
        .<Command>map(problem -> new Invalid(problem + SEE_HELP))
        .orElseGet(() -> new Part(Optional.of(room), reason.filter(r -> !r.isEmpty())));
  }

  private static Command sayTo(String rest) {
    int space = rest.indexOf(' ');
    if (!rest.startsWith("#") || space < 0 || rest.substring(space + 1).isBlank()) {
      return usage("/say #<room> <text>");
    }
    String room = RoomNames.normalize(rest.substring(0, space));
    return RoomNames.problem(room)
        .<Command>map(problem -> new Invalid(problem + SEE_HELP))
        .orElseGet(() -> new SayTo(room, rest.substring(space + 1).strip()));
  }

  private static Command msg(String rest) {
    int space = rest.indexOf(' ');
    if (space < 0) {
      return usage("/msg <name> <text>");
    }
    return new Msg(Names.normalize(rest.substring(0, space)), rest.substring(space + 1).strip());
  }

  private static Command nick(String rest) {
    if (rest.isEmpty() || rest.contains(" ")) {
      return usage("/nick <name>");
    }
    String name = Names.normalize(rest);
    return Names.problem(name)
        .<Command>map(problem -> new Invalid(problem + SEE_HELP))
        .orElseGet(() -> new Nick(name));
  }

  private static Command joinRoom(String rest) {
    if (rest.isEmpty() || rest.contains(" ")) {
      return usage("/join #<room>");
    }
    String room = RoomNames.normalize(rest);
    return RoomNames.problem(room)
        .<Command>map(problem -> new Invalid(problem + SEE_HELP))
        .orElseGet(() -> new JoinRoom(room));
  }

  private static Command history(String rest) {
    if (rest.isEmpty()) {
      return new History(DEFAULT_HISTORY);
    }
    String[] words = rest.split("\\s+");
    if (words[0].equalsIgnoreCase("before")) {
      return historyBefore(words);
    }
    if (!COUNT.matcher(rest).matches()) {
      return usage("/history [n]");
    }
    int count = Integer.parseInt(rest);
    return count > 0 ? new History(count) : usage("/history [n], n at least 1");
  }

  private static Command historyBefore(String[] words) {
    String form = "/history before <number> [n], n 1 to " + MAX_PAGE;
    if (words.length < 2 || words.length > 3 || !SEQ.matcher(words[1]).matches()
        || (words.length == 3 && !COUNT.matcher(words[2]).matches())) {
      return usage(form);
    }
    long before = Long.parseLong(words[1]);
    int count = words.length == 3 ? Integer.parseInt(words[2]) : DEFAULT_HISTORY;
    return count >= 1 && count <= MAX_PAGE && before >= 1
        ? new History(count, OptionalLong.of(before)) : usage(form);
  }

  private static Command search(String rest) {
    String form = "/search [#room] <words>";
    if (rest.isEmpty()) {
      return usage(form);
    }
    if (!rest.startsWith("#")) {
      return new Search(Optional.empty(), rest);
    }
    int space = rest.indexOf(' ');
    if (space < 0) {
      // A room and no words means nothing: "#release" is what to look for, here.
      return new Search(Optional.empty(), rest);
    }
    String room = RoomNames.normalize(rest.substring(0, space));
    return RoomNames.problem(room)
        .<Command>map(problem -> new Invalid(problem + SEE_HELP))
        .orElseGet(() -> new Search(Optional.of(room), rest.substring(space + 1).strip()));
  }

  private static Invalid usage(String form) {
    return new Invalid("Usage: " + form + "." + SEE_HELP);
  }
}
