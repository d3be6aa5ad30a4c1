package chat.client.terminal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class WrapTest {

  private static List<String> rows(String line, int width, int indent) {
    return Wrap.rows(new AttributedString(line), width, indent).stream()
        .map(AttributedString::toString).toList();
  }

  @Test
  void aShortLineIsOneRow() {
    assertEquals(List.of("12:00 bob: hi"), rows("12:00 bob: hi", 20, 11));
  }

  @Test
  void longLinesBreakAtSpacesAndGoOnUnderTheText() {
    assertEquals(List.of("12:00 bob: one two", "           three four", "           five"),
        rows("12:00 bob: one two three four five", 22, 11));
  }

  @Test
  void aWordLongerThanARowIsCutWhereTheRowEnds() {
    assertEquals(List.of("12:00 bob: abcdefghijk", "           lmnopqrstuv", "           w"),
        rows("12:00 bob: abcdefghijklmnopqrstuvw", 22, 11));
  }

  @Test
  void wideCharactersCountTwoColumns() {
    // Each of these takes two columns: five fit in ten.
    assertEquals(List.of("bob: 日本語日本", "     語"), rows("bob: 日本語日本語", 15, 5));
  }

  @Test
  void aNameTooLongForTheTerminalLeavesNoIndent() {
    assertEquals(List.of("12:00 averyveryverylongname:", "a b"),
        rows("12:00 averyveryverylongname: a b", 30, 29));
  }

  @Test
  void stylesGoWithTheirText() {
    AttributedString line = new AttributedString("12:00 bob: hello world", AttributedStyle.BOLD);
    List<AttributedString> rows = Wrap.rows(line, 16, 11);
    assertEquals(AttributedStyle.BOLD, rows.get(1).styleAt(rows.get(1).length() - 1));
  }
}
