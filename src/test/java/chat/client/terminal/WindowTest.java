package chat.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

class WindowTest {

  private static final LocalDate DAY = LocalDate.of(2026, 12, 7);

  private final Window window = new Window(Window.Kind.ROOM, "#dev", "#dev");

  private static Window.Line message(long seq, String text) {
    return new Window.Line(new AttributedString(text), 0, DAY, seq, true, false);
  }

  private static Window.Line mention(long seq, String text) {
    return new Window.Line(new AttributedString(text), 0, DAY, seq, true, true);
  }

  private static Window.Line joinLine(String text) {
    return new Window.Line(new AttributedString(text), 0, DAY, 0, false, false);
  }

  private List<String> texts() {
    return window.lines().stream().map(line -> line.text().toString()).toList();
  }

  @Test
  void linesWhileLookingElsewhereAreUnreadAndTheMarkerIsAtTheFirst() {
    window.add(message(1, "seen"), false, true);
    window.left();
    window.add(joinLine("carol joined"), false, false);
    assertEquals(0, window.unread(), "a join is no unread line");
    window.add(message(2, "one"), false, false);
    window.add(mention(3, "alice: two"), false, false);
    assertEquals(2, window.unread());
    assertTrue(window.highlighted());
    assertEquals(2, window.marker(), "the marker stands before the first unread line");
    window.seen();
    assertEquals(0, window.unread());
    assertFalse(window.highlighted());
    assertEquals(2, window.marker(), "and stays while the user reads");
    window.left();
    assertEquals(-1, window.marker());
  }

  @Test
  void olderPagesGoInPlaceByNumberAndRepeatsAreDropped() {
    window.add(joinLine("You are now in #dev"), false, true);
    window.add(message(10, "ten"), true, true);
    window.add(message(11, "eleven"), false, true);
    assertFalse(window.add(message(8, "eight"), true, true), "above, not at the bottom");
    window.add(message(9, "nine"), true, true);
    window.add(message(10, "ten again"), true, true);
    assertEquals(List.of("You are now in #dev", "eight", "nine", "ten", "eleven"), texts());
    assertEquals(8, window.oldestSeq());
  }

  @Test
  void aLineInsertedAboveTheMarkerMovesIt() {
    window.add(message(10, "ten"), true, true);
    window.left();
    window.add(message(11, "eleven"), false, false);
    assertEquals(1, window.marker());
    window.add(message(9, "nine"), true, false);
    assertEquals(2, window.marker());
    assertEquals(1, window.unread(), "an older line is not unread");
  }

  @Test
  void theOldestLinesGoPastTheLimit() {
    for (int seq = 1; seq <= Window.MAX_LINES + 5; seq++) {
      window.add(message(seq, "line " + seq), false, true);
    }
    assertEquals(Window.MAX_LINES, window.lines().size());
    assertEquals("line 6", window.lines().get(0).text().toString());
    assertEquals(6, window.oldestSeq());
  }
}
