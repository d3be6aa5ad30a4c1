package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Joins, leaves and fan-out of the room in text mode, as the seed's users know them. */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  final RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0));

  @Test
  void joinIsAnnouncedToEveryoneIncludingTheNewcomer() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    bob.outbox().expectNothing();
    assertEquals(
        List.of(new Event.Presence("alice", "#lobby"), new Event.Presence("bob", "#lobby")),
        fixture.members());
  }

  @Test
  void joinRejectsDuplicateNameWithoutRegardToCase() {
    RoomFixture.Member alice = fixture.join("alice");
    ProbeOutbox second = ProbeOutbox.create(testKit);
    assertEquals(
        new ChatRoom.JoinRejected("Username 'ALICE' is already taken."),
        fixture.tryJoin("ALICE", ClientLines.JoinOptions.DEFAULT, second));
    second.expectNothing();
    alice.outbox().expectNothing();
  }

  @Test
  void joinRefusesANameThatLooksLikeOneInUseAndSaysWhichItLooksLike() {
    RoomFixture.Member alice = fixture.join("alice");
    String cyrillic = "\u0430\u04CF\u0456\u0441\u0435";
    assertEquals(
        new ChatRoom.JoinRejected(
            "Username '" + cyrillic + "' looks too much like 'alice', which is taken."),
        fixture.tryJoin(cyrillic, ClientLines.JoinOptions.DEFAULT, ProbeOutbox.create(testKit)));
    assertEquals(
        new ChatRoom.JoinRejected("Username 'A1ice' looks too much like 'alice', which is taken."),
        fixture.tryJoin("A1ice", ClientLines.JoinOptions.DEFAULT, ProbeOutbox.create(testKit)));
    fixture.leave(alice, ChatRoom.Departure.CLOSED);
    fixture.join(cyrillic); // free again once alice is gone
  }

  @Test
  void renameToANameThatLooksLikeAnotherMembersIsRefused() {
    RoomFixture.Member bob = fixture.join("bob");
    RoomFixture.Member eve = fixture.join("eve");
    bob.outbox().expectLine("eve has joined the chat.");
    fixture.type(eve, "/nick b0b");
    eve.outbox().expectLine("ERROR: Username 'b0b' looks too much like 'bob', which is taken.");
    fixture.type(eve, "/nick BOB");
    eve.outbox().expectLine("ERROR: Username 'BOB' is already taken.");
    fixture.type(bob, "/nick B0B");
    bob.outbox().expectLine("bob is now known as B0B.");
    eve.outbox().expectLine("bob is now known as B0B.");
  }

  @Test
  void aPrivateMessageReachesOnlyTheNameAsWrittenNotALookAlike() {
    RoomFixture.Member ian = fixture.join("ian");
    RoomFixture.Member bob = fixture.join("bob");
    ian.outbox().expectLine("bob has joined the chat.");
    fixture.type(bob, "/msg lan hello");
    bob.outbox().expectLine("ERROR: No one called 'lan' is online. Type /who * to see who is.");
    ian.outbox().expectNothing();
  }

  @Test
  void aLineTheServerFailsToCarryOutFailsAloneAndTheChatGoesOn() {
    RoomFixture.Member alice = fixture.join("alice", ClientLines.JoinOptions.DEFAULT,
        ProbeOutbox.failingOn(testKit, "In #lobby"));
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    fixture.type(alice, "/who");
    alice.outbox().expectLine("ERROR: " + ChatRoom.FAILED);
    bob.outbox().expectNothing();
    fixture.type(bob, "still chatting");
    alice.outbox().expectLine("bob: still chatting");
    fixture.type(alice, "me too");
    bob.outbox().expectLine("alice: me too");
    assertEquals(
        List.of(new Event.Presence("alice", "#lobby"), new Event.Presence("bob", "#lobby")),
        fixture.members());
  }

  @Test
  void postGoesToEveryoneButTheSenderAsOneSharedEncoding() {
    List<RoomFixture.Member> members = aliceBobAndCarol();
    RoomFixture.Member alice = members.get(0);
    RoomFixture.Member bob = members.get(1);
    RoomFixture.Member carol = members.get(2);

    fixture.type(alice, "hello");

    assertSame(bob.outbox().expectLine("alice: hello"), carol.outbox().expectLine("alice: hello"));
    alice.outbox().expectNothing();
  }

  @Test
  void quitIsToldToEveryoneIncludingTheQuitterAndFreesTheName() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");

    fixture.leave(bob, ChatRoom.Departure.QUIT);

    alice.outbox().expectLine("bob left the chat.");
    bob.outbox().expectLine("bob left the chat.");
    assertEquals(List.of(new Event.Presence("alice", "#lobby")), fixture.members());
    fixture.join("BOB");
  }

  @Test
  void closedAndLostAreToldToTheOthersOnly() {
    List<RoomFixture.Member> members = aliceBobAndCarol();
    RoomFixture.Member alice = members.get(0);
    RoomFixture.Member bob = members.get(1);
    RoomFixture.Member carol = members.get(2);

    fixture.leave(bob, ChatRoom.Departure.CLOSED);
    fixture.leave(carol, ChatRoom.Departure.LOST);

    alice.outbox().expectLine("bob left the chat.");
    alice.outbox().expectLine("carol has disconnected unexpectedly.");
    bob.outbox().expectNothing();
    // Gone before the notices went out together: carol is not sent bob's.
    carol.outbox().expectNothing();
  }

  @Test
  void shutdownLeavesSilently() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");

    fixture.leave(bob, ChatRoom.Departure.SHUTDOWN);

    alice.outbox().expectNothing();
    bob.outbox().expectNothing();
    assertEquals(List.of(new Event.Presence("alice", "#lobby")), fixture.members());
  }

  @Test
  void memberWhoseSessionDiesIsRemovedAndAnnounced() {
    RoomFixture.Member alice = fixture.join("alice");
    ActorRef<Object> doomed = testKit.spawn(Behaviors.empty());
    ProbeOutbox doomedOutbox = ProbeOutbox.create(testKit);
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    fixture.room.tell(new ChatRoom.Join("bob", ClientLines.JoinOptions.DEFAULT, doomed,
        testKit.<ChatRoom.Evicted>createTestProbe().ref(), doomedOutbox, reply.ref()));
    reply.expectMessage(new ChatRoom.Joined("bob"));
    alice.outbox().expectLine("bob has joined the chat.");

    testKit.stop(doomed);

    alice.outbox().expectLine("bob has disconnected unexpectedly.");
    assertEquals(List.of(new Event.Presence("alice", "#lobby")), fixture.members());
  }

  @Test
  void aFullOutboxDoesNotHoldUpTheOthers() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member slow = fixture.join("slow", ClientLines.JoinOptions.DEFAULT, ProbeOutbox.full(testKit));
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("slow has joined the chat.");
    alice.outbox().expectLine("bob has joined the chat.");
    slow.outbox().expectLine("bob has joined the chat.");

    for (int i = 0; i < 100; i++) {
      fixture.type(alice, "line " + i);
    }

    for (int i = 0; i < 100; i++) {
      bob.outbox().expectLine("alice: line " + i);
    }
  }

  @Test
  void requestFromASessionThatIsNotAMemberIsIgnored() {
    RoomFixture.Member alice = fixture.join("alice");
    TestProbe<ChatRoom.Processed> ack = testKit.createTestProbe();
    fixture.room.tell(new ChatRoom.Perform(testKit.createTestProbe().ref(), List.of(new ClientLines.Say("boo")), ack.ref()));
    ack.expectMessage(ChatRoom.Processed.INSTANCE);
    alice.outbox().expectNothing();
  }

  @Test
  void kickTellsTheMemberWhyAndTheRoomThatItHappened() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    TestProbe<ChatRoom.KickReply> reply = testKit.createTestProbe();

    fixture.room.tell(new ChatRoom.Kick("BOB", Optional.of("spamming"), reply.ref()));

    reply.expectMessage(new ChatRoom.Kicked("bob"));
    bob.outbox().expectLine("ERROR: You were kicked by the server operator: spamming");
    bob.evicted().expectMessageClass(ChatRoom.Evicted.class);
    alice.outbox().expectLine("bob was kicked: spamming");
    fixture.room.tell(new ChatRoom.Kick("bob", Optional.empty(), reply.ref()));
    reply.expectMessage(new ChatRoom.NotOnline("bob"));
  }

  @Test
  void announcementReachesEveryRoom() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob", new ClientLines.JoinOptions(
        Mode.TEXT, Optional.empty(), Optional.of("#dev"), OptionalLong.empty()));
    alice.outbox().expectNothing();

    fixture.room.tell(new ChatRoom.Announce("maintenance at noon"));

    alice.outbox().expectLine("[server] maintenance at noon");
    bob.outbox().expectLine("[server] maintenance at noon");
  }

  @Test
  void postsThatArriveTogetherReachEveryoneButTheirSender() {
    List<RoomFixture.Member> members = aliceBobAndCarol();
    RoomFixture.Member alice = members.get(0);
    RoomFixture.Member bob = members.get(1);
    RoomFixture.Member carol = members.get(2);
    for (int n = 0; n < 3; n++) {
      fixture.say(alice, "a" + n);
      fixture.say(bob, "b" + n);
    }
    for (int n = 0; n < 3; n++) {
      carol.outbox().expectLine("alice: a" + n);
      carol.outbox().expectLine("bob: b" + n);
      alice.outbox().expectLine("bob: b" + n);
      bob.outbox().expectLine("alice: a" + n);
    }
    alice.outbox().expectNothing();
    bob.outbox().expectNothing();

    fixture.say(alice, "x", "y");
    bob.outbox().expectLine("alice: x");
    bob.outbox().expectLine("alice: y");
    alice.outbox().expectNothing();
  }

  @Test
  void aNewcomerGetsOnlyWhatIsPostedAfterItCameEvenInOneBatch() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    ProbeOutbox carol = ProbeOutbox.create(testKit);
    fixture.say(alice, "before");
    fixture.startJoin("carol", ClientLines.JoinOptions.DEFAULT, carol);
    fixture.say(alice, "after");

    carol.expectLine("carol has joined the chat.");
    carol.expectLine("alice: after");
    carol.expectNothing();
    bob.outbox().expectLine("alice: before");
    bob.outbox().expectLine("carol has joined the chat.");
    bob.outbox().expectLine("alice: after");
    alice.outbox().expectLine("carol has joined the chat.");
    alice.outbox().expectNothing();
  }

  /** Three members who have read each other's join lines. */
  private List<RoomFixture.Member> aliceBobAndCarol() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    RoomFixture.Member carol = fixture.join("carol");
    alice.outbox().expectLine("bob has joined the chat.");
    alice.outbox().expectLine("carol has joined the chat.");
    bob.outbox().expectLine("carol has joined the chat.");
    return List.of(alice, bob, carol);
  }
}
