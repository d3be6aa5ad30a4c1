package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class RosterTest {

  private final Roster roster = new Roster();

  @Test
  void namesComeAndGoWithTheEventsThatTellOfThem() {
    roster.update(new Event.Welcome(TIME, "alice", "#lobby", "t"));
    roster.update(new Event.Entered(TIME, "#lobby", List.of("bob", "alice"), null));
    roster.update(new Event.Joined(TIME, "#lobby", "carol", false));
    assertEquals(List.of("alice", "bob", "carol"), roster.people());
    roster.update(new Event.Left(TIME, "#lobby", "bob", Event.Departure.QUIT, null));
    roster.update(new Event.Left(TIME, "#lobby", "carol", Event.Departure.MOVED, "#dev"));
    roster.update(new Event.Renamed(TIME, "#lobby", "alice", "Alicia"));
    assertEquals(List.of("Alicia", "carol"), roster.people(), "a move keeps carol online");
    assertEquals(List.of("#dev", "#lobby"), roster.rooms(), "carol's new room");
    roster.update(new Event.Joined(TIME, "#ops", "CAROL", true));
    assertEquals(List.of("Alicia", "CAROL"), roster.people(), "one entry per name");
    assertEquals(List.of("#dev", "#lobby", "#ops"), roster.rooms());
  }

  @Test
  void crowdsComeAndGoByEveryName() {
    roster.update(new Event.Joins(TIME, "#lobby", List.of("ann", "ben", "cat", "dan", "eve")));
    assertEquals(List.of("ann", "ben", "cat", "dan", "eve"), roster.people());
    roster.update(new Event.Leaves(TIME, "#lobby", List.of("ben", "dan"), Event.Departure.LOST));
    assertEquals(List.of("ann", "cat", "eve"), roster.people());
    roster.update(new Event.Leaves(TIME, "#lobby", List.of("ann"), Event.Departure.MOVED));
    assertEquals(List.of("ann", "cat", "eve"), roster.people(), "moved, still online");
  }

  @Test
  void whoForEverybodyAndRoomListsReplaceWhatWasKnown() {
    roster.update(new Event.Entered(TIME, "#old", List.of("ghost"), null));
    roster.update(
        new Event.Who(
            TIME,
            null,
            List.of(new Event.Presence("dan", "#lobby"), new Event.Presence("eve", "#dev"))));
    assertEquals(List.of("dan", "eve"), roster.people());
    roster.update(new Event.RoomList(TIME, List.of(new Event.RoomInfo("#lobby", 2, null))));
    assertEquals(List.of("#lobby"), roster.rooms());
  }
}
