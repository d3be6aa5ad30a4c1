package chat.client;

import java.io.PrintWriter;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
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
    version = "pekko-chat client",
    description =
        "Joins a pekko-chat server from the terminal, or from a pipe (one line per message).",
    footer = {
      "",
      "--host and --port override chat.client.host and chat.client.port from",
      "conf/application.conf.",
      "Without --name the client asks for one; from a pipe the first line is the name.",
      "Colour is on in a terminal unless --no-color is given or the NO_COLOR",
      "environment variable is set (to anything but the empty string).",
      "If the connection drops, the client reconnects and shows what was missed.",
      "Type !quit or /quit (or Ctrl+D, Ctrl+C) to leave; /help in the chat lists keys",
      "and commands."
    })
public final class ClientOptions {

  @Spec private CommandSpec spec;

  @Option(
      names = "--host",
      paramLabel = "HOST",
      description = "Server to connect to (overrides chat.client.host).")
  private String host;

  private Integer port;

  @Option(names = "--name", paramLabel = "NAME", description = "Username to join with.")
  private String name;

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

  /**
   * Parses {@code args} and runs {@code action} with the options. Returns the action's exit code, 0
   * after {@code --help} or {@code --version}, or 2 after printing what is wrong with the options.
   */
  public static int execute(
      String[] args, PrintWriter out, PrintWriter err, ToIntFunction<ClientOptions> action) {
    ClientOptions options = new ClientOptions();
    return new CommandLine(options)
        .setOut(out)
        .setErr(err)
        .setExecutionStrategy(
            parsed -> {
              Integer help = CommandLine.executeHelpRequest(parsed);
              return help != null ? help : action.applyAsInt(options);
            })
        .execute(args);
  }

  /** The settings from the configuration with {@code --host} and {@code --port} applied. */
  public ClientSettings applyTo(ClientSettings settings) {
    ClientSettings withHost = host == null ? settings : settings.withHost(host);
    return port == null ? withHost : withHost.withPort(port);
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
