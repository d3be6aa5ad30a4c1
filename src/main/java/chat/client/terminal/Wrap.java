package chat.client.terminal;

import java.util.ArrayList;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.WCWidth;

/**
 * Word wrap for the chat's lines: a line longer than the terminal breaks at spaces, and its
 * further rows start under the text column (after the time and the name), not under the name. A
 * word longer than a row is cut where the row ends; wide characters (CJK, emoji) count two
 * columns. Plain code, used by {@link WindowScreen}.
 */
final class Wrap {

  private Wrap() {}

  /**
   * The rows of {@code line} on a terminal {@code width} columns wide, the rows after the first
   * indented by {@code indent} columns (none when that would leave less than half the width).
   */
  static List<AttributedString> rows(AttributedString line, int width, int indent) {
    int columns = Math.max(1, width);
    int hang = indent * 2 <= columns ? indent : 0;
    List<AttributedString> rows = new ArrayList<>();
    int start = 0;
    boolean first = true;
    while (true) {
      int room = first ? columns : columns - hang;
      int cut = cut(line, start, room, first ? hang : 0);
      rows.add(first ? line.subSequence(start, cut) : indented(hang, line.subSequence(start, cut)));
      start = cut;
      while (start < line.length() && line.charAt(start) == ' ') {
        start++;
      }
      if (start >= line.length()) {
        return rows;
      }
      first = false;
    }
  }

  /**
   * Where the row that starts at {@code start} ends: the whole rest if it fits in {@code room}
   * columns, else the last space that leaves at least {@code keep} columns on the row, else
   * where the room ends (at least one character, so that a row always moves on).
   */
  private static int cut(AttributedString line, int start, int room, int keep) {
    int columns = 0;
    int at = start;
    int lastSpace = -1;
    while (at < line.length()) {
      int codePoint = Character.codePointAt(line, at);
      int width = Math.max(0, WCWidth.wcwidth(codePoint));
      if (columns + width > room) {
        if (lastSpace > start) {
          return lastSpace;
        }
        return at > start ? at : at + Character.charCount(codePoint);
      }
      if (codePoint == ' ' && columns >= keep) {
        lastSpace = at;
      }
      columns += width;
      at += Character.charCount(codePoint);
    }
    return line.length();
  }

  private static AttributedString indented(int hang, AttributedString rest) {
    return new AttributedStringBuilder().append(" ".repeat(hang)).append(rest).toAttributedString();
  }
}
