package chat.server;

import static chat.testing.ServerEvents.next;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.testing.LineClient;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Rooms, private messages, machine mode, resume and the admin console over real sockets. */
@ExtendWith(LogCapturingExtension.class)
class ServerFeaturesEndToEndTest {

  @Test
  void textUsersJoinFurtherRoomsAndWhisper() {
    try (TestServer server = TestServer.start("chat.room.history-on-join = 0");
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob");
        LineClient carol = server.joined("carol")) {
      alice.expect("bob has joined the chat.");
      alice.expect("carol has joined the chat.");
      bob.expect("carol has joined the chat.");

      bob.send("/join #dev");
      bob.expect("bob has joined #dev.");
      bob.expect("You are now in #dev (1 here: bob).");

      alice.send("lobby talk");
      carol.expect("alice: lobby talk");
      bob.expect("[#lobby] alice: lobby talk");
      alice.send("/msg bob are you there?");
      alice.expect("[private to bob] alice: are you there?");
      bob.expect("[private] alice: are you there?");
      bob.send("/me nods");
      bob.send("/who *");
      bob.expect("Online (3): bob (#dev, #lobby), alice (#lobby), carol (#lobby)");
      carol.send("/rooms");
      carol.expect("Rooms (2): #dev (1), #lobby (3, current)");
      carol.send("/nonsense");
      carol.expect("ERROR: Unknown command '/nonsense'. Type /help for the commands.");
    }
  }

  @Test
  void machineModeLinesSayWhatTheyAre() {
    try (TestServer server = TestServer.start();
        LineClient bob = server.joined("bob");
        LineClient alice = server.connect()) {
      alice.send("JOIN:alice mode=json");
      Event.Welcome welcome = next(alice, Event.Welcome.class);
      assertEquals("alice", welcome.name());
      assertEquals("#lobby", next(alice, Event.Joined.class).room());
      assertEquals(2, next(alice, Event.Entered.class).members().size());
      bob.expect("alice has joined the chat.");

      bob.send("hello json");
      Event.Chat chat = next(alice, Event.Chat.class);
      assertEquals("bob", chat.from());
      assertEquals(1, chat.seq());
      alice.send("hello text");
      bob.expect("alice: hello text");
      assertEquals(2, next(alice, Event.Chat.class).seq());
    }
  }

  @Test
  void aReconnectWithTheTokenTakesTheNameBackAndCatchesUp() {
    try (TestServer server = TestServer.start();
        LineClient bob = server.joined("bob");
        LineClient stale = server.connect()) {
      stale.send("JOIN:alice mode=json");
      String token = next(stale, Event.Welcome.class).token();
      next(stale, Event.Joined.class);
      next(stale, Event.Entered.class);
      bob.expect("alice has joined the chat.");
      bob.send("one");
      assertEquals(1, next(stale, Event.Chat.class).seq());
      bob.send("two");
      bob.send("three");

      try (LineClient fresh = server.connect()) {
        fresh.send("JOIN:alice mode=json token=" + token + " room=#lobby after=1");
        next(fresh, Event.Welcome.class);
        next(fresh, Event.Joined.class);
        next(fresh, Event.Entered.class);
        Event.Chat two = next(fresh, Event.Chat.class);
        Event.Chat three = next(fresh, Event.Chat.class);
        assertEquals("two", two.text());
        assertEquals(3, three.seq());
        bob.send("four");
        assertEquals("four", next(fresh, Event.Chat.class).text());
      }
      assertEquals(2, next(stale, Event.Chat.class).seq()); // what it had been sent
      assertEquals(3, next(stale, Event.Chat.class).seq());
      assertEquals("Your name was taken over by a new connection.",
          next(stale, Event.Error.class).text());
      stale.expectClosed();
      // Once the reconnected alice has gone, her token is worth nothing.
      bob.expect("alice left the chat.");

      try (LineClient thief = server.connect()) {
        thief.send("JOIN:bob token=" + token);
        thief.expect("SET_USERNAME: Username 'bob' is already taken.");
      }
    }
  }

  @Test
  void operatorKicksAnnouncesAndReports() {
    try (TestServer server = TestServer.start();
        LineClient alice = server.joined("alice");
        LineClient bob = server.joined("bob")) {
      alice.expect("bob has joined the chat.");
      bob.send("/join #dev");
      bob.expect("bob has joined #dev.");
      bob.expect("You are now in #dev (1 here: bob).");
      server.admin("!rooms");
      assertEquals("Rooms (2): #dev (1), #lobby (2)", server.console());
      server.admin("!say server restarts at noon");
      assertEquals("Announced to every room.", server.console());
      alice.expect("[server] server restarts at noon");
      bob.expect("[server] server restarts at noon");

      server.admin("!kick bob enough");
      assertEquals("Kicked bob.", server.console());
      alice.expect("bob was kicked: enough");
      bob.expect("ERROR: You were kicked by the server operator: enough");
      bob.expectClosed();
      server.admin("!stats");
      String stats = server.console();
      assertTrue(stats.contains("Rooms:        1"), stats); // #dev, empty and without history, is gone
      assertTrue(stats.contains("(1 joined; 0 refused since start)"), stats);
    }
  }
}
