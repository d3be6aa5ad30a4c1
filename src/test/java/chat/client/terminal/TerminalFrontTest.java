package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static chat.testing.ServerEvents.chat;
import static chat.testing.ServerEvents.history;
import static chat.testing.ServerEvents.joinAnswer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.Backoff;
import chat.client.ClientSettings;
import chat.client.ServerLink;
import chat.protocol.Event;
import chat.protocol.Names;
import chat.testing.FakeServer;
import chat.testing.LineClient;
import chat.testing.ServerEvents;
import chat.testing.TerminalScreen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The terminal front on a JLine dumb terminal whose keyboard is a pipe the test writes to. */
@ExtendWith(LogCapturingExtension.class)
class TerminalFrontTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final Backoff QUICK = ServerEvents.QUICK;

  static final TerminalFront.Options PLAIN =
      new TerminalFront.Options(false, Optional.empty(), QUICK);

  static final String CLOCK =
      DateTimeFormatter.ofPattern("HH:mm")
          .format(Instant.ofEpochMilli(TIME).atZone(ZoneId.systemDefault()));

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static void answerJoin(LineClient connection, String name, String... others) {
    ServerEvents.answerJoin(connection, name, others);
  }

  @Test
  void asksAgainAfterARefusalThenChatsUntilTheServerShutsDown() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.empty(), PLAIN)) {
      try (LineClient connection = server.accept()) {
        screen.type("bob");
        assertEquals("JOIN:bob mode=json", connection.readLine());
        connection.send(ServerEvents.refused("Username 'bob' is already taken."));
        screen.type("alice");
        assertEquals("JOIN:alice mode=json", connection.readLine());
        answerJoin(connection, "alice", "bob");
        screen.type("hello");
        assertEquals("hello", connection.readLine());
        connection.send(chat(1, "alice", "hello"));
        connection.send(chat(2, "bob", "hi \u001B[2Jyou"));
        connection.send(ServerEvents.shutdown());
        assertEquals(0, screen.exitCode());
      }
      String shown = screen.text();
      assertTrue(shown.contains("Enter your username: "), shown);
      assertTrue(shown.contains("Username refused: Username 'bob' is already taken."), shown);
      assertTrue(shown.contains("You are now in #lobby (2 here: bob, alice)."), shown);
      assertTrue(shown.contains("#lobby alice> "), shown);
      assertTrue(shown.contains(CLOCK + " alice: hello"), "own line, from the server: " + shown);
      assertTrue(shown.contains(CLOCK + " bob: hi you"), "escapes are removed: " + shown);
      assertTrue(shown.contains("Server has shut down."), shown);
      assertFalse(shown.contains("{\""), "no JSON on the screen: " + shown);
    }
  }

  @Test
  void quitCommandSendsQuitAndEndsWhenTheServerCloses() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("carol"), PLAIN)) {
      try (LineClient connection = server.accept()) {
        assertEquals("JOIN:carol mode=json", connection.readLine());
        answerJoin(connection, "carol");
        screen.type("/quit");
        assertEquals("!quit", connection.readLine());
        connection.send(ServerEvents.left("carol"));
      }
      assertEquals(0, screen.exitCode());
      assertTrue(screen.text().contains("carol left the chat."), screen.text());
    }
  }

  @Test
  void endOfInputQuitsAndOverLongLinesAreNotSent() throws Exception {
    try (FakeServer server = new FakeServer()) {
      ClientSettings settings = new ClientSettings("127.0.0.1", server.port(), 10);
      try (TerminalScreen screen = screen(settings, Optional.of("dan"), PLAIN)) {
        try (LineClient connection = server.accept()) {
          assertEquals("JOIN:dan mode=json", connection.readLine());
          answerJoin(connection, "dan");
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
  void helpShowsTheClientsKeysAndAsksTheServerForItsCommands() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("ida"), PLAIN)) {
      try (LineClient connection = server.accept()) {
        connection.readLine();
        answerJoin(connection, "ida");
        screen.type("/help");
        assertEquals("/help", connection.readLine());
        connection.send(ServerEvents.json(new Event.Info(TIME, "Commands:")));
        connection.send(ServerEvents.shutdown());
        assertEquals(0, screen.exitCode());
      }
      String shown = screen.text();
      for (String expected : List.of("Tab", "Up/Down", "Ctrl+D", "--no-color", "Commands:")) {
        assertTrue(shown.contains(expected), () -> "no " + expected + " in " + shown);
      }
    }
  }

  @Test
  void promptFollowsRenamesAndRoomMoves() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("jo"), PLAIN)) {
      try (LineClient connection = server.accept()) {
        connection.readLine();
        answerJoin(connection, "jo");
        screen.type("/nick joanna");
        assertEquals("/nick joanna", connection.readLine());
        connection.send(ServerEvents.json(new Event.Renamed(TIME, "#lobby", "jo", "joanna")));
        connection.send(ServerEvents.entered("#dev", "joanna"));
        connection.send(ServerEvents.json(new Event.Info(TIME, "marker")));
        screen.awaitText("marker");
        screen.type("hello");
        assertEquals("hello", connection.readLine());
        screen.type("/quit");
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, screen.exitCode());
      String shown = screen.text();
      assertTrue(shown.contains("jo is now known as joanna."), shown);
      // A dumb terminal cannot redraw the prompt in place; the next one shows the change.
      assertTrue(shown.contains("#dev joanna> "), shown);
    }
  }

  @Test
  void linesOfTheOtherRoomsCarryTheirRoomAndPartingTheCurrentOneMovesThePrompt()
      throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("kai"), PLAIN)) {
      try (LineClient connection = server.accept()) {
        connection.readLine();
        answerJoin(connection, "kai", "lee");
        screen.type("/join #dev");
        assertEquals("/join #dev", connection.readLine());
        connection.send(ServerEvents.json(new Event.Joined(TIME, "#dev", "kai", true)));
        connection.send(ServerEvents.entered("#dev", "kai"));
        connection.send(ServerEvents.json(
            new Event.Chat(TIME, "#lobby", 3, "lee", "lobby news", false)));
        connection.send(
            ServerEvents.json(new Event.Chat(TIME, "#dev", 1, "lee", "dev news", false)));
        screen.awaitText("dev news");
        screen.type("/part");
        assertEquals("/part", connection.readLine());
        connection.send(ServerEvents.json(
            new Event.Left(TIME, "#dev", "kai", Event.Departure.PARTED, null)));
        connection.send(ServerEvents.entered("#lobby", "lee", "kai"));
        connection.send(ServerEvents.json(new Event.Info(TIME, "marker")));
        screen.awaitText("marker");
        screen.type("/quit");
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, screen.exitCode());
      String shown = screen.text();
      assertTrue(shown.contains("[#lobby] " + CLOCK + " lee: lobby news"), shown);
      assertTrue(shownUntagged(shown, CLOCK + " lee: dev news"), shown);
      assertTrue(shownUntagged(shown, "kai left #dev."), shown);
      assertTrue(shown.contains("#lobby kai> "), shown);
    }
  }

  @Test
  void lostConnectionIsResumedAndWhatWasMissedShownOnce() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("eve"), PLAIN)) {
      LineClient first = server.accept();
      assertEquals("JOIN:eve mode=json", first.readLine());
      answerJoin(first, "eve", "kim");
      first.send(chat(1, "kim", "before"));
      first.send(ServerEvents.json(new Event.Info(TIME, "marker")));
      screen.awaitText("marker");
      first.reset();
      screen.awaitText(ServerLink.LOST);
      screen.type("while away");
      try (LineClient second = server.accept()) {
        assertEquals("JOIN:eve mode=json token=token-eve room=#lobby after=1", second.readLine());
        second.send(ServerEvents.welcome("eve"));
        second.send(ServerEvents.joined("eve"));
        second.send(ServerEvents.entered("#lobby", "kim", "eve"));
        second.send(history(1, "kim", "before"));
        second.send(history(2, "kim", "missed"));
        assertEquals("while away", second.readLine());
        second.send(chat(3, "eve", "while away"));
        second.send(ServerEvents.shutdown());
      }
      assertEquals(0, screen.exitCode());
      String shown = screen.text();
      assertEquals(1, count(shown, "kim: before"), shown);
      assertEquals(1, count(shown, "kim: missed"), shown);
      assertEquals(1, count(shown, "eve: while away"), shown);
      assertTrue(shown.indexOf(ServerLink.RECONNECTED) < shown.indexOf("kim: missed"), shown);
      assertEquals(1, count(shown, "You are now in #lobby"), "a resume is quiet: " + shown);
    }
  }

  @Test
  void aServerThatWantsAPasswordGetsOneTypedHiddenOnAFreshConnection() throws Exception {
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.of("lia"), PLAIN)) {
      try (LineClient first = server.accept()) {
        assertEquals("JOIN:lia mode=json", first.readLine());
        first.send(ServerEvents.refused(Names.Refusals.PASSWORD_NEEDED));
        screen.awaitText("Server password: ");
        screen.type("");
        screen.awaitText("The password cannot be empty");
        screen.type("s3cret");
        try (LineClient second = server.accept()) {
          assertEquals("PASS:s3cret", second.readLine());
          assertEquals("JOIN:lia mode=json", second.readLine());
          answerJoin(second, "lia");
          screen.type("/quit");
          assertEquals("!quit", second.readLine());
        }
      }
      assertEquals(0, screen.exitCode());
      String shown = screen.text();
      assertTrue(shown.contains("This server needs a password."), shown);
      assertFalse(shown.contains("s3cret"), "typed hidden: " + shown);
      assertEquals(1, count(shown, "This server needs a password."), shown);
      assertFalse(shown.contains("Username refused"), shown);
    }
  }

  @Test
  void refusedConnectionIsOneLine() throws Exception {
    int port = FakeServer.closedPort();
    try (TerminalScreen screen =
        screen(new ClientSettings("127.0.0.1", port, 4096), Optional.of("fay"), PLAIN)) {
      assertEquals(1, screen.exitCode());
      assertEquals(
          "Cannot connect to 127.0.0.1:" + port + ": Connection refused", screen.text().strip());
    }
  }

  @Test
  void coloursAppearOnlyWhenAsked() throws Exception {
    TerminalFront.Options colour = new TerminalFront.Options(true, Optional.empty(), QUICK);
    for (TerminalFront.Options options : List.of(colour, PLAIN)) {
      try (FakeServer server = new FakeServer();
          TerminalScreen screen = screen(server.settings(), Optional.of("lu"), options)) {
        try (LineClient connection = server.accept()) {
          connection.readLine();
          answerJoin(connection, "lu");
          connection.send(chat(1, "max", "hi lu"));
          connection.send(ServerEvents.shutdown());
        }
        assertEquals(0, screen.exitCode());
        // A colour is SGR 30-39, 90-97 or 38;5;n; without colour, the mention is only bold.
        boolean coloured = Pattern.compile("\u001B\\[(?:[0-9;]*;)?(?:3[0-9]|9[0-7])[;m]")
            .matcher(screen.text()).find();
        assertEquals(options.color(), coloured, screen.text());
        assertTrue(screen.text().contains("\u001B[1mlu") || options.color(),
            "the mention is bold: " + screen.text().replace("\u001B", "ESC"));
      }
    }
  }

  @Test
  void typedLinesAreKeptInTheHistoryFileButNotTheName(@TempDir Path home) throws Exception {
    Path file = home.resolve("pekko-chat").resolve("history");
    TerminalFront.Options keeping = new TerminalFront.Options(false, Optional.of(file), QUICK);
    try (FakeServer server = new FakeServer();
        TerminalScreen screen = screen(server.settings(), Optional.empty(), keeping)) {
      try (LineClient connection = server.accept()) {
        screen.type("nina");
        connection.readLine();
        answerJoin(connection, "nina");
        screen.type("remember me");
        assertEquals("remember me", connection.readLine());
        screen.type("/quit");
        assertEquals("!quit", connection.readLine());
      }
      assertEquals(0, screen.exitCode());
    }
    String kept = Files.readString(file);
    assertTrue(kept.contains("remember me"), kept);
    assertFalse(kept.contains("nina"), kept);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file)));
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  /** A run of the front on a dumb terminal whose keyboard is a pipe the test writes to. */
  private static TerminalScreen screen(
      ClientSettings settings, Optional<String> name, TerminalFront.Options options)
      throws IOException {
    return TerminalScreen.start(testKit.system(), settings, name, options);
  }

  /**
   * Whether a line of the current room is shown without a room tag. The test terminal does not
   * echo the Enter key, so a line printed between two prompts can follow the last prompt.
   */
  private static boolean shownUntagged(String shown, String text) {
    Pattern line = Pattern.compile("(#\\S+ \\S+> )?" + Pattern.quote(text) + ".*");
    return shown.lines().anyMatch(shownLine -> line.matcher(shownLine).matches());
  }
}
