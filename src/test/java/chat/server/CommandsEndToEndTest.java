package chat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import chat.protocol.Event;
import chat.testing.LineClient;
import chat.testing.ServerEvents;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every /command and its errors over real sockets, in text mode, with alice, bob and carol. */
@ExtendWith(LogCapturingExtension.class)
class CommandsEndToEndTest {

  private static final Duration QUIET = Duration.ofMillis(300);

  private TestServer server;
  private LineClient alice;
  private LineClient bob;
  private LineClient carol;

  @BeforeEach
  void everybodyInTheLobby() {
    server = TestServer.start("chat.room { max-rooms = 4, stop-when-empty-after = 200ms }");
    alice = server.joined("alice");
    bob = server.joined("bob");
    carol = server.joined("carol");
    alice.expect("bob has joined the chat.");
    alice.expect("carol has joined the chat.");
    bob.expect("carol has joined the chat.");
  }

  @AfterEach
  void stop() {
    alice.close();
    bob.close();
    carol.close();
    server.close();
  }

  private void nothingElse() {
    for (LineClient client : List.of(alice, bob, carol)) {
      assertTrue(client.silentFor(QUIET));
    }
  }

  @Test
  void privateMessageReachesOnlyItsRecipientAndIsEchoedToTheSender() {
    alice.send("/msg BOB psst, lunch?");
    bob.expect("[private] alice: psst, lunch?");
    alice.expect("[private to bob] alice: psst, lunch?");
    nothingElse();
  }

  @Test
  void privateMessageToSomeoneOfflineIsAnError() {
    alice.send("/msg dave hello?");
    alice.expect("ERROR: No one called 'dave' is online. Type /who * to see who is.");
    nothingElse();
  }

  @Test
  void meIsAnActionForTheRoom() {
    alice.send("/me waves");
    bob.expect("* alice waves");
    carol.expect("* alice waves");
    nothingElse();
  }

  @Test
  void nickRenamesUnderTheNameRulesAndTellsTheRoom() {
    alice.send("/nick Alicia");
    for (LineClient member : List.of(alice, bob, carol)) {
      member.expect("alice is now known as Alicia.");
    }
    alice.send("renamed");
    bob.expect("Alicia: renamed");
    carol.expect("Alicia: renamed");

    bob.send("/nick ALICIA");
    bob.expect("ERROR: Username 'ALICIA' is already taken.");
    bob.send("/nick no spaces");
    bob.expect("ERROR: Usage: /nick <name>. Type /help for the commands.");
    bob.send("/nick b@d");
    bob.expect("ERROR: Username may only contain letters, digits, '_', '-' and '.'. Type /help"
        + " for the commands.");
    alice.send("/nick alice");
    for (LineClient member : List.of(alice, bob, carol)) {
      member.expect("Alicia is now known as alice.");
    }
    nothingElse();
  }

  @Test
  void joinAddsARoomAndMakesItCurrentWhileTheOtherRoomsStay() {
    alice.send("/join #Dev");
    alice.expect("alice has joined #Dev.");
    alice.expect("You are now in #Dev (1 here: alice).");

    bob.send("/join dev");
    alice.expect("bob has joined #Dev.");
    bob.expect("bob has joined #Dev.");
    bob.expect("You are now in #Dev (2 here: alice, bob).");

    carol.send("lobby only");
    alice.expect("[#lobby] carol: lobby only");
    bob.expect("[#lobby] carol: lobby only");
    alice.send("dev only");
    bob.expect("alice: dev only");
    alice.send("/say #lobby back in the lobby");
    bob.expect("[#lobby] alice: back in the lobby");
    carol.expect("alice: back in the lobby");
    alice.send("/join #dev");
    alice.expect("ERROR: You are already in #Dev.");
    alice.send("/join #lobby");
    alice.expect("You are now in #lobby (3 here: alice, bob, carol).");
    alice.send("/join #bad room");
    alice.expect("ERROR: Usage: /join #<room>. Type /help for the commands.");
    nothingElse();
  }

