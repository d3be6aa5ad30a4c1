package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DeliveriesTest {

  /** Client 0 sends; clients 1 and 2 receive. The window is [100, 200). */
  private static Deliveries deliveries(int rooms) {
    return new Deliveries(new int[] {0, -1, -1}, 1, rooms, 100, 200, null);
  }

  @Test
  void aMessageSeenAgainInOneRoomIsADuplicate() {
    Deliveries deliveries = deliveries(1);
    assertEquals(0, deliveries.received(1, 0, 5, 150, 160));
    assertEquals(-1, deliveries.received(1, 0, 5, 150, 161));
    assertEquals(-1, deliveries.received(1, 0, 4, 150, 162));
    assertEquals(1, deliveries.measured());
    assertEquals(2, deliveries.duplicates());
  }

  @Test
  void twoRoomsNeedNotKeepEachOthersOrder() {
    Deliveries deliveries = deliveries(2);
    // 5 went to room 1 and 4 to room 0: 5 may come first, and 4 still counts.
    assertEquals(0, deliveries.received(1, 0, 5, 150, 160));
    assertEquals(0, deliveries.received(1, 0, 4, 150, 161));
    assertEquals(-1, deliveries.received(1, 0, 3, 150, 162)); // room 1 already had 5
    assertEquals(2, deliveries.measured());
    assertEquals(1, deliveries.duplicates());
  }

  @Test
  void onlyMessagesSentInTheWindowAreMeasured() {
    Deliveries deliveries = deliveries(1);
    deliveries.received(2, 0, 1, 99, 120);
    deliveries.received(2, 0, 2, 200, 220);
    deliveries.received(2, 0, 3, 199, 220);
    assertEquals(1, deliveries.measured());
    assertEquals(0, deliveries.duplicates());
  }

  @Test
  void aClientThatDoesNotSendIsUnknown() {
    Deliveries deliveries = deliveries(1);
    assertEquals(-1, deliveries.received(2, 1, 1, 150, 160));
    assertEquals(1, deliveries.unknown());
  }
}
