package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.tls.PinnedTrustManager;
import chat.tls.ServerIdentity;
import chat.tls.TlsContexts;
import chat.testing.LineClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
  void stalledHandshakesCountTowardsTheLimitsAndAreClosedWithinTheHandshakeTimeout()
      throws Exception {
    String config = "chat.server { exempt-addresses = [], max-connections-per-ip = 12,"
        + " tls.handshake-timeout = 1s, join-timeout = 30s }";
    try (TestServer server = TestServer.start(config)) {
      InetSocketAddress address = server.addresses.tls().orElseThrow();
      // Once through a handshake and a refusal first, so that the code and files they need are
      // loaded before the count of open files is taken.
      try (LineClient warm = tls(address, fingerprint())) {
        warm.send("JOIN:warm");
        warm.expect("warm has joined the chat.");
      }
      long base = awaitOpenFilesAtMost(Long.MAX_VALUE);
      List<Socket> stalled = new ArrayList<>();
      try {
        for (int i = 0; i < 12; i++) {
          Socket socket = new Socket();
          socket.connect(address, 5000);
          socket.setSoTimeout(5000);
          if (i % 2 == 1) {
            socket.getOutputStream().write(HALF_A_CLIENT_HELLO); // and never the rest
          }
          stalled.add(socket);
        }
        // Twelve connections that never finished a handshake fill the address's allowance.
        try (LineClient refused = tls(address, fingerprint())) {
          refused.expect(
              "ERROR: Too many connections from your address (12); close one and try again.");
          assertTrue(endsWithoutALine(refused));
        }
        long started = System.nanoTime();
        for (Socket socket : stalled) {
          assertTrue(closedByTheServer(socket), "a stalled connection was kept");
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, "closed after " + took);
      } finally {
        for (Socket socket : stalled) {
          socket.close();
        }
      }
      assertTrue(awaitOpenFilesAtMost(base) <= base, "the server kept file descriptors");
      // Their places are free again.
      try (LineClient again = tls(address, fingerprint())) {
        again.send("JOIN:again");
        again.expect("again has joined the chat.");
      }
    }
  }

  @Test
  void refusedTlsConnectionsPastTheFewHeldForTheirLineAreClosedAtOnce() throws Exception {
    String config = "chat.server { exempt-addresses = [], max-connections-per-ip = 2,"
        + " tls.handshake-timeout = 30s, join-timeout = 60s }";
    int past = 20;
    int opened = 2 + Sockets.REFUSALS_HELD + past;
    java.util.concurrent.ExecutorService readers =
        java.util.concurrent.Executors.newFixedThreadPool(opened);
    List<Socket> sockets = new ArrayList<>();
    try (TestServer server = TestServer.start(config)) {
      InetSocketAddress address = server.addresses.tls().orElseThrow();
      for (int i = 0; i < opened; i++) {
        Socket socket = new Socket();
        socket.connect(address, 5000);
        socket.setSoTimeout(3000);
        sockets.add(socket);
      }
      // None of them sends a byte: those the server keeps wait for a handshake (the two it took
      // and the refusals it holds for their line), the rest are closed at once.
      List<java.util.concurrent.Future<Boolean>> closed = new ArrayList<>();
      for (Socket socket : sockets) {
        closed.add(readers.submit(() -> closedByTheServer(socket)));
      }
      int count = 0;
      for (java.util.concurrent.Future<Boolean> one : closed) {
        count += one.get() ? 1 : 0;
      }
      assertEquals(past, count);
    } finally {
      readers.shutdownNow();
      for (Socket socket : sockets) {
        socket.close();
      }
    }
  }

  @Test
  void aTlsClientThatNeverJoinsIsToldAndItsSocketClosed() throws Exception {
    String config = "chat.server { join-timeout = 500ms, join-hint = 100ms, close-linger = 200ms }";
    try (TestServer server = TestServer.start(config);
        LineClient silent = tls(server.addresses.tls().orElseThrow(), fingerprint())) {
      silent.expect("To join the chat, send JOIN:<your name> (as in JOIN:alice) within 400 ms.");
      silent.expect("ERROR: No JOIN:<username> within 500 ms; closing the connection.");
      assertTrue(endsWithoutALine(silent));
    }
  }

  /** The start of a TLS record of a ClientHello, without the rest. */
  private static final byte[] HALF_A_CLIENT_HELLO = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00};

  /** Whether the server ends the connection (a close or a reset) within the read timeout. */
  private static boolean closedByTheServer(Socket socket) {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // An alert may come first.
      }
      return true;
    } catch (SocketTimeoutException kept) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  /**
   * The number of files this process has open once it is at most {@code bound}, waiting up to 10
   * seconds for the server to let go of what it closes; the last count if it never gets there.
   */
  private static long awaitOpenFilesAtMost(long bound) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    long count;
    do {
      try (Stream<Path> files = Files.list(Path.of("/proc/self/fd"))) {
        count = files.count();
      }
      if (count <= bound) {
        return count;
      }
      // Polling a count the kernel keeps: nothing to wait on but time.
      Thread.onSpinWait();
    } while (System.nanoTime() < deadline);
    return count;
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