  @Test
  void partLeavesOneRoomAndTheLastOneLeavesTheMemberInNone() {
    alice.send("/join #dev");
    alice.expect("alice has joined #dev.");
    alice.expect("You are now in #dev (1 here: alice).");
    alice.send("/part #lobby off to work");
    alice.expect("[#lobby] alice left #lobby (off to work).");
    bob.expect("alice left #lobby (off to work).");
    carol.expect("alice left #lobby (off to work).");
    alice.send("/part");
    alice.expect("alice left #dev.");
    alice.expect("You are in no room; /join #<room> to chat there (/rooms lists them).");
    alice.send("anyone?");
    alice.expect("ERROR: You are in no room; /join #<room> to chat there (/rooms lists them).");
    alice.send("/part #ops");
    alice.expect("ERROR: You are not in #ops; /join #ops first.");
    alice.send("/join #lobby");
    alice.expect("alice has joined #lobby.");
    alice.expect("You are now in #lobby (3 here: bob, carol, alice).");
    bob.expect("alice has joined #lobby.");
    carol.expect("alice has joined #lobby.");
    nothingElse();
  }

  @Test
  void roomsListsEveryRoomWithHowManyAreInItAndWhichAreYours() {
    bob.send("/join #dev");
    bob.expect("bob has joined #dev.");
    bob.expect("You are now in #dev (1 here: bob).");

    alice.send("/rooms");
    alice.expect("Rooms (2): #dev (1), #lobby (3, current)");
    bob.send("/rooms");
    bob.expect("Rooms (2): #dev (1, current), #lobby (3, yours)");
    nothingElse();
  }

  @Test
  void topicIsShownAndSetForTheRoom() {
    alice.send("/topic");
    alice.expect("#lobby has no topic.");
    bob.send("/topic Release on Friday");
    for (LineClient member : List.of(alice, bob, carol)) {
      member.expect("bob set the topic of #lobby: Release on Friday");
    }
    carol.send("/topic");
    carol.expect("Topic of #lobby: Release on Friday");
    alice.send("/topic " + "t".repeat(301));
    alice.expect("ERROR: A topic can be at most 300 characters long.");
    nothingElse();
  }

  @Test
  void whoListsTheRoomAnotherRoomOrEverybody() {
    carol.send("/join #ops");
    carol.expect("carol has joined #ops.");
    carol.expect("You are now in #ops (1 here: carol).");

    alice.send("/who");
    alice.expect("In #lobby (3): alice, bob, carol");
    alice.send("/who #ops");
    alice.expect("In #ops (1): carol");
    alice.send("/who *");
    alice.expect("Online (3): alice (#lobby), bob (#lobby), carol (#lobby, #ops)");
    alice.send("/who #nowhere");
    alice.expect("No one is in #nowhere.");
    nothingElse();
  }

  @Test
  void unknownCommandsAndWrongUsesAreErrorsThatNameHelpAndAreNeverBroadcast() {
    alice.send("/dance");
    alice.expect("ERROR: Unknown command '/dance'. Type /help for the commands.");
    alice.send("/msg bob");
    alice.expect("ERROR: Usage: /msg <name> <text>. Type /help for the commands.");
    alice.send("/me");
    alice.expect("ERROR: Usage: /me <action>. Type /help for the commands.");
    alice.send("/history lots");
    alice.expect("ERROR: Usage: /history [n]. Type /help for the commands.");
    alice.send("/history +3");
    alice.expect("ERROR: Usage: /history [n]. Type /help for the commands.");
    alice.send("/say #nowhere hi");
    alice.expect("ERROR: You are not in #nowhere; /join #nowhere first.");
    nothingElse();
  }

