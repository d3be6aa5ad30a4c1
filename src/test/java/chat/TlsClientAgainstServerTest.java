package chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ClientSettings;
import chat.client.PipedFront;
import chat.client.terminal.TerminalFront;
import chat.client.trust.KnownServers;
import chat.client.ServerLink;
import chat.testing.CapturedLines;
import chat.testing.CuttableProxy;
import chat.testing.LineClient;
import chat.testing.RunningServer;
import chat.testing.TerminalScreen;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client over TLS against a real server on loopback: trust on first use in the terminal,
 * pinning from a pipe, a changed certificate, the server password, and ports of the wrong kind.
 * The known-servers file is always in a temporary directory.
 */
@ExtendWith(LogCapturingExtension.class)
class TlsClientAgainstServerTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final TerminalFront.Options PLAIN =
      new TerminalFront.Options(false, Optional.empty(), chat.testing.ServerEvents.QUICK);

  @TempDir Path home;

  @AfterAll
  static void shutdownTestKit() {
    testKit.shutdownTestKit();
  }

  private Path knownServers() {
    return home.resolve(".pekko-chat").resolve("known_servers");
  }

  /** TLS to {@code port} on loopback, remembering servers in the test's own file. */
  private ClientSettings tls(int port) {
    return new ClientSettings("127.0.0.1", 50007, 4096)
        .withTls()
        .withPort(port)
        .withKnownServers(knownServers());
  }

  /** What one piped run printed, and how it ended. */
  private record Run(int exitCode, List<String> out, List<String> err) {}

  private static Run pipe(ClientSettings settings, String name, String input) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new PipedFront(testKit.system())
            .run(
                settings,
                Optional.of(name),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(
        code,
        out.toString(StandardCharsets.UTF_8).lines().toList(),
        err.toString(StandardCharsets.UTF_8).lines().toList());
  }

  private static TerminalScreen screen(ClientSettings settings, String name) throws Exception {
    return TerminalScreen.start(testKit.system(), settings, Optional.of(name), PLAIN);
  }

  @Test
  void firstUseIsAskedInTheTerminalRememberedAndThenTrustedSilently(@TempDir Path data)
      throws Exception {
    try (RunningServer server = RunningServer.start(data);
        LineClient watcher = LineClient.joined(server.plain(), "watcher")) {
      String fingerprint = server.fingerprint();
      int port = server.tls().getPort();
      try (TerminalScreen screen = screen(tls(port), "alice")) {
        screen.awaitText("? [y/N] ");
        assertTrue(screen.text().contains(fingerprint), screen.text());
        screen.type("y");
        watcher.expect("alice has joined the chat.");
        screen.type("hello, encrypted");
        watcher.expect("alice: hello, encrypted");
        screen.type("/quit");
        watcher.expect("alice left the chat.");
        assertEquals(0, screen.exitCode());
        assertTrue(screen.text().contains("Remembered 127.0.0.1:" + port), screen.text());
        assertTrue(screen.text().contains("alice left the chat."), "the last lines arrive");
      }
      assertEquals(
          List.of("127.0.0.1:" + port + " " + fingerprint), Files.readAllLines(knownServers()));
      if (Files.getFileStore(home).supportsFileAttributeView("posix")) {
        assertEquals("rw-------",
            PosixFilePermissions.toString(Files.getPosixFilePermissions(knownServers())));
      }
      try (TerminalScreen again = screen(tls(port), "alice")) {
        watcher.expect("alice has joined the chat.");
        again.type("/quit");
        assertEquals(0, again.exitCode());
        assertFalse(again.text().contains("[y/N]"), "no question the second time: " + again.text());
      }
    }
  }

  @Test
  void answeringNoDoesNotConnectNorRemember(@TempDir Path data) throws Exception {
    try (RunningServer server = RunningServer.start(data);
        TerminalScreen screen = screen(tls(server.tls().getPort()), "bob")) {
      screen.awaitText("? [y/N] ");
      screen.type("");
      assertEquals(1, screen.exitCode());
      assertTrue(screen.text().contains("not trusted"), screen.text());
      assertFalse(Files.exists(knownServers()));
    }
  }

  @Test
  void aChangedCertificateIsRefusedLoudlyWithBothFingerprints(
      @TempDir Path first, @TempDir Path second) throws Exception {
    String before;
    try (RunningServer original = RunningServer.start(first)) {
      before = original.fingerprint();
    }
    try (RunningServer impostor = RunningServer.start(second)) {
      int port = impostor.tls().getPort();
      String now = impostor.fingerprint();
      new KnownServers(knownServers()).remember("127.0.0.1", port, before);
      try (TerminalScreen screen = screen(tls(port), "carol")) {
        assertEquals(1, screen.exitCode());
        String shown = screen.text();
        assertTrue(shown.contains("HAS CHANGED"), shown);
        assertTrue(shown.contains(before) && shown.contains(now), shown);
        assertTrue(shown.contains("deleting line 1 of " + knownServers()), shown);
        assertFalse(shown.contains("[y/N]"), "no question: " + shown);
      }
      Run piped = pipe(tls(port), "carol", "hello\n");
      assertEquals(1, piped.exitCode());
      String err = String.join("\n", piped.err());
      assertTrue(err.contains(before) && err.contains(now), err);
      assertEquals(List.of("127.0.0.1:" + port + " " + before), Files.readAllLines(knownServers()));
    }
  }

  @Test
  void aPinnedFingerprintWorksFromAPipeAndAnUnknownOneIsRefused(@TempDir Path data)
      throws Exception {
    try (RunningServer server = RunningServer.start(data);
        LineClient watcher = LineClient.joined(server.plain(), "watcher")) {
      int port = server.tls().getPort();
      String fingerprint = server.fingerprint();

      Run unknown = pipe(tls(port), "bot", "hello\n");
      assertEquals(1, unknown.exitCode());
      String err = String.join("\n", unknown.err());
      assertTrue(err.startsWith("Not connecting"), err);
      assertTrue(err.contains("--trust " + fingerprint), err);

      String typed = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
      Run pinned = pipe(tls(port).withPin(typed), "bot", "hello over TLS\n");
      assertEquals(0, pinned.exitCode(), () -> "err: " + pinned.err());
      watcher.expect("bot has joined the chat.");
      watcher.expect("bot: hello over TLS");
      watcher.expect("bot left the chat.");
      assertFalse(Files.exists(knownServers()), "a pin is not remembered");

      // Another fingerprint: the first digit changed (a fixed "00" was the real one 1 time in 256).
      String other = (typed.charAt(0) == '0' ? "1" : "0") + typed.substring(1);
      Run wrongPin = pipe(tls(port).withPin(other), "bot", "hello\n");
      assertEquals(1, wrongPin.exitCode());
      assertTrue(String.join("\n", wrongPin.err()).contains("not the one given with --trust"),
          wrongPin.err()::toString);
    }
  }

  @Test
  void aMissingOrWrongPasswordEndsClearlyAndTheRightOneJoins(@TempDir Path data)
      throws Exception {
    String config = "chat.server { password = \"open sesame\", plain.enabled = off }";
    try (RunningServer server = RunningServer.start(data, config)) {
      ClientSettings settings = tls(server.tls().getPort()).withPin(server.fingerprint());

      Run missing = pipe(settings, "dora", "hello\n");
      assertEquals(1, missing.exitCode());
      assertEquals(
          List.of("This server needs a password: give --password, or set chat.client.password."),
          missing.err());

      Run wrong = pipe(settings.withPassword("open sezame"), "dora", "hello\n");
      assertEquals(1, wrong.exitCode());
      assertEquals(List.of("Wrong password."), wrong.err());

      Run right = pipe(settings.withPassword("open sesame"), "dora", "hello\n");
      assertEquals(0, right.exitCode(), right.err()::toString);
      assertTrue(right.out().contains("dora has joined the chat."), right.out()::toString);

      try (TerminalScreen screen = screen(settings, "dora")) {
        screen.awaitText("Server password: ");
        screen.type("open sesame");
        screen.awaitText("You are now in #lobby");
        screen.type("/quit");
        assertEquals(0, screen.exitCode());
        assertFalse(screen.text().contains("open sesame"), "the password is hidden");
      }
      try (TerminalScreen screen = screen(settings, "dora")) {
        screen.awaitText("Server password: ");
        screen.type("open sezame");
        assertEquals(1, screen.exitCode());
        assertTrue(screen.text().contains("Wrong password."), screen.text());
      }
    }
  }

  @Test
  void aPortOfTheWrongKindFailsInOneLineAndTheServerServesOthers(@TempDir Path data)
      throws Exception {
    try (RunningServer server = RunningServer.start(data)) {
      ClientSettings plainOnTls =
          new ClientSettings("127.0.0.1", server.tls().getPort(), 4096);
      Run plain = pipe(plainOnTls, "eve", "hello\n");
      assertEquals(1, plain.exitCode());
      assertEquals(1, plain.err().size(), plain.err()::toString);
      assertTrue(
          plain.err().get(0).endsWith("is this the TLS port? try --tls"), plain.err()::toString);

      Run tlsOnPlain =
          pipe(tls(server.plain().getPort()).withPin(server.fingerprint()), "eve", "hello\n");
      assertEquals(1, tlsOnPlain.exitCode());
      assertEquals(1, tlsOnPlain.err().size(), tlsOnPlain.err()::toString);
      String line = tlsOnPlain.err().get(0);
      assertTrue(line.startsWith("TLS handshake with 127.0.0.1:"), line);
      assertTrue(line.endsWith("is this a plain-text port? drop --tls"), line);

      try (LineClient watcher = LineClient.joined(server.plain(), "watcher")) {
        Run fine = pipe(tls(server.tls().getPort()).withPin(server.fingerprint()), "eve", "hi\n");
        assertEquals(0, fine.exitCode(), fine.err()::toString);
        watcher.expect("eve has joined the chat.");
        watcher.expect("eve: hi");
      }
    }
  }

  @Test
  void aRememberedServerIsStillTrustedAfterARestartWithTheSameDataDirectory(@TempDir Path data)
      throws Exception {
    int port;
    try (RunningServer server = RunningServer.start(data, "chat.server.plain.enabled = off");
        TerminalScreen screen = screen(tls(server.tls().getPort()), "fred")) {
      port = server.tls().getPort();
      screen.awaitText("? [y/N] ");
      screen.type("yes");
      screen.awaitText("You are now in #lobby");
      screen.type("/quit");
      assertEquals(0, screen.exitCode());
    }
    String samePort = "chat.server { plain.enabled = off, tls.port = " + port + " }";
    try (RunningServer restarted = RunningServer.start(data, samePort)) {
      Run piped = pipe(tls(port), "fred", "back again\n");
      assertEquals(0, piped.exitCode(), piped.err()::toString);
      assertTrue(piped.out().contains("fred has joined the chat."), piped.out()::toString);
    }
  }

  @Test
  void aCutTlsConnectionIsResumedWithThePasswordSentAgain(@TempDir Path data) throws Exception {
    String config = "chat.server { password = pw, password-on-plain = on }";
    try (RunningServer server = RunningServer.start(data, config);
        CuttableProxy proxy = CuttableProxy.start(server.tls());
        LineClient alice = LineClient.connect(server.plain())) {
      alice.send("PASS:pw");
      alice.send("JOIN:alice");
      alice.expect("alice has joined the chat.");
      ClientSettings settings =
          tls(proxy.port()).withPin(server.fingerprint()).withPassword("pw");
      PipedOutputStream typing = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(typing);
      CapturedLines out = new CapturedLines();
      CapturedLines err = new CapturedLines();
      PipedFront front = new PipedFront(testKit.system(), chat.testing.ServerEvents.QUICK);
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> front.run(settings, Optional.of("bot"), in, out.stream(), err.stream()));
      out.expect("bot has joined the chat.");
      alice.expect("bot has joined the chat.");

      proxy.cut();
      assertEquals(ServerLink.LOST, err.next(RunningServer.WAIT));
      proxy.heal();
      assertEquals(ServerLink.RECONNECTED, err.next(RunningServer.WAIT));
      typing.write("back, still encrypted\n".getBytes(StandardCharsets.UTF_8));
      typing.flush();
      String line;
      do {
        line = alice.readLine();
        assertTrue(line != null, "alice's connection closed");
      } while (!line.equals("bot: back, still encrypted"));
      typing.close();
      assertEquals(0, exit.get(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS),
          err::text);
    }
  }

  @Test
  void aServerBackWithAnotherCertificateIsNotReconnectedTo(
      @TempDir Path first, @TempDir Path second) throws Exception {
    RunningServer original = RunningServer.start(first, "chat.server.plain.enabled = off");
    int port = original.tls().getPort();
    try (CuttableProxy proxy = CuttableProxy.start(original.tls())) {
      ClientSettings settings = tls(proxy.port()).withPin(original.fingerprint());
      PipedOutputStream typing = new PipedOutputStream();
      PipedInputStream in = new PipedInputStream(typing);
      CapturedLines out = new CapturedLines();
      CapturedLines err = new CapturedLines();
      PipedFront front = new PipedFront(testKit.system(), chat.testing.ServerEvents.QUICK);
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> front.run(settings, Optional.of("gus"), in, out.stream(), err.stream()));
      out.expect("gus has joined the chat.");
      proxy.cut();
      assertEquals(ServerLink.LOST, err.next(RunningServer.WAIT));
      original.close();
      String samePort = "chat.server { plain.enabled = off, tls.port = " + port + " }";
      try (RunningServer impostor = RunningServer.start(second, samePort)) {
        proxy.heal();
        assertEquals(1, exit.get(RunningServer.WAIT.toMillis(), TimeUnit.MILLISECONDS));
        String said = err.text();
        assertTrue(said.contains("Not reconnecting: "), said);
        assertTrue(said.contains(impostor.fingerprint()), said);
      } finally {
        typing.close();
      }
    }
  }
}
