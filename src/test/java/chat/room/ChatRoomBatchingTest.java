package chat.room;

import chat.testing.ProbeOutbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room's batching at its edges: messages are queued while the room is held (its store makes
 * it wait), so that they are handled together, as under load, and a flush falls where the test
 * needs it.
 */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomBatchingTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  final GatedStore store = new GatedStore(new RoomSettings(500, 5));
  final RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 5), store);
  /** The lobby's actor, once a member is in it. */
  private org.apache.pekko.actor.typed.ActorRef<ChatRoom.Command> lobby;

  /**
   * Holds the lobby (until {@link #open}) once what was pending there has been sent: {@code
   * someone} asks for the topic, which the room then waits to read.
   */
  private void hold(RoomFixture.Member someone) {
    lobby = someone.room(RoomNames.LOBBY);
    store.close();
    someone.room(RoomNames.LOBBY).tell(new ChatRoom.Perform(someone.id(), fixture.delivery,
        List.of(ClientLines.parseAfterJoin("/topic")), testKit.<ChatRoom.Processed>createTestProbe().ref()));
  }

  /** Lets the room go on; {@code someone} gets the topic it asked for. */
  private void open(RoomFixture.Member someone) {
    store.open();
    someone.outbox().expectLine("#lobby has no topic.");
  }

  /** Asks to join the lobby in text mode without waiting; the outbox, and where the answer comes. */
  private ProbeOutbox startJoin(String name, List<TestProbe<ChatRoom.JoinReply>> replies) {
    ProbeOutbox outbox = ProbeOutbox.create(testKit);
    RoomFixture.Member member = fixture.register(name, Mode.TEXT, outbox);
    fixture.current(member, RoomNames.LOBBY);
    TestProbe<ChatRoom.JoinReply> reply = testKit.createTestProbe();
    // Straight to the room, so that joins keep their place among the posts sent meanwhile.
    lobby.tell(new ChatRoom.Join(member.id(), name, Mode.TEXT, fixture.delivery,
        ChatRoom.Arrival.NEW, OptionalLong.empty(), reply.ref()));
    replies.add(reply);
    return outbox;
  }

  private static void skipToJoinOf(String name, ProbeOutbox json) {
    Event event;
    do {
      event = json.expectEvent(Event.class);
    } while (!(event instanceof Event.Joined joined && joined.name().equals(name)));
  }

  @Test
  void aNewcomerWhoseJoinMakesTheRoomFlushGetsNoPostFromBeforeItCame() {
    RoomFixture.Member alice = fixture.join("alice");
    hold(alice);
    // 468 posts, 16,380 bytes pending as the room counts them, just under the 16 KiB at which it
    // sends at once; bob's join notice takes it over, before bob is in the room.
    List<ClientLines.AfterJoin> posts = new ArrayList<>();
    for (int i = 0; i < 468; i++) {
      posts.add(new ClientLines.Say(String.format("m%04d-%s", i, "y".repeat(20))));
    }
    fixture.say(alice, posts.stream().map(post -> ((ClientLines.Say) post).text())
        .toArray(String[]::new));
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    ProbeOutbox bob = startJoin("bob", replies);
    open(alice);
    replies.get(0).expectMessageClass(ChatRoom.Joined.class);

    bob.expectLine("bob has joined the chat.");
    for (int i = 463; i < 468; i++) {
      String line = bob.nextLine();
      assertTrue(line.startsWith("[history ") && line.contains("alice: m0" + i), line);
    }
    bob.probe.expectNoMessage(Duration.ofMillis(300)); // past the 100 ms of the notices
  }

  @Test
  void aMemberDisconnectedRightAfterAPostStillGetsThePost() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    hold(bob);
    fixture.say(alice, "bye all");
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    bob.room(RoomNames.LOBBY).tell(
        new ChatRoom.Leave(bob.id(), ChatRoom.Departure.FLOODING, null, left.ref()));
    open(bob);
    left.expectMessage(new ChatRoom.Left(RoomNames.LOBBY));
    bob.outbox().expectLine("alice: bye all");
    alice.outbox().expectLine("bob was disconnected for flooding.");
  }

  @Test
  void aCrowdJoiningTogetherReachesEachMemberAsOneLine() {
    RoomFixture.Member bot = fixture.join("bot", Mode.JSON, RoomNames.LOBBY);
    RoomFixture.Member alice = fixture.join("alice");
    skipToJoinOf("alice", bot.outbox()); // past the bot's own join, its room, alice's join
    hold(alice);
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    ProbeOutbox ann = startJoin("ann", replies);
    ProbeOutbox ben = startJoin("ben", replies);
    for (String name : List.of("cat", "dan", "eve")) {
      startJoin(name, replies);
    }
    open(alice);
    replies.forEach(reply -> reply.expectMessageClass(ChatRoom.Joined.class));

    alice.outbox().expectLine("ann, ben, cat and 2 others have joined the chat.");
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(300)); // past the 100 ms
    Event.Joins joins = bot.outbox().expectEvent(Event.Joins.class);
    assertEquals(List.of("ann", "ben", "cat", "dan", "eve"), joins.names());
    assertEquals("#lobby", joins.room());
    // Each newcomer hears of those after it: a crowd while they are four or more.
    ann.expectLine("ann has joined the chat.");
    ann.expectLine("ben, cat, dan and 1 other have joined the chat.");
    ben.expectLine("ben has joined the chat.");
    for (String name : List.of("cat", "dan", "eve")) {
      ben.expectLine(name + " has joined the chat.");
    }
  }

  @Test
  void aCrowdWhoseNamesPassTheFlushBoundComesInMoreThanOneLine() {
    RoomFixture.Member bot = fixture.join("bot", Mode.JSON, RoomNames.LOBBY);
    RoomFixture.Member alice = fixture.join("alice");
    skipToJoinOf("alice", bot.outbox());
    hold(alice);
    // 600 names of 30 characters: 19,800 bytes of names in machine mode, past the 16 KiB bound.
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      startJoin(String.format("crowd%025d", i), replies);
    }
    open(alice);
    replies.forEach(reply -> reply.expectMessageClass(ChatRoom.Joined.class));

    List<String> names = new ArrayList<>(bot.outbox().expectEvent(Event.Joins.class).names());
    assertTrue(names.size() < 600, "the first line stops at the bound: " + names.size());
    names.addAll(bot.outbox().expectEvent(Event.Joins.class).names());
    assertEquals(600, names.size());
    assertEquals(String.format("crowd%025d", 599), names.get(599));
    assertTrue(alice.outbox().nextLine().endsWith("have joined the chat."));
    assertTrue(alice.outbox().nextLine().endsWith("have joined the chat."));
  }

  @Test
  void aCrowdLeavingTogetherReachesEachMemberAsOneLineOfHowTheyWent() {
    List<RoomFixture.Member> crowd = new ArrayList<>();
    for (String name : List.of("ann", "ben", "cat", "dan", "zed")) {
      crowd.add(fixture.join(name));
    }
    RoomFixture.Member alice = fixture.join("alice"); // after them: no notices of their joins
    hold(alice);
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    for (RoomFixture.Member member : crowd) {
      ChatRoom.Departure how =
          member.name().equals("zed") ? ChatRoom.Departure.CLOSED : ChatRoom.Departure.LOST;
      member.room(RoomNames.LOBBY).tell(new ChatRoom.Leave(member.id(), how, null, left.ref()));
    }
    open(alice);
    crowd.forEach(member -> left.expectMessageClass(ChatRoom.Left.class));
    alice.outbox().expectLine("ann, ben, cat and 1 other have disconnected unexpectedly.");
    alice.outbox().expectLine("zed left the chat.");
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void chatBetweenNoticesKeepsItsPlaceAndSplitsTheCrowd() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    hold(alice);
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    startJoin("ann", replies);
    startJoin("ben", replies);
    fixture.say(alice, "hi");
    for (String name : List.of("cat", "dan", "eve", "fay")) {
      startJoin(name, replies);
    }
    open(alice);
    replies.forEach(reply -> reply.expectMessageClass(ChatRoom.Joined.class));
    bob.outbox().expectLine("ann has joined the chat.");
    bob.outbox().expectLine("ben has joined the chat.");
    bob.outbox().expectLine("alice: hi");
    bob.outbox().expectLine("cat, dan, eve and 1 other have joined the chat.");
  }

  @Test
  void noticesOfComingAndGoingWaitLongerInBiggerRoomsUpToASecond() {
    assertEquals(Duration.ofMillis(100), ChatRoom.presenceDelay(1));
    assertEquals(Duration.ofMillis(100), ChatRoom.presenceDelay(1_000));
    assertEquals(Duration.ofMillis(500), ChatRoom.presenceDelay(5_000));
    assertEquals(Duration.ofSeconds(1), ChatRoom.presenceDelay(10_000));
    assertEquals(Duration.ofSeconds(1), ChatRoom.presenceDelay(1_000_000));
  }
}
