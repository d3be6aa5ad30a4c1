package chat.room;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SearchTermsTest {

  @Test
  void wordsMatchInAnyCaseAndUnicodeForm() {
    assertTrue(new SearchTerms("STRASSE").matches("Wir treffen uns in der Straße."));
    assertTrue(new SearchTerms("straße").matches("HAUPTSTRASSE 5"));
    assertTrue(new SearchTerms("cafe\u0301").matches("lunch at the café?"), "decomposed word");
    assertTrue(new SearchTerms("café").matches("lunch at the cafe\u0301?"), "decomposed text");
    assertTrue(new SearchTerms("deploy").matches("ＤＥＰＬＯＹ done"), "full-width letters");
    assertTrue(new SearchTerms("ΣΟΦΙΑ").matches("σοφια and σοφιας"), "Greek final sigma");
  }

  @Test
  void everyWordMustBeThere() {
    assertTrue(new SearchTerms("  done   DEPLOY ").matches("deploy is done"));
    assertFalse(new SearchTerms("deploy failed").matches("deploy is done"));
    assertFalse(new SearchTerms("cafe").matches("lunch at the café"), "an accent is a letter");
    assertTrue(new SearchTerms("de\u00ADploy").matches("deploy done"), "a soft hyphen is nothing");
  }

  @Test
  void wordsOfNothingButIgnorableCharactersLeaveNothingToLookFor() {
    assertTrue(new SearchTerms("\u00AD \u200B").isEmpty());
    assertFalse(new SearchTerms("\u00AD deploy").isEmpty());
  }
}
