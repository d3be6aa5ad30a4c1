package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RoomNamesTest {

  @Test
  void roomsAreHashAndANameCaseInsensitively() {
    assertEquals("#dev", RoomNames.normalize(" dev "));
    assertEquals("#Dev", RoomNames.normalize("#Dev"));
    assertEquals(RoomNames.key("#dev"), RoomNames.key("#DEV"));
    assertEquals(Optional.empty(), RoomNames.problem("#café-2.0"));
  }

  @Test
  void badRoomNamesAreRefused() {
    for (String bad : new String[] {"#", "#a b", "#a#b", "#" + "x".repeat(33)}) {
      assertEquals(Optional.of(RoomNames.RULES), RoomNames.problem(bad), bad);
    }
  }
}
