package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.tls.PinnedTrustManager;
import chat.tls.ServerIdentity;
import chat.tls.TlsContexts;
import chat.testing.LineClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TLS listener and the server password, over real sockets on loopback. */
@ExtendWith(LogCapturingExtension.class)
class TlsEndToEndTest {

  private static String fingerprint() throws Exception {
    return ServerIdentity.loadOrCreate(TestServer.DATA_DIR).fingerprint();
  }

  /** A TLS connection that trusts only the given fingerprint; the handshake happens here. */
  private static LineClient tls(InetSocketAddress address, String fingerprint) throws Exception {
    SSLSocket socket = (SSLSocket) TlsContexts.client(new PinnedTrustManager(fingerprint))
        .getSocketFactory().createSocket();
    socket.connect(address, 5000);
    socket.setSoTimeout(5000);
    socket.startHandshake();
    return LineClient.over(socket);
  }

  @Test
  void tlsAndPlainUsersChatTogether() throws Exception {
    try (TestServer server = TestServer.start();
        LineClient plain = server.joined("plain");
        LineClient secure = tls(server.addresses.tls().orElseThrow(), fingerprint())) {
      secure.send("JOIN:secure");
      secure.expect("secure has joined the chat.");
      plain.expect("secure has joined the chat.");
      secure.send("over TLS 1.3");
      plain.expect("secure: over TLS 1.3");
      plain.send("in the clear");
      secure.expect("plain: in the clear");
      secure.send("!quit");
      secure.expect("secure left the chat.");
      secure.expectClosed();
    }
  }

  @Test
  void aChangedCertificateIsRefusedByAPinningClient() throws Exception {
    try (TestServer server = TestServer.start()) {
      String wrong = "AB:" + fingerprint().substring(3);
      assertThrows(SSLException.class, () -> tls(server.addresses.tls().orElseThrow(), wrong));
    }
  }

  @Test
  void plainClientOnTheTlsPortAndTlsClientOnThePlainPortFailClearlyAndHarmNothing()
      throws Exception {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice")) {
      try (Socket raw = new Socket()) {
        raw.connect(server.addresses.tls().orElseThrow(), 5000);
        raw.setSoTimeout(5000);
        LineClient confused = LineClient.over(raw);
        confused.send("JOIN:mallory");
        // The TLS stage rejects what is not a handshake and closes the connection.
        assertTrue(endsWithoutALine(confused));
      }
      assertThrows(SSLException.class, () -> tls(server.address, fingerprint()));
      try (LineClient secure = tls(server.addresses.tls().orElseThrow(), fingerprint())) {
        secure.send("JOIN:bob");
        secure.expect("bob has joined the chat.");
        alice.expect("bob has joined the chat.");
      }
    }
  }

  private static boolean endsWithoutALine(LineClient client) {
    try {
      return client.readLine() == null;
    } catch (UncheckedIOException reset) {
      return reset.getCause() instanceof IOException;
    }
  }

  @Test
  void theIdentityIsKeptAcrossRestarts() throws Exception {
    Path dataDir = Files.createTempDirectory("pekko-chat-restart");
    String dir = "chat.server.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\"";
    String first;
    try (TestServer server = TestServer.start(dir)) {
      first = ServerIdentity.loadOrCreate(dataDir).fingerprint();
      tls(server.addresses.tls().orElseThrow(), first).close();
    }
    try (TestServer again = TestServer.start(dir);
        LineClient secure = tls(again.addresses.tls().orElseThrow(), first)) {
      secure.send("JOIN:returning");
      secure.expect("returning has joined the chat.");
    }
  }

  @Test
  void aServerPasswordIsAskedForAndCheckedBeforeJoin() throws Exception {
    String config = "chat.server { password = \"open sesame\", plain.enabled = off }";
    try (TestServer server = TestServer.start(config)) {
      InetSocketAddress address = server.addresses.tls().orElseThrow();
      try (LineClient noPassword = tls(address, fingerprint())) {
        noPassword.send("JOIN:alice");
        noPassword.expect("SET_USERNAME: This server needs a password: send PASS:<password> before JOIN:<username>.");
      }
      try (LineClient wrong = tls(address, fingerprint())) {
        wrong.send("PASS:open sezame");
        wrong.expect("ERROR: Wrong password; closing the connection.");
        wrong.expectClosed();
      }
      try (LineClient right = tls(address, fingerprint())) {
        right.send("PASS:open sesame");
        right.send("JOIN:alice");
        right.expect("alice has joined the chat.");
      }
    }
  }

  @Test
  void anAddressThatKeepsGuessingThePasswordIsTurnedAwayForAWhile() throws Exception {
    String config = "chat.server { password = \"open sesame\", plain.enabled = off,"
        + " exempt-addresses = [], wrong-passwords { burst = 2, interval = 1h } }";
    try (TestServer server = TestServer.start(config)) {
      InetSocketAddress address = server.addresses.tls().orElseThrow();
      for (String guess : new String[] {"guess one", "guess two"}) {
        try (LineClient guesser = tls(address, fingerprint())) {
          guesser.send("PASS:" + guess);
          guesser.expect("ERROR: Wrong password; closing the connection.");
          guesser.expectClosed();
        }
      }
      // The refusal comes at connect, before the handshake's first line is read; the right
      // password does not help either until the hour is up.
      try (LineClient third = tls(address, fingerprint())) {
        third.send("PASS:open sesame");
        third.expect("ERROR: Too many wrong passwords from your address; try again in 3600 seconds.");
        third.expectClosed();
      }
    }
  }

  @Test
  void aPasswordOnAPlainTextServerIsRefusedUnlessAllowed() {
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
        () -> ServerSettings.fromConfig(TestServer.config("chat.server.password = x")));
    assertTrue(refused.getMessage().contains("chat.server.password-on-plain"), refused.getMessage());
    assertEquals(true, ServerSettings.fromConfig(TestServer.config(
        "chat.server { password = x, password-on-plain = on }")).password().isPresent());
  }
}
