package chat;

import ch.qos.logback.classic.LoggerContext;
import chat.cluster.ClusterSettings;
import chat.history.JournalSchema;
import chat.server.ChatServer;
import chat.server.ServerOptions;
import chat.server.ServerSettings;
import chat.support.Configs;
import chat.support.StandardInput;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;

/**
 * Starts the chat server: {@code mvn exec:java -Dexec.mainClass=chat.ServerApp}. Reads the options
 * and the configuration, starts the server with standard input as its admin console, and exits
 * with the server's exit code once it has stopped (2 for bad options, 1 for a bad configuration).
 */
public final class ServerApp {

  /** How long the log waits at exit for a server that is still stopping. */
  private static final Duration STOP_WAIT = Duration.ofSeconds(60);

  private ServerApp() {}

  public static void main(String[] args) {
    System.exit(ServerOptions.execute(
        args, new PrintWriter(System.out, true), new PrintWriter(System.err, true), ServerApp::run));
  }

  private static int run(ServerOptions options) {
    // Logging first, so SLF4J does not replay Pekko's early messages with a warning.
    LoggerFactory.getLogger(ServerApp.class);
    Config config;
    try {
      config = Configs.server(options.asConfig());
      ClusterSettings.fromConfig(config).checkShared(ServerSettings.fromConfig(config).history());
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("Configuration error: " + e.getMessage());
      return 1;
    }
    ChatServer server;
    try {
      server = ChatServer.start(
          config, StandardInput.source(System.in, "admin-console"), System.out::println);
    } catch (JournalSchema.Unavailable e) {
      System.err.println(e.getMessage());
      return 1;
    }
    flushLogAtExit(server);
    return server.stopped().toCompletableFuture().join();
  }

  /**
   * The log goes through a queue and a thread of its own (logback.xml). However the process ends
   * (!exitserver, Ctrl+C, SIGTERM), this waits for the server to have stopped, and then for the
   * queue to be written, so the shutdown's own lines are not lost.
   */
  private static void flushLogAtExit(ChatServer server) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        server.stopped().toCompletableFuture().get(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException | TimeoutException e) {
        // Write what there is.
      }
      ((LoggerContext) LoggerFactory.getILoggerFactory()).stop();
    }, "log-flush"));
  }
}
