package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientLinesTest {

  @Test
  void joinRequestCarriesTheNormalizedName() {
    assertEquals(new ClientLines.JoinRequest("alice"), ClientLines.parseBeforeJoin("JOIN: alice "));
    assertEquals(new ClientLines.JoinRequest("bob"), ClientLines.parseBeforeJoin("join:bob"));
  }

  @Test
  void joinRefusalsUseTheSeedWording() {
    assertEquals(
        new ClientLines.NotAJoin("Username cannot be empty."), ClientLines.parseBeforeJoin("JOIN:"));
    assertEquals(
        new ClientLines.NotAJoin("Username cannot be empty."),
        ClientLines.parseBeforeJoin("JOIN:   "));
    assertEquals(
        new ClientLines.NotAJoin("Invalid Protocol. Use JOIN:<username>"),
        ClientLines.parseBeforeJoin("hello"));
    assertEquals(
        new ClientLines.NotAJoin(Names.Refusals.BAD_CHARACTERS),
        ClientLines.parseBeforeJoin("JOIN:a b"));
  }

  @Test
  void controlCharactersCannotSmuggleANameThrough() {
    assertEquals(
        new ClientLines.JoinRequest("alice"), ClientLines.parseBeforeJoin("JOIN:\u001B[1malice"));
  }

  @Test
  void quitIsRecognisedInEitherSpellingAndPhase() {
    for (String quit : new String[] {"!quit", "/quit", " !QUIT ", "/Quit\r"}) {
      assertEquals(ClientLines.Quit.INSTANCE, ClientLines.parseAfterJoin(quit), quit);
      assertEquals(ClientLines.Quit.INSTANCE, ClientLines.parseBeforeJoin(quit), quit);
    }
  }

  @Test
  void chatTextIsStrippedAndCleaned() {
    assertEquals(new ClientLines.Say("hi there"), ClientLines.parseAfterJoin("  hi there \r"));
    assertEquals(new ClientLines.Say("ding"), ClientLines.parseAfterJoin("\u0007ding"));
    assertEquals(new ClientLines.Say("!quit now"), ClientLines.parseAfterJoin("!quit now"));
  }

  @Test
  void blankAndControlOnlyLinesAreBlank() {
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin(""));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin(" \t "));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin("\u001B[2J\u0007"));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseBeforeJoin("   "));
  }
}
