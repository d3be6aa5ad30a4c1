package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {

  private static ServerSettings settings(String overrides) {
    return ServerSettings.fromConfig(
        ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void theDefaultsProtectTheServer() {
    ServerSettings defaults = settings("");
    assertEquals(256 * 1024, defaults.outboxBytes());
    assertEquals(Duration.ofSeconds(30), defaults.slowClientTimeout());
    assertEquals(new RateLimit.Settings(true, 20, 200, 500), defaults.rate());
    assertEquals(20_000, defaults.maxConnections());
  }

  @Test
  void onlyTheServersOwnAddressesAreExemptByDefault() throws Exception {
    ServerSettings defaults = settings("");
    assertTrue(defaults.exempt(InetAddress.getByName("127.0.0.1")));
    assertTrue(defaults.exempt(InetAddress.getByName("::1")));
    assertFalse(defaults.exempt(InetAddress.getByName("192.168.1.20")));
    assertFalse(settings("chat.server.exempt-addresses = []").exempt(InetAddress.getByName("127.0.0.1")));
    // As -D flags give them: a string, separated by commas, maybe empty.
    assertFalse(settings("chat.server.exempt-addresses = \"\"").exempt(InetAddress.getByName("127.0.0.1")));
    ServerSettings two = settings("chat.server.exempt-addresses = \"10.0.0.7, ::1\"");
    assertTrue(two.exempt(InetAddress.getByName("10.0.0.7")));
    assertTrue(two.exempt(InetAddress.getByName("::1")));
    // The list's own spelling, copied into a -D flag, means the same as the list.
    ServerSettings none = settings("chat.server.exempt-addresses = \"[]\"");
    assertFalse(none.exempt(InetAddress.getByName("127.0.0.1")));
    ServerSettings quoted =
        settings("chat.server.exempt-addresses = \"[\\\"10.0.0.7\\\", \\\"::1\\\"]\"");
    assertTrue(quoted.exempt(InetAddress.getByName("10.0.0.7")));
    assertFalse(quoted.exempt(InetAddress.getByName("127.0.0.1")));
  }

  @Test
  void theWorstCaseOfFullOutboxesAndHistoriesIsCheckedAgainstTheHeap() {
    ServerSettings settings = settings("chat.server { max-connections = 1000, outbox-bytes = 96 KiB }"
        + "\nchat.room { max-rooms = 100, history-size = 512, history-bytes = 156 KiB }");
    assertEquals(1000L * 128 * 1024, settings.worstCaseOutboxBytes(), "outbox + 32 KiB each");
    assertEquals(100L * (156 * 1024 + 512 * 200), settings.room().worstCaseHistoryBytes(),
        "history-bytes + 200 B a message, each room");
    assertEquals(Optional.empty(), settings.memoryWarning(1L << 30));
    String warning = settings.memoryWarning(128L << 20).orElseThrow();
    assertTrue(warning.startsWith("Outboxes and room histories could need up to 150 MiB"
        + " (1000 connections x 128 KiB, 100 rooms x 256 KiB) but the heap is 128 MiB"), warning);
  }

  @Test
  void anOutboxTooSmallForALineIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> settings("chat.server.outbox-bytes = 100"));
  }
}
