package chat.client.terminal;

import chat.protocol.ClientLines;
import chat.protocol.Commands;
import chat.protocol.Names;
import java.util.Locale;
import java.util.Optional;

/**
 * What a line typed in the terminal client means: one of the client's own commands (windows,
 * settings, ignoring), or the line to send for the window it was typed in: text in a room's
 * window goes to that room ({@code /say #room text}), in a private window to that person ({@code
 * /msg bob text}); a command goes as typed. Plain code, used by {@link TerminalSession}.
 */
final class TypedLines {

  private TypedLines() {}

  /** What to do with a typed line. */
  sealed interface Plan {}

  /** Send this line to the server. */
  record Send(String line) implements Plan {}

  /** Open (and show) a private window, and send it a first line if one was given. */
  record Query(String name, Optional<String> text) implements Plan {}

  /** Show window number {@code number}. */
  record Win(int number) implements Plan {}

  /** Close the shown window (part its room). */
  enum Close implements Plan { INSTANCE }

  /** The bell on or off; none: show the settings. */
  record Bell(Optional<Boolean> on) implements Plan {}

  /** Ignore someone; none: list whom. */
  record Ignore(Optional<String> name) implements Plan {}

  record Unignore(String name) implements Plan {}

  /** The client's keys and commands, then the server's. */
  enum Help implements Plan { INSTANCE }

  /** Not sent: why. */
  record Refuse(String why) implements Plan {}

  /** The {@code count} messages of the shown room's window before the oldest it holds. */
  record More(int count) implements Plan {}

  /** How many messages {@code /more} asks for without a count. */
  static final int MORE = 20;

  /**
   * The plan for one typed line (not blank) in the window {@code target} shows; {@code windows}
   * says whether the client shows windows at all.
   */
  static Plan plan(String typed, WindowScreen.Target target, boolean windows) {
    String line = typed.strip();
    String[] words = line.split("\\s+", 3);
    String command = words[0].toLowerCase(Locale.ROOT);
    Optional<String> first = words.length > 1 ? Optional.of(words[1]) : Optional.empty();
    switch (command) {
      case "/help":
        return words.length == 1 ? Help.INSTANCE : new Send(line);
      case "/query":
      case "/q":
        return query(words, windows);
      case "/win":
      case "/window":
        return win(first, windows);
      case "/close":
        return windows ? Close.INSTANCE : new Refuse(NO_WINDOWS);
      case "/set":
        return set(words);
      case "/ignore":
        return first.map(name -> named(name, new Ignore(Optional.of(name))))
            .orElse(new Ignore(Optional.empty()));
      case "/more":
        return more(line, first, target, windows);
      case "/unignore":
        return first.map(name -> named(name, new Unignore(name)))
            .orElse(new Refuse("Usage: /unignore <name>"));
      default:
        return toServer(line, target);
    }
  }

  /**
   * Whether a line sent acts on the server's current room, as the server reads it: /topic, /me,
   * /history, and /who, /search and /part when they name no room.
   */
  static boolean actsOnCurrentRoom(String line) {
    ClientLines.AfterJoin parsed = ClientLines.parseAfterJoin(line);
    return parsed instanceof Commands.Topic || parsed instanceof Commands.Me
        || parsed instanceof Commands.History
        || parsed instanceof Commands.Who who && !who.everyone() && who.room().isEmpty()
        || parsed instanceof Commands.Search search && search.room().isEmpty()
        || parsed instanceof Commands.Part part && part.room().isEmpty();
  }

  /** The text of an {@code /away} line, as the server reads it: empty when it ends the away. */
  static Optional<Optional<String>> away(String line) {
    return ClientLines.parseAfterJoin(line) instanceof Commands.Away away
        ? Optional.of(away.text()) : Optional.empty();
  }

  /**
   * {@code /more [n]}: in a room's window, the messages before the oldest it holds; without
   * windows the link asks for those of the current room (Conversation).
   */
  private static Plan more(String line, Optional<String> count, WindowScreen.Target target,
      boolean windows) {
    if (!line.matches("(?i)/more( +[0-9]{1,3})?")) {
      return new Refuse("Usage: /more [n], n up to 999: the messages before the oldest shown.");
    }
    if (!windows || target.title() == null) {
      return new Send(line);
    }
    if (target.kind() == Window.Kind.PRIVATE) {
      return inRoomOnly("/more", target);
    }
    return new More(count.map(Integer::parseInt).orElse(MORE));
  }

  private static Plan inRoomOnly(String command, WindowScreen.Target target) {
    return new Refuse(command + " works in a room's window; this one is private with "
        + target.title() + ".");
  }

  static final String NO_WINDOWS =
      "This terminal cannot show windows (it cannot move its cursor); lines of every room show"
          + " here, with their room.";

  private static Plan query(String[] words, boolean windows) {
    if (words.length < 2) {
      return new Refuse("Usage: /query <name> [text]");
    }
    if (!windows) {
      return words.length > 2 ? new Send("/msg " + words[1] + " " + words[2])
          : new Refuse(NO_WINDOWS + " /msg <name> <text> sends a private line.");
    }
    return named(words[1], new Query(words[1],
        words.length > 2 ? Optional.of(words[2]) : Optional.empty()));
  }

  private static Plan win(Optional<String> number, boolean windows) {
    if (!windows) {
      return new Refuse(NO_WINDOWS);
    }
    if (number.isEmpty() || !number.get().matches("[0-9]{1,3}")) {
      return new Refuse("Usage: /win <number> (Alt+1..9 and Alt+Left/Right switch too)");
    }
    return new Win(Integer.parseInt(number.get()));
  }

  private static Plan set(String[] words) {
    if (words.length == 1) {
      return new Bell(Optional.empty());
    }
    String value = words.length > 2 ? words[2].toLowerCase(Locale.ROOT) : "";
    if (words[1].equalsIgnoreCase("bell") && (value.equals("on") || value.equals("off"))) {
      return new Bell(Optional.of(value.equals("on")));
    }
    return new Refuse("Usage: /set bell on|off (the bell rings for a mention or a private line"
        + " in a window you are not looking at)");
  }

  private static Plan named(String name, Plan plan) {
    return Names.problem(Names.normalize(name)).<Plan>map(Refuse::new).orElse(plan);
  }

  /** A line for the server, sent where the window points. */
  private static Plan toServer(String line, WindowScreen.Target target) {
    boolean command = line.startsWith("/") && !line.startsWith("//");
    String text = line.startsWith("//") ? line.substring(1) : line;
    if (target.title() == null) {
      return new Send(line);
    }
    if (target.kind() == Window.Kind.PRIVATE) {
      if (!command) {
        return new Send("/msg " + target.title() + " " + text);
      }
      return actsOnCurrentRoom(line)
          ? inRoomOnly(line.split("\\s+", 2)[0].toLowerCase(Locale.ROOT), target)
          : new Send(line);
    }
    return command ? new Send(line) : new Send("/say " + target.title() + " " + text);
  }
}
