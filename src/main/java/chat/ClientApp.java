package chat;

import chat.client.Backoff;
import chat.client.ClientOptions;
import chat.client.ClientSettings;
import chat.client.ClientSystem;
import chat.client.PipedFront;
import chat.client.terminal.TerminalFront;
import chat.support.Configs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.LoggerFactory;

/**
 * Starts the chat client: reads the options and the configuration, then runs the terminal front
 * when standard input is a terminal and the piped front otherwise, and exits with its code.
 */
public final class ClientApp {

  private ClientApp() {}

  public static void main(String[] args) {
    // Before anything touches SLF4J: the client logs only problems, to standard error.
    System.setProperty("logback.configurationFile", "logback-client.xml");
    LoggerFactory.getLogger(ClientApp.class);
    PrintStream out = utf8(FileDescriptor.out);
    PrintStream err = utf8(FileDescriptor.err);
    int exitCode =
        ClientOptions.execute(
            args,
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            options -> run(options, out, err));
    System.exit(exitCode);
  }

  private static int run(ClientOptions options, PrintStream out, PrintStream err) {
    Config config;
    ClientSettings settings;
    DateTimeFormatter clock;
    try {
      config = Configs.client();
      settings = options.applyTo(ClientSettings.fromConfig(config));
      String timeFormat = config.getString("chat.client.time-format");
      try {
        clock = DateTimeFormatter.ofPattern(timeFormat);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "chat.client.time-format \"" + timeFormat + "\" is no time pattern: " + e.getMessage());
      }
    } catch (ConfigException | IllegalArgumentException e) {
      err.println("Bad configuration: " + e.getMessage());
      return 2;
    }
    ActorSystem<Void> system = ClientSystem.start(config);
    try {
      if (System.console() == null) {
        return new PipedFront(system).run(settings, options.name(), System.in, out, err);
      }
      TerminalFront.Options look =
          new TerminalFront.Options(
              options.color(System.getenv()),
              Optional.of(TerminalFront.defaultHistoryFile()),
              Backoff.DEFAULT,
              clock,
              Optional.of(TerminalFront.defaultSettingsFile()));
      return new TerminalFront(system, look).run(settings, options.name());
    } finally {
      ClientSystem.stop(system);
    }
  }

  /** The protocol is UTF-8, so what the client prints is too, whatever the locale says. */
  private static PrintStream utf8(FileDescriptor descriptor) {
    return new PrintStream(new FileOutputStream(descriptor), true, StandardCharsets.UTF_8);
  }
}
