package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.history.HistorySettings;
import chat.history.JournalSchema;
import chat.protocol.ClientLines;
import chat.protocol.Mode;
import chat.protocol.RoomNames;
import chat.support.Configs;
import chat.testing.ProbeOutbox;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A room on a journal (H2 in memory), as the actors see it. */
class DurableChatRoomTest {

  static final HistorySettings HISTORY = new HistorySettings(HistorySettings.Store.H2,
      "jdbc:h2:mem:room-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "", "", 1000,
      1000, HistorySettings.Retention.NONE);

  static final ActorTestKit testKit = ActorTestKit.create(start());

  private static com.typesafe.config.Config start() {
    JournalSchema.prepare(HISTORY);
    return HISTORY.pekkoConfig().withFallback(Configs.serverTuning())
        .withFallback(ConfigFactory.load()).resolve();
  }

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  @Test
  void aRoomThatFailsWithWorkUnderWayAnswersThoseWhoWaitForIt() {
    RoomFixture fixture = new RoomFixture(testKit, new RoomSettings(500, 0),
        new MemoryRoomStore(new RoomSettings(500, 0)), HISTORY);
    RoomFixture.Member alice = fixture.join("alice");
    ActorRef<ChatRoom.Command> room = alice.room(RoomNames.LOBBY);
    // A line, then a read that waits for it to be written: the connection waits for the ack.
    TestProbe<ChatRoom.Processed> ack = testKit.createTestProbe();
    room.tell(new ChatRoom.Perform(alice.id(), fixture.delivery,
        List.of(new ClientLines.Say("written?"), ClientLines.parseAfterJoin("/history 1")),
        ack.ref()));
    // No session sends this: a join without a name stands for a bug in the room.
    room.tell(new ChatRoom.Join(99, null, Mode.TEXT, fixture.delivery,
        ChatRoom.Arrival.NEW, OptionalLong.empty(), testKit.<ChatRoom.JoinReply>createTestProbe().ref()));
    // Whether the write came back before the fault or not, the connection may go on.
    ack.expectMessage(Duration.ofSeconds(10), ChatRoom.Processed.INSTANCE);
  }

  @Test
  void aRoomThatFailsWhileReadingItsJournalAnswersTheJoinsThatWaitedForIt() {
    RoomSettings settings = new RoomSettings(500, 0);
    GatedStore store = new GatedStore(settings);
    RoomFixture fixture = new RoomFixture(testKit, settings, store, HISTORY);
    store.failNextRecovery();
    RoomFixture.Member alice = fixture.register("alice", Mode.TEXT, ProbeOutbox.create(testKit));
    // The join waits while the room reads its journal; the room then fails and restarts.
    ChatRoom.JoinReply reply = fixture.enter(alice, "#fragile", ChatRoom.Arrival.NEW,
        OptionalLong.empty());
    assertInstanceOf(ChatRoom.JoinRejected.class, reply);
    assertEquals("#fragile failed while you came in",
        ((ChatRoom.JoinRejected) reply).reason());
    // The restarted room takes joins again.
    assertInstanceOf(ChatRoom.Joined.class, fixture.enter(alice, "#fragile",
        ChatRoom.Arrival.NEW, OptionalLong.empty()));
  }

  /**
   * A room of {@code room} whose memory holds 5 messages, with {@code count} said in it (seen
   * by a watcher, so written), and the fixture.
   */
  private static RoomFixture roomWith(String room, int count, RoomFixture.Member[] talker) {
    RoomSettings settings = new RoomSettings(5, 0);
    RoomFixture fixture = new RoomFixture(testKit, settings, new MemoryRoomStore(settings),
        HISTORY);
    RoomFixture.Member ann = fixture.join("ann", Mode.TEXT, room);
    ProbeOutbox watching = ProbeOutbox.create(testKit);
    fixture.join("watch", Mode.TEXT, room, OptionalLong.empty(), watching);
    ann.outbox().expectLine("watch has joined the chat.");
    for (int i = 1; i <= count; i++) {
      fixture.type(ann, room, "m" + i);
      watching.expectLine("ann: m" + i);
    }
    talker[0] = ann;
    return fixture;
  }

