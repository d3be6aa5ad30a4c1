package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.room.ChatRoom;
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

/** The operator's commands, against a probe standing in for the room. */
@ExtendWith(LogCapturingExtension.class)
class AdminConsoleTest {

  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void shutdown() {
    testKit.shutdownTestKit();
  }

  private final TestProbe<ChatRoom.Command> room = testKit.createTestProbe();
  private final ServerMetrics metrics = new ServerMetrics();
  private final TestProbe<String> console = testKit.createTestProbe();
  private final ActorRef<AdminConsole.Command> admin =
      testKit.spawn(AdminConsole.create(room.ref(), line -> console.ref().tell(line), metrics));

  private void type(String line) {
    admin.tell(new AdminConsole.Typed(line, 3, 7));
  }

  @Test
  void whoSaysWhoIsOnlineAndWhere() {
    type("!WHO");
    room.expectMessageClass(ChatRoom.ListMembers.class).replyTo().tell(new ChatRoom.Members(
        List.of(new Event.Presence("alice", "#lobby"), new Event.Presence("bob", "#dev"))));
    console.expectMessage("Online (2): alice (#lobby), bob (#dev)");
    type("!who");
    room.expectMessageClass(ChatRoom.ListMembers.class).replyTo().tell(new ChatRoom.Members(List.of()));
    console.expectMessage("No one is online.");
  }

  @Test
  void roomsListsRoomsWithCountsAndTopics() {
    type("!rooms");
    room.expectMessageClass(ChatRoom.ListRooms.class).replyTo().tell(new ChatRoom.Rooms(List.of(
        new Event.RoomInfo("#dev", 1, "Friday"), new Event.RoomInfo("#lobby", 2, null))));
    console.expectMessage("Rooms (2): #dev (1) - Friday, #lobby (2)");
  }

  @Test
  void kickNamesTheUserAndTheReason() {
    type("!kick bob flooding the room");
    ChatRoom.Kick kick = room.expectMessageClass(ChatRoom.Kick.class);
    assertEquals("bob", kick.name());
    assertEquals(Optional.of("flooding the room"), kick.reason());
    kick.replyTo().tell(new ChatRoom.Kicked("bob"));
    console.expectMessage("Kicked bob.");

    type("!kick ghost");
    ChatRoom.Kick ghost = room.expectMessageClass(ChatRoom.Kick.class);
    assertEquals(Optional.empty(), ghost.reason());
    ghost.replyTo().tell(new ChatRoom.NotOnline("ghost"));
    console.expectMessage("No one called 'ghost' is online.");

    type("!kick");
    console.expectMessage("Usage: !kick <name> [reason]");
    room.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void sayAnnouncesToEveryRoom() {
    type("!say back in five");
    assertEquals(new ChatRoom.Announce("back in five"), room.receiveMessage());
    console.expectMessage("Announced to every room.");
    type("!say");
    console.expectMessage("Usage: !say <text>");
  }

  @Test
  void statsReportConnectionsRoomsMessagesHistoryUptimeAndHeap() {
    type("!stats");
    room.expectMessageClass(ChatRoom.GetStats.class).replyTo()
        .tell(new ChatRoom.Stats(2, 4, 120, 90, List.of()));
    String stats = console.receiveMessage();
    assertTrue(stats.contains("Connections:  3 (2 joined; 7 refused since start)"), stats);
    assertTrue(stats.contains("Rooms:        4"), stats);
    assertTrue(stats.contains("Messages:     120 ("), stats);
    assertTrue(stats.contains("History held: 90 messages"), stats);
    assertTrue(stats.contains("Uptime:"), stats);
    assertTrue(stats.contains("Heap:"), stats);
  }

  @Test
  void helpUnknownAndBlankLines() {
    type("!help");
    assertTrue(console.receiveMessage().contains("!kick <name> [reason]"));
    type("!shutdown now");
    console.expectMessage("Unknown command '!shutdown'. Type !help for the list.");
    type("   ");
    console.expectNoMessage(Duration.ofMillis(50));
    room.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void statsNameTheDeepestOutboxesAndCountWhatWasDroppedRefusedAndDisconnected() {
    metrics.outboxDrops.add(57);
    metrics.rateRefusals.add(12);
    metrics.slowDisconnects.increment();
    metrics.floodDisconnects.add(2);
    type("!stats");
    room.expectMessageClass(ChatRoom.GetStats.class).replyTo().tell(new ChatRoom.Stats(2, 1, 0, 0,
        List.of(new ChatRoom.Backlog("bob", 256_000), new ChatRoom.Backlog("carol", 1_536))));
    String stats = console.receiveMessage();
    assertTrue(stats.contains("Dropped:      57 lines to clients that did not keep up; 12 lines over the rate limit refused"), stats);
    assertTrue(stats.contains("Disconnected: 1 slow clients, 2 flooding clients"), stats);
    assertTrue(stats.contains("Deepest outboxes: bob 250.0 KiB, carol 1.5 KiB"), stats);
  }
}
