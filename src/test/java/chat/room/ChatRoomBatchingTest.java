package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.ClientLines;
import chat.protocol.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The room's batching at its edges: messages are queued while the room is held, so that they
 * are handled together, as under load, and a flush falls where the test needs it.
 */
@ExtendWith(LogCapturingExtension.class)
class ChatRoomBatchingTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  final RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 5));

  /** A member whose outbox, asked for its depth by !stats, holds the room until opened. */
  static final class Gate implements Outbox {
    final CountDownLatch open = new CountDownLatch(1);

    @Override
    public boolean offer(ByteString lines) {
      return true;
    }

    @Override
    public long queuedBytes() {
      try {
        open.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return 0;
    }

    @Override
    public void close() {}
  }

  /** Holds the room (until the gate opens) once what was pending has been flushed. */
  private Gate holdRoom(RoomFixture.Member someone) {
    fixture.type(someone, "/rooms"); // anything but chat flushes what is pending
    assertTrue(someone.outbox().probe.receiveMessage().utf8String().startsWith("Rooms (1)"));
    Gate gate = joinGate();
    hold();
    return gate;
  }

  private Gate joinGate() {
    Gate gate = new Gate();
    fixture.startJoin("gate", ClientLines.JoinOptions.DEFAULT, gate)
        .expectMessageClass(ChatRoom.Joined.class);
    return gate;
  }

  @Test
  void aNewcomerWhoseJoinMakesTheRoomFlushGetsNoPostFromBeforeItCame() {
    RoomFixture.Member alice = fixture.join("alice");
    Gate gate = holdRoom(alice); // the gate's join notice (26 bytes) is now pending
    // 481 posts of 34 bytes: 16,380 bytes pending with the notice, just under the 16 KiB at
    // which the room flushes; bob's own join notice takes it over.
    List<ClientLines.AfterJoin> posts = new ArrayList<>();
    for (int i = 0; i < 481; i++) {
      posts.add(new ClientLines.Say(String.format("m%04d-%s", i, "y".repeat(20))));
    }
    fixture.send(alice, posts);
    ProbeOutbox bob = ProbeOutbox.create(testKit);
    TestProbe<ChatRoom.JoinReply> reply =
        fixture.startJoin("bob", ClientLines.JoinOptions.DEFAULT, bob);
    gate.open.countDown();
    reply.expectMessageClass(ChatRoom.Joined.class);

    bob.expectLine("bob has joined the chat.");
    for (int i = 476; i < 481; i++) {
      String line = bob.probe.receiveMessage().utf8String();
      assertTrue(line.startsWith("[history ") && line.contains("alice: m0" + i), line);
    }
    bob.probe.expectNoMessage(Duration.ofMillis(300)); // past the 100 ms of the notices
  }

  @Test
  void aMemberDisconnectedRightAfterAPostStillGetsThePost() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    Gate gate = holdRoom(bob);
    fixture.say(alice, "bye all");
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    fixture.room.tell(new ChatRoom.Leave(bob.session(), ChatRoom.Departure.FLOODING, left.ref()));
    gate.open.countDown();
    left.expectMessage(new ChatRoom.Left());
    bob.outbox().expectLine("gate has joined the chat.");
    bob.outbox().expectLine("alice: bye all");
    alice.outbox().expectLine("gate has joined the chat.");
    alice.outbox().expectLine("bob was disconnected for flooding.");
  }

  /**
   * A member whose outbox can hold the room, joined and announced to {@code someone}, so that
   * nothing is pending; {@link #hold} then holds the room until the gate opens.
   */
  private Gate announcedGate(RoomFixture.Member someone) {
    Gate gate = joinGate();
    someone.outbox().expectLine("gate has joined the chat.");
    return gate;
  }

  private static void skipToJoinOf(String name, ProbeOutbox json) {
    Event event;
    do {
      event = json.expectEvent(Event.class);
    } while (!(event instanceof Event.Joined joined && joined.name().equals(name)));
  }

  private void hold() {
    fixture.room.tell(new ChatRoom.GetStats(testKit.<ChatRoom.Stats>createTestProbe().ref()));
  }

  /** Asks to join in text mode without waiting; the outbox, and where the answer comes. */
  private ProbeOutbox startJoin(String name, List<TestProbe<ChatRoom.JoinReply>> replies) {
    ProbeOutbox outbox = ProbeOutbox.create(testKit);
    replies.add(fixture.startJoin(name, ClientLines.JoinOptions.DEFAULT, outbox));
    return outbox;
  }

  @Test
  void aCrowdJoiningTogetherReachesEachMemberAsOneLine() {
    RoomFixture.Member bot = fixture.join("bot", RoomFixture.json());
    RoomFixture.Member alice = fixture.join("alice");
    Gate gate = announcedGate(alice);
    skipToJoinOf("gate", bot.outbox()); // past the bot's welcome, its room, alice's join
    hold();
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    ProbeOutbox ann = startJoin("ann", replies);
    ProbeOutbox ben = startJoin("ben", replies);
    for (String name : List.of("cat", "dan", "eve")) {
      startJoin(name, replies);
    }
    gate.open.countDown();
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
    RoomFixture.Member bot = fixture.join("bot", RoomFixture.json());
    RoomFixture.Member alice = fixture.join("alice");
    Gate gate = announcedGate(alice);
    skipToJoinOf("gate", bot.outbox());
    hold();
    // 600 names of 30 characters: 19,800 bytes of names in machine mode, past the 16 KiB bound.
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      startJoin(String.format("crowd%025d", i), replies);
    }
    gate.open.countDown();
    replies.forEach(reply -> reply.expectMessageClass(ChatRoom.Joined.class));

    List<String> names = new ArrayList<>(bot.outbox().expectEvent(Event.Joins.class).names());
    assertTrue(names.size() < 600, "the first line stops at the bound: " + names.size());
    names.addAll(bot.outbox().expectEvent(Event.Joins.class).names());
    assertEquals(600, names.size());
    assertEquals(String.format("crowd%025d", 599), names.get(599));
    assertTrue(alice.outbox().probe.receiveMessage().utf8String().endsWith("have joined the chat.\n"));
    assertTrue(alice.outbox().probe.receiveMessage().utf8String().endsWith("have joined the chat.\n"));
  }

  @Test
  void aCrowdLeavingTogetherReachesEachMemberAsOneLineOfHowTheyWent() {
    List<RoomFixture.Member> crowd = new ArrayList<>();
    for (String name : List.of("ann", "ben", "cat", "dan", "zed")) {
      crowd.add(fixture.join(name));
    }
    RoomFixture.Member alice = fixture.join("alice"); // after them: no notices of their joins
    Gate gate = announcedGate(alice);
    hold();
    TestProbe<ChatRoom.Left> left = testKit.createTestProbe();
    for (RoomFixture.Member member : crowd) {
      ChatRoom.Departure how =
          member.name().equals("zed") ? ChatRoom.Departure.CLOSED : ChatRoom.Departure.LOST;
      fixture.room.tell(new ChatRoom.Leave(member.session(), how, left.ref()));
    }
    gate.open.countDown();
    crowd.forEach(member -> left.expectMessage(new ChatRoom.Left()));
    alice.outbox().expectLine("ann, ben, cat and 1 other have disconnected unexpectedly.");
    alice.outbox().expectLine("zed left the chat.");
    alice.outbox().probe.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void chatBetweenNoticesKeepsItsPlaceAndSplitsTheCrowd() {
    RoomFixture.Member alice = fixture.join("alice");
    RoomFixture.Member bob = fixture.join("bob");
    alice.outbox().expectLine("bob has joined the chat.");
    Gate gate = announcedGate(bob);
    alice.outbox().expectLine("gate has joined the chat.");
    hold();
    List<TestProbe<ChatRoom.JoinReply>> replies = new ArrayList<>();
    startJoin("ann", replies);
    startJoin("ben", replies);
    fixture.say(alice, "hi");
    for (String name : List.of("cat", "dan", "eve", "fay")) {
      startJoin(name, replies);
    }
    gate.open.countDown();
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
