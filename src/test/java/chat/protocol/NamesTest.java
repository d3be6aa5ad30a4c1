package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertEquals(Optional.of("Username cannot contain invisible characters (U+3164)."),
        Names.problem("\u3164"));
    assertEquals(Optional.of("Username cannot contain invisible characters (U+200B)."),
        Names.problem("a\u200Bb"));
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
  void refusesInvisibleCharactersThatMakeANameLookLikeAnother() {
    int[] invisible = {0x034F, 0xFE00, 0xFE0F, 0xE0100, 0xE01EF, 0x17B4, 0x17B5, 0x180B, 0x180C,
        0x180D, 0x200D, 0x2060, 0x202E};
    for (int codePoint : invisible) {
      String name = "victim" + Character.toString(codePoint);
      assertEquals(
          Optional.of(String.format("Username cannot contain invisible characters (U+%04X).",
              codePoint)),
          Names.problem(Names.normalize(name)), Integer.toHexString(codePoint));
    }
  }

  @Test
  void refusesMarksLeftOnLatinGreekOrCyrillicLettersButKeepsAccentsAndIndicVowels() {
    for (String name : new String[] {"bob\u0336", "bo\u0338b", "\u0430\u0336", "1\u0301",
        "a\u0301\u0301"}) {
      assertEquals(Optional.of(Names.Refusals.STRAY_MARKS), Names.problem(Names.normalize(name)),
          name);
    }
    assertEquals(Optional.empty(), Names.problem(Names.normalize("Jose\u0301")), "composes to é");
    assertEquals(Optional.empty(), Names.problem("Nguyễn"));
    assertEquals(Optional.empty(), Names.problem("ไทย"));
    assertEquals(Optional.empty(), Names.problem("مُحَمَّد"));
  }

  @Test
  void namesThatLookAlikeShareAKey() {
    String[][] alike = {
      {"alice", "\u0430\u04CF\u0456\u0441\u0435"}, // Cyrillic а ӏ і с е
      {"alice", "ALICE"},
      {"bob", "b0b"},
      {"mary", "rnary"},
      {"Ian", "lan"},
      {"Ian", "ian"},
      {"paypal", "\u0440\u0430\u0443\u0440\u0430\u04CF"},
    };
    for (String[] pair : alike) {
      assertEquals(Names.key(pair[0]), Names.key(pair[1]), pair[0] + " / " + pair[1]);
    }
    assertNotEquals(Names.key("alice"), Names.key("alicia"));
    assertNotEquals(Names.key("Jose"), Names.key("José"));
  }

  @Test
  void namesThatLookAlikeInTheCapitalsTypedShareALookKey() {
    String[][] alike = {
      {"TEAM", "\u0422\u0415\u0410\u041C"}, // Cyrillic Т Е А М
      {"TEAM", "\u03A4\u0395\u0391\u039C"}, // Greek Τ Ε Α Μ
      {"ANNA2", "\u0391\u039D\u039D\u03912"}, // Greek Α Ν Ν Α
      {"tom", "\u03A4\u039F\u039C"}, // Greek Τ Ο Μ
      {"BOB", "\u0412\u041E\u0412"}, // Cyrillic В О В
      {"KIM", "\u041A\u0406\u041C"}, // Cyrillic К І М
    };
    for (String[] pair : alike) {
      assertEquals(Names.lookKey(pair[0]), Names.lookKey(pair[1]), pair[0] + " / " + pair[1]);
    }
    // In lower case Greek nu looks like v: the case-folded key alone tells ANNA from its look-alike.
    assertNotEquals(Names.key("ANNA"), Names.key("\u0391\u039D\u039D\u0391"));
    assertNotEquals(Names.lookKey("TEAM"), Names.lookKey("TEAK"));
  }

  @Test
  void sameIsCaseAndWidthOnlyNotLookingAlike() {
    assertTrue(Names.same("Alice", "ａｌｉｃｅ"));
    assertFalse(Names.same("ian", "lan"));
    assertFalse(Names.same("alice", null));
  }

  @Test
  void aNameTakenOrOnlyLookingAlikeIsRefusedWithTheNameItIsConfusedWith() {
    assertEquals("Username 'ALICE' is already taken.", Names.takenBecauseOf("ALICE", "alice"));
    assertEquals("Username 'b0b' looks too much like 'bob', which is taken.",
        Names.takenBecauseOf("b0b", "bob"));
  }

  @Test
  void reservedNamesAreCaughtInLookAlikeCharactersToo() {
    assertEquals(Optional.of(Names.Refusals.reserved("ERR0R")), Names.problem("ERR0R"));
    assertEquals(Optional.of(Names.Refusals.reserved("Set_UsernarNe")),
        Names.problem("Set_UsernarNe"));
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
    for (String bad : new String[] {"a b", "al:ce", "bob!", "a\u0000b", "x\u001B", "a\u20DD"}) {
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
