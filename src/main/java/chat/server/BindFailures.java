package chat.server;

import java.net.BindException;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What to tell the operator when the server cannot listen: one line that names the ports and the
 * settings (and options) to change. Plain logic, used by the {@link Gatekeeper}.
 */
final class BindFailures {

  /** One listener that could not bind: its kind, its port, and why. */
  record Failure(Listener.Kind kind, int port, Throwable cause) {

    String described() {
      return port + " (" + kind.label + ")";
    }

    boolean inUse() {
      return message().contains("already in use");
    }

    String message() {
      for (Throwable cause = this.cause; cause != null; cause = cause.getCause()) {
        if (cause instanceof BindException || cause.getCause() == null) {
          String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
          // Pekko prefixes the endpoint: "[/0.0.0.0:50007] Address already in use".
          return message.replaceFirst("^\\[[^]]*] ", "").toLowerCase(Locale.ROOT);
        }
      }
      return "unknown";
    }
  }

  private static final String PORT_SETTINGS =
      "chat.server.port and chat.server.tls.port (options --port and --tls-port)";

  private static final String PORT_SETTINGS_WITH_WEB = "chat.server.port, chat.server.tls.port"
      + " and chat.server.web.port (options --port, --tls-port and --web-port)";

  private BindFailures() {}

  /** The line for the listeners that failed (at least one) on {@code host}. */
  static String describe(List<Failure> unordered, String host) {
    // The plain port first, whichever listener failed first.
    List<Failure> failures = unordered.stream()
        .sorted(Comparator.comparing(Failure::kind)).toList();
    String settings = failures.stream().anyMatch(failure -> failure.kind() == Listener.Kind.WEB)
        ? PORT_SETTINGS_WITH_WEB : PORT_SETTINGS;
    Failure first = failures.get(0);
    String ports = failures.stream().map(Failure::described).collect(Collectors.joining(" and "));
    String plural = failures.size() > 1 ? "s " : " ";
    if (failures.stream().allMatch(Failure::inUse)) {
      return "Cannot listen: port" + plural + ports + (failures.size() > 1 ? " are" : " is")
          + " in use by another program (another chat server?). Stop it, or choose free ports"
          + " with " + settings + ".";
    }
    if (first.message().contains("cannot assign requested address")) {
      return "Cannot listen on " + host + ": no network interface of this machine has that"
          + " address. Change chat.server.host (option --host); 0.0.0.0 means all of them.";
    }
    if (first.message().contains("permission denied")) {
      return "Cannot listen on port" + plural + ports + ": ports below 1024 need administrator"
          + " rights. Choose higher ports with " + settings + ".";
    }
    return "Cannot listen on " + host + ", port" + plural + ports + ": "
        + failures.stream().map(Failure::message).distinct().collect(Collectors.joining("; "))
        + ". Check chat.server.host (--host) and " + settings + ".";
  }
}
