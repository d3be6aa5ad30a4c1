package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void acceptsLettersAndDigitsOfAnyScriptAndUnderscoreDashDot() {
    assertEquals(Optional.empty(), Names.problem("alice_b-2.0"));
    assertEquals(Optional.empty(), Names.problem("Zoë"));
    assertEquals(Optional.empty(), Names.problem("Дмитрий"));
    assertEquals(Optional.empty(), Names.problem("李雷"));
    assertEquals(Optional.empty(), Names.problem("٣٤"));
  }

  @Test
  void refusesBlankLookingAndMixedScriptNames() {
    assertEquals(Optional.of(Names.Refusals.BAD_CHARACTERS), Names.problem("\u3164"));
    assertEquals(Optional.of(Names.Refusals.BAD_CHARACTERS), Names.problem("a\u200Bb"));
    assertEquals(Optional.of(Names.Refusals.MIXED_SCRIPTS), Names.problem("\u0430lice"));
    assertEquals(Optional.empty(), Names.problem("\u0430\u0431_42"));
  }

  @Test
  void acceptsScriptsThatWriteVowelsAsMarks() {
    assertEquals(Optional.empty(), Names.problem("हिन्दी"));
    assertEquals(Optional.empty(), Names.problem("தமிழ்"));
    assertEquals(Optional.of(Names.Refusals.BAD_CHARACTERS), Names.problem("\u0301abc"));
  }

  @Test
  void keyFoldsCaseFully() {
    assertEquals(Names.key("ΟΔΟΣ"), Names.key("οδος"));
    assertEquals(Names.key("STRASSE"), Names.key("straße"));
  }

  @Test
  void refusesTheWordsTheServersOwnLinesStartWith() {
    // "ERROR: You were kicked" from a user called ERROR would pass for the server's line.
    for (String name : new String[] {"ERROR", "error", "Set_Username", "ＥＲＲＯＲ"}) {
      assertEquals(Optional.of(Names.Refusals.reserved(name)), Names.problem(name), name);
    }
    assertEquals(Optional.empty(), Names.problem("errors"));
    assertEquals(Optional.empty(), RoomNames.problem("#error"), "only user names are reserved");
  }

  @Test
  void refusesAnEmptyName() {
    assertEquals(Optional.of("Username cannot be empty."), Names.problem(""));
  }

  @Test
  void refusesSpacesPunctuationAndControlCharacters() {
    for (String bad : new String[] {"a b", "al:ce", "bob!", "a\u0000b", "x\u001B", "ab\u202E"}) {
      assertEquals(Optional.of(Names.Refusals.BAD_CHARACTERS), Names.problem(bad), bad);
    }
  }

  @Test
  void countsTheLengthInCharactersNotBytes() {
    assertEquals(Optional.empty(), Names.problem("é".repeat(32)));
    assertEquals(Optional.of(Names.Refusals.TOO_LONG), Names.problem("a".repeat(33)));
    assertEquals(Optional.empty(), Names.problem("\uD835\uDC00".repeat(32))); // 32 astral letters
  }

  @Test
  void keyIgnoresCaseAndCompatibilityForms() {
    assertEquals(Names.key("alice"), Names.key("ALICE"));
    assertEquals(Names.key("alice"), Names.key("ａｌｉｃｅ"));
    assertNotEquals(Names.key("alice"), Names.key("alicia"));
  }

  @Test
  void normalizeTrimsAndComposes() {
    assertEquals("Zoë", Names.normalize("  Zoe\u0308 "));
    assertEquals(Optional.empty(), Names.problem(Names.normalize("Zoe\u0308")));
  }
}
