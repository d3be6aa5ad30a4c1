package chat.room;

import chat.testing.ProbeOutbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.delivery.Delivery;
import chat.protocol.ClientLines;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Joins, leaves and fan-out of rooms in text mode, as the seed's users know them, through the
 * rooms' directory and the Delivery, with members in several rooms.
 */
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
    assertEquals(List.of("alice", "bob"), fixture.members());
  }

  @Test
  void postGoesToEveryoneButTheSenderAsOneSharedEncoding() {
    List<RoomFixture.Member> members = aliceBobAndCarol();
    RoomFixture.Member alice = members.get(0);

    fixture.type(alice, "hello");

    assertSame(members.get(1).outbox().expectLine("alice: hello"),
        members.get(2).outbox().expectLine("alice: hello"));
    alice.outbox().expectNothing();
  }

  @Test
  void quitIsToldToEveryoneIncludingTheQuitter() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");

    fixture.leave(bob, ChatRoom.Departure.QUIT);

    bob.outbox().expectLine("bob left the chat.");
    alice.outbox().expectLine("bob left the chat.");
    assertEquals(List.of("alice"), fixture.members());
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
    assertEquals(List.of("alice"), fixture.members());
  }

  @Test
  void aFullOutboxDoesNotHoldUpTheOthers() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member slow = fixture.join("slow", Mode.TEXT, RoomNames.LOBBY,
        OptionalLong.empty(), ProbeOutbox.full(testKit));
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
  void aLineFromSomeoneNotInTheRoomIsAnErrorForThemAloneAndIsAcknowledged() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member stranger = fixture.register("stranger", Mode.TEXT, ProbeOutbox.create(testKit));
    TestProbe<ChatRoom.Processed> ack = testKit.createTestProbe();
    alice.room(RoomNames.LOBBY).tell(new ChatRoom.Perform(stranger.id(), fixture.delivery,
        List.of(new ClientLines.Say("boo")), ack.ref()));
    ack.expectMessage(ChatRoom.Processed.INSTANCE);
    stranger.outbox().expectLine("ERROR: You are not in #lobby; /join #lobby first.");
    alice.outbox().expectNothing();
  }

  @Test
  void announcementReachesEveryMemberOnceWhateverItsRooms() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob", Mode.TEXT, "#dev");
    fixture.add(alice, "#dev");
    bob.outbox().expectLine("alice has joined #dev.");
    alice.outbox().expectLine("You are now in #dev (2 here: bob, alice).");

    fixture.delivery.tell(new Delivery.Announce(
        new chat.protocol.Event.Announcement(0, "maintenance at noon")));

    alice.outbox().expectLine("[server] maintenance at noon");
    bob.outbox().expectLine("[server] maintenance at noon");
    alice.outbox().expectNothing();
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
  void aNewcomerGetsOnlyWhatIsPostedAfterItCame() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    fixture.say(alice, "before");
    RoomFixture.Member carol = fixture.join("carol");
    fixture.say(alice, "after");

    carol.outbox().expectLine("alice: after");
    carol.outbox().expectNothing();
    bob.outbox().expectLine("alice: before");
    bob.outbox().expectLine("carol has joined the chat.");
    bob.outbox().expectLine("alice: after");
    alice.outbox().expectLine("carol has joined the chat.");
    alice.outbox().expectNothing();
  }

  @Test
  void aMemberOfSeveralRoomsSeesItsOtherRoomsLinesWithTheirRoom() {
    List<RoomFixture.Member> both = aliceAndBobInTheLobbyAndDev();
    RoomFixture.Member alice = both.get(0);
    RoomFixture.Member bob = both.get(1);
    fixture.current(bob, RoomNames.LOBBY);

    fixture.type(alice, "#dev", "in dev");
    // Two rooms send on their own: the lobby's line is said once #dev's has reached bob.
    bob.outbox().expectLine("[#dev] alice: in dev");
    fixture.type(alice, RoomNames.LOBBY, "in the lobby");
    bob.outbox().expectLine("alice: in the lobby");
    fixture.leave(bob, "#dev", ChatRoom.Departure.PARTED);
    bob.outbox().expectLine("[#dev] bob left #dev.");
    alice.outbox().expectLine("bob left #dev.");
    fixture.type(alice, "#dev", "gone?");
    bob.outbox().expectNothing();
    assertEquals(List.of("alice", "bob"), fixture.members());
  }

  @Test
  void oneWhoQuitsSeveralRoomsIsToldOnceAndEachRoomOnce() {
    List<RoomFixture.Member> both = aliceAndBobInTheLobbyAndDev();
    RoomFixture.Member alice = both.get(0);
    RoomFixture.Member bob = both.get(1);

    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    bob.room("#dev").tell(new ChatRoom.Leave(bob.id(), ChatRoom.Departure.QUIT, null, true,
        left.ref()));
    bob.room(RoomNames.LOBBY).tell(new ChatRoom.Leave(bob.id(), ChatRoom.Departure.QUIT, null,
        false, left.ref()));
    left.receiveMessage();
    left.receiveMessage();

    bob.outbox().expectLine("bob left the chat.");
    bob.outbox().expectNothing();
    // Each room tells in its own time.
    assertEquals(java.util.Set.of("bob left the chat.", "[#lobby] bob left the chat."),
        java.util.Set.of(alice.outbox().nextLine(), alice.outbox().nextLine()));
  }

  @Test
  void aRenameIsToldInEveryRoomOfTheMember() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    fixture.add(bob, "#dev");
    bob.outbox().expectLine("You are now in #dev (1 here: bob).");

    bob.room("#dev").tell(new ChatRoom.Rename(bob.id(), "robert"));
    bob.room(RoomNames.LOBBY).tell(new ChatRoom.Rename(bob.id(), "robert"));

    // Each room tells in its own time.
    assertEquals(java.util.Set.of("bob is now known as robert.",
        "[#lobby] bob is now known as robert."),
        java.util.Set.of(bob.outbox().nextLine(), bob.outbox().nextLine()));
    alice.outbox().expectLine("bob is now known as robert.");
    assertEquals(List.of("alice", "robert"), fixture.members());
  }

  @Test
  void aLineTheServerFailsToCarryOutFailsAloneAndTheChatGoesOn() {
    GatedStore store = new GatedStore(new RoomSettings(500, 0));
    RoomFixture faulty = new RoomFixture(testKit, new RoomSettings(500, 0), store);
    RoomFixture.Member alice = faulty.join("alice");
    RoomFixture.Member bob = faulty.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    store.failTopics(true);
    faulty.type(alice, "/topic");
    alice.outbox().expectLine("ERROR: " + RoomCommands.FAILED);
    bob.outbox().expectNothing();
    store.failTopics(false);
    faulty.type(bob, "still chatting");
    alice.outbox().expectLine("bob: still chatting");
    faulty.type(alice, "me too");
    bob.outbox().expectLine("alice: me too");
    assertEquals(List.of("alice", "bob"), faulty.members());
  }

  @Test
  void aRoomThatFailsRestartsAloneAndItsMembersAreAskedBack() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob", Mode.TEXT, "#dev");
    fixture.type(alice, "kept");

    // No session sends this: a join without a name stands for a bug in the room.
    alice.room(RoomNames.LOBBY).tell(new ChatRoom.Join(99, null, Mode.TEXT, fixture.delivery,
        ChatRoom.Arrival.NEW, OptionalLong.empty(), testKit.<ChatRoom.JoinReply>createTestProbe().ref()));

    Delivery.Rejoin asked = (Delivery.Rejoin) alice.session().receiveMessage();
    assertEquals(RoomNames.LOBBY, asked.room());
    bob.session().expectNoMessage(Duration.ofMillis(100));
    TestProbe<ChatRoom.JoinReply> back = testKit.createTestProbe();
    alice.room(RoomNames.LOBBY).tell(new ChatRoom.Join(alice.id(), "alice", Mode.TEXT,
        fixture.delivery, ChatRoom.Arrival.REJOINED, OptionalLong.empty(), back.ref()));
    assertInstanceOf(ChatRoom.Rejoined.class, back.receiveMessage());
    alice.outbox().expectNothing();
    fixture.type(alice, "/history");
    String kept = alice.outbox().nextLine();
    assertTrue(kept.startsWith("[history ") && kept.endsWith("] alice: kept"), kept);
  }

  @Test
  void membersBackInARoomThatRestartedGetWhatWasSaidSinceTheLastLineTheirNodeWasGiven() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    fixture.type(alice, "before");
    bob.outbox().expectLine("alice: before");

    alice.room(RoomNames.LOBBY).tell(new ChatRoom.Join(99, null, Mode.TEXT, fixture.delivery,
        ChatRoom.Arrival.NEW, OptionalLong.empty(), testKit.<ChatRoom.JoinReply>createTestProbe().ref()));
    Delivery.Rejoin aliceAsked = (Delivery.Rejoin) alice.session().receiveMessage();
    Delivery.Rejoin bobAsked = (Delivery.Rejoin) bob.session().receiveMessage();
    assertEquals(aliceAsked.after(), bobAsked.after());
    assertTrue(aliceAsked.after().isPresent());

    // Alice is back first and talks before bob is back: he gets it when he comes, once.
    rejoin(alice, aliceAsked);
    fixture.type(alice, "while bob was away");
    alice.outbox().expectNothing();
    rejoin(bob, bobAsked);
    String missed = bob.outbox().nextLine(); // replayed, so marked as history
    assertTrue(missed.startsWith("[history ") && missed.endsWith("] alice: while bob was away"),
        missed);
    fixture.type(alice, "after");
    bob.outbox().expectLine("alice: after");
    bob.outbox().expectNothing();
  }

  @Test
  void aMemberAskedBackWhileStillInTheRoomIsShownInAgainWithWhatItsNodeMissed() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    // A room that moved asks its members back a second time as it starts where it went: their
    // node's Delivery forgets them while they are still members.
    fixture.delivery.tell(new Delivery.RoomStarted(RoomNames.LOBBY));
    Delivery.Rejoin asked = (Delivery.Rejoin) alice.session().receiveMessage();
    fixture.type(bob, "while alice's node forgot her");
    rejoin(alice, asked);
    String missed = alice.outbox().nextLine();
    assertTrue(missed.endsWith("] bob: while alice's node forgot her"), missed);
    fixture.type(bob, "live again");
    alice.outbox().expectLine("bob: live again");
    alice.outbox().expectNothing();
  }

  private void rejoin(RoomFixture.Member member, Delivery.Rejoin asked) {
    TestProbe<ChatRoom.JoinReply> back = testKit.createTestProbe();
    member.room(RoomNames.LOBBY).tell(new ChatRoom.Join(member.id(), member.name(), Mode.TEXT,
        fixture.delivery, ChatRoom.Arrival.REJOINED, asked.after(), back.ref()));
    assertInstanceOf(ChatRoom.Rejoined.class, back.receiveMessage());
  }

  /** Alice and bob, each in the lobby and #dev (the current room), having read all so far. */
  private List<RoomFixture.Member> aliceAndBobInTheLobbyAndDev() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    fixture.add(alice, "#dev");
    alice.outbox().expectLine("You are now in #dev (1 here: alice).");
    fixture.add(bob, "#dev");
    bob.outbox().expectLine("You are now in #dev (2 here: alice, bob).");
    alice.outbox().expectLine("bob has joined #dev.");
    return List.of(alice, bob);
  }

  @Test
  void aMemberMarkedAwayIsShownAwayByWhoUntilItIsBackAndAJoinBringsItsAway() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    bob.room(RoomNames.LOBBY).tell(new ChatRoom.MarkAway(bob.id(), "lunch"));
    fixture.type(alice, "/who");
    alice.outbox().expectLine("In #lobby (2): alice, bob (away: lunch)");
    TestProbe<ChatRoom.Members> members = testKit.createTestProbe();
    fixture.directory.tell(new RoomDirectory.Who(RoomNames.LOBBY, members.ref()));
    assertEquals(java.util.Map.of("bob", "lunch"), members.receiveMessage().away());

    bob.room(RoomNames.LOBBY).tell(new ChatRoom.MarkAway(bob.id(), null));
    fixture.type(alice, "/who");
    alice.outbox().expectLine("In #lobby (2): alice, bob");

    TestProbe<ChatRoom.JoinReply> joined = testKit.createTestProbe();
    RoomFixture.Member carol = fixture.register("carol", Mode.TEXT, ProbeOutbox.create(testKit));
    fixture.directory.tell(new RoomDirectory.Join(RoomNames.LOBBY, new ChatRoom.Join(carol.id(),
        "carol", Mode.TEXT, fixture.delivery, ChatRoom.Arrival.NEW, OptionalLong.empty(), true,
        "gone fishing", joined.ref())));
    joined.expectMessageClass(ChatRoom.Joined.class);
    alice.outbox().expectLine("carol has joined the chat.");
    fixture.type(alice, "/who");
    alice.outbox().expectLine("In #lobby (3): alice, bob, carol (away: gone fishing)");
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
