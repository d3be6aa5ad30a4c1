package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import chat.testing.LineClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** The whole server over real sockets on 127.0.0.1, as nc or telnet users meet it. */
@ExtendWith(LogCapturingExtension.class)
class ServerEndToEndTest {

  @Test
  void clientsJoinAndChatAndNobodyGetsTheirOwnLineBack() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob");
        LineClient carol = server.joined("carol")) {
      alice.expect("bob has joined the chat.");
      alice.expect("carol has joined the chat.");
      bob.expect("carol has joined the chat.");

      alice.send("hi everyone");
      bob.expect("alice: hi everyone");
      carol.expect("alice: hi everyone");
      bob.send("  hello alice  ");
      alice.expect("bob: hello alice");
      carol.expect("bob: hello alice");
      carol.send("");
      carol.send("one\r");
      alice.expect("carol: one");
      bob.expect("carol: one");
    }
  }

  @Test
  void nobodyCanJoinOrRenameAsANameThatLooksLikeOneInUse() {
    try (TestServer server = TestServer.start();
        LineClient victim = server.joined("victim");
        LineClient bob = server.joined("bob");
        LineClient mallory = server.connect()) {
      victim.expect("bob has joined the chat.");
      String[] invisible = {"\u034F", "\uFE0F", "\uDB40\uDD00", "\u17B4", "\u180B"};
      for (String hidden : invisible) {
        mallory.send("JOIN:victim" + hidden);
        mallory.expect(String.format("SET_USERNAME: Username cannot contain invisible characters"
            + " (U+%04X).", ("victim" + hidden).codePointAt(6)));
      }
      mallory.send("JOIN:bob\u0336");
      mallory.expect("SET_USERNAME: " + chat.protocol.Names.Refusals.STRAY_MARKS);
      String cyrillic = "\u0414\u043C\u0438\u0442\u0440\u0438\u0439"; // Дмитрий
      mallory.send("JOIN:v1ct1m");
      mallory.expect("SET_USERNAME: Username 'v1ct1m' looks too much like 'victim', which is"
          + " taken.");
      mallory.send("JOIN:" + cyrillic);
      mallory.expect(cyrillic + " has joined the chat.");
      mallory.send("/nick b0b");
      mallory.expect("ERROR: Username 'b0b' looks too much like 'bob', which is taken.");
      mallory.send("/who");
      mallory.expect("In #lobby (3): victim, bob, " + cyrillic);
    }
  }

  @Test
  void takenAndEmptyNamesAreRefusedAndTheClientMayTryAgain() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient second = server.connect()) {
      second.send("hello");
      second.expect("SET_USERNAME: Invalid Protocol. Use JOIN:<username>");
      second.send("JOIN:");
      second.expect("SET_USERNAME: Username cannot be empty.");
      second.send("JOIN:Alice");
      second.expect("SET_USERNAME: Username 'Alice' is already taken.");
      second.send("JOIN:bob");
      second.expect("bob has joined the chat.");
      alice.expect("bob has joined the chat.");
    }
  }

  @Test
  void quitIsToldToEveryoneThenTheQuitterIsClosed() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      bob.send("!quit");
      bob.expect("bob left the chat.");
      bob.expectClosed();
      alice.expect("bob left the chat.");
      server.admin("!who");
      assertEquals("Online (1): alice (#lobby)", server.console());
    }
  }

  @Test
  void quitFollowedByHalfCloseStillGetsTheLastLine() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.connect()) {
      alice.send("JOIN:alice\nsee you\n!quit");
      alice.shutdownOutput();
      alice.expect("alice has joined the chat.");
      alice.expect("alice left the chat.");
      alice.expectClosed();
    }
  }

  @Test
  void clientThatClosesWithoutQuitIsRemovedAtOnce() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice")) {
      LineClient bob = server.joined("bob");
      alice.expect("bob has joined the chat.");
      bob.close();
      alice.expect("bob left the chat.");
      try (LineClient bobAgain = server.joined("bob")) {
        alice.expect("bob has joined the chat.");
      }
    }
  }

  @Test
  void clientLostThroughAResetIsAnnouncedAsUnexpected() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice")) {
      LineClient bob = server.joined("bob");
      alice.expect("bob has joined the chat.");
      bob.reset();
      alice.expect("bob has disconnected unexpectedly.");
      server.admin("!who");
      assertEquals("Online (1): alice (#lobby)", server.console());
    }
  }

  @Test
  void overLongLineGetsAClearErrorAndTheConnectionStaysUsable() {
    try (TestServer server = TestServer.start("chat.server.max-line-bytes = 100");
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      alice.send("x".repeat(100_000));
      alice.expect("ERROR: Line too long (more than 100 bytes); it was not sent.");
      alice.send("y".repeat(100));
      bob.expect("alice: " + "y".repeat(100));
    }
  }

  @Test
  void overLongNameLineIsAnsweredBeforeJoining() {
    try (TestServer server = TestServer.start("chat.server.max-line-bytes = 100");
        LineClient client = server.connect()) {
      client.send("JOIN:" + "n".repeat(200));
      client.expect("ERROR: Line too long (more than 100 bytes); it was not sent.");
      client.send("JOIN:" + "n".repeat(33));
      client.expect("SET_USERNAME: Username cannot be longer than 32 characters.");
    }
  }

  @Test
  void invalidUtf8AndControlCharactersNeverReachOtherTerminals() throws IOException {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      ByteArrayOutputStream hostile = new ByteArrayOutputStream();
      hostile.write("\u001B[2J\u001B[31mred\u0007 a\u0000b c\rd ".getBytes(StandardCharsets.UTF_8));
      hostile.write(new byte[] {(byte) 0xFF, (byte) 0xC3, '!', '\n'});
      alice.sendBytes(hostile.toByteArray());
      String line = bob.readLine();
      assertEquals("alice: red ab cd \uFFFD\uFFFD!", line);
      assertTrue(line.codePoints().noneMatch(Character::isISOControl), line);
    }
  }

  @Test
  void utf8SplitAcrossPacketsArrivesWhole() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      byte[] bytes = "héllo €\n".getBytes(StandardCharsets.UTF_8);
      for (byte b : bytes) {
        alice.sendBytes(new byte[] {b});
      }
      bob.expect("alice: héllo €");
    }
  }

  @Test
  void silentClientIsClosedByTheJoinTimeoutWithALine() {
    try (TestServer server = TestServer.start("chat.server.join-timeout = 300ms");
        LineClient silent = server.connect()) {
      silent.expect("ERROR: No JOIN:<username> within 300 ms; closing the connection.");
      silent.expectClosed();
    }
  }

  @Test
  void someoneWhoConnectsByHandAndWaitsIsToldHowToJoinButAClientThatJoinsAtOnceIsNot() {
    try (TestServer server = TestServer.start("chat.server { join-hint = 200ms }");
        LineClient waiting = server.connect();
        LineClient quick = server.connect()) {
      quick.send("JOIN:quick");
      quick.expect("quick has joined the chat.");
      waiting.expect(
          "To join the chat, send JOIN:<your name> (as in JOIN:alice) within 9800 ms.");
      waiting.send("JOIN:slow");
      waiting.expect("slow has joined the chat.");
      quick.expect("slow has joined the chat.");
      assertTrue(quick.silentFor(Duration.ofMillis(400)), "the quick client got more lines");
    }
  }

  @Test
  void aServerThatStopsWhenIdleSaysSoAtStartUpAndHowToKeepItUp() {
    Logger supervisor = (Logger) LoggerFactory.getLogger(Gatekeeper.class);
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    supervisor.addAppender(log);
    try (TestServer server = TestServer.start("chat.server.idle-shutdown = 90s")) {
      List<String> lines;
      synchronized (log) {
        lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
      }
      assertTrue(lines.contains("The server stops by itself once nobody has been connected for 90"
          + " seconds (chat.server.idle-shutdown; --idle-shutdown off keeps it running)"),
          lines::toString);
    } finally {
      supervisor.detachAppender(log);
    }
  }

  @Test
  void idleServerShutsItselfDownWithExitCodeZero() {
    try (TestServer server = TestServer.start("chat.server.idle-shutdown = 300ms")) {
      assertEquals(0, server.exitCode());
    }
  }

  @Test
  void idleTimerWaitsUntilTheLastClientHasLeft() throws Exception {
    try (TestServer server = TestServer.start("chat.server.idle-shutdown = 500ms")) {
      LineClient alice = server.joined("alice");
      // While someone is connected, no shutdown may come: wait past the idle time.
      assertThrows(java.util.concurrent.TimeoutException.class,
          () -> server.server.stopped().toCompletableFuture().get(1500, TimeUnit.MILLISECONDS));
      alice.send("still here");
      alice.send("!quit");
      alice.expect("alice left the chat.");
      alice.expectClosed();
      alice.close();
      assertEquals(0, server.exitCode());
    }
  }

  @Test
  void exitServerSendsServerShutdownToEveryClientAndReleasesThePort() throws IOException {
    TestServer server = TestServer.start();
    try (LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob");
        LineClient anonymous = server.connect()) {
      alice.expect("bob has joined the chat.");
      server.admin("!help");
      assertTrue(server.console().startsWith("Admin commands:"));
      server.admin("!WHO");
      assertEquals("Online (2): alice (#lobby), bob (#lobby)", server.console());
      server.admin("!nonsense");
      assertEquals("Unknown command '!nonsense'. Type !help for the list.", server.console());

      server.admin("!ExitServer");

      assertEquals("Shutting down.", server.console());
      for (LineClient client : List.of(alice, bob, anonymous)) {
        client.expect("!server_shutdown");
        client.expectClosed();
        client.close();
      }
      assertEquals(0, server.exitCode());
    }
    try (ServerSocket again =
        new ServerSocket(server.address.getPort(), 1, InetAddress.getLoopbackAddress())) {
      assertEquals(server.address.getPort(), again.getLocalPort());
    }
  }

  @Test
  void endOfAdminInputLeavesTheServerRunning() {
    try (TestServer server = TestServer.start()) {
      server.closeAdmin();
      try (LineClient alice = server.joined("alice")) {
        alice.send("!quit");
        alice.expect("alice left the chat.");
      }
      assertFalse(server.server.stopped().toCompletableFuture().isDone());
    }
  }

  @Test
  void aSecondServerOnThePortOfAServerWithSeveralAcceptorsIsRefusedNotShared() {
    try (TestServer first = TestServer.start("chat.server.acceptors = 4");
        LineClient alice = first.joined("alice")) {
      ChatServer second = ChatServer.start(
          TestServer.config("chat.server { acceptors = 4, port = " + first.address.getPort() + " }"),
          org.apache.pekko.stream.javadsl.Source.empty(), line -> { });
      assertThrows(ExecutionException.class,
          () -> second.bound().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertEquals(1, second.stopped().toCompletableFuture().join());
      for (int n = 0; n < 8; n++) {
        try (LineClient other = first.joined("user" + n)) {
          alice.expect("user" + n + " has joined the chat.");
          other.send("!quit");
          other.expect("user" + n + " left the chat.");
          alice.expect("user" + n + " left the chat.");
        }
      }
    }
  }

  @Test
  void aClientThatNeverClosesItsSideIsCutAfterTheLinger() {
    try (TestServer server = TestServer.start("chat.server.close-linger = 200ms");
        LineClient client = server.joined("lingerer")) {
      client.send("!quit");
      client.expect("lingerer left the chat.");
      client.expectClosed();
      assertTrue(client.cutWithin(Duration.ofSeconds(5)), "the server never cut the connection");
    }
  }

  @Test
  void portInUseFailsWithExitCodeOne() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ChatServer server = ChatServer.start(
          TestServer.config("chat.server.port = " + taken.getLocalPort()),
          org.apache.pekko.stream.javadsl.Source.empty(), line -> { });
      ExecutionException failure = assertThrows(ExecutionException.class,
          () -> server.bound().toCompletableFuture().get(10, TimeUnit.SECONDS));
      assertTrue(failure.getCause().getMessage().contains("ind"), failure.getCause().getMessage());
      assertEquals(1, server.stopped().toCompletableFuture().join());
    }
  }

  @Test
  void manyClientsEachSeeEveryLineInOrder() {
    try (TestServer server = TestServer.start()) {
      List<LineClient> clients = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clients.add(server.joined("user" + i));
      }
      for (int i = 0; i < 20; i++) {
        // Joins close together come as one crowd line: count who each line says came.
        int heardOf = 0;
        while (heardOf < 19 - i) {
          heardOf += arrivals(clients.get(i).readLine());
        }
        assertEquals(19 - i, heardOf, "user" + i + " heard of every later join, once");
      }
      for (int n = 0; n < 50; n++) {
        clients.get(0).send("message " + n);
      }
      for (int i = 1; i < 20; i++) {
        for (int n = 0; n < 50; n++) {
          clients.get(i).expect("user0: message " + n);
        }
      }
      clients.forEach(LineClient::close);
    }
  }

  private static final Pattern ONE_JOINED = Pattern.compile("user\\d+ has joined the chat\\.");
  private static final Pattern CROWD_JOINED =
      Pattern.compile("user\\d+, user\\d+, user\\d+ and (\\d+) others? have joined the chat\\.");

  /** How many joins a text line tells of: one, or a crowd's three names and the others. */
  private static int arrivals(String line) {
    Matcher crowd = CROWD_JOINED.matcher(line);
    if (crowd.matches()) {
      return 3 + Integer.parseInt(crowd.group(1));
    }
    assertTrue(ONE_JOINED.matcher(line).matches(), line);
    return 1;
  }

  @Test
  void connectionsPastTheLimitGetOneLineAndACleanClose() {
    try (TestServer server = TestServer.start("chat.server { max-connections = 2 }");
        LineClient alice = server.joined("alice");
        LineClient waiting = server.connect()) {
      // Connections are accepted in parallel: make sure this one has its place first.
      waiting.send("hello?");
      waiting.expect("SET_USERNAME: Invalid Protocol. Use JOIN:<username>");
      try (LineClient third = server.connect()) {
        third.expect("ERROR: The server is full (2 connections); try again later.");
        third.expectClosed();
      }
      waiting.send("!quit");
      waiting.expectClosed();
      waiting.close();
      try (LineClient bob = LineClient.joinedEventually(server.address, "bob")) {
        alice.expect("bob has joined the chat.");
      }
    }
  }
}
