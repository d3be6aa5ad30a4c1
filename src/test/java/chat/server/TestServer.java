package chat.server;

import chat.support.StandardInput;
import chat.testing.LineClient;
import chat.support.Configs;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real server on {@code 127.0.0.1} and a free port, with its admin console on a pipe the test
 * writes to and its answers in a queue the test reads.
 */
final class TestServer implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);

  final ChatServer server;
  final InetSocketAddress address;
  final ChatServer.Addresses addresses;
  private final PipedOutputStream admin;
  private final BlockingQueue<String> console = new LinkedBlockingQueue<>();

  private TestServer(String overrides) {
    try {
      this.admin = new PipedOutputStream();
      PipedInputStream adminInput = new PipedInputStream(admin);
      this.server = ChatServer.start(config(overrides),
          StandardInput.source(adminInput, "test-admin"), console::add);
      this.addresses = server.bound().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      this.address = addresses.plain().orElse(null);
    } catch (Exception e) {
      throw new IllegalStateException("server did not start", e);
    }
  }

  /**
   * Loopback, free ports, no idle shutdown, a data directory of the test's own, and the history
   * in memory (a test of a database store names its own).
   */
  static Config config(String overrides) {
    return ConfigFactory.parseString(overrides)
        .withFallback(ConfigFactory.parseString(
            "chat.server { host = \"127.0.0.1\", port = 0, idle-shutdown = off, tls.port = 0,"
                + " web { enabled = off, port = 0 } }"
                + "\nchat.history.store = memory"))
        .withFallback(ConfigFactory.parseMap(java.util.Map.of("chat.server.data-dir", DATA_DIR.toString())))
        .withFallback(Configs.serverTuning())
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** One TLS identity for all test servers of this JVM, made on first use. */
  static final java.nio.file.Path DATA_DIR = temporaryDirectory();

  private static java.nio.file.Path temporaryDirectory() {
    try {
      java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pekko-chat-test");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestServer start() {
    return new TestServer("");
  }

  static TestServer start(String overrides) {
    return new TestServer(overrides);
  }

  LineClient joined(String name) {
    return LineClient.joined(address, name);
  }

  LineClient connect() {
    return LineClient.connect(address);
  }

  void admin(String line) {
    try {
      admin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      admin.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void closeAdmin() {
    try {
      admin.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The admin console's next answer. */
  String console() {
    try {
      String line = console.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no answer on the admin console within " + WAIT);
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the server to stop and gives its exit code. */
  int exitCode() {
    try {
      return server.stopped().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("server did not stop within " + WAIT, e);
    }
  }

  @Override
  public void close() {
    closeAdmin();
    try {
      server.stop().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("server did not stop", e);
    }
  }
}
