package chat.server;

import java.util.List;
import java.util.Locale;

/**
 * The commands an operator types on the server's standard input, parsed into typed values. The
 * {@link Supervisor} owns the input and carries the commands out.
 */
final class AdminConsole {

  static final String HELP =
      String.join(
          "\n",
          "Admin commands:",
          "  !who         list who is online",
          "  !exitserver  tell every client and shut the server down",
          "  !help        show this list");

  private AdminConsole() {}

  sealed interface Command {}

  enum ExitServer implements Command {
    INSTANCE
  }

  enum Who implements Command {
    INSTANCE
  }

  enum Help implements Command {
    INSTANCE
  }

  enum Blank implements Command {
    INSTANCE
  }

  record Unknown(String text) implements Command {}

  static Command parse(String line) {
    String text = line.strip();
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "" -> Blank.INSTANCE;
      case "!exitserver" -> ExitServer.INSTANCE;
      case "!who" -> Who.INSTANCE;
      case "!help" -> Help.INSTANCE;
      default -> new Unknown(text);
    };
  }

  static String unknown(String text) {
    return "Unknown command '" + text + "'. Type !help for the list.";
  }

  static String online(List<String> names) {
    return names.isEmpty()
        ? "No one is online."
        : "Online (" + names.size() + "): " + String.join(", ", names);
  }
}
