package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void leavesOrdinaryTextAlone() {
    String text = "hello, wörld! 你好 🎉";
    assertSame(text, Text.clean(text));
  }

  @Test
  void removesAnsiEscapeSequencesWhole() {
    assertEquals("red text", Text.clean("\u001B[31mred\u001B[0m text"));
    assertEquals("titled", Text.clean("\u001B]0;owned\u0007titled"));
    assertEquals("2Jx", Text.clean("\u009B2Jx")); // a C1 CSI cannot start a sequence either
  }

  @Test
  void removesControlCharactersAndBidiOverrides() {
    assertEquals("abc", Text.clean("a\u0000b\u0007c"));
    assertEquals("lineover", Text.clean("line\rover"));
    assertEquals("evil.exe", Text.clean("evil\u202E.exe"));
    assertEquals("ab", Text.clean("a\u0085b"));
    assertEquals("a b", Text.clean("a\tb"));
  }

  @Test
  void removesInvisibleFormatCharactersButKeepsEmojiJoiners() {
    assertEquals("ab", Text.clean("a\u200Bb\uFEFF"));
    assertEquals("\uD83D\uDC69\u200D\uD83D\uDCBB", Text.clean("\uD83D\uDC69\u200D\uD83D\uDCBB"));
  }

  @Test
  void removesInvisibleCharactersBeyondTheBasicPlane() {
    String tags = new String(Character.toChars(0xE0041)) + new String(Character.toChars(0xE007F));
    assertEquals("hidden", Text.clean("hid" + tags + "den"));
    assertEquals("\uD83C\uDF89 party", Text.clean("\uD83C\uDF89 party")); // emoji stay
  }

  @Test
  void capsCombiningMarksOnOneCharacter() {
    assertEquals("e\u0301\u0301\u0301\u0301", Text.clean("e" + "\u0301".repeat(40)));
  }

  @Test
  void removesALoneEscape() {
    assertEquals("x", Text.clean("\u001Bx"));
  }

  @Test
  void utf8LengthCountsAsTheEncodingWould() {
    for (String text : new String[] {"", "abc", "é", "李雷", "\uD83D\uDE00 ok", "ß\u0000"}) {
      assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Text.utf8Length(text), text);
    }
  }
}
