package chat.testing;

import chat.server.ChatServer;
import chat.tls.ServerIdentity;
import chat.support.Configs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.javadsl.Source;

/**
 * A real chat server for client tests: on {@code 127.0.0.1} with free plain and TLS ports, no
 * idle shutdown, and its TLS identity in a data directory the test gives (a {@code @TempDir}).
 */
public final class RunningServer implements AutoCloseable {

  public static final Duration WAIT = Duration.ofSeconds(10);

  private final ChatServer server;
  private final ChatServer.Addresses addresses;
  private final Path dataDir;

  private RunningServer(ChatServer server, ChatServer.Addresses addresses, Path dataDir) {
    this.server = server;
    this.addresses = addresses;
    this.dataDir = dataDir;
  }

  /** Starts a server; {@code overrides} is HOCON such as {@code chat.server.password = x}. */
  public static RunningServer start(Path dataDir, String overrides) throws Exception {
    Config config =
        ConfigFactory.parseString(overrides)
            .withFallback(ConfigFactory.parseString(
                "chat.server { host = \"127.0.0.1\", port = 0, tls.port = 0,"
                    + " web.enabled = off, idle-shutdown = off }\nchat.history.store = memory"))
            .withFallback(
                ConfigFactory.parseMap(Map.of("chat.server.data-dir", dataDir.toString())))
            .withFallback(Configs.serverTuning())
        .withFallback(ConfigFactory.load())
            .resolve();
    ChatServer server = ChatServer.start(config, Source.never(), line -> {});
    ChatServer.Addresses addresses =
        server.bound().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    return new RunningServer(server, addresses, dataDir);
  }

  public static RunningServer start(Path dataDir) throws Exception {
    return start(dataDir, "");
  }

  /** A server with its plain-text listener only: no TLS, so no data directory is touched. */
  public static RunningServer plainOnly(String overrides) throws Exception {
    return start(Path.of("data"), "chat.server.tls.enabled = off\n" + overrides);
  }

  public InetSocketAddress plain() {
    return addresses.plain().orElseThrow(() -> new IllegalStateException("no plain listener"));
  }

  public InetSocketAddress tls() {
    return addresses.tls().orElseThrow(() -> new IllegalStateException("no TLS listener"));
  }

  /** The SHA-256 fingerprint of the server's certificate, as it logs it. */
  public String fingerprint() throws IOException, GeneralSecurityException {
    return ServerIdentity.loadOrCreate(dataDir).fingerprint();
  }

  @Override
  public void close() throws Exception {
    server.stop().toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }
}
