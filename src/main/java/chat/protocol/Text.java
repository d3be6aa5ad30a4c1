package chat.protocol;

import java.util.regex.Pattern;

/**
 * Makes text from the network safe to show on another user's terminal: escape sequences, control
 * characters and bidirectional overrides are removed, so no client can move a cursor, ring a bell,
 * rewrite a line or reverse the text that others see.
 */
public final class Text {

  /** CSI ({@code ESC [ ... final}) and OSC ({@code ESC ] ... BEL or ESC \}) sequences, whole. */
  private static final Pattern ESCAPE_SEQUENCE =
      Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?");

  /** More combining marks than this on one character are dropped ("zalgo" text). */
  private static final int MAX_MARKS = 4;

  private Text() {}

  /** The bytes {@code text} takes in UTF-8, counted without encoding it. */
  public static int utf8Length(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      // A surrogate pair is four bytes: two for each half.
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  /**
   * The text with escape sequences, control and invisible format characters removed, tabs as
   * spaces, and at most {@value #MAX_MARKS} combining marks on a character.
   */
  public static String clean(String text) {
    String withoutSequences =
        text.indexOf('\u001B') < 0 ? text : ESCAPE_SEQUENCE.matcher(text).replaceAll("");
    StringBuilder out = null;
    int marks = 0;
    for (int i = 0; i < withoutSequences.length(); ) {
      int codePoint = withoutSequences.codePointAt(i);
      int width = Character.charCount(codePoint);
      int type = Character.getType(codePoint);
      boolean mark = type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK;
      marks = mark ? marks + 1 : 0;
      boolean drop = isUnsafe(codePoint) || codePoint == '\t' || (mark && marks > MAX_MARKS);
      if (drop && out == null) {
        out = new StringBuilder(withoutSequences.length());
        out.append(withoutSequences, 0, i);
      }
      if (drop && codePoint == '\t') {
        out.append(' ');
      } else if (!drop && out != null) {
        out.appendCodePoint(codePoint);
      }
      i += width;
    }
    return out == null ? withoutSequences : out.toString();
  }

  private static boolean isUnsafe(int c) {
    boolean format = Character.getType(c) == Character.FORMAT && c != '\u200D'; // keep ZWJ: emoji
    return format // zero-width spaces, BOM, bidi controls, tag characters, invisible operators, ...
        || Character.isISOControl(c) // C0, DEL and C1 controls: NUL, BEL, ESC, CR, ...
        || c == '\u2028'
        || c == '\u2029' // line and paragraph separators
        || isBlankLetter(c);
  }

  /** Hangul fillers: letters by category, but they show as blank space. */
  static boolean isBlankLetter(int codePoint) {
    return codePoint == 0x115F || codePoint == 0x1160 || codePoint == 0x3164 || codePoint == 0xFFA0;
  }
}