  /** Both turns at the database taken, until {@code release} completes. */
  private static void holdReads(CompletableFuture<List<Object>> release) {
    for (int i = 0; i < HistoryReads.MAX_READS; i++) {
      HistoryReads.now(() -> release);
    }
  }

  /** A member coming back, its lines, and the answer to its join. */
  private record Comer(ProbeOutbox outbox, TestProbe<ChatRoom.JoinReply> joined) {}

  /**
   * bob comes back to {@code room} having seen up to 5, while the memory holds 16 to 20: 6 to
   * 15 are to be read, and wait their turn, taken until {@code release} completes.
   */
  private static Comer comesBackWhileReadsWait(RoomFixture fixture, String room,
      CompletableFuture<List<Object>> release) {
    holdReads(release);
    Comer bob = new Comer(ProbeOutbox.create(testKit), testKit.createTestProbe());
    RoomFixture.Member member = fixture.register("bob", Mode.TEXT, bob.outbox());
    fixture.directory.tell(new RoomDirectory.Join(room, new ChatRoom.Join(member.id(), "bob",
        Mode.TEXT, fixture.delivery, ChatRoom.Arrival.NEW, OptionalLong.of(5),
        bob.joined().ref())));
    return bob;
  }

  /** The lines an outbox is offered up to one that ends with {@code last}. */
  private static List<String> linesUpTo(ProbeOutbox outbox, String last) {
    List<String> lines = new java.util.ArrayList<>();
    while (lines.stream().noneMatch(line -> line.endsWith(last))) {
      lines.addAll(outbox.nextLine().lines().toList());
      if (lines.size() > 100) {
        throw new AssertionError("no " + last + " in " + lines);
      }
    }
    return lines;
  }

  @Test
  void whatLeavesTheMemoryWhileAComerIsReadForIsReadTooNotLost() {
    RoomFixture.Member[] ann = new RoomFixture.Member[1];
    RoomFixture fixture = roomWith("#moving", 20, ann);
    CompletableFuture<List<Object>> release = new CompletableFuture<>();
    Comer bob = comesBackWhileReadsWait(fixture, "#moving", release);
    for (int i = 21; i <= 25; i++) { // 16 to 20 leave the memory meanwhile
      fixture.type(ann[0], "#moving", "m" + i);
    }
    release.complete(List.of());
    bob.joined().expectMessageClass(ChatRoom.Joined.class);
    List<String> seen = linesUpTo(bob.outbox(), "] ann: m25");
    List<String> messages = seen.stream().filter(line -> line.contains("[history ")).toList();
    assertEquals(20, messages.size(), seen.toString());
    for (int i = 6; i <= 25; i++) {
      assertTrue(messages.get(i - 6).endsWith("] ann: m" + i), messages.toString());
    }
    assertTrue(seen.stream().noneMatch(line -> line.contains("lost")), seen.toString());
  }

  @Test
  void whatAPurgeTookWhileAComerWasReadForIsNotSentButCountedLost() {
    RoomFixture.Member[] ann = new RoomFixture.Member[1];
    RoomFixture fixture = roomWith("#purging", 20, ann);
    CompletableFuture<List<Object>> release = new CompletableFuture<>();
    Comer bob = comesBackWhileReadsWait(fixture, "#purging", release);
    TestProbe<ChatRoom.Purged> purged = testKit.createTestProbe();
    fixture.directory.tell(new RoomDirectory.Purge("#purging", purged.ref()));
    assertEquals(null, purged.receiveMessage().failure());
    release.complete(List.of());
    bob.joined().expectMessageClass(ChatRoom.Joined.class);
    List<String> seen = linesUpTo(bob.outbox(), "15 messages in #purging were lost while you were away.");
    assertTrue(seen.stream().noneMatch(line -> line.contains("[history ")), seen.toString());
  }
}
