package chat.client;

import chat.testing.LineClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The terminal front on a JLine dumb terminal whose keyboard is a pipe the test writes to. */
@ExtendWith(LogCapturingExtension.class)
class TerminalFrontTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  @Test
  void asksAgainAfterARefusalThenChatsUntilTheServerShutsDown() throws Exception {
    try (FakeServer server = new FakeServer();
        Screen screen = Screen.start(server.settings(), Optional.empty())) {
      try (LineClient connection = server.accept()) {
        screen.type("bob");
        assertEquals("JOIN:bob", connection.readLine());
        connection.send("SET_USERNAME: Username 'bob' is already taken.");
        screen.type("alice");
        assertEquals("JOIN:alice", connection.readLine());
        connection.send("alice has joined the chat.");
        screen.type("hello");
        assertEquals("hello", connection.readLine());
        connection.send("bob: hi \u001B[2Jalice");
        connection.send("!server_shutdown");
        assertEquals(0, screen.exitCode());
      }
      String shown = screen.text();
      assertTrue(shown.contains("Enter your username: "), shown);
      assertTrue(shown.contains("Username refused: Username 'bob' is already taken."), shown);
      assertTrue(shown.contains("alice> "), shown);
      assertTrue(shown.contains("bob: hi alice"), "escape sequences are removed: " + shown);
      assertTrue(shown.contains("Server has shut down."), shown);
      assertFalse(shown.contains("!server_shutdown"), shown);
    }
  }

  @Test
  void quitCommandSendsQuitAndEndsWhenTheServerCloses() throws Exception {
    try (FakeServer server = new FakeServer();
        Screen screen = Screen.start(server.settings(), Optional.of("carol"))) {
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:carol", connection.readLine());
        connection.send("carol has joined the chat.");
        screen.type("/quit");
        assertEquals("!quit", connection.readLine());
        connection.send("carol left the chat.");
      }
      assertEquals(0, screen.exitCode());
      assertTrue(screen.text().contains("carol left the chat."), screen.text());
    }
  }

  @Test
  void endOfInputQuitsAndOverLongLinesAreNotSent() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ClientSettings settings = new ClientSettings("127.0.0.1", server.port(), 10);
      try (Screen screen = Screen.start(settings, Optional.of("dan"))) {
        try (LineClient connection = server.accept()) {
          assertEquals("JOIN:dan", connection.readLine());
          connection.send("dan has joined the chat.");
          screen.type("much too long");
          screen.type("short");
          assertEquals("short", connection.readLine());
          screen.endOfInput();
          assertEquals("!quit", connection.readLine());
        }
        assertEquals(0, screen.exitCode());
        assertTrue(
            screen.text().contains("Line too long (13 bytes, at most 10); it was not sent."),
            screen.text());
      }
    }
  }

  @Test
  void lostConnectionEndsWithOne() throws Exception {
    try (FakeServer server = new FakeServer();
        Screen screen = Screen.start(server.settings(), Optional.of("eve"))) {
      LineClient connection = server.accept();
      assertEquals("JOIN:eve", connection.readLine());
      connection.send("eve has joined the chat.");
      connection.reset();
      assertEquals(1, screen.exitCode());
      assertTrue(screen.text().contains("Connection to server lost."), screen.text());
    }
  }

  @Test
  void refusedConnectionIsOneLine() throws Exception {
    int port = FakeServer.closedPort();
    try (Screen screen =
        Screen.start(new ClientSettings("127.0.0.1", port, 4096), Optional.of("fay"))) {
      assertEquals(1, screen.exitCode());
      assertEquals(
          "Cannot connect to 127.0.0.1:" + port + ": Connection refused", screen.text().strip());
    }
  }

  /** A TerminalFront run on a dumb terminal, on its own thread. */
  private record Screen(
      CompletableFuture<Integer> exit,
      PipedOutputStream keyboard,
      ByteArrayOutputStream display,
      Terminal terminal)
      implements AutoCloseable {

    static Screen start(ClientSettings settings, Optional<String> name) throws IOException {
      PipedOutputStream keyboard = new PipedOutputStream();
      ByteArrayOutputStream display = new ByteArrayOutputStream();
      Terminal terminal =
          new DumbTerminal(
              "test", "dumb", new PipedInputStream(keyboard), display, StandardCharsets.UTF_8);
      TerminalFront front = new TerminalFront(testKit.system());
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(() -> front.run(settings, name, terminal));
      return new Screen(exit, keyboard, display, terminal);
    }

    void type(String line) throws IOException {
      keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      keyboard.flush();
    }

    void endOfInput() throws IOException {
      keyboard.close();
    }

    int exitCode() throws Exception {
      return exit.get(FakeServer.WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    String text() {
      return display.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
      terminal.close();
      keyboard.close();
    }
  }
}