  @Test
  void awayShowsInWhoAndAnAwayMembersSendersAreAnsweredOnceEachPerAway() {
    bob.send("/away out to lunch");
    bob.expect("You are marked as away: out to lunch");
    alice.send("/who");
    alice.expect("In #lobby (3): alice, bob (away: out to lunch), carol");
    alice.send("/who *");
    alice.expect("Online (3): alice (#lobby), bob (#lobby; away: out to lunch), carol (#lobby)");

    alice.send("/msg bob hungry?");
    bob.expect("[private] alice: hungry?");
    alice.expect("[private to bob] alice: hungry?");
    alice.expect("bob is away: out to lunch");
    alice.send("/msg BOB hello?");
    bob.expect("[private] alice: hello?");
    alice.expect("[private to bob] alice: hello?");
    carol.send("/msg bob hi");
    bob.expect("[private] carol: hi");
    carol.expect("[private to bob] carol: hi");
    carol.expect("bob is away: out to lunch");
    nothingElse(); // alice was answered once

    bob.send("/away meeting");
    bob.expect("You are marked as away: meeting");
    alice.send("/msg bob now?");
    bob.expect("[private] alice: now?");
    alice.expect("[private to bob] alice: now?");
    alice.expect("bob is away: meeting");

    bob.send("/away");
    bob.expect("You are no longer marked as away.");
    alice.send("/who");
    alice.expect("In #lobby (3): alice, bob, carol");
    carol.send("/msg bob back?");
    bob.expect("[private] carol: back?");
    carol.expect("[private to bob] carol: back?");
    bob.send("/away " + "x".repeat(301));
    bob.expect("ERROR: An away text can be at most 300 characters long.");
    nothingElse();
  }

  @Test
  void whoisSaysWhereSomeoneIsSinceWhenAndWhyAwayAndAnUnknownNameIsMsgsError() {
    bob.send("/join #dev");
    bob.expect("bob has joined #dev.");
    bob.expect("You are now in #dev (1 here: bob).");
    alice.send("/whois BOB");
    String whois = alice.readLine();
    assertTrue(whois.matches("bob is in #dev, #lobby; connected since "
        + "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC"), whois);
    bob.send("/away lunch");
    bob.expect("You are marked as away: lunch");
    alice.send("/whois bob");
    assertTrue(alice.readLine().equals(whois + "; away: lunch"));
    bob.send("/whois bob");
    bob.expect(whois + "; away: lunch");

    alice.send("/whois dave");
    alice.expect("ERROR: No one called 'dave' is online. Type /who * to see who is.");
    alice.send("/whois");
    alice.expect("ERROR: Usage: /whois <name>. Type /help for the commands.");
    nothingElse();
  }

  @Test
  void inMachineModeAwayWhoisAndTheAwayAnswerAreEvents() {
    try (LineClient dora = server.connect()) {
      dora.send("JOIN:dora mode=json");
      String token = ServerEvents.next(dora, Event.Welcome.class).token();
      ServerEvents.next(dora, Event.Joined.class);
      ServerEvents.next(dora, Event.Entered.class);
      for (LineClient member : List.of(alice, bob, carol)) {
        member.expect("dora has joined the chat.");
      }
      bob.send("/away lunch");
      bob.expect("You are marked as away: lunch");

      dora.send("/msg bob hi");
      ServerEvents.next(dora, Event.Private.class);
      Event.Away away = ServerEvents.next(dora, Event.Away.class);
      assertEquals(List.of("bob", "lunch"), List.of(away.name(), away.text()));
      dora.send("/who");
      assertEquals(new Event.Presence("bob", "#lobby", "lunch"),
          ServerEvents.next(dora, Event.Who.class).members().get(1));
      dora.send("/whois bob");
      Event.Whois whois = ServerEvents.next(dora, Event.Whois.class);
      assertEquals(List.of("bob", List.of("#lobby"), "lunch"),
          List.of(whois.name(), whois.rooms(), whois.away()));
      assertTrue(whois.since() > 0 && whois.since() <= whois.time(), whois.toString());
      dora.send("/away brb");
      assertEquals("brb", ServerEvents.next(dora, Event.Marked.class).away());

      // A reconnect that takes dora over keeps her away.
      try (LineClient again = server.connect()) {
        again.send("JOIN:dora mode=json token=" + token);
        ServerEvents.next(again, Event.Welcome.class);
        ServerEvents.next(again, Event.Joined.class);
        ServerEvents.next(again, Event.Entered.class);
        alice.send("/who");
        alice.expect("In #lobby (4): alice, bob (away: lunch), carol, dora (away: brb)");
      }
    }
  }

