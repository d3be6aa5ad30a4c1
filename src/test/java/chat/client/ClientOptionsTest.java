package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ClientOptionsTest {

  private static final ClientSettings FROM_CONFIG = new ClientSettings("127.0.0.1", 50007, 4096);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final AtomicReference<ClientOptions> parsed = new AtomicReference<>();

  private int execute(String... args) {
    return ClientOptions.execute(
        args,
        new PrintWriter(out, true),
        new PrintWriter(err, true),
        options -> {
          parsed.set(options);
          return 0;
        });
  }

  @Test
  void optionsOverrideTheConfiguredHostAndPort() {
    assertEquals(0, execute("--host", "chat.example", "--port", "6000", "--name", "alice"));
    ClientOptions options = parsed.get();
    assertEquals(new ClientSettings("chat.example", 6000, 4096), options.applyTo(FROM_CONFIG));
    assertEquals(Optional.of("alice"), options.name());
  }

  @Test
  void aHostListGivesTheServersOfAChatEachWithItsPortOrTheOneGiven() {
    assertEquals(0, execute("--host", "a:6001, b ,c:6003", "--port", "6000"));
    ClientSettings settings = parsed.get().applyTo(FROM_CONFIG);
    assertEquals("a", settings.host());
    assertEquals(6001, settings.port());
    assertEquals(java.util.List.of("b:6000", "c:6003"), settings.others());
  }

  @Test
  void withoutOptionsTheConfigurationStands() {
    assertEquals(0, execute());
    assertEquals(FROM_CONFIG, parsed.get().applyTo(FROM_CONFIG));
    assertEquals(Optional.empty(), parsed.get().name());
  }

  @Test
  void helpNamesEveryOptionAndTheConfigKeys() {
    assertEquals(0, execute("--help"));
    assertNull(parsed.get(), "help does not run the client");
    String usage = out.toString();
    for (String expected :
        new String[] {
          "--host",
          "--port",
          "--name",
          "--help",
          "--no-color",
          "NO_COLOR",
          "chat.client.host",
          "chat.client.port",
          "conf/application.conf",
          "--tls",
          "--trust",
          "--password",
          "chat.client.tls-port",
          "~/.pekko-chat/known_servers",
          "host:port fingerprint"
        }) {
      assertTrue(usage.contains(expected), () -> "usage lacks " + expected + ":\n" + usage);
    }
  }

  @Test
  void colourIsOnUnlessTurnedOffByOptionOrEnvironment() {
    assertEquals(0, execute());
    assertTrue(parsed.get().color(Map.of()));
    assertTrue(parsed.get().color(Map.of("NO_COLOR", "")), "an empty NO_COLOR does not count");
    assertFalse(parsed.get().color(Map.of("NO_COLOR", "1")));
    assertEquals(0, execute("--no-color"));
    assertFalse(parsed.get().color(Map.of()));
  }

  @Test
  void portOutOfRangeIsRejectedWithExitCodeTwo() {
    assertEquals(2, execute("--port", "70000"));
    assertNull(parsed.get());
    assertTrue(
        err.toString()
            .contains(
                "Invalid value for option '--port': 70000 is not a port number (1 to 65535)."),
        err::toString);
    assertEquals(2, execute("--port", "0"));
  }

  @Test
  void portThatIsNoNumberIsRejected() {
    assertEquals(2, execute("--port", "abc"));
    assertTrue(err.toString().contains("'abc' is not an int"), err::toString);
  }

  @Test
  void unknownOptionIsRejected() {
    assertEquals(2, execute("--nmae", "alice"));
    assertTrue(err.toString().contains("Unknown options: '--nmae'"), err::toString);
  }

  static final String FINGERPRINT = "AB:" + "01:".repeat(30) + "CD";

  @Test
  void tlsGoesToTheTlsPortUnlessAPortIsGiven() {
    assertEquals(0, execute("--tls"));
    ClientSettings tls = parsed.get().applyTo(FROM_CONFIG);
    assertTrue(tls.tls().enabled());
    assertEquals(ClientSettings.Tls.DEFAULT_PORT, tls.port());
    assertEquals(0, execute("--port", "6001", "--tls"));
    assertEquals(6001, parsed.get().applyTo(FROM_CONFIG).port());
  }

  @Test
  void trustPinsAFingerprintAndImpliesTls() {
    String typed = FINGERPRINT.replace(":", "").toLowerCase(java.util.Locale.ROOT);
    assertEquals(0, execute("--trust", typed));
    ClientSettings pinned = parsed.get().applyTo(FROM_CONFIG);
    assertTrue(pinned.tls().enabled());
    assertEquals(Optional.of(typed), pinned.tls().pin());
    assertEquals(ClientSettings.Tls.DEFAULT_PORT, pinned.port());
  }

  @Test
  void aTrustThatIsNoFingerprintIsRejected() {
    assertEquals(2, execute("--trust", "abc"));
    assertNull(parsed.get());
    assertTrue(
        err.toString().contains("'--trust': abc is not a SHA-256 fingerprint"), err::toString);
  }

  @Test
  void passwordOverridesTheConfiguredOneAndIsNeverShown() {
    assertEquals(0, execute("--password", "open sesame"));
    ClientSettings settings = parsed.get().applyTo(FROM_CONFIG);
    assertEquals(Optional.of("open sesame"), settings.password());
    assertFalse(settings.toString().contains("sesame"), settings::toString);
    assertFalse(settings.tls().enabled(), "a password alone does not turn TLS on");
    assertEquals(0, execute("--password", ""));
    assertEquals(Optional.empty(), parsed.get().applyTo(FROM_CONFIG).password());
  }
}
