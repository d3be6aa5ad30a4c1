package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History, sequence numbers, machine mode and resuming with a token. */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomHistoryTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private static ClientLines.JoinOptions resume(String token, String room, long after) {
    return new ClientLines.JoinOptions(
        Mode.JSON, Optional.of(token), Optional.of(room), OptionalLong.of(after));
  }

  /** Joins in machine mode and reads what comes before live lines: welcome, own join, room. */
  private static Event.Welcome joinJson(RoomFixture fixture, String name) {
    RoomFixture.Member member = fixture.join(name, RoomFixture.json());
    Event.Welcome welcome = member.outbox().expectEvent(Event.Welcome.class);
    member.outbox().expectEvent(Event.Joined.class);
    member.outbox().expectEvent(Event.Entered.class);
    return welcome;
  }

  @Test
  void historyKeepsTheLastMessagesNumberedPerRoom() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(3, 0));
    RoomFixture.Member alice = fixture.join("alice");
    for (int i = 1; i <= 5; i++) {
      fixture.type(alice, "message " + i);
    }
    fixture.type(alice, "/history 10");
    for (int i = 3; i <= 5; i++) {
      String line = alice.outbox().probe.receiveMessage().utf8String();
      assertTrue(line.matches("\\[history \\d\\d:\\d\\d] alice: message " + i + "\n"), line);
    }
    fixture.type(alice, "/history 1");
    assertTrue(alice.outbox().probe.receiveMessage().utf8String().endsWith("alice: message 5\n"));
    fixture.type(alice, "/join #empty");
    alice.outbox().expectLine("alice has joined #empty.");
    alice.outbox().expectLine("You are now in #empty (1 here: alice).");
    fixture.type(alice, "/history");
    alice.outbox().expectLine("No messages in #empty yet.");
  }

  @Test
  void newcomerGetsRecentHistoryMarkedBeforeLiveLines() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 2));
    RoomFixture.Member alice = fixture.join("alice");
    fixture.type(alice, "first");
    fixture.type(alice, "/me second");
    fixture.type(alice, "third");

    RoomFixture.Member bob = fixture.join("bob");
    assertTrue(bob.outbox().probe.receiveMessage().utf8String().endsWith("] * alice second\n"));
    assertTrue(bob.outbox().probe.receiveMessage().utf8String().endsWith("] alice: third\n"));
    fixture.type(alice, "live");
    bob.outbox().expectLine("alice: live");
  }

  @Test
  void machineModeSaysWhatEachLineIsAndEchoesOwnMessagesWithTheirNumber() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    Event.Welcome welcome = alice.outbox().expectEvent(Event.Welcome.class);
    assertEquals("alice", welcome.name());
    assertEquals("#lobby", welcome.room());
    assertTrue(welcome.token().length() >= 20, welcome.token());
    Event.Joined joined = alice.outbox().expectEvent(Event.Joined.class);
    assertEquals(new Event.Joined(joined.time(), "#lobby", "alice", false), joined);
    assertEquals("#lobby", alice.outbox().expectEvent(Event.Entered.class).room());

    fixture.type(alice, "hello");
    fixture.type(alice, "/me waves");
    Event.Chat chat = alice.outbox().expectEvent(Event.Chat.class);
    assertEquals(1, chat.seq());
    assertEquals("alice", chat.from());
    assertFalse(chat.history());
    assertEquals(2, alice.outbox().expectEvent(Event.Action.class).seq());
    fixture.type(alice, "/bogus");
    assertEquals("Unknown command '/bogus'. Type /help for the commands.",
        alice.outbox().expectEvent(Event.Error.class).text());
  }

  @Test
  void reconnectWithTheTokenTakesTheNameBackAndGetsExactlyWhatItMissed() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 20));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    Event.Welcome welcome = alice.outbox().expectEvent(Event.Welcome.class);
    RoomFixture.Member bob = fixture.join("bob");
    fixture.type(bob, "one");
    fixture.type(bob, "two");
    fixture.type(bob, "three");
    alice.outbox().expectEvent(Event.Joined.class);
    alice.outbox().expectEvent(Event.Entered.class);
    alice.outbox().expectEvent(Event.Joined.class);
    assertEquals(1, alice.outbox().expectEvent(Event.Chat.class).seq());

    RoomFixture.Member again = fixture.join("alice", resume(welcome.token(), "#lobby", 1));

    alice.evicted().expectMessageClass(ChatRoom.Evicted.class);
    assertEquals("alice", again.outbox().expectEvent(Event.Welcome.class).name());
    again.outbox().expectEvent(Event.Joined.class);
    assertEquals(3, again.outbox().expectEvent(Event.Entered.class).seq());
    Event.Chat two = again.outbox().expectEvent(Event.Chat.class);
    Event.Chat three = again.outbox().expectEvent(Event.Chat.class);
    assertEquals(2, two.seq());
    assertEquals("two", two.text());
    assertTrue(two.history());
    assertEquals(3, three.seq());
    again.outbox().expectNothing();
    bob.outbox().expectNothing(); // nobody saw alice leave or come back
    fixture.type(bob, "four");
    assertEquals(4, again.outbox().expectEvent(Event.Chat.class).seq());
  }

  @Test
  void aTakeOverSpendsTheTokenAndGivesANewOne() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    String first = alice.outbox().expectEvent(Event.Welcome.class).token();
    RoomFixture.Member again = fixture.join("alice", resume(first, "#lobby", 0));
    String second = again.outbox().expectEvent(Event.Welcome.class).token();
    assertNotEquals(first, second);
    assertEquals(new ChatRoom.JoinRejected("Username 'alice' is already taken."),
        fixture.tryJoin("alice", resume(first, "#lobby", 0), ProbeOutbox.create(testKit)));
    again.evicted().expectNoMessage(java.time.Duration.ofMillis(50));
    RoomFixture.Member third = fixture.join("alice", resume(second, "#lobby", 0));
    again.evicted().expectMessageClass(ChatRoom.Evicted.class);
    assertNotEquals(second, third.outbox().expectEvent(Event.Welcome.class).token());
  }

  @Test
  void aWrongTokenCannotTakeAName() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    alice.outbox().expectEvent(Event.Welcome.class);
    assertEquals(new ChatRoom.JoinRejected("Username 'alice' is already taken."),
        fixture.tryJoin("alice", resume("guessed-token", "#lobby", 0), ProbeOutbox.create(testKit)));
    alice.evicted().expectNoMessage(java.time.Duration.ofMillis(50));
  }

  @Test
  void whenTooMuchWasMissedTheClientIsToldHowManyAreLost() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(2, 0));
    RoomFixture.Member bob = fixture.join("bob");
    for (int i = 1; i <= 5; i++) {
      fixture.type(bob, "message " + i);
    }
    // alice's session died unnoticed earlier; her name is free, so the token does not matter.
    RoomFixture.Member alice = fixture.join("alice", resume("old-token", "#lobby", 1));
    alice.outbox().expectEvent(Event.Welcome.class);
    alice.outbox().expectEvent(Event.Joined.class);
    alice.outbox().expectEvent(Event.Entered.class);
    Event.Gap gap = alice.outbox().expectEvent(Event.Gap.class);
    assertEquals(new Event.Gap(gap.time(), "#lobby", 2), gap);
    assertEquals(4, alice.outbox().expectEvent(Event.Chat.class).seq());
    assertEquals(5, alice.outbox().expectEvent(Event.Chat.class).seq());
  }

  @Test
  void theTokenFindsTheMemberUnderItsNewNameAndInTheRoomTheClientSaysItIsIn() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    String token = alice.outbox().expectEvent(Event.Welcome.class).token();
    RoomFixture.Member bob = fixture.join("bob");
    fixture.type(alice, "/nick alicia"); // the client never saw the answer
    bob.outbox().expectLine("alice is now known as alicia.");
    fixture.type(bob, "/join #dev");

    RoomFixture.Member again = fixture.join("alice", resume(token, "#dev", 0), ProbeOutbox.create(testKit), "alicia");

    Event.Welcome welcome = again.outbox().expectEvent(Event.Welcome.class);
    assertEquals("alicia", welcome.name());
    assertEquals("#dev", welcome.room());
    bob.outbox().expectLine("bob has joined #dev.");
    bob.outbox().expectLine("You are now in #dev (1 here: bob).");
    bob.outbox().expectLine("alicia has joined #dev.");
    assertEquals(
        List.of(new Event.Presence("bob", "#dev"), new Event.Presence("alicia", "#dev")),
        fixture.members());
  }

  @Test
  void aResumeAfterTheNumberingStartedAgainGetsTheLatestMessagesAndIsTold() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 2));
    RoomFixture.Member bob = fixture.join("bob");
    fixture.type(bob, "one");
    fixture.type(bob, "two");
    fixture.type(bob, "three");
    RoomFixture.Member alice = fixture.join("alice", resume("from-before-a-restart", "#lobby", 300));
    alice.outbox().expectEvent(Event.Welcome.class);
    alice.outbox().expectEvent(Event.Joined.class);
    assertEquals(3, alice.outbox().expectEvent(Event.Entered.class).seq());
    assertTrue(alice.outbox().expectEvent(Event.Info.class).text().contains("started again"));
    assertEquals(2, alice.outbox().expectEvent(Event.Chat.class).seq());
    assertEquals(3, alice.outbox().expectEvent(Event.Chat.class).seq());
  }

  @Test
  void aTextModeTakeOverStillStartsWithTheJoinLine() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", RoomFixture.json());
    String token = alice.outbox().expectEvent(Event.Welcome.class).token();
    ClientLines.JoinOptions text = new ClientLines.JoinOptions(
        Mode.TEXT, Optional.of(token), Optional.empty(), OptionalLong.empty());
    fixture.join("alice", text); // the fixture reads "alice has joined the chat." first
  }
}
