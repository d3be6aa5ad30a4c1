package chat.server;

import static chat.testing.ServerEvents.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.protocol.JsonLines;
import chat.testing.LineClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A member in several rooms over real sockets: machine mode names every event's room and says
 * which is current, a resume after a cut gets back into every room with what was missed in each,
 * and the per-member limit holds for joins and resumes alike. (Text mode: {@link
 * CommandsEndToEndTest}.)
 */
@ExtendWith(LogCapturingExtension.class)
class SeveralRoomsEndToEndTest {

  private static final Duration QUIET = Duration.ofMillis(300);

  /** Joins in machine mode, into the lobby; returns the resume token. */
  private static String joinInMachineMode(LineClient client, String name) {
    client.send("JOIN:" + name + " mode=json");
    String token = next(client, Event.Welcome.class).token();
    next(client, Event.Joined.class);
    next(client, Event.Entered.class);
    return token;
  }

  /** Joins a further room in machine mode; returns its entry, which makes it current. */
  private static Event.Entered joinRoom(LineClient client, String room) {
    client.send("/join " + room);
    Event.Joined joined = next(client, Event.Joined.class);
    assertEquals(room, joined.room());
    assertTrue(joined.moved());
    return next(client, Event.Entered.class);
  }

  @Test
  void machineModeNamesEachEventsRoomAndWhichRoomIsCurrent() {
    try (TestServer server = TestServer.start("chat.room.history-on-join = 0");
        LineClient carol = server.joined("carol");
        LineClient alice = server.connect()) {
      alice.send("JOIN:alice mode=json");
      assertEquals("#lobby", next(alice, Event.Welcome.class).room());
      next(alice, Event.Joined.class);
      assertTrue(next(alice, Event.Entered.class).current());
      carol.expect("alice has joined the chat.");

      Event.Entered dev = joinRoom(alice, "#dev");
      assertEquals("#dev", dev.room());
      assertTrue(dev.current());

      carol.send("lobby line");
      Event.Chat fromLobby = next(alice, Event.Chat.class);
      assertEquals("#lobby", fromLobby.room());
      assertEquals("lobby line", fromLobby.text());
      alice.send("in dev");
      assertEquals("#dev", next(alice, Event.Chat.class).room());
      alice.send("/say #lobby to the lobby");
      carol.expect("alice: to the lobby");
      Event.Chat echo = next(alice, Event.Chat.class);
      assertEquals("#lobby", echo.room());
      assertEquals("to the lobby", echo.text());

      alice.send("/who #lobby");
      Event.Who who = next(alice, Event.Who.class);
      assertEquals("#lobby", who.room());
      assertEquals(2, who.members().size());
      alice.send("/join #lobby");
      Event.Entered back = next(alice, Event.Entered.class);
      assertEquals("#lobby", back.room());
      assertTrue(back.current());

      alice.send("/part #dev");
      Event.Left parted = next(alice, Event.Left.class);
      assertEquals("#dev", parted.room());
      assertEquals(Event.Departure.PARTED, parted.how());
      alice.send("/rooms");
      // #dev stays, empty, for its history; alice is no longer in it.
      assertEquals(List.of(new Event.RoomInfo("#dev", 0, null, null, null),
              new Event.RoomInfo("#lobby", 2, null, true, true)),
          next(alice, Event.RoomList.class).rooms());
      assertTrue(carol.silentFor(QUIET));
    }
  }

