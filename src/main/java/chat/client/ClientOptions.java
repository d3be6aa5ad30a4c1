package chat.client;

import chat.support.CommandLines;
import chat.support.Version;
import chat.tls.Fingerprints;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The client's command-line options, parsed by picocli. {@link chat.ClientApp} runs {@link
 * #execute} with what to do once the options are known; help and bad options are answered here.
 */
@Command(
    name = "chat-client",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description =
        "Joins a pekko-chat server from the terminal, or from a pipe (one line per message).",
    footer = {
      "",
      "--host, --port and --password override chat.client.host, chat.client.port and",
      "chat.client.password from conf/application.conf.",
      "Without --name the client asks for one; from a pipe the first line is the name.",
      "Colour is on in a terminal unless --no-color is given or the NO_COLOR",
      "environment variable is set (to anything but the empty string).",
      "If the connection drops, the client reconnects and shows what was missed.",
      "Type !quit or /quit (or Ctrl+D, Ctrl+C) to leave; /help in the chat lists keys",
      "and commands.",
      "",
      "Encryption: with --tls (or chat.client.tls = on) the client connects to",
      "chat.client.tls-port (50443) unless --port is given. A certificate signed by an",
      "authority the JDK trusts is accepted as usual. A server's own (self-signed)",
      "certificate is trusted on first use, as ssh does: the client shows its SHA-256",
      "fingerprint (the server logs it at start-up) and asks; a yes is remembered in",
      "~/.pekko-chat/known_servers (chat.client.known-servers), one line",
      "'host:port fingerprint' per server. Later, another certificate for that server",
      "is refused with a warning; to accept a new one, delete the server's line from",
      "that file. From a pipe the client never asks: give --trust, or connect once",
      "from a terminal.",
      "A server with a password refuses to join without it: the terminal asks for it",
      "(hidden); from a pipe give --password or chat.client.password."
    })
public final class ClientOptions {

  @Spec private CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Server to connect to (overrides chat.client.host), or the nodes of one"
          + " chat in turn: a:50007,b:50007,c:50007 (plain text).")
  private String host;

  private Integer port;

  @Option(names = "--name", paramLabel = "NAME", description = "Username to join with.")
  private String name;

  @Option(
      names = "--tls",
      description =
          "Connect with TLS, to chat.client.tls-port (50443) unless --port is given.")
  private boolean tls;

  private String trust;

  @Option(
      names = "--password",
      paramLabel = "PASSWORD",
      description =
          "The server password (overrides chat.client.password). Others on this computer can"
              + " see options in the process list: prefer the terminal's prompt.")
  private String password;

  @Option(
      names = "--no-color",
      description = "Plain text in the terminal, without colours (as NO_COLOR does).")
  private boolean noColor;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "Server port, 1 to 65535 (overrides chat.client.port).")
  void setPort(int value) {
    if (value < 1 || value > 65535) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--port': " + value + " is not a port number (1 to 65535).");
    }
    port = value;
  }

  @Option(
      names = "--trust",
      paramLabel = "SHA256",
      description =
          "Trust only the server certificate with this SHA-256 fingerprint (as the server logs"
              + " it; colons optional, any case), without asking. Implies --tls.")
  void setTrust(String value) {
    if (!Fingerprints.isValid(value)) {
      throw new ParameterException(
          spec.commandLine(),
          "Invalid value for option '--trust': " + value
              + " is not a SHA-256 fingerprint (64 hex digits, colons optional).");
    }
    trust = value;
  }

  /**
   * Parses {@code args} and runs {@code action} with the options. Returns the action's exit code, 0
   * after {@code --help} or {@code --version}, or 2 after printing what is wrong with the options.
   */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, ToIntFunction<ClientOptions> action) {
    ClientOptions options = new ClientOptions();
    return CommandLines.execute(options, args, out, err, () -> action.applyAsInt(options));
  }

  /**
   * The settings from the configuration with the options applied: {@code --tls} (or {@code
   * --trust}) first, so that {@code --port} wins over the TLS port.
   */
  public ClientSettings applyTo(ClientSettings settings) {
    ClientSettings applied = settings;
    if (tls || trust != null) {
      applied = applied.withTls();
    }
    if (trust != null) {
      applied = applied.withPin(trust);
    }
    if (password != null && !password.isEmpty()) {
      applied = applied.withPassword(password);
    }
    applied = port == null ? applied : applied.withPort(port);
    // A server without its port has the one above.
    return host == null ? applied : applied.withServers(host);
  }

  /**
   * Whether the terminal shows colours: not with {@code --no-color}, nor when the environment has
   * a non-empty {@code NO_COLOR} (see no-color.org).
   */
  public boolean color(Map<String, String> environment) {
    String noColorVariable = environment.get("NO_COLOR");
    return !noColor && (noColorVariable == null || noColorVariable.isEmpty());
  }

  /** The {@code --name} given, if any. */
  public Optional<String> name() {
    return Optional.ofNullable(name);
  }
}
