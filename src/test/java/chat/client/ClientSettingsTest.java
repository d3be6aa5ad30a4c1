package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.trust.KnownServers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClientSettingsTest {

  private static ClientSettings fromConfig(String overrides) {
    Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load());
    return ClientSettings.fromConfig(config);
  }

  @Test
  void byDefaultPlainTextWithoutAPasswordAndTheUsualKnownServersFile() {
    ClientSettings settings = fromConfig("");
    assertFalse(settings.tls().enabled());
    assertEquals(50007, settings.port());
    assertEquals(50443, settings.tls().defaultPort());
    assertEquals(Optional.empty(), settings.password());
    assertEquals(KnownServers.defaultFile(), settings.tls().knownServers());
  }

  @Test
  void tlsFromTheConfigurationUsesTheTlsPort() {
    ClientSettings settings =
        fromConfig("chat.client { tls = on, tls-port = 6443, password = pw,"
            + " known-servers = \"/tmp/servers\" }");
    assertTrue(settings.tls().enabled());
    assertEquals(6443, settings.port());
    assertEquals(Optional.of("pw"), settings.password());
    assertEquals(Path.of("/tmp/servers"), settings.tls().knownServers());
    assertEquals(settings, settings.withTls(), "already on: the port stays");
  }

  @Test
  void aPasswordWithALineBreakCannotBeSent() {
    assertThrows(IllegalArgumentException.class,
        () -> new ClientSettings("h", 1, 10).withPassword("a\nPASS:b"));
  }
}
