package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.trust.KnownServers;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

  @Test
  void aServerIsHostAndPortOrAHostAlone() {
    assertEquals(Map.entry("10.0.0.2", 50007), ClientSettings.server("10.0.0.2:50007"));
    assertEquals(Map.entry("chat.example", 0), ClientSettings.server("chat.example"));
    assertEquals(Map.entry("::1", 6000), ClientSettings.server("[::1]:6000"));
    assertEquals(Map.entry("::1", 0), ClientSettings.server("::1"));
    for (String bad : List.of("", ":6000", "h:", "h:0", "h:70000", "h:+6", "[::1]x",
        "[::1")) {
      IllegalArgumentException refused = assertThrows(
          IllegalArgumentException.class, () -> ClientSettings.server(bad));
      assertTrue(
          refused.getMessage().endsWith("not \"" + bad + "\""), refused.getMessage());
    }
  }

  @Test
  void theServersOfAChatAreTriedInTurn() {
    ClientSettings first = new ClientSettings("h", 6000, 10)
        .withServers(List.of("a:1", "b", "c:3"));
    assertEquals("a", first.host());
    assertEquals(1, first.port());
    assertEquals(List.of("b:6000", "c:3"), first.others(), "b has the port given");
    ClientSettings second = first.next();
    assertEquals("b", second.host());
    assertEquals(6000, second.port());
    ClientSettings third = second.next();
    assertEquals("c", third.host());
    assertEquals("a", third.next().host(), "and round again");
    assertEquals(Optional.of("pw"), first.withPassword("pw").next().password(),
        "the password goes to every server");
  }

  @Test
  void theNodesAWelcomeNamesAreTriedAfterThoseGiven() {
    ClientSettings given = new ClientSettings("a", 1, 10).withServers("a:1,b:2");
    ClientSettings learnt = given.withOthersKnown(List.of("a:1", "c:3", "b:2"));
    assertEquals(List.of("b:2", "c:3"), learnt.others(), "itself and known ones once");
    assertEquals(learnt, learnt.withOthersKnown(List.of("c:3")));
    assertThrows(IllegalArgumentException.class, () -> given.withOthersKnown(List.of("c:")));
  }

  @Test
  void severalServersAreForPlainTextForNow() {
    IllegalArgumentException refused = assertThrows(
        IllegalArgumentException.class,
        () -> new ClientSettings("h", 6000, 10).withTls().withServers(List.of("a", "b")));
    assertEquals("several servers work with plain text for now; with TLS give one",
        refused.getMessage());
  }
}
