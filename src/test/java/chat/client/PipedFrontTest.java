package chat.client;

import static chat.testing.ServerEvents.chat;
import static chat.testing.ServerEvents.history;
import static chat.testing.ServerEvents.joinAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.testing.CapturedLines;
import chat.testing.FakeServer;
import chat.testing.LineClient;
import chat.testing.ServerEvents;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class PipedFrontTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final Backoff QUICK = ServerEvents.QUICK;

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static void answerJoin(LineClient connection, String name, String... others) {
    ServerEvents.answerJoin(connection, name, others);
  }

  @Test
  void nameComesFromTheFirstLineAndLinesWaitForTheJoin() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.empty(), input("alice\r\nhello\nworld\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:alice mode=json", connection.readLine());
        assertTrue(connection.silentFor(Duration.ofMillis(300)), "lines wait for the join");
        answerJoin(connection, "alice", "bob");
        assertEquals("hello", connection.readLine());
        assertEquals("world", connection.readLine());
        assertEquals("!quit", connection.readLine());
        connection.send(chat(1, "alice", "hello"));
        connection.send(chat(2, "alice", "world"));
        connection.send(chat(3, "bob", "hi alice"));
        connection.send(ServerEvents.left("alice"));
      }
      assertEquals(0, client.exitCode());
      assertEquals(
          "alice has joined the chat.\nbob: hi alice\nalice left the chat.\n",
          client.out.text(),
          "no welcome, no room line, no echo of the own messages: as in text mode");
      assertEquals("", client.err.text());
    }
  }

  @Test
  void nameOptionMakesEveryInputLineAMessage() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.of("bob"), input("first line"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:bob mode=json", connection.readLine());
        answerJoin(connection, "bob");
        assertEquals("first line", connection.readLine());
        assertEquals("!quit", connection.readLine());
        assertNull(connection.readLine(), "the client half-closes after !quit");
        connection.send(ServerEvents.left("bob"));
      }
      assertEquals(0, client.exitCode());
      assertEquals("bob has joined the chat.\nbob left the chat.\n", client.out.text());
    }
  }

  @Test
  void historyTopicAndOwnOldMessagesAreShownAsTextModeShowsThem() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.of("bob"), input(""));
      try (LineClient connection = server.accept()) {
        connection.readLine();
        connection.send(ServerEvents.welcome("bob"));
        connection.send(ServerEvents.joined("bob"));
        connection.send(
            ServerEvents.json(
                new Event.Entered(ServerEvents.TIME, "#lobby", List.of("bob"), "Friday")));
        connection.send(history(1, "bob", "from an earlier visit"));
        connection.send("not json at all");
        assertEquals("!quit", connection.readLine());
        connection.send(ServerEvents.left("bob"));
      }
      assertEquals(0, client.exitCode());
      String clock =
          DateTimeFormatter.ofPattern("HH:mm")
              .format(Instant.ofEpochMilli(ServerEvents.TIME).atZone(ZoneId.systemDefault()));
      assertEquals(
          List.of(
              "bob has joined the chat.",
              "Topic of #lobby: Friday",
              "[history " + clock + "] bob: from an earlier visit",
              "not json at all",
              "bob left the chat."),
          client.out.all());
    }
  }

  @Test
  void refusedNameExitsWithOneAndTheReason() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.empty(), input("bob\nhello\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:bob mode=json", connection.readLine());
        connection.send(ServerEvents.refused("Username 'bob' is already taken."));
        assertEquals(1, client.exitCode());
        assertEquals("!quit", connection.readLine(), "held lines are dropped after a refusal");
      }
      assertEquals("Username refused: Username 'bob' is already taken.\n", client.err.text());
      assertEquals("", client.out.text());
    }
  }

  @Test
  void serverShutdownEndsTheRunAtOnce() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      InputStream neverEnding = new PipedInputStream(typing);
      Client client = Client.start(server, Optional.of("carol"), neverEnding);
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:carol mode=json", connection.readLine());
        answerJoin(connection, "carol");
        connection.send(ServerEvents.shutdown());
        assertEquals(0, client.exitCode(), "exits without waiting for the connection to close");
      }
      assertEquals("carol has joined the chat.\n!server_shutdown\n", client.out.text());
      assertEquals("Server has shut down.\n", client.err.text());
    }
  }

  @Test
  void lostConnectionIsResumedAndMissedLinesComeOnceInOrder() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      Client client = Client.start(server, Optional.of("dave"), new PipedInputStream(typing));
      LineClient first = server.accept();
      assertEquals("JOIN:dave mode=json", first.readLine());
      answerJoin(first, "dave", "erin");
      first.send(chat(1, "erin", "one"));
      client.out.expect("dave has joined the chat.", "erin: one");
      first.reset();
      assertEquals(ServerLink.LOST, client.err.next());
      type(typing, "typed while away");
      try (LineClient second = server.accept()) {
        assertEquals(
            "JOIN:dave mode=json token=token-dave room=#lobby after=1", second.readLine());
        second.send(ServerEvents.welcome("dave"));
        second.send(ServerEvents.joined("dave"));
        second.send(ServerEvents.entered("#lobby", "erin", "dave"));
        second.send(history(1, "erin", "one"));
        second.send(history(2, "erin", "two"));
        second.send(history(3, "dave", "said just before the cut"));
        assertEquals("typed while away", second.readLine(), "held until the rejoin");
        second.send(chat(4, "dave", "typed while away"));
        second.send(chat(5, "erin", "three"));
        client.out.expect("erin: two", "erin: three");
        assertEquals(ServerLink.RECONNECTED, client.err.next());
        typing.close();
        assertEquals("!quit", second.readLine());
        second.send(ServerEvents.left("dave"));
      }
      assertEquals(0, client.exitCode());
      assertEquals(
          List.of("dave has joined the chat.", "erin: one", "erin: two", "erin: three",
              "dave left the chat."),
          client.out.all());
    }
  }

  @Test
  void reconnectingGivesUpAfterTheBackoffEnds() throws Exception {
    FakeServer server = new FakeServer();
    try (PipedOutputStream typing = new PipedOutputStream()) {
      Client client = Client.start(server, Optional.of("fred"), new PipedInputStream(typing));
      LineClient connection = server.accept();
      connection.readLine();
      answerJoin(connection, "fred");
      client.out.expect("fred has joined the chat.");
      server.close(); // nobody listens any more
      connection.reset();
      assertEquals(1, client.exitCode());
      assertEquals(ServerLink.LOST + "\n" + ServerLink.GAVE_UP + "\n", client.err.text());
    }
  }

  @Test
  void kickedIsNotReconnected() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      Client client = Client.start(server, Optional.of("gus"), new PipedInputStream(typing));
      try (LineClient connection = server.accept()) {
        connection.readLine();
        answerJoin(connection, "gus");
        connection.send(ServerEvents.error("You were kicked by the server operator: spam"));
      }
      assertEquals(1, client.exitCode());
      assertEquals(
          "gus has joined the chat.\nERROR: You were kicked by the server operator: spam\n",
          client.out.text());
      assertEquals("Server closed the connection.\n", client.err.text());
    }
  }

  @Test
  void aResetBeforeTheJoinIsAnsweredIsNotReconnectedAndHintsAtTheTlsPort() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      Client client = Client.start(server, Optional.of("hal"), new PipedInputStream(typing));
      LineClient connection = server.accept();
      assertEquals("JOIN:hal mode=json", connection.readLine());
      connection.reset();
      assertEquals(1, client.exitCode());
      assertEquals("The connection to 127.0.0.1:" + server.port() + " was lost before the server"
          + " said anything; is this the TLS port? try --tls\n", client.err.text());
    }
  }

  @Test
  void aServerThatWantsAPasswordEndsAPipedRunWithAClearLine() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.of("ken"), input("hello\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:ken mode=json", connection.readLine());
        connection.send(ServerEvents.refused(chat.protocol.Names.Refusals.PASSWORD_NEEDED));
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(1, client.exitCode());
      assertEquals(PipedFront.PASSWORD_NEEDED + "\n", client.err.text());
      assertEquals("", client.out.text());
    }
  }

  @Test
  void refusedConnectionIsOneLine() throws Exception {
    int port = FakeServer.closedPort();
    ClientSettings settings = new ClientSettings("127.0.0.1", port, 4096);
    Client client = Client.start(settings, Optional.of("erin"), input(""));
    assertEquals(1, client.exitCode());
    assertEquals(
        "Cannot connect to 127.0.0.1:" + port + ": Connection refused\n", client.err.text());
  }

  @Test
  void overLongLinesAreReportedAndNotSent() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ClientSettings settings = new ClientSettings("127.0.0.1", server.port(), 10);
      Client client =
          Client.start(settings, Optional.of("fay"), input("0123456789A\n0123456789\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:fay mode=json", connection.readLine());
        answerJoin(connection, "fay");
        assertEquals("0123456789", connection.readLine());
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, client.exitCode());
      assertEquals("Line too long (11 bytes, at most 10); it was not sent.\n", client.err.text());
    }
  }

  @Test
  void emptyInputWithoutNameExitsWithOne() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.empty(), input(""));
      try (LineClient connection = server.accept()) {
        assertEquals(1, client.exitCode());
        assertNull(connection.readLine(), "nothing is sent");
      }
      assertTrue(client.err.text().startsWith("No username"), client.err.text());
    }
  }

  private static InputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static void type(PipedOutputStream typing, String line) throws IOException {
    typing.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    typing.flush();
  }

  /** A PipedFront run on its own thread, with its output captured line by line. */
  @Test
  void aStandardOutputThatTakesNothingNeverStallsTheConnectionAndWhatItMissedIsCounted()
      throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      CountDownLatch reading = new CountDownLatch(1);
      CapturedLines out = new CapturedLines();
      CapturedLines err = new CapturedLines();
      // A pipe nobody reads: every write waits until the reader comes back.
      OutputStream stalled = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          try {
            if (!reading.await(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
              throw new IOException("the test never let the output go");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
          }
          out.write(b);
        }
      };
      PipedFront front = new PipedFront(testKit.system(), QUICK, 5);
      PipedInputStream input = new PipedInputStream(typing);
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> front.run(
          server.settings(), Optional.of("ivy"), input,
          new PrintStream(stalled, true, StandardCharsets.UTF_8), err.stream()));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:ivy mode=json", connection.readLine());
        answerJoin(connection, "ivy");
        for (int seq = 1; seq <= 20; seq++) {
          connection.send(chat(seq, "erin", "line " + seq));
        }
        type(typing, "sent while the output is stuck");
        assertEquals("sent while the output is stuck", connection.readLine());

        reading.countDown();
        // The own join line and the first four chat lines waited (at most 5 writes wait, the
        // one under way counted). Lines the client read while they waited were dropped, and are
        // counted; those it read after the output came back are shown, in order. Then "after"
        // is sent until it is shown (the client may still be busy with the 20 at first).
        out.expect("ivy has joined the chat.", "erin: line 1", "erin: line 2", "erin: line 3",
            "erin: line 4");
        List<String> later = new ArrayList<>();
        int tries = 0;
        while (!later.contains("erin: after") && tries < 50) {
          connection.send(chat(21 + tries++, "erin", "after"));
          for (Optional<String> line = out.poll(Duration.ofMillis(200)); line.isPresent()
              && !later.contains("erin: after"); line = out.poll(Duration.ofMillis(20))) {
            later.add(line.get());
          }
        }
        assertTrue(later.contains("erin: after"), later.toString());
        List<String> shownOfTheTwenty = later.subList(0, later.indexOf("erin: after"));
        List<Integer> seqs = shownOfTheTwenty.stream()
            .map(line -> Integer.parseInt(line.substring("erin: line ".length()))).toList();
        assertEquals(seqs.stream().sorted().distinct().toList(), seqs, later.toString());
        int dropped = 0;
        for (Optional<String> line = err.poll(Duration.ZERO); line.isPresent();
            line = err.poll(Duration.ZERO)) {
          dropped += Integer.parseInt(line.get().substring(0, line.get().indexOf(' ')));
        }
        assertTrue(dropped >= 1, "the stuck output missed lines, and says so");
        // Each of lines 5 to 20 was shown or counted; an "after" may have been dropped too.
        int accounted = seqs.size() + dropped;
        assertTrue(accounted >= 16 && accounted <= 16 + tries - 1,
            later + ", " + dropped + " dropped, " + tries + " tries");
        typing.close();
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, exit.get(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  private record Client(CompletableFuture<Integer> exit, CapturedLines out, CapturedLines err) {

    static Client start(FakeServer server, Optional<String> name, InputStream in) {
      return start(server.settings(), name, in);
    }

    static Client start(ClientSettings settings, Optional<String> name, InputStream in) {
      CapturedLines out = new CapturedLines();
      CapturedLines err = new CapturedLines();
      PipedFront front = new PipedFront(testKit.system(), QUICK);
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> front.run(settings, name, in, out.stream(), err.stream()));
      return new Client(exit, out, err);
    }

    int exitCode() throws Exception {
      return exit.get(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }
}
