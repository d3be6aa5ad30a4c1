package chat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ClientLinesTest {

  private static ClientLines.JoinRequest plainJoin(String name) {
    return new ClientLines.JoinRequest(name, ClientLines.JoinOptions.DEFAULT);
  }

  private static ClientLines.NotAJoin refusal(String reason) {
    return new ClientLines.NotAJoin(reason, Mode.TEXT);
  }

  @Test
  void joinRequestCarriesTheNormalizedName() {
    assertEquals(plainJoin("alice"), ClientLines.parseBeforeJoin("JOIN: alice "));
    assertEquals(plainJoin("bob"), ClientLines.parseBeforeJoin("join:bob"));
  }

  @Test
  void joinRefusalsUseTheSeedWording() {
    assertEquals(refusal("Username cannot be empty."), ClientLines.parseBeforeJoin("JOIN:"));
    assertEquals(refusal("Username cannot be empty."), ClientLines.parseBeforeJoin("JOIN:   "));
    assertEquals(
        refusal("Invalid Protocol. Use JOIN:<username>"), ClientLines.parseBeforeJoin("hello"));
    assertEquals(refusal(Names.Refusals.BAD_CHARACTERS), ClientLines.parseBeforeJoin("JOIN:a:b"));
  }

  @Test
  void joinOptionsAskForMachineModeAndResume() {
    assertEquals(
        new ClientLines.JoinRequest("alice", new ClientLines.JoinOptions(
            Mode.JSON, Optional.of("t0k3n"), Optional.of("#dev"), OptionalLong.of(42))),
        ClientLines.parseBeforeJoin("JOIN:alice mode=json token=t0k3n room=dev after=42"));
    ClientLines.JoinOptions options = new ClientLines.JoinOptions(
        Mode.JSON, Optional.of("abc"), Optional.of("#ops"), OptionalLong.of(7));
    assertEquals(new ClientLines.JoinRequest("bob", options),
        ClientLines.parseBeforeJoin(ClientLines.join("bob", options)));
  }

  @Test
  void afterGivesWhatWasSeenInEachOfSeveralRooms() {
    ClientLines.JoinOptions options = ((ClientLines.JoinRequest) ClientLines.parseBeforeJoin(
        "JOIN:alice mode=json token=t room=#dev after=#lobby:120,#Dev:45")).options();
    assertEquals(java.util.Map.of("#lobby", 120L, "#Dev", 45L), options.seen());
    assertEquals(java.util.List.of("#lobby", "#Dev"), java.util.List.copyOf(options.seen().keySet()),
        "in the order given");
    assertEquals(new ClientLines.JoinRequest("alice", options),
        ClientLines.parseBeforeJoin(ClientLines.join("alice", options)));
  }

  @Test
  void badJoinOptionsAreRefusedInTheModeAsked() {
    assertEquals(
        new ClientLines.NotAJoin("Unknown JOIN option 'colour'. Use JOIN:<username> [mode=json]", Mode.TEXT),
        ClientLines.parseBeforeJoin("JOIN:alice colour=red"));
    for (String notDigits : new String[] {"x", "+3", "-1", "\u0663", "\uFF13", "1e3", "",
        "#dev:+3", "#dev:", "dev:3", "#dev:3,", "#a!b:3", "#dev", "#lobby:1,#dev", ":3", "#:3"}) {
      assertEquals(
          new ClientLines.NotAJoin("after= takes a sequence number (digits 0-9), or rooms and"
              + " numbers as in after=#lobby:120,#dev:45, not '" + notDigits + "'.", Mode.JSON),
          ClientLines.parseBeforeJoin("JOIN:alice mode=json after=" + notDigits), notDigits);
    }
    assertEquals(
        new ClientLines.NotAJoin(RoomNames.RULES, Mode.JSON),
        ClientLines.parseBeforeJoin("JOIN:alice mode=json room=#a!b"));
    assertEquals(
        new ClientLines.NotAJoin("Unknown mode 'xml'. Modes are text and json.", Mode.TEXT),
        ClientLines.parseBeforeJoin("JOIN:alice mode=xml"));
    assertEquals(
        new ClientLines.NotAJoin("JOIN option 'after' given twice; give each once.", Mode.TEXT),
        ClientLines.parseBeforeJoin("JOIN:alice after=3 AFTER=5"));
    assertEquals(
        new ClientLines.NotAJoin("after= names #Dev twice; give each room once.", Mode.JSON),
        ClientLines.parseBeforeJoin("JOIN:alice mode=json after=#dev:3,#lobby:4,#Dev:5"));
  }

  @Test
  void aNameWithSpacesOrNoNameBeforeTheOptionsIsRefusedAsSuch() {
    assertEquals(refusal(Names.Refusals.SPACES), ClientLines.parseBeforeJoin("JOIN:John Smith"));
    assertEquals(new ClientLines.NotAJoin(Names.Refusals.EMPTY, Mode.JSON),
        ClientLines.parseBeforeJoin("JOIN: mode=json"));
  }

  @Test
  void aPasswordIsTrimmedAtBothEnds() {
    assertEquals(new ClientLines.Password("s3cret"), ClientLines.parseBeforeJoin("PASS: s3cret "));
    assertEquals(new ClientLines.Password("two words"),
        ClientLines.parseBeforeJoin("pass:two words"));
  }

  @Test
  void joinAndPassLinesAfterJoiningAreNotChat() {
    for (String line : new String[] {"PASS:s3cret", "pass: s3cret", "JOIN:alice", "join:bob"}) {
      assertEquals(new Commands.Invalid(ClientLines.ALREADY_JOINED),
          ClientLines.parseAfterJoin(line), line);
    }
    assertEquals(new ClientLines.Say("passing by"), ClientLines.parseAfterJoin("passing by"));
  }

  @Test
  void controlCharactersCannotSmuggleANameThrough() {
    assertEquals(plainJoin("alice"), ClientLines.parseBeforeJoin("JOIN:\u001B[1malice"));
  }

  @Test
  void quitIsRecognisedInEitherSpellingAndPhase() {
    for (String quit : new String[] {"!quit", "/quit", " !QUIT ", "/Quit\r", "/quit see you"}) {
      assertEquals(ClientLines.Quit.INSTANCE, ClientLines.parseAfterJoin(quit), quit);
      assertEquals(ClientLines.Quit.INSTANCE, ClientLines.parseBeforeJoin(quit), quit);
    }
  }

  @Test
  void chatTextIsStrippedAndCleaned() {
    assertEquals(new ClientLines.Say("hi there"), ClientLines.parseAfterJoin("  hi there \r"));
    assertEquals(new ClientLines.Say("ding"), ClientLines.parseAfterJoin("\u0007ding"));
    assertEquals(new ClientLines.Say("!quit now"), ClientLines.parseAfterJoin("!quit now"));
    assertEquals(false, ClientLines.isQuit("/quitter"));
    assertEquals(new ClientLines.Say("/not a command"), ClientLines.parseAfterJoin("//not a command"));
  }

  @Test
  void commandsParseWithTheirArguments() {
    assertEquals(Commands.Help.INSTANCE, ClientLines.parseAfterJoin("/HELP"));
    assertEquals(new Commands.Who(false, Optional.empty()), ClientLines.parseAfterJoin("/who"));
    assertEquals(new Commands.Who(true, Optional.empty()), ClientLines.parseAfterJoin("/who *"));
    assertEquals(new Commands.Who(false, Optional.of("#dev")),
        ClientLines.parseAfterJoin("/who #dev"));
    assertEquals(new Commands.Part(Optional.empty(), Optional.empty()),
        ClientLines.parseAfterJoin("/part"));
    assertEquals(new Commands.Part(Optional.of("#dev"), Optional.of("see you")),
        ClientLines.parseAfterJoin("/part #dev see you"));
    assertEquals(new Commands.Part(Optional.empty(), Optional.of("lunch time")),
        ClientLines.parseAfterJoin("/part lunch time"));
    assertEquals(new Commands.SayTo("#dev", "hi  there"),
        ClientLines.parseAfterJoin("/say #dev hi  there"));
    assertEquals(new Commands.Invalid("Usage: /say #<room> <text>. Type /help for the commands."),
        ClientLines.parseAfterJoin("/say #dev"));
    assertEquals(new Commands.Msg("bob", "hi  there"), ClientLines.parseAfterJoin("/msg bob hi  there"));
    assertEquals(new Commands.Me("waves"), ClientLines.parseAfterJoin("/me waves"));
    assertEquals(new Commands.Nick("Zoë"), ClientLines.parseAfterJoin("/nick Zoe\u0308"));
    assertEquals(new Commands.JoinRoom("#dev"), ClientLines.parseAfterJoin("/join dev"));
    assertEquals(Commands.ListRooms.INSTANCE, ClientLines.parseAfterJoin("/rooms"));
    assertEquals(new Commands.Topic(Optional.empty()), ClientLines.parseAfterJoin("/topic"));
    assertEquals(new Commands.Topic(Optional.of("ship it")), ClientLines.parseAfterJoin("/topic ship it"));
    assertEquals(new Commands.History(Commands.DEFAULT_HISTORY), ClientLines.parseAfterJoin("/history"));
    assertEquals(new Commands.History(5), ClientLines.parseAfterJoin("/history 5"));
    assertEquals(new Commands.History(Commands.DEFAULT_HISTORY, java.util.OptionalLong.of(120)),
        ClientLines.parseAfterJoin("/history before 120"));
    assertEquals(new Commands.History(50, java.util.OptionalLong.of(120)),
        ClientLines.parseAfterJoin("/history BEFORE 120 50"));
    assertEquals(new Commands.Search(java.util.Optional.empty(), "deploy done"),
        ClientLines.parseAfterJoin("/search deploy done"));
    assertEquals(new Commands.Search(java.util.Optional.of("#Dev"), "deploy"),
        ClientLines.parseAfterJoin("/search #Dev deploy"));
    assertEquals(new Commands.Search(java.util.Optional.empty(), "#release"),
        ClientLines.parseAfterJoin("/search #release"), "a room and no words: the word, here");
  }

  @Test
  void awayTakesItsCleanedTextOrNoneToComeBack() {
    assertEquals(new Commands.Away(Optional.of("out to lunch")),
        ClientLines.parseAfterJoin("/AWAY  out to\u0007 lunch "));
    assertEquals(new Commands.Away(Optional.empty()), ClientLines.parseAfterJoin("/away"));
    assertEquals(new Commands.Away(Optional.empty()), ClientLines.parseAfterJoin("/away \u200B"));
  }

  @Test
  void whoisTakesOneNormalizedName() {
    assertEquals(new Commands.Whois("Zoë"), ClientLines.parseAfterJoin("/whois Zoe\u0308"));
    assertEquals(new Commands.Invalid("Usage: /whois <name>. Type /help for the commands."),
        ClientLines.parseAfterJoin("/whois"));
    assertEquals(new Commands.Invalid("Usage: /whois <name>. Type /help for the commands."),
        ClientLines.parseAfterJoin("/whois bob carol"));
  }

  @Test
  void wrongUsesAreInvalidAndNameHelp() {
    for (String wrong : new String[] {"/who me", "/msg bob", "/me", "/nick", "/nick a b",
        "/join", "/join #a b", "/history 0", "/history x", "/frobnicate", "/history before",
        "/history before 0", "/history before 12 0", "/history before 12 201",
        "/history before +3", "/history before ١٢", "/history before 1 2 3", "/search",
        "/search #bad!room words"}) {
      ClientLines.AfterJoin parsed = ClientLines.parseAfterJoin(wrong);
      Commands.Invalid invalid = (Commands.Invalid) parsed;
      assertEquals(true, invalid.message().endsWith("Type /help for the commands."), wrong);
    }
  }

  @Test
  void blankAndControlOnlyLinesAreBlank() {
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin(""));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin(" \t "));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseAfterJoin("\u001B[2J\u0007"));
    assertEquals(ClientLines.Blank.INSTANCE, ClientLines.parseBeforeJoin("   "));
  }
}
