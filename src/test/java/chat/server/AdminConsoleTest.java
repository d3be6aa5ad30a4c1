package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.delivery.Delivery;
import chat.names.NameRegistry;
import chat.protocol.Event;
import chat.history.StoreMetrics;
import chat.room.ChatRoom;
import chat.room.RoomDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's commands, against probes standing in for the parts of the server. */
@ExtendWith(LogCapturingExtension.class)
class AdminConsoleTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<NameRegistry.Command> names = testKit.createTestProbe();
  private final TestProbe<RoomDirectory.Command> rooms = testKit.createTestProbe();
  private final TestProbe<Delivery.Command> delivery = testKit.createTestProbe();
  private final TestProbe<Gatekeeper.Command> gatekeeper = testKit.createTestProbe();
  private final ServerMetrics metrics = new ServerMetrics();
  private final TestProbe<String> console = testKit.createTestProbe();
  private final ActorRef<AdminConsole.Command> admin = testKit.spawn(AdminConsole.create(
      new AdminConsole.Parts(names.ref(), rooms.ref(), delivery.ref(), gatekeeper.ref(),
          java.util.Optional.empty()),
      line -> console.ref().tell(line), metrics));

  private void type(String line) {
    admin.tell(new AdminConsole.Typed(line));
  }

  @Test
  void whoSaysWhoIsOnlineAndWhereOncePerPerson() {
    type("!WHO");
    rooms.expectMessageClass(RoomDirectory.Everyone.class).replyTo().tell(
        new RoomDirectory.Presences(List.of(new Event.Presence("alice", "#dev"),
            new Event.Presence("bob", "#dev"), new Event.Presence("alice", "#lobby"))));
    console.expectMessage("Online (2): alice (#dev, #lobby), bob (#dev)");
    type("!who");
    rooms.expectMessageClass(RoomDirectory.Everyone.class).replyTo()
        .tell(new RoomDirectory.Presences(List.of()));
    console.expectMessage("No one is online.");
  }

  @Test
  void roomsListsRoomsWithCountsAndTopics() {
    type("!rooms");
    rooms.expectMessageClass(RoomDirectory.ListRooms.class).replyTo().tell(new RoomDirectory.Rooms(
        List.of(new Event.RoomInfo("#dev", 1, "Friday"), new Event.RoomInfo("#lobby", 2, null))));
    console.expectMessage("Rooms (2): #dev (1) - Friday, #lobby (2)");
  }

  @Test
  void kickNamesTheUserAndTheReason() {
    type("!kick bob flooding the room");
    NameRegistry.Kick kick = names.expectMessageClass(NameRegistry.Kick.class);
    assertEquals("bob", kick.name());
    assertEquals(Optional.of("flooding the room"), kick.reason());
    kick.replyTo().tell(new NameRegistry.Sent("bob"));
    console.expectMessage("Kicked bob.");

    type("!kick ghost");
    NameRegistry.Kick ghost = names.expectMessageClass(NameRegistry.Kick.class);
    assertEquals(Optional.empty(), ghost.reason());
    ghost.replyTo().tell(new NameRegistry.NotOnline("ghost"));
    console.expectMessage("No one called 'ghost' is online.");

    type("!kick");
    console.expectMessage("Usage: !kick <name> [reason]");
    names.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void sayAnnouncesToEveryone() {
    type("!say back in five");
    Delivery.Announce announce = delivery.expectMessageClass(Delivery.Announce.class);
    assertEquals("back in five", ((Event.Announcement) announce.event()).text());
    console.expectMessage("Announced to every room.");
    type("!say");
    console.expectMessage("Usage: !say <text>");
  }

  /** Answers the four questions of !stats, and gives the console's answer. */
  private String stats(List<Delivery.Backlog> deepest) {
    return stats(deepest, new RoomDirectory.Stats(4, 120, 90, "memory", 0,
        new StoreMetrics().snapshot()));
  }

  private String stats(List<Delivery.Backlog> deepest, RoomDirectory.Stats roomStats) {
    type("!stats");
    gatekeeper.expectMessageClass(Gatekeeper.GetCounts.class).replyTo()
        .tell(new Gatekeeper.Counts(3, 7));
    names.expectMessageClass(NameRegistry.Count.class).replyTo().tell(new NameRegistry.Counted(2));
    rooms.expectMessageClass(RoomDirectory.GetStats.class).replyTo()
        .tell(roomStats);
    delivery.expectMessageClass(Delivery.GetBacklogs.class).replyTo()
        .tell(new Delivery.Backlogs(deepest));
    return console.receiveMessage();
  }

  @Test
  void statsReportConnectionsRoomsMessagesHistoryUptimeAndHeap() {
    String stats = stats(List.of());
    assertTrue(stats.contains("Connections:  3 (2 joined; 7 refused since start)"), stats);
    assertTrue(stats.contains("Rooms:        4"), stats);
    assertTrue(stats.contains("Messages:     120 ("), stats);
    assertTrue(stats.contains("History held: 90 messages in memory"), stats);
    assertTrue(stats.contains("History store: memory (gone when the server stops)"), stats);
    assertTrue(stats.contains("Uptime:"), stats);
    assertTrue(stats.contains("Heap:"), stats);
    assertTrue(stats.contains("Deepest outboxes: none (every client is keeping up)"), stats);
  }

  @Test
  void statsShowTheDatabaseStoreWithWhatItKeepsAndHowFastItWrites() {
    StoreMetrics writes = new StoreMetrics();
    writes.written(10, 2_000_000);
    writes.written(30, 4_000_000);
    writes.failed();
    String stats = stats(List.of(), new RoomDirectory.Stats(1, 40, 40, "h2 at jdbc:h2:file:x",
        1234, writes.snapshot()));
    assertTrue(stats.contains("History store: h2 at jdbc:h2:file:x; 1234 entries kept; 40 written"
        + " since start ("), stats);
    assertTrue(stats.contains(") in 2 writes, 1 failed; write latency p50 2.00 ms, p99 4.00 ms"
        + " over the last 2 writes"), stats);
  }

  @Test
  void aPurgeNamesTheRoomAndSaysWhatWent() {
    type("!history-purge");
    console.expectMessage("Usage: !history-purge #<room>");
    type("!history-purge #dev");
    RoomDirectory.Purge purge = rooms.expectMessageClass(RoomDirectory.Purge.class);
    assertEquals("#dev", purge.room());
    purge.replyTo().tell(new ChatRoom.Purged("#dev", 12, false, null));
    console.expectMessage("Emptied the history of #dev: 12 messages deleted; its numbering goes on.");
    type("!history-purge #dev");
    rooms.expectMessageClass(RoomDirectory.Purge.class).replyTo()
        .tell(new ChatRoom.Purged("#dev", 13, true, null));
    console.expectMessage("Emptied the history of #dev: 13 entries (messages and topic changes)"
        + " deleted from the store; its numbering goes on.");
    type("!history-purge #dev");
    rooms.expectMessageClass(RoomDirectory.Purge.class).replyTo()
        .tell(new ChatRoom.Purged("#dev", 0, true, "the history store failed"));
    console.expectMessage("Could not empty the history of #dev: the history store failed.");
  }

  @Test
  void clusterSaysAServerAloneIsNotInOne() {
    type("!cluster");
    console.expectMessage(
        "This server runs alone: it is not in a cluster (chat.cluster.enabled = off).");
  }

  @Test
  void helpUnknownAndBlankLines() {
    type("!help");
    assertTrue(console.receiveMessage().contains("!kick <name> [reason]"));
    type("!shutdown now");
    console.expectMessage("Unknown command '!shutdown'. Type !help for the list.");
    type("   ");
    console.expectNoMessage(Duration.ofMillis(50));
    rooms.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void statsNameTheDeepestOutboxesAndCountWhatWasDroppedRefusedAndDisconnected() {
    metrics.outboxDrops.add(57);
    metrics.rateRefusals.add(12);
    metrics.slowDisconnects.increment();
    metrics.floodDisconnects.add(2);
    String stats = stats(List.of(new Delivery.Backlog("bob", 256_000),
        new Delivery.Backlog("carol", 1_536)));
    assertTrue(stats.contains("Dropped:      57 lines to clients that did not keep up; 12 lines over the rate limit refused"), stats);
    assertTrue(stats.contains("Disconnected: 1 slow clients, 2 flooding clients"), stats);
    assertTrue(stats.contains("Deepest outboxes: bob 250.0 KiB, carol 1.5 KiB"), stats);
  }
}
