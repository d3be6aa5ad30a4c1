package chat.client.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ChatClient;
import chat.client.ClientSettings;
import chat.testing.FakeServer;
import chat.testing.RunningServer;
import chat.tls.ServerIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.stream.javadsl.Source;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Meeting a real server: what the probe sees, and what the user is asked and told. */
@ExtendWith(LogCapturingExtension.class)
class ServerTrustTest {

  static final ActorTestKit testKit = ActorTestKit.create();
  static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path home;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private KnownServers known() {
    return new KnownServers(home.resolve("known_servers"));
  }

  private ServerTrust trust() {
    return new ServerTrust(known(), CertificateProbe.systemAuthorities(), TIMEOUT);
  }

  /** An asker that notes what it was shown and gives one answer. */
  private static final class Answering implements ServerTrust.Asker {
    final List<String> shown = new ArrayList<>();
    final boolean answer;

    Answering(boolean answer) {
      this.answer = answer;
    }

    @Override
    public boolean confirm(List<String> explanation, String question) {
      shown.addAll(explanation);
      shown.add(question);
      return answer;
    }
  }

  @Test
  void anUnknownServerIsExplainedAskedAboutAndRememberedOnYes(@TempDir Path data)
      throws Exception {
    try (RunningServer server = RunningServer.start(data)) {
      int port = server.tls().getPort();
      Answering yes = new Answering(true);
      ServerTrust.Outcome outcome =
          trust().establish("127.0.0.1", port, Optional.empty(), Optional.of(yes));
      ServerTrust.Ready ready = assertInstanceOf(ServerTrust.Ready.class, outcome);
      assertEquals(server.fingerprint(), ready.server().fingerprint());
      assertTrue(yes.shown.contains("  " + server.fingerprint()), yes.shown::toString);
      assertTrue(yes.shown.get(yes.shown.size() - 1).endsWith("[y/N] "));
      assertEquals(
          Optional.of(new KnownServers.Entry(1, server.fingerprint())),
          known().find("127.0.0.1", port));

      Answering notAsked = new Answering(false);
      ServerTrust.Outcome again =
          trust().establish("127.0.0.1", port, Optional.empty(), Optional.of(notAsked));
      assertEquals(TrustDecision.Basis.KNOWN,
          assertInstanceOf(ServerTrust.Ready.class, again).server().basis());
      assertTrue(notAsked.shown.isEmpty(), "a known server is not asked about");
    }
  }

  @Test
  void noAnswerRefusesAndRemembersNothing(@TempDir Path data) throws Exception {
    try (RunningServer server = RunningServer.start(data)) {
      ServerTrust.Outcome outcome =
          trust().establish("127.0.0.1", server.tls().getPort(), Optional.empty(),
              Optional.of(new Answering(false)));
      ServerTrust.Refused refused = assertInstanceOf(ServerTrust.Refused.class, outcome);
      assertFalse(refused.warning());
      assertFalse(Files.exists(known().file()));
    }
  }

  @Test
  void aCertificateSignedByATrustedAuthorityIsTrustedWithoutAskingNorRemembering(
      @TempDir Path data) throws Exception {
    try (RunningServer server = RunningServer.start(data)) {
      // The server's own certificate as an authority: PKIX accepts it for 127.0.0.1.
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("server", ServerIdentity.loadOrCreate(data).certificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      X509ExtendedTrustManager authorities = null;
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          authorities = x509;
        }
      }
      Answering never = new Answering(false);
      int port = server.tls().getPort();
      ServerTrust.Outcome outcome =
          new ServerTrust(known(), authorities, TIMEOUT)
              .establish("127.0.0.1", port, Optional.empty(), Optional.of(never));
      TrustedServer trusted = assertInstanceOf(ServerTrust.Ready.class, outcome).server();
      assertEquals(TrustDecision.Basis.PKIX, trusted.basis());
      assertTrue(never.shown.isEmpty());
      assertFalse(Files.exists(known().file()));

      // The chat connection checks the same authorities, and the name.
      TestProbe<String> lines = testKit.createTestProbe();
      ClientSettings settings = new ClientSettings("127.0.0.1", port, 4096);
      ChatClient client =
          ChatClient.connect(testKit.system(), settings, Optional.of(trusted),
              Source.single("JOIN:pat"), lines.ref()::tell);
      lines.expectMessage("pat has joined the chat.");
      client.abort();
    }
  }

  @Test
  void aPlainTextPortFailsTheHandshakeWithAHint(@TempDir Path data) throws Exception {
    try (RunningServer server = RunningServer.start(data)) {
      ServerTrust.Outcome outcome =
          trust().establish("127.0.0.1", server.plain().getPort(), Optional.empty(),
              Optional.of(new Answering(true)));
      List<String> message = assertInstanceOf(ServerTrust.Refused.class, outcome).message();
      assertEquals(1, message.size(), message::toString);
      assertTrue(message.get(0).startsWith("TLS handshake with 127.0.0.1:"), message::toString);
      assertTrue(message.get(0).endsWith("; is this a plain-text port? drop --tls"));
    }
  }

  @Test
  void aClosedPortIsOneLine() throws Exception {
    int port = FakeServer.closedPort();
    ServerTrust.Outcome outcome =
        trust().establish("127.0.0.1", port, Optional.empty(), Optional.empty());
    assertEquals(
        List.of("Cannot connect to 127.0.0.1:" + port + ": Connection refused"),
        assertInstanceOf(ServerTrust.Refused.class, outcome).message());
  }

  @Test
  void aKnownServersFileThatCannotBeReadRefusesRatherThanAsks(@TempDir Path data)
      throws Exception {
    Files.createDirectories(known().file()); // a directory where the file should be
    try (RunningServer server = RunningServer.start(data)) {
      Answering asked = new Answering(true);
      ServerTrust.Outcome outcome =
          trust().establish("127.0.0.1", server.tls().getPort(), Optional.empty(),
              Optional.of(asked));
      List<String> message = assertInstanceOf(ServerTrust.Refused.class, outcome).message();
      assertTrue(message.get(0).startsWith("Cannot read " + known().file()), message::toString);
      assertTrue(asked.shown.isEmpty(), "whether the server changed cannot be told");
    }
  }
}
