package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

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
}
