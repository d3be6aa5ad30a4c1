package chat;

import chat.server.ChatServer;
import chat.server.ServerSettings;
import chat.support.Configs;
import chat.support.StandardInput;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import org.slf4j.LoggerFactory;

/**
 * Starts the chat server: {@code mvn exec:java -Dexec.mainClass=chat.ServerApp}. Reads the
 * configuration, starts the server with standard input as its admin console, and exits with the
 * server's exit code once it has stopped.
 */
public final class ServerApp {

  private ServerApp() {}

  public static void main(String[] args) {
    // Logging first, so SLF4J does not replay Pekko's early messages with a warning.
    LoggerFactory.getLogger(ServerApp.class);
    Config config;
    try {
      config = Configs.load();
      ServerSettings.fromConfig(config);
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("Configuration error: " + e.getMessage());
      System.exit(1);
      return;
    }
    ChatServer server =
        ChatServer.start(config, StandardInput.source(System.in, "admin-console"), System.out::println);
    System.exit(server.stopped().toCompletableFuture().join());
  }
}
