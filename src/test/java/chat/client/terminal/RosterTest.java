package chat.client.terminal;

import static chat.testing.ServerEvents.TIME;
import static org.junit.jupiter.api.Assertions.assertEquals;

import chat.protocol.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

class RosterTest {

  private final Roster roster = new Roster();

  @Test
  void theRoomsMembersComeAndGoWithTheEventsThatTellOfThem() {
    roster.update(new Event.Welcome(TIME, "alice", "#lobby", "t"));
    roster.update(new Event.Entered(TIME, "#lobby", List.of("bob", "alice"), null));
    roster.update(new Event.Joined(TIME, "#lobby", "carol", false));
    assertEquals(List.of("alice", "bob", "carol"), roster.people());
    roster.update(new Event.Left(TIME, "#lobby", "bob", Event.Departure.QUIT, null));
    roster.update(new Event.Left(TIME, "#lobby", "carol", Event.Departure.PARTED, null));
    roster.update(new Event.Joined(TIME, "#dev", "carol", true));
    roster.update(new Event.Renamed(TIME, "#lobby", "alice", "Alicia"));
    assertEquals(List.of("Alicia"), roster.people(), "carol left for #dev");
    assertEquals(List.of("#dev", "#lobby"), roster.rooms(), "carol's new room");
    roster.update(new Event.Joined(TIME, "#lobby", "CAROL", true));
    roster.update(new Event.Joined(TIME, "#lobby", "carol", true));
    assertEquals(List.of("Alicia", "carol"), roster.people(), "one entry per name");
  }

  @Test
  void peopleElsewhereAreNotOfferedSinceNothingSaysWhenTheyLeaveOrRename() {
    roster.update(new Event.Entered(TIME, "#lobby", List.of("alice", "bob"), null));
    roster.update(new Event.Joined(TIME, "#dev", "dan", true)); // seen moving, elsewhere
    roster.update(new Event.Private(TIME, "erin", "alice", "psst"));
    roster.update(new Event.Chat(TIME, "#dev", 1, "frank", "hi", false));
    assertEquals(List.of("alice", "bob"), roster.people());
    roster.update(new Event.Who(TIME, null, List.of(new Event.Presence("alice", "#lobby"),
        new Event.Presence("gus", "#dev"))));
    assertEquals(List.of("alice"), roster.people(), "bob has gone, gus is elsewhere");
  }

  @Test
  void aNewRoomBringsItsOwnMembers() {
    roster.update(new Event.Entered(TIME, "#lobby", List.of("alice", "bob"), null));
    roster.update(new Event.Entered(TIME, "#dev", List.of("alice", "dan"), null));
    assertEquals(List.of("alice", "dan"), roster.people());
    roster.update(new Event.Renamed(TIME, "#lobby", "bob", "robert")); // not our room any more
    roster.update(new Event.Renamed(TIME, "#dev", "dan", "Daniel"));
    assertEquals(List.of("alice", "Daniel"), roster.people());
  }

  @Test
  void crowdsComeAndGoByEveryName() {
    roster.update(new Event.Entered(TIME, "#lobby", List.of(), null));
    roster.update(new Event.Joins(TIME, "#lobby", List.of("ann", "ben", "cat", "dan", "eve")));
    assertEquals(List.of("ann", "ben", "cat", "dan", "eve"), roster.people());
    roster.update(new Event.Leaves(TIME, "#lobby", List.of("ben", "dan"), Event.Departure.LOST));
    assertEquals(List.of("ann", "cat", "eve"), roster.people());
    roster.update(new Event.Leaves(TIME, "#dev", List.of("ann"), Event.Departure.QUIT));
    assertEquals(List.of("ann", "cat", "eve"), roster.people(), "another room's crowd");
  }

  @Test
  void whoOfTheRoomAndRoomListsReplaceWhatWasKnown() {
    roster.update(new Event.Entered(TIME, "#lobby", List.of("ghost"), null));
    roster.update(new Event.Who(TIME, "#lobby", List.of(new Event.Presence("dan", "#lobby"))));
    assertEquals(List.of("dan"), roster.people());
    roster.update(new Event.RoomList(TIME, List.of(new Event.RoomInfo("#lobby", 2, null))));
    assertEquals(List.of("#lobby"), roster.rooms());
  }
}
