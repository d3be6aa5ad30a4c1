package chat.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.Event;
import chat.protocol.Mode;
import chat.testing.ProbeOutbox;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node's Delivery on its own: rooms' batches in, each member's lines out to its outbox, as the
 * member reads them (text or machine mode, its current room or another), and only what came while
 * it was in the room.
 */
@ExtendWith(LogCapturingExtension.class)
class DeliveryTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  private static final long T = 1764090000000L;
  private static final String LOBBY = "#lobby";

  @AfterAll
  static void cleanup() {
    testKit.shutdownTestKit();
  }

  private final ActorRef<Delivery.Command> delivery = testKit.spawn(Delivery.create());
  private long members;

  /** A member registered with the Delivery, its outbox and its session's probe. */
  private record Member(
      long id, String name, ProbeOutbox outbox, TestProbe<Delivery.Rejoin> session) {}

  private Member register(String name, Mode mode, String current) {
    return register(name, mode, current, ProbeOutbox.create(testKit));
  }

  private Member register(String name, Mode mode, String current, ProbeOutbox outbox) {
    Member member = new Member(++members, name, outbox, testKit.createTestProbe());
    delivery.tell(new Delivery.Register(member.id(), name, outbox, mode, current,
        member.session().ref()));
    return member;
  }

  /** The number of each room's last message sent out, as the room keeps it. */
  private final java.util.Map<String, Long> shown = new java.util.HashMap<>();

  /** A room's batch, with the number of its last message sent out (0 for a room without). */
  private void deliver(String room, Delivery.Entry... entries) {
    for (Delivery.Entry entry : entries) {
      if (entry instanceof Delivery.Post post && post.event() instanceof Event.Message message) {
        shown.put(room, message.seq());
      }
    }
    delivery.tell(new Delivery.Deliver(room, List.of(entries), shown.getOrDefault(room, 0L)));
  }

  private static Delivery.Post chat(long seq, Member from, String text) {
    return new Delivery.Post(new Event.Chat(T, LOBBY, seq, from.name(), text, false), from.id());
  }

  private static Delivery.Post joined(String room, String name) {
    return new Delivery.Post(new Event.Joined(T, room, name, false), 0);
  }

  @Test
  void eachMemberGetsAPostAsItReadsAndTextModeNeverEchoesTheSender() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    Member bob = register("bob", Mode.TEXT, LOBBY);
    Member bot = register("bot", Mode.JSON, LOBBY);
    deliver(LOBBY, new Delivery.Enter(alice.id()), new Delivery.Enter(bob.id()),
        new Delivery.Enter(bot.id()));

    deliver(LOBBY, chat(1, alice, "hi"));
    bob.outbox().expectLine("alice: hi");
    assertEquals("hi", bot.outbox().expectEvent(Event.Chat.class).text());
    alice.outbox().expectNothing();
  }

  @Test
  void linesOfARoomThatIsNotTheCurrentOneCarryTheRoomInTextMode() {
    Member alice = register("alice", Mode.TEXT, "#dev");
    Member bob = register("bob", Mode.TEXT, LOBBY);
    deliver(LOBBY, new Delivery.Enter(alice.id()), new Delivery.Enter(bob.id()));

    deliver(LOBBY, chat(1, bob, "lobby talk"), joined(LOBBY, "carol"));
    alice.outbox().expectLine("[#lobby] bob: lobby talk");
    alice.outbox().expectLine("[#lobby] carol has joined the chat.");
    bob.outbox().expectLine("carol has joined the chat.");

    delivery.tell(new Delivery.Current(alice.id(), "#LOBBY"));
    deliver(LOBBY, chat(2, bob, "now yours"));
    alice.outbox().expectLine("bob: now yours");
  }

  @Test
  void aMemberGetsOnlyWhatCameWhileItWasInTheRoomAndItsOwnLines() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    Member bob = register("bob", Mode.TEXT, LOBBY);
    Member carol = register("carol", Mode.TEXT, LOBBY);
    deliver(LOBBY, new Delivery.Enter(alice.id()), new Delivery.Enter(carol.id()));

    deliver(LOBBY,
        chat(1, carol, "before bob"),
        new Delivery.Enter(bob.id()),
        new Delivery.To(bob.id(), new Event.Info(T, "welcome, bob")),
        chat(2, carol, "with bob"),
        new Delivery.Exit(alice.id()),
        chat(3, carol, "after alice"));
    alice.outbox().expectLine("carol: before bob");
    alice.outbox().expectLine("carol: with bob");
    bob.outbox().expectLine("welcome, bob");
    bob.outbox().expectLine("carol: with bob");
    bob.outbox().expectLine("carol: after alice");
    alice.outbox().expectNothing();
    bob.outbox().expectNothing();
    carol.outbox().expectNothing();

    deliver(LOBBY, chat(4, carol, "alice is gone"));
    bob.outbox().expectLine("carol: alice is gone");
    alice.outbox().expectNothing();
  }

  @Test
  void aCrowdsNoticesComeAsOneLine() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    deliver(LOBBY, new Delivery.Enter(alice.id()));
    deliver(LOBBY, joined(LOBBY, "ann"), joined(LOBBY, "ben"), joined(LOBBY, "cat"),
        joined(LOBBY, "dan"));
    alice.outbox().expectLine("ann, ben, cat and 1 other have joined the chat.");
  }

  @Test
  void aFaultyOutboxCostsItsOwnMemberTheLinesAndNoOneElse() {
    Member alice = register("alice", Mode.TEXT, LOBBY, ProbeOutbox.failingOn(testKit, "boom"));
    Member bob = register("bob", Mode.TEXT, LOBBY);
    Member carol = register("carol", Mode.TEXT, LOBBY);
    deliver(LOBBY, new Delivery.Enter(alice.id()), new Delivery.Enter(bob.id()),
        new Delivery.Enter(carol.id()));

    deliver(LOBBY, chat(1, carol, "boom"));
    bob.outbox().expectLine("carol: boom");
    deliver(LOBBY, chat(2, carol, "still here"));
    alice.outbox().expectLine("carol: still here");
    bob.outbox().expectLine("carol: still here");
  }

  @Test
  void linesForOneMemberAndAnnouncementsForAll() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    Member bot = register("bot", Mode.JSON, null);
    delivery.tell(new Delivery.Tell(alice.id(), List.of(new Event.Info(T, "just you"))));
    alice.outbox().expectLine("just you");
    bot.outbox().expectNothing();

    delivery.tell(new Delivery.Announce(new Event.Announcement(T, "restart at noon")));
    alice.outbox().expectLine("[server] restart at noon");
    assertEquals("restart at noon", bot.outbox().expectEvent(Event.Announcement.class).text());
  }

  @Test
  void anUnregisterOfAConnectionTakenOverLeavesTheNewOneInPlace() {
    Member old = register("alice", Mode.TEXT, LOBBY);
    deliver(LOBBY, new Delivery.Enter(old.id()));
    ProbeOutbox fresh = ProbeOutbox.create(testKit);
    TestProbe<Delivery.Rejoin> freshSession = testKit.createTestProbe();
    delivery.tell(new Delivery.Register(old.id(), "alice", fresh, Mode.TEXT, LOBBY,
        freshSession.ref()));
    TestProbe<Delivery.Unregistered> unregistered = testKit.createTestProbe();
    delivery.tell(new Delivery.Unregister(old.id(), old.session().ref(), unregistered.ref()));
    assertEquals(new Delivery.Unregistered(old.id()), unregistered.receiveMessage());

    delivery.tell(new Delivery.Tell(old.id(), List.of(new Event.Info(T, "to the new one"))));
    fresh.expectLine("to the new one");
    old.outbox().expectNothing();
  }

  @Test
  void aBatchThatComesAfterAGapAsksTheMembersBackForWhatTheyMissed() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    shown.put(LOBBY, 6L);
    deliver(LOBBY, new Delivery.Enter(alice.id()));
    deliver(LOBBY, new Delivery.Post(new Event.Chat(T, LOBBY, 7, "bob", "seven", false), 0));
    alice.outbox().expectLine("bob: seven");
    // Lines 8 and 9 were lost between the nodes: 10 is not shown out of its turn; alice comes
    // back with everything after 7 instead.
    deliver(LOBBY, new Delivery.Post(new Event.Chat(T, LOBBY, 10, "bob", "ten", false), 0));
    assertEquals(new Delivery.Rejoin(LOBBY, java.util.OptionalLong.of(7)),
        alice.session().receiveMessage());
    alice.outbox().expectNothing();
  }

  @Test
  void aRoomThatStartsAgainAsksItsMembersOfThisNodeToComeBack() {
    Member alice = register("alice", Mode.TEXT, LOBBY);
    Member bob = register("bob", Mode.TEXT, LOBBY);
    shown.put("#dev", 40L); // a room with a history
    deliver("#dev", new Delivery.Enter(alice.id()));
    deliver("#dev", new Delivery.Post(new Event.Chat(T, "#dev", 41, "bob", "hi", false), 0));
    deliver("#dev", new Delivery.Post(new Event.Chat(T, "#dev", 42, "bob", "there", false), 0));
    alice.outbox().expectLine("[#dev] bob: hi");
    alice.outbox().expectLine("[#dev] bob: there");

    delivery.tell(new Delivery.RoomStarted("#dev"));
    // It comes back with whatever the room said after the last line this node was given.
    assertEquals(new Delivery.Rejoin("#dev", java.util.OptionalLong.of(42)),
        alice.session().receiveMessage());
    bob.session().expectNoMessage(java.time.Duration.ofMillis(50));
    deliver("#dev", new Delivery.Post(new Event.Info(T, "not in it until it comes back"), 0));
    alice.outbox().expectNothing();
  }
}
