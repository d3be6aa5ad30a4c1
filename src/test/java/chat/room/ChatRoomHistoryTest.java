package chat.room;

import chat.testing.ProbeOutbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** History, sequence numbers, machine mode, resuming on a new connection, and rooms that stop. */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomHistoryTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  /** Joins the lobby in machine mode and reads what comes before live lines: own join, room. */
  private static RoomFixture.Member joinJson(RoomFixture fixture, String name) {
    RoomFixture.Member member = fixture.join(name, Mode.JSON, RoomNames.LOBBY);
    member.outbox().expectEvent(Event.Joined.class);
    member.outbox().expectEvent(Event.Entered.class);
    return member;
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
      String line = alice.outbox().nextLine();
      assertTrue(line.matches("\\[history \\d\\d:\\d\\d] alice: message " + i), line);
    }
    fixture.type(alice, "/history 1");
    assertTrue(alice.outbox().nextLine().endsWith("alice: message 5"));
    fixture.add(alice, "#empty");
    alice.outbox().expectLine("You are now in #empty (1 here: alice).");
    fixture.type(alice, "#empty", "/history");
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
    assertTrue(bob.outbox().nextLine().endsWith("] * alice second"));
    assertTrue(bob.outbox().nextLine().endsWith("] alice: third"));
    fixture.type(alice, "live");
    bob.outbox().expectLine("alice: live");
  }

  @Test
  void machineModeSaysWhatEachLineIsAndEchoesOwnMessagesWithTheirNumber() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice", Mode.JSON, RoomNames.LOBBY);
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
  }

  @Test
  void aNewConnectionOfAMemberGetsExactlyWhatItMissedAndNobodySeesIt() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 20));
    RoomFixture.Member alice = joinJson(fixture, "alice");
    RoomFixture.Member bob = fixture.join("bob");
    fixture.type(bob, "one");
    alice.outbox().expectEvent(Event.Joined.class);
    assertEquals(1, alice.outbox().expectEvent(Event.Chat.class).seq());
    fixture.type(bob, "two");
    fixture.type(bob, "three");

    RoomFixture.Member again = fixture.reconnect(alice, Mode.JSON);
    assertInstanceOf(ChatRoom.Joined.class,
        fixture.enter(again, RoomNames.LOBBY, ChatRoom.Arrival.RESUMED, OptionalLong.of(1)));

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
    assertEquals(List.of("alice", "bob"), fixture.members());
  }

  @Test
  void aTextModeResumeStillStartsWithTheJoinLine() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member again = fixture.reconnect(alice, Mode.TEXT);
    fixture.enter(again, RoomNames.LOBBY, ChatRoom.Arrival.RESUMED, OptionalLong.empty());
    again.outbox().expectLine("alice has joined the chat.");
    again.outbox().expectNothing();
  }

  @Test
  void whenTooMuchWasMissedTheClientIsToldHowManyAreLost() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(2, 0));
    RoomFixture.Member bob = fixture.join("bob");
    for (int i = 1; i <= 5; i++) {
      fixture.type(bob, "message " + i);
    }
    // alice's session died unnoticed earlier; her name is free, and she comes back after 1.
    RoomFixture.Member alice = fixture.join("alice", Mode.JSON, RoomNames.LOBBY,
        OptionalLong.of(1), ProbeOutbox.create(testKit));
    alice.outbox().expectEvent(Event.Joined.class);
    alice.outbox().expectEvent(Event.Entered.class);
    Event.Gap gap = alice.outbox().expectEvent(Event.Gap.class);
    assertEquals(new Event.Gap(gap.time(), "#lobby", 2), gap);
    assertEquals(4, alice.outbox().expectEvent(Event.Chat.class).seq());
    assertEquals(5, alice.outbox().expectEvent(Event.Chat.class).seq());
  }

  @Test
  void aResumeAfterTheNumberingStartedAgainGetsTheLatestMessagesAndIsTold() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 2));
    RoomFixture.Member bob = fixture.join("bob");
    fixture.type(bob, "one");
    fixture.type(bob, "two");
    fixture.type(bob, "three");
    RoomFixture.Member alice = fixture.join("alice", Mode.JSON, RoomNames.LOBBY,
        OptionalLong.of(300), ProbeOutbox.create(testKit));
    alice.outbox().expectEvent(Event.Joined.class);
    assertEquals(3, alice.outbox().expectEvent(Event.Entered.class).seq());
    assertTrue(alice.outbox().expectEvent(Event.Info.class).text().contains("started again"));
    assertEquals("two", alice.outbox().expectEvent(Event.Chat.class).text());
    assertEquals("three", alice.outbox().expectEvent(Event.Chat.class).text());
  }

  @Test
  void aRoomThatStoppedWhenEmptyComesBackWithItsHistoryAndTopic() {
    RoomSettings settings = new RoomSettings(500, 256 << 10, 5, 1000, 300, 20,
        Duration.ofMillis(100));
    RoomFixture fixture = new RoomFixture(testKit, settings);
    RoomFixture.Member alice = fixture.join("alice", Mode.TEXT, "#dev");
    fixture.type(alice, "#dev", "/topic kept");
    alice.outbox().expectLine("alice set the topic of #dev: kept");
    fixture.type(alice, "#dev", "remember me");
    org.apache.pekko.actor.typed.ActorRef<ChatRoom.Command> before = alice.room("#dev");
    fixture.leave(alice, "#dev", ChatRoom.Departure.QUIT);
    testKit.createTestProbe().expectTerminated(before, Duration.ofSeconds(5));

    RoomFixture.Member bob = fixture.join("bob", Mode.TEXT, "#dev");
    bob.outbox().expectLine("Topic of #dev: kept");
    assertTrue(bob.outbox().nextLine().endsWith("] alice: remember me"));
  }

  @Test
  void anEmptyRoomThatKeepsNothingIsForgottenOnceItStops() {
    RoomSettings settings = new RoomSettings(500, 256 << 10, 5, 1000, 300, 20,
        Duration.ofMillis(100));
    RoomFixture fixture = new RoomFixture(testKit, settings);
    RoomFixture.Member alice = fixture.join("alice", Mode.TEXT, "#passing");
    org.apache.pekko.actor.typed.ActorRef<ChatRoom.Command> room = alice.room("#passing");
    fixture.leave(alice, "#passing", ChatRoom.Departure.QUIT);
    testKit.createTestProbe().expectTerminated(room, Duration.ofSeconds(5));
    testKit.createTestProbe().awaitAssert(() -> {
      assertTrue(fixture.store.find(RoomNames.key("#passing")).isEmpty());
      return null;
    });
    assertTrue(fixture.store.find(RoomNames.key(RoomNames.LOBBY)).isPresent(), "the lobby stays");
  }
}