  @Test
  void aResumeAfterACutGetsBackIntoEveryRoomWithExactlyWhatWasMissedInEach() {
    try (TestServer server = TestServer.start("chat.room.history-on-join = 0");
        LineClient bob = server.joined("bob")) {
      bob.send("/join #dev");
      bob.expect("bob has joined #dev.");
      bob.expect("You are now in #dev (1 here: bob).");
      String token;
      long lobbySeen;
      long devSeen;
      try (LineClient alice = server.connect()) {
        token = joinInMachineMode(alice, "alice");
        joinRoom(alice, "#dev");
        // The rooms' notices come in either order.
        assertEquals(List.of("[#lobby] alice has joined the chat.", "alice has joined #dev."),
            Stream.of(bob.readLine(), bob.readLine()).sorted().toList());
        bob.send("/say #lobby lobby 1");
        bob.send("dev 1");
        lobbySeen = next(alice, Event.Chat.class).seq();
        devSeen = next(alice, Event.Chat.class).seq();
        alice.reset(); // cut: no quit, no close
      }
      bob.send("/say #lobby lobby 2");
      bob.send("dev 2");
      bob.send("dev 3");
      // Both rooms have taken bob's lines before alice comes back (else she gets them live).
      bob.send("/who #lobby");
      bob.send("/history 1");
      List<String> answers = new ArrayList<>();
      for (int read = 0; read < 10 && !answers.stream().anyMatch(l -> l.endsWith("bob: dev 3"));
          read++) {
        answers.add(bob.readLine());
      }
      assertTrue(answers.stream().anyMatch(line -> line.startsWith("In #lobby (")), answers::toString);
      assertTrue(answers.get(answers.size() - 1).endsWith("bob: dev 3"), answers::toString);

      try (LineClient alice = server.connect()) {
        alice.send("JOIN:alice mode=json token=" + token + " room=#dev after=#lobby:" + lobbySeen
            + ",#dev:" + devSeen);
        assertEquals("#dev", next(alice, Event.Welcome.class).room());
        // Each room's lines come together, the rooms in either order.
        Map<String, List<String>> missed = new HashMap<>();
        Map<String, Boolean> current = new HashMap<>();
        while (missed.getOrDefault("#lobby", List.of()).size() < 1
            || missed.getOrDefault("#dev", List.of()).size() < 2) {
          Event event = JsonLines.read(alice.readLine()).orElseThrow();
          if (event instanceof Event.Entered entered) {
            current.put(entered.room(), entered.current());
          } else if (event instanceof Event.Chat chat) {
            assertTrue(chat.history(), chat.toString());
            missed.computeIfAbsent(chat.room(), room -> new ArrayList<>()).add(chat.text());
          }
        }
        assertEquals(Map.of("#lobby", List.of("lobby 2"), "#dev", List.of("dev 2", "dev 3")),
            missed);
        assertEquals(Map.of("#lobby", false, "#dev", true), current);
        assertTrue(alice.silentFor(QUIET)); // nothing twice

        alice.send("back in dev");
        assertEquals("back in dev", next(alice, Event.Chat.class).text()); // its own, numbered
        // Bob may first see alice go and come back: the cut may have been noticed before.
        String line = bob.readLine();
        for (int skipped = 0; !line.equals("alice: back in dev") && skipped < 6; skipped++) {
          line = bob.readLine();
        }
        assertEquals("alice: back in dev", line);
        bob.send("/say #lobby and the lobby?");
        Event.Chat live = next(alice, Event.Chat.class);
        assertEquals("#lobby", live.room());
        assertFalse(live.history());
      }
    }
  }

  @Test
  void aJoinMayNameNoMoreRoomsThanOneMayBeIn() {
    try (TestServer server = TestServer.start("chat.room.max-rooms-per-member = 2");
        LineClient dora = server.connect()) {
      dora.send("JOIN:dora after=#a:0,#b:0 room=#c");
      dora.expect("SET_USERNAME: The join names 3 rooms; one may be in at most 2.");
      dora.send("JOIN:dora after=#a:0 room=#b");
      // One line from each room, in either order; #b is the current one.
      assertEquals(List.of("[#a] dora has joined the chat.", "dora has joined the chat."),
          Stream.of(dora.readLine(), dora.readLine()).sorted().toList());
      dora.send("in b");
      dora.send("/rooms");
      dora.expect("Rooms (3): #a (1, yours), #b (1, current), #lobby (0)");
    }
  }

  @Test
  void aResumeThatWouldGoOverTheLimitKeepsTheRoomsItHasAndSaysSo() {
    try (TestServer server = TestServer.start("chat.room.max-rooms-per-member = 2");
        LineClient old = server.connect()) {
      String token = joinInMachineMode(old, "dora");
      joinRoom(old, "#dev");

      try (LineClient fresh = server.connect()) {
        fresh.send("JOIN:dora mode=json token=" + token + " room=#third");
        assertEquals("#dev", next(fresh, Event.Welcome.class).room());
        List<String> rooms = new ArrayList<>();
        String error = null;
        while (error == null) {
          Event event = JsonLines.read(fresh.readLine()).orElseThrow();
          if (event instanceof Event.Entered entered) {
            rooms.add(entered.room());
          } else if (event instanceof Event.Error problem) {
            error = problem.text();
          }
        }
        assertEquals("You are in 2 rooms, the most one may be in; /part one first.", error);
        assertEquals(List.of("#dev", "#lobby"), rooms.stream().sorted().toList());
        fresh.send("/rooms");
        Event.RoomList list = next(fresh, Event.RoomList.class);
        assertEquals(List.of("#dev", "#lobby"),
            list.rooms().stream().map(Event.RoomInfo::room).toList());
      }
    }
  }
}
