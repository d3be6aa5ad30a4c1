package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static chat.testing.ServerEvents.answerJoin;
import static chat.testing.ServerEvents.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.client.ClientSettings;
import chat.protocol.Event;
import chat.testing.FakeServer;
import chat.testing.LineClient;
import chat.testing.ServerEvents;
import chat.testing.VirtualTerminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The terminal client's windows on an xterm emulated in memory: what a person sees on the screen
 * and in the status line while a scripted server sends the events of several rooms and private
 * conversations, and what the client sends back for the keys typed.
 */
@ExtendWith(LogCapturingExtension.class)
class TerminalWindowsTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  static final TerminalFront.Options PLAIN =
      new TerminalFront.Options(false, Optional.empty(), ServerEvents.QUICK);

  static final String ALT_1 = "\u001b1";
  static final String ALT_3 = "\u001b3";
  static final String CTRL_C = "\u0003";
  static final String CTRL_N = "\u000e";
  static final String PAGE_UP = "\u001b[5~";
  static final String PAGE_DOWN = "\u001b[6~";
  static final java.util.function.Consumer<VirtualTerminal> PAGE_UP_AGAIN = shown -> {
    try {
      shown.keys(PAGE_UP);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  };

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private static VirtualTerminal screen(FakeServer server, int columns, int rows,
      TerminalFront.Options options) throws Exception {
    return VirtualTerminal.start(testKit.system(), columns, rows, server.settings(),
        Optional.of("alice"), options);
  }

  /** Takes alice's join and answers it: she is in #lobby with {@code others}. */
  private static void joined(LineClient server, String... others) {
    assertEquals("JOIN:alice mode=json", server.readLine());
    answerJoin(server, "alice", others);
  }

  /** Joins alice into #lobby (with bob) and then #dev (with carol), which is shown. */
  private static void inLobbyAndDev(LineClient server, VirtualTerminal screen) {
    joined(server, "bob");
    server.send(json(new Event.Joined(TIME, "#dev", "alice", true)));
    server.send(json(new Event.Entered(TIME, "#dev", List.of("carol", "alice"), "Release Friday",
        0, true)));
    screen.awaitStatus("2:#dev");
  }

  private static String chat(String room, long seq, String from, String text) {
    return json(new Event.Chat(TIME, room, seq, from, text, false));
  }

  @Test
  void eachRoomAndConversationHasAWindowAndTheStatusLineSaysWhereSomethingHappened()
      throws Exception {
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 80, 20, PLAIN);
        LineClient connection = server.accept()) {
      inLobbyAndDev(connection, screen);
      screen.awaitText("Topic of #dev: Release Friday");
      assertFalse(screen.text().contains("#lobby (2 here"), "#lobby's window is not shown");

      connection.send(chat("#lobby", 1, "bob", "hello everybody"));
      screen.awaitStatus("1:#lobby(1)");
      connection.send(chat("#lobby", 2, "bob", "alice: look at this"));
      screen.awaitStatus("1:#lobby(2!)");
      int bells = screen.bells();
      connection.send(json(new Event.Private(TIME, "bob", "alice", "psst")));
      screen.awaitStatus("3:bob(1!)");
      screen.await("the bell rang", shown -> shown.bells() > bells);
      assertFalse(screen.text().contains("psst"), "a private line shows in its own window");

      screen.type("in dev");
      assertEquals("/say #dev in dev", connection.readLine());

      screen.keys(ALT_1);
      screen.awaitText("bob: alice: look at this");
      List<String> rows = screen.rows();
      int marker = indexOf(rows, "unread");
      assertTrue(marker >= 0 && rows.get(marker + 1).contains("bob: hello everybody"),
          "the unread lines start under the marker:\n" + screen.text());
      assertTrue(screen.status().contains("1:#lobby") && !screen.status().contains("(2!)"),
          screen.status());
      screen.type("in lobby");
      assertEquals("/say #lobby in lobby", connection.readLine(), "a switch sends nothing");
      screen.type("/topic Lunch");
      assertEquals("/join #lobby", connection.readLine(), "the room becomes the current one");
      assertEquals("/topic Lunch", connection.readLine());
      connection.send(json(new Event.Entered(TIME, "#lobby", List.of("bob", "alice"), null, 2,
          true)));
      screen.type("/who");
      assertEquals("/who", connection.readLine(), "once is enough");
      screen.type("/more 5");
      assertEquals("/history before 1 5", connection.readLine(), "before the window's oldest");
      assertEquals(1, count(screen.text(), "You are now in #lobby"), "a switch is quiet");

      screen.keys(CTRL_N);
      screen.awaitStatus("2:#dev");
      screen.keys(ALT_3);
      screen.awaitText("[private] bob: psst");
      screen.type("hi bob");
      assertEquals("/msg bob hi bob", connection.readLine(), "no switch for a private window");
      connection.send(json(new Event.Renamed(TIME, "#lobby", "bob", "robert")));
      screen.awaitStatus("3:robert");
      screen.type("still there?");
      assertEquals("/msg robert still there?", connection.readLine(), "the window follows bob");
      screen.type("/me waves");
      screen.awaitText("/me works in a room's window");

      screen.type("/query carol");
      screen.awaitStatus("4:carol");
      screen.type("/close");
      screen.awaitStatus("3:robert");
      assertFalse(screen.status().contains("carol"), screen.status());
      screen.type("/win 2");
      screen.awaitStatus("2:#dev"); // still the server's current room: no switch to send
      screen.type("/close");
      assertEquals("/part #dev", connection.readLine(), "closing a room's window leaves it");
      connection.send(json(new Event.Left(TIME, "#dev", "alice", Event.Departure.PARTED, null)));
      screen.awaitText("alice left #dev");
      assertFalse(screen.status().contains("#dev"), screen.status());
      screen.keys("\u001b2");
      screen.awaitStatus("2:robert");
      screen.type("/close");
      screen.awaitStatus("1:#lobby");
      screen.type("after closing");
      assertEquals("/say #lobby after closing", connection.readLine(), "not to robert any more");
      screen.type("/close");
      assertEquals("/part #lobby", connection.readLine());
      connection.send(json(new Event.Left(TIME, "#lobby", "alice", Event.Departure.PARTED,
          null)));
      screen.awaitStatus("no room");
      screen.type("anyone");
      assertEquals("anyone", connection.readLine(), "no window: lines go as typed");
    }
  }

  @Test
  void theStatusLineSaysWhenTheServerIsSlowToAnswerAndWhenTheLinkIsDown() throws Exception {
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 80, 16, PLAIN)) {
      try (LineClient connection = server.accept()) {
        joined(connection, "bob");
        screen.awaitStatus("1:#lobby");
        assertTrue(screen.status().endsWith("127.0.0.1:" + server.port()), screen.status());
        screen.type("anyone?");
        assertEquals("/say #lobby anyone?", connection.readLine());
        screen.awaitStatus(" lag "); // no echo for more than a second
        connection.send(chat("#lobby", 1, "alice", "anyone?"));
        screen.await("the lag goes with the echo", shown -> !shown.status().contains(" lag "));
        screen.type("/query bob");
        screen.awaitStatus("2:bob");
      }
      screen.awaitStatus("reconnecting to 127.0.0.1:" + server.port());
      try (LineClient again = server.accept()) {
        assertTrue(again.readLine().startsWith("JOIN:alice mode=json token="));
        again.send(ServerEvents.welcome("alice"));
        again.send(ServerEvents.joined("alice"));
        again.send(json(new Event.Entered(TIME, "#lobby", List.of("bob", "alice"), null, 1,
            true)));
        screen.await("back", shown -> !shown.status().contains("reconnecting"));
        screen.awaitStatus("2:bob"); // where the user was: the rooms a resume brings stay behind
        screen.awaitText("Reconnected.");
      }
    }
  }

  @Test
  void aHotlistLongerThanTheStatusLineSaysHowManyMoreAndLongNamesAreCut() throws Exception {
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 60, 12, PLAIN);
        LineClient connection = server.accept()) {
      joined(connection, "bob");
      for (int room = 1; room <= 8; room++) {
        connection.send(json(new Event.Entered(TIME, "#room" + room, List.of("alice"), null, 0,
            false)));
        connection.send(chat("#room" + room, 1, "bob", "news in room " + room));
      }
      connection.send(json(new Event.Private(TIME, "averyveryverylongname", "alice", "hi")));
      screen.awaitStatus("+");
      String status = screen.status();
      assertTrue(status.contains("2:#room1(1)") && status.endsWith("127.0.0.1:" + server.port()),
          status);
      assertTrue(status.matches(".* \\+[0-9]+! .*"), "how many more, one of them private: "
          + status);
      screen.keys("\u001b9"); // 10 windows: the 9th is #room8, the private one the 10th
      screen.type("/win 10");
      screen.awaitStatus("10:averyveryverylo\u2026");
    }
  }

  @Test
  void longLinesWrapUnderTheTextAndADayChangeIsMarked() throws Exception {
    long yesterday = TIME - Duration.ofDays(1).toMillis();
    ZoneId zone = ZoneId.systemDefault();
    TerminalFront.Options seconds = new TerminalFront.Options(false, Optional.empty(),
        ServerEvents.QUICK, DateTimeFormatter.ofPattern("HH:mm:ss"), Optional.empty());
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 40, 16, seconds);
        LineClient connection = server.accept()) {
      joined(connection, "bob");
      connection.send(json(new Event.Chat(yesterday, "#lobby", 1, "bob", "from yesterday", true)));
      connection.send(chat("#lobby", 2, "bob",
          "a line long enough to wrap twice on a narrow terminal of forty columns"));
      screen.awaitText("forty");
      String clock = DateTimeFormatter.ofPattern("HH:mm:ss")
          .format(Instant.ofEpochMilli(TIME).atZone(zone));
      String indent = " ".repeat((clock + " bob: ").length());
      List<String> rows = screen.rows();
      int first = indexOf(rows, clock + " bob: a line");
      assertEquals(clock + " bob: a line long enough to", rows.get(first), screen.text());
      assertEquals(indent + "wrap twice on a narrow", rows.get(first + 1));
      assertEquals(indent + "terminal of forty columns", rows.get(first + 2));
      String today = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH)
          .format(Instant.ofEpochMilli(TIME).atZone(zone));
      String before = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", Locale.ENGLISH)
          .format(Instant.ofEpochMilli(yesterday).atZone(zone));
      int day = first - 1;
      assertTrue(rows.get(day).contains(today)
          && indexOf(rows, before) < indexOf(rows, "from yesterday")
          && indexOf(rows, "from yesterday") < day,
          "a line marks the change of day:\n" + screen.text());
    }
  }

  @Test
  void pageUpScrollsBackAndPastTheFirstLineAsksTheServerForOlderOnes() throws Exception {
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 60, 12, PLAIN);
        LineClient connection = server.accept()) {
      joined(connection, "bob");
      for (int seq = 151; seq <= 200; seq++) {
        connection.send(ServerEvents.history(seq, "bob", "line " + seq));
      }
      screen.awaitText("bob: line 200");
      screen.keys(PAGE_UP);
      screen.awaitStatus("scrolled back");
      assertFalse(screen.text().contains("line 200"), screen.text());
      for (int page = 0; page < 6; page++) {
        screen.keys(PAGE_UP);
      }
      assertEquals("/history before 151 50", connection.readLine());
      screen.awaitText("bob: line 151");
      for (int seq = 101; seq <= 150; seq++) {
        connection.send(ServerEvents.history(seq, "bob", "line " + seq));
      }
      screen.await("line 120 in view, a page up", shown -> {
        boolean there = shown.text().contains("bob: line 120");
        if (!there) {
          PAGE_UP_AGAIN.accept(shown); // until the page has come, above the lines in view
        }
        return there;
      });
      for (int page = 0; page < 12; page++) {
        screen.keys(PAGE_DOWN);
      }
      screen.awaitText("bob: line 200");
      screen.await("back at the newest", shown -> !shown.status().contains("scrolled back"));
      connection.send(ServerEvents.chat(201, "bob", "live again"));
      screen.awaitText("bob: live again");
      List<String> rows = screen.rows();
      assertTrue(indexOf(rows, "line 200") < indexOf(rows, "live again"), screen.text());
    }
  }

  @Test
  void tabAddressesSomeoneCtrlCClearsThenLeavesAndAPasteAsksFirst() throws Exception {
    try (FakeServer server = new FakeServer();
        VirtualTerminal screen = screen(server, 80, 16, PLAIN);
        LineClient connection = server.accept()) {
      joined(connection, "bob", "bert");
      screen.awaitStatus("1:#lobby");
      // The first name with "b" is bert; Tab again gives the next, and ": " comes with it.
      screen.keys("b\t");
      screen.await("Tab offered a name", shown -> shown.text().contains("bert:"));
      screen.keys("\t");
      screen.await("Tab again, the next", shown -> shown.text().contains("bob:"));
      screen.type("hi");
      assertEquals("/say #lobby bob: hi", connection.readLine());

      screen.keys("half typed" + CTRL_C);
      screen.type("whole");
      assertEquals("/say #lobby whole", connection.readLine(), "Ctrl+C dropped the half line");

      screen.keys(CTRL_C);
      screen.awaitText(TerminalSession.CTRL_C_AGAIN);
      screen.type("not leaving"); // a line between: the next Ctrl+C asks again
      assertEquals("/say #lobby not leaving", connection.readLine());
      screen.keys("\u001b[200~one\ntwo\u001b[201~\r");
      screen.awaitText("Send these 2 lines to #lobby? [y/N]");
      screen.type("y");
      assertEquals("/say #lobby one", connection.readLine());
      assertEquals("/say #lobby two", connection.readLine());

      screen.keys(CTRL_C);
      screen.keys(CTRL_C);
      assertEquals("!quit", connection.readLine());
      connection.send(ServerEvents.left("alice"));
      connection.close();
      assertEquals(0, screen.exitCode());
    }
  }

  @Test
  void ignoredPeopleAndTheBellAreKeptInTheSettingsFile(@TempDir Path home) throws Exception {
    Path file = home.resolve("settings.conf");
    TerminalFront.Options keeping = new TerminalFront.Options(false, Optional.empty(),
        ServerEvents.QUICK, DateTimeFormatter.ofPattern("HH:mm"), Optional.of(file));
    try (FakeServer server = new FakeServer()) {
      try (VirtualTerminal screen = screen(server, 80, 16, keeping);
          LineClient connection = server.accept()) {
        inLobbyAndDev(connection, screen);
        screen.type("/ignore alice");
        screen.awaitText("You cannot ignore yourself.");
        screen.type("/ignore bob");
        screen.awaitText("Ignoring bob");
        screen.type("/set bell off");
        screen.awaitText("Bell: off");
        int bells = screen.bells();
        connection.send(chat("#dev", 1, "bob", "you cannot see me"));
        connection.send(json(new Event.Private(TIME, "bob", "alice", "nor this")));
        connection.send(json(new Event.Private(TIME, "carol", "alice", "ring?")));
        connection.send(json(new Event.Renamed(TIME, "#dev", "bob", "robert")));
        connection.send(chat("#dev", 2, "robert", "nor under another name"));
        connection.send(chat("#dev", 3, "carol", "but me"));
        screen.awaitText("carol: but me");
        screen.awaitStatus("3:carol(1!)");
        assertFalse(screen.text().contains("you cannot see me"), screen.text());
        assertFalse(screen.text().contains("nor under another name"), screen.text());
        assertFalse(screen.status().contains("bob"), screen.status());
        assertEquals(bells, screen.bells(), "no bell once it is off");
      }
    }
    assertTrue(Files.readString(file).contains("bob"), Files.readString(file));
    try (FakeServer server = new FakeServer()) {
      try (VirtualTerminal again = screen(server, 80, 16, keeping);
          LineClient connection = server.accept()) {
        inLobbyAndDev(connection, again);
        again.type("/set");
        again.awaitText("Bell: off; ignoring: bob, robert.");
      }
    }
  }

  private static int indexOf(List<String> rows, String part) {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).contains(part)) {
        return i;
      }
    }
    return -1;
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }
}
