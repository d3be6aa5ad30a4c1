package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.cluster.ClusterSettings;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<ServerOptions> parsed = new AtomicReference<>();

  private int execute(String... args) {
    return ServerOptions.execute(args, new PrintWriter(out, true), new PrintWriter(err, true),
        options -> {
          parsed.set(options);
          return 0;
        });
  }

  /** The settings a server would run with: the options over what the configuration says. */
  private ServerSettings settings(String configured) {
    Config config = parsed.get().asConfig()
        .withFallback(ConfigFactory.parseString(configured))
        .withFallback(ConfigFactory.load())
        .resolve();
    return ServerSettings.fromConfig(config);
  }

  @Test
  void optionsWinOverTheConfiguration() {
    assertEquals(0, execute("--host", "127.0.0.1", "--port", "52030", "--tls-port", "52443",
        "--data-dir", "/tmp/chat-data", "--idle-shutdown", "5m"));
    ServerSettings settings = settings("chat.server { port = 6000, tls.port = 6443 }");
    assertEquals("127.0.0.1", settings.host());
    assertEquals(52030, settings.port());
    assertEquals(52443, settings.tls().port());
    assertTrue(settings.tls().enabled());
    assertEquals("/tmp/chat-data", settings.tls().dataDir().toString());
    assertEquals(Optional.of(Duration.ofMinutes(5)), settings.idleShutdown());
  }

  @Test
  void noTlsAndIdleShutdownOffTurnThoseOff() {
    assertEquals(0, execute("--no-tls", "--idle-shutdown", "off"));
    ServerSettings settings = settings("");
    assertFalse(settings.tls().enabled());
    assertEquals(Optional.empty(), settings.idleShutdown());
  }

  @Test
  void clusterOptionsSetTheClusterKeys() {
    assertEquals(0, execute("--cluster", "--cluster-host", "10.0.0.1", "--cluster-port", "2552",
        "--seed-nodes", "10.0.0.2:17355, 10.0.0.3:17355"));
    ClusterSettings cluster = ClusterSettings.fromConfig(parsed.get().asConfig()
        .withFallback(ConfigFactory.load()).resolve());
    assertTrue(cluster.enabled());
    assertEquals("10.0.0.1", cluster.host());
    assertEquals(2552, cluster.port());
    assertEquals(List.of("10.0.0.2:17355", "10.0.0.3:17355"), cluster.seedNodes());
  }

  @Test
  void aSeedNodeThatIsNotHostAndPortIsTwoWithTheReason() {
    assertEquals(2, execute("--seed-nodes", "10.0.0.2"));
    assertTrue(err.toString().contains("host:port entries (such as 10.0.0.2:17355), not"
        + " \"10.0.0.2\""), err.toString());
    assertEquals(2, execute("--cluster-port", "70000"));
    assertNull(parsed.get());
  }

  @Test
  void withoutOptionsTheConfigurationStands() {
    assertEquals(0, execute());
    assertEquals(6000, settings("chat.server.port = 6000").port());
  }

  @Test
  void helpNamesEveryOptionWithItsKey() {
    assertEquals(0, execute("--help"));
    assertNull(parsed.get(), "help does not start a server");
    String usage = out.toString();
    for (String expected : new String[] {"--host", "chat.server.host", "--port", "--tls-port",
        "chat.server.tls.port", "--no-tls", "--data-dir", "--idle-shutdown", "--version",
        "--port 6000 --tls-port 6443"}) {
      assertTrue(usage.contains(expected), expected + " in\n" + usage);
    }
  }

  @Test
  void versionIsTheProjects() {
    assertEquals(0, execute("--version"));
    assertTrue(out.toString().matches("pekko-chat \\d+\\.\\d+\\.\\d+\\S*\\R"), out.toString());
  }

  @Test
  void aBadPortOrAnUnknownOptionIsTwoWithTheReason() {
    assertEquals(2, execute("--port", "65536"));
    assertTrue(err.toString().contains("65536 is not a port (0 to 65535)"), err.toString());
    assertEquals(2, execute("--colour"));
    assertTrue(err.toString().contains("Unknown option: '--colour'"), err.toString());
    assertNull(parsed.get());
  }
}