  @Test
  void helpListsAwayAndWhois() {
    alice.send("/help");
    alice.expect("Commands:");
    List<String> help = new java.util.ArrayList<>();
    String line;
    do {
      line = alice.readLine();
      help.add(line);
    } while (!line.startsWith("Lines you type"));
    assertTrue(help.stream().anyMatch(command -> command.startsWith("  /away [text]")),
        help.toString());
    assertTrue(help.stream().anyMatch(command -> command.startsWith("  /whois <name>")),
        help.toString());
  }

  @Test
  void doubleSlashSendsALiteralSlash() {
    alice.send("//shrug");
    bob.expect("alice: /shrug");
    carol.expect("alice: /shrug");
    nothingElse();
  }

  @Test
  void helpListsTheCommands() {
    alice.send("/help");
    alice.expect("Commands:");
    String next = alice.readLine();
    assertTrue(next.contains("/join"), next);
  }

  @Test
  void roomsAreBoundedAndUnusedOnesMakeWay() {
    // max-rooms is 4: #lobby and three more.
    alice.send("/join #one");
    alice.expect("alice has joined #one.");
    alice.expect("You are now in #one (1 here: alice).");
    alice.send("kept in the history of #one");
    bob.send("/join #two");
    bob.expect("bob has joined #two.");
    bob.expect("You are now in #two (1 here: bob).");
    carol.send("/join #three");
    carol.expect("carol has joined #three.");
    carol.expect("You are now in #three (1 here: carol).");
    carol.send("/join #four");
    carol.expect("ERROR: The server has too many rooms to make #four; join one of /rooms.");
    carol.send("hello three");
    bob.send("/part #two");
    bob.expect("bob left #two.");
    bob.expect("You are now in #lobby (3 here: alice, bob, carol).");
    // #two is empty and stops after 200 ms; once it has, it makes way. Asked again until then
    // (a refusal takes a round trip of well under a millisecond: the deadline bounds the asking).
    String answer;
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      carol.send("/join #four");
      answer = carol.readLine();
    } while (answer.startsWith("ERROR: The server has too many rooms")
        && System.nanoTime() < deadline);
    assertTrue(answer.equals("carol has joined #four."), answer);
    carol.expect("You are now in #four (1 here: carol).");
  }

  @Test
  void everyLineBeforeAHalfCloseIsHandledBeforeTheMemberLeaves() {
    // Commands that wait for other actors' answers, then the end of input at once (nc -N).
    alice.write("/join #dev\n/rooms\n/who *\n/part #dev\nlast words\n");
    alice.shutdownOutput();
    alice.expect("alice has joined #dev.");
    alice.expect("You are now in #dev (1 here: alice).");
    alice.expect("Rooms (2): #dev (1, current), #lobby (3, yours)");
    alice.expect("Online (3): alice (#dev, #lobby), bob (#lobby), carol (#lobby)");
    alice.expect("alice left #dev.");
    alice.expect("You are now in #lobby (3 here: alice, bob, carol).");
    bob.expect("alice: last words");
    bob.expect("alice left the chat.");
    carol.expect("alice: last words");
    carol.expect("alice left the chat.");
  }

  @Test
  void aMemberMayBeInSoManyRoomsAtMost() {
    server.close();
    server = TestServer.start("chat.room.max-rooms-per-member = 2");
    try (LineClient dora = server.joined("dora")) {
      dora.send("/join #second");
      dora.expect("dora has joined #second.");
      dora.expect("You are now in #second (1 here: dora).");
      dora.send("/join #third");
      dora.expect("ERROR: You are in 2 rooms, the most one may be in; /part one first.");
      dora.send("/part #lobby");
      dora.expect("[#lobby] dora left #lobby.");
      dora.send("/join #third");
      dora.expect("dora has joined #third.");
    }
  }
}
