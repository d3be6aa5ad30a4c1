package chat.client;

import chat.testing.LineClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapturingExtension.class)
class PipedFrontTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void nameComesFromTheFirstLineAndLinesWaitForTheJoin() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.empty(), input("alice\r\nhello\nworld\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:alice", connection.readLine());
        assertTrue(connection.silentFor(Duration.ofMillis(300)), "lines wait for the join");
        connection.send("alice has joined the chat.");
        assertEquals("hello", connection.readLine());
        assertEquals("world", connection.readLine());
        assertEquals("!quit", connection.readLine());
        connection.send("bob: hi alice");
        connection.send("alice left the chat.");
      }
      assertEquals(0, client.exitCode());
      assertEquals(
          "alice has joined the chat.\nbob: hi alice\nalice left the chat.\n", client.out());
      assertEquals("", client.err());
    }
  }

  @Test
  void nameOptionMakesEveryInputLineAMessage() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.of("bob"), input("first line"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:bob", connection.readLine());
        connection.send("bob has joined the chat.");
        assertEquals("first line", connection.readLine());
        assertEquals("!quit", connection.readLine());
        assertNull(connection.readLine(), "the client half-closes after !quit");
        connection.send("bob left the chat.");
      }
      assertEquals(0, client.exitCode());
      assertEquals("bob has joined the chat.\nbob left the chat.\n", client.out());
    }
  }

  @Test
  void refusedNameExitsWithOneAndTheReason() throws Exception {
    try (FakeServer server = new FakeServer()) {
      Client client = Client.start(server, Optional.empty(), input("bob\nhello\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:bob", connection.readLine());
        connection.send("SET_USERNAME: Username 'bob' is already taken.");
        assertEquals(1, client.exitCode());
        assertEquals("!quit", connection.readLine(), "held lines are dropped after a refusal");
      }
      assertEquals("Username refused: Username 'bob' is already taken.\n", client.err());
      assertEquals("", client.out());
    }
  }

  @Test
  void serverShutdownEndsTheRunAtOnce() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      InputStream neverEnding = new PipedInputStream(typing);
      Client client = Client.start(server, Optional.of("carol"), neverEnding);
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:carol", connection.readLine());
        connection.write("carol has joined the chat.\r\n!server_shutdown\r\n");
        assertEquals(0, client.exitCode(), "exits without waiting for the connection to close");
      }
      assertEquals("carol has joined the chat.\n!server_shutdown\n", client.out());
      assertEquals("Server has shut down.\n", client.err());
    }
  }

  @Test
  void lostConnectionExitsWithOne() throws Exception {
    try (FakeServer server = new FakeServer();
        PipedOutputStream typing = new PipedOutputStream()) {
      Client client = Client.start(server, Optional.of("dave"), new PipedInputStream(typing));
      LineClient connection = server.accept();
      assertEquals("JOIN:dave", connection.readLine());
      connection.send("dave has joined the chat.");
      connection.reset();
      assertEquals(1, client.exitCode());
      assertEquals("Connection to server lost.\n", client.err());
    }
  }

  @Test
  void refusedConnectionIsOneLine() throws Exception {
    int port = FakeServer.closedPort();
    ClientSettings settings = new ClientSettings("127.0.0.1", port, 4096);
    Client client = Client.start(settings, Optional.of("erin"), input(""));
    assertEquals(1, client.exitCode());
    assertEquals("Cannot connect to 127.0.0.1:" + port + ": Connection refused\n", client.err());
  }

  @Test
  void overLongLinesAreReportedAndNotSent() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ClientSettings settings = new ClientSettings("127.0.0.1", server.port(), 10);
      Client client =
          Client.start(settings, Optional.of("fay"), input("0123456789A\n0123456789\n"));
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:fay", connection.readLine());
        connection.send("fay has joined the chat.");
        assertEquals("0123456789", connection.readLine());
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, client.exitCode());
      assertEquals("Line too long (11 bytes, at most 10); it was not sent.\n", client.err());
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
      assertTrue(client.err().startsWith("No username"), client.err());
    }
  }

  private static InputStream input(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A PipedFront run on its own thread, with its output captured. */
  private record Client(
      CompletableFuture<Integer> exit,
      ByteArrayOutputStream outBytes,
      ByteArrayOutputStream errBytes) {

    static Client start(FakeServer server, Optional<String> name, InputStream in) {
      return start(server.settings(), name, in);
    }

    static Client start(ClientSettings settings, Optional<String> name, InputStream in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      PipedFront front = new PipedFront(testKit.system());
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(() -> front.run(settings, name, in, utf8(out), utf8(err)));
      return new Client(exit, out, err);
    }

    int exitCode() throws Exception {
      return exit.get(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    String out() {
      return outBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    String err() {
      return errBytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }

    private static PrintStream utf8(ByteArrayOutputStream bytes) {
      return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
  }
}
