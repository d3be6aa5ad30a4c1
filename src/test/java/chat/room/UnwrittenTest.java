package chat.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnwrittenTest {

  private final Unwritten unwritten = new Unwritten();

  private static Unwritten.Line line(long member, String text) {
    return new Unwritten.Line(new RoomJournal.Posted(0, 0, "m" + member, text, false),
        new Event.Chat(0, "#lobby", 0, "m" + member, text, false), member, "m" + member, null,
        null);
  }

  private static Unwritten.Line topic(String text) {
    return new Unwritten.Line(new RoomJournal.TopicSet(0, "m1", text), null, 1, "m1", null, null);
  }

  @Test
  void whatComesDuringAWriteGoesInTheNextOneTogether() {
    assertTrue(unwritten.add(line(1, "a")), "nothing under way: write now");
    assertEquals(1, unwritten.startWrite().size());
    assertFalse(unwritten.add(line(2, "b")), "a write is under way: wait");
    assertFalse(unwritten.add(line(1, "c")));
    assertEquals(2, unwritten.waiting());
    assertEquals(List.of(line(1, "a")), unwritten.written());
    assertTrue(unwritten.nextWrite());
    assertEquals(2, unwritten.startWrite().size(), "b and c in one write");
    assertEquals(2, unwritten.written().size());
    assertFalse(unwritten.nextWrite());
    assertTrue(unwritten.isEmpty());
  }

  @Test
  void knowsWhoseLinesAreUnderWayAndWhatTheTopicWillBe() {
    unwritten.add(line(1, "a"));
    unwritten.startWrite();
    unwritten.add(topic("next"));
    assertTrue(unwritten.holds(1));
    assertFalse(unwritten.holds(2));
    assertEquals(Optional.of("next"), unwritten.topic(Optional.of("now")));
    unwritten.written();
    unwritten.startWrite();
    unwritten.written();
    assertEquals(Optional.of("now"), unwritten.topic(Optional.of("now")));
  }

  @Test
  void aNoticeFollowsTheLastLineAndIsShownWithItEvenIfItIsLost() {
    Event notice = new Event.Renamed(0, "#lobby", "m1", "m9");
    assertFalse(unwritten.follow(notice), "nothing waits: show it now");
    Unwritten.Line first = line(1, "same");
    Unwritten.Line second = line(1, "same"); // equal lines: the notice follows the second
    unwritten.add(first);
    unwritten.add(second);
    assertTrue(unwritten.follow(notice));
    assertEquals(List.of(), unwritten.noticesAfter(first));
    List<Unwritten.Line> lost = unwritten.dropAll();
    assertEquals(2, lost.size());
    assertEquals(List.of(notice), unwritten.noticesAfter(lost.get(1)));
    assertEquals(List.of(), unwritten.noticesAfter(lost.get(1)), "once");
  }
}
